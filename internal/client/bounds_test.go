package client

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/registry"
)

// TestAnswersAreBounded: a registry, or anyone answering in its place, that sends an answer
// without end costs the command line a bounded amount of memory: JSON answers and files
// (released, draft copies, previews) are read up to a limit, then refused. An answer of
// exactly the limit is read whole.
func TestAnswersAreBounded(t *testing.T) {
	defer func(a, f int64) { MaxAnswerBytes, MaxFileBytes = a, f }(MaxAnswerBytes, MaxFileBytes)
	MaxAnswerBytes, MaxFileBytes = 1<<16, 1<<16
	size := 4 << 16
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.Contains(r.URL.Path, "/exact/"):
			w.Write([]byte(strings.Repeat("x", int(MaxFileBytes))))
		case r.URL.Path == "/api/v1/letters":
			w.Write([]byte(`{"letters":[`))
			for i := 0; i < size/3; i++ {
				w.Write([]byte(`{},`))
			}
			w.Write([]byte(`{}]}`))
		default:
			w.Write([]byte(strings.Repeat("x", size)))
		}
	}))
	defer srv.Close()
	c, err := New(srv.URL, "chy_token")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.Letters(ctx, registry.LetterQuery{}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("Letters: %v; want ErrTooLarge", err)
	}
	if _, err := c.ReleasedFile(ctx, "TFN-2026-000001"); !errors.Is(err, ErrTooLarge) {
		t.Errorf("ReleasedFile: %v; want ErrTooLarge", err)
	}
	if _, err := c.ExportDraft(ctx, "TFN-2026-000001", "legal", ""); !errors.Is(err, ErrTooLarge) {
		t.Errorf("ExportDraft: %v; want ErrTooLarge", err)
	}
	if _, err := c.Preview(ctx, "TFN-2026-000001"); !errors.Is(err, ErrTooLarge) {
		t.Errorf("Preview: %v; want ErrTooLarge", err)
	}
	if b, err := c.ReleasedFile(ctx, "exact"); err != nil || int64(len(b)) != MaxFileBytes {
		t.Errorf("a file of exactly the limit: %d bytes, %v", len(b), err)
	}
}

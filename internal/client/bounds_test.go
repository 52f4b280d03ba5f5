package client

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

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

// TestSmallAnswersRefusedPastTheirBound: a seal, a trust root and a checkpoint longer than
// their bounds (2 MiB, 1 MiB, 64 KiB) were cut there without an error, so `letter fetch`
// wrote a truncated seal without saying so; they are refused as other answers are. An answer
// of exactly the bound is read whole.
func TestSmallAnswersRefusedPastTheirBound(t *testing.T) {
	sizes := map[string]int{"/api/v1/letters/TFN-2026-000001/seal": 2 << 20, "/api/v1/trust": 1 << 20, "/log/checkpoint": 1 << 16}
	var over bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := sizes[r.URL.Path]
		if over {
			n++
		}
		w.Write([]byte(strings.Repeat("x", n)))
	}))
	defer srv.Close()
	c, err := New(srv.URL, "")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	reads := map[string]func() ([]byte, error){
		"Seal":       func() ([]byte, error) { return c.Seal(ctx, "TFN-2026-000001") },
		"TrustRoot":  func() ([]byte, error) { return c.TrustRoot(ctx) },
		"Checkpoint": func() ([]byte, error) { return c.Checkpoint(ctx) },
	}
	for name, read := range reads {
		over = false
		if b, err := read(); err != nil || len(b) == 0 {
			t.Errorf("%s of exactly its bound: %d bytes, %v", name, len(b), err)
		}
		over = true
		if b, err := read(); !errors.Is(err, ErrTooLarge) {
			t.Errorf("%s past its bound: %d bytes, %v; want ErrTooLarge", name, len(b), err)
		}
	}
}

// TestClientErrorsHideAPasswordAndKeepTheCause: an invalid registry URL was quoted whole in
// the error, a password in it included; and a transport failure was wrapped so that a
// caller's deadline could not be told from an unreachable registry.
func TestClientErrorsHideAPasswordAndKeepTheCause(t *testing.T) {
	for _, u := range []string{"ftp://rita:s3cret@registry.example", "http://rita:s3cret@[::1"} {
		if _, err := New(u, ""); err == nil || strings.Contains(err.Error(), "s3cret") {
			t.Errorf("New(%q): %v", u, err)
		}
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	defer srv.Close()
	c, err := New(srv.URL, "")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err = c.Checkpoint(ctx)
	if !errors.Is(err, ErrUnreachable) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Checkpoint past the caller's deadline: %v; want ErrUnreachable wrapping context.DeadlineExceeded", err)
	}
}

package textract

import (
	"errors"
	"strings"
	"testing"
)

func TestText(t *testing.T) {
	got, err := Text("text/markdown; charset=utf-8", []byte("# Letter\n\nDear Sir,"))
	if err != nil || got != "# Letter\n\nDear Sir," {
		t.Fatalf("markdown: %q, %v", got, err)
	}
	if _, err := Text("image/png", []byte{0x89, 'P'}); !errors.Is(err, ErrNoText) {
		t.Fatalf("png: %v, want ErrNoText", err)
	}
	if _, err := Text("text/plain", []byte{0xff, 0xfe}); err == nil || errors.Is(err, ErrNoText) {
		t.Fatalf("invalid UTF-8: %v, want a clear error", err)
	}
	if _, err := Text("no/such/type;;", nil); err == nil {
		t.Fatal("bad media type accepted")
	}
	long := strings.Repeat("é", MaxText)
	got, err = Text("text/plain", []byte(long))
	if err != nil || len(got) > MaxText || !strings.HasPrefix(long, got) {
		t.Fatalf("long text: len %d, %v", len(got), err)
	}
}

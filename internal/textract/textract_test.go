package textract

import (
	"errors"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/pdf"
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

func TestPDFText(t *testing.T) {
	doc, err := pdf.Render("text/plain", []byte("Dear Minister,\n\nThe forces will be repositioned."), pdf.Letterhead{Office: "Task Force North", Reference: "TFN-2026-000001", Subject: "Repositioning"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := Text("application/pdf", doc)
	if err != nil || !strings.Contains(got, "repositioned") {
		t.Fatalf("pdf text: %q, %v", got, err)
	}
	if _, err := Text("application/pdf", []byte("%PDF-1.7 garbage")); err == nil {
		t.Fatal("garbage PDF gave text")
	}
}

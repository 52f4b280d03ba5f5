package registry

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

// TestDeepMarkdownRefused is issue 12 item 10: Markdown nested fifty thousand deep (100 KB)
// is refused on upload, before anything is stored or rendered; an ordinary nested letter
// is accepted and renders.
func TestDeepMarkdownRefused(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	bomb := append(bytes.Repeat([]byte("- "), 50000), 'a')
	_, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: "S", Class: "routine", Addressees: []string{"A"},
		File: Upload{Name: "deep.md", MediaType: "text/markdown", Data: bomb}})
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "nested") {
		t.Fatalf("deep Markdown: %v, want ErrInvalid", err)
	}
	ref, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: "S", Class: "routine", Addressees: []string{"A"},
		File: Upload{Name: "ok.md", MediaType: "text/markdown", Data: []byte("Dear Minister,\n\n- a\n  - b\n    > c\n")}})
	if err != nil {
		t.Fatalf("ordinary Markdown: %v", err)
	}
	if ref == "" {
		t.Fatal("no reference")
	}
}

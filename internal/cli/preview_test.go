package cli_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/seal"
)

// TestLetterPreview: 'chancery letter preview' writes the letter as a release would lay it
// out, marked DRAFT PREVIEW; it verifies as a draft, refuses to overwrite, and the public gets none.
func TestLetterPreview(t *testing.T) {
	o := newOffice(t)
	ref := o.letter("Repositioning of forces", "foreign-government", "Dear Minister,\n\nThe forces will be repositioned.\n")
	o.ready(ref)
	out := filepath.Join(t.TempDir(), "preview.pdf")
	code, stdout, stderr := o.run("rita", "letter", "preview", ref, "--out", out)
	if code != 0 || !strings.Contains(stdout, "registered as a draft copy") {
		t.Fatalf("preview: exit %d\n%s%s", code, stdout, stderr)
	}
	doc, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if text, err := pdf.Text(doc); err != nil || !strings.Contains(text, "repositioned") {
		t.Fatalf("preview text %q, %v", text, err)
	}
	st, err := o.reg.VerifyDigest(context.Background(), o.actors["rita"], seal.DigestOf(doc))
	if err != nil || st.Outcome != "draft" {
		t.Errorf("the preview verifies as %q, %v", st.Outcome, err)
	}
	if code, _, stderr := o.run("rita", "letter", "preview", ref, "--out", out); code == 0 || !strings.Contains(stderr, "hint:") {
		t.Errorf("preview over an existing file: exit %d\n%s", code, stderr)
	}
	if code, _, _ := o.run("forged", "letter", "preview", ref, "--out", out+"2"); code == 0 {
		t.Error("a preview without a member's token")
	}
}

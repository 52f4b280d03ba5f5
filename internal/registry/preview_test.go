package registry

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/seal"
)

// TestPreview: a preview is the letter as it would be released, marked DRAFT PREVIEW and
// recorded as a draft copy, so it verifies as a draft; the public cannot ask for one.
func TestPreview(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	ref := o.letter(t, "Dear Minister,\n\nThe forces will be repositioned after the coordination ends.")
	o.approve(t, ref)
	if err := o.sign(t, ref); err != nil {
		t.Fatal(err)
	}
	doc, err := o.r.Preview(ctx, o.reviewer, ref)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pdf.Check(doc); err != nil {
		t.Fatal(err)
	}
	text, err := pdf.Text(doc)
	if err != nil || !strings.Contains(text, "repositioned") {
		t.Fatalf("preview text %q, %v", text, err)
	}
	if tool, err := exec.LookPath("pdftotext"); err == nil || os.Getenv("CHANCERY_REQUIRE_TOOLS") == "1" {
		file := filepath.Join(t.TempDir(), "preview.pdf")
		if err := os.WriteFile(file, doc, 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(tool, file, "-").Output()
		if err != nil || !strings.Contains(string(out), "Preview of "+ref+" v1 for rita") || !strings.Contains(string(out), "registered as a draft copy") ||
			!strings.Contains(string(out), "Verify at") {
			t.Errorf("the preview lacks its marks or footer: %v\n%s", err, out)
		}
	}
	for _, who := range []Actor{{}, o.reviewer} {
		st, err := o.r.VerifyDigest(ctx, who, seal.DigestOf(doc))
		if err != nil {
			t.Fatal(err)
		}
		if st.Outcome != Draft {
			t.Errorf("a preview verifies as %s, want %s", st.Outcome, Draft)
		}
	}
	if _, err := o.r.Preview(ctx, Actor{}, ref); err == nil {
		t.Error("the public got a preview")
	}

	// The release that follows has the preview's pages, without its marks, and is valid.
	rel, err := o.r.Release(ctx, o.officer, ref)
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := o.r.VerifyDigest(ctx, Actor{}, seal.DigestOf(rel.File)); st.Outcome != Valid {
		t.Errorf("the release verifies as %s", st.Outcome)
	}
	if _, err := o.r.Preview(ctx, o.reviewer, ref); err == nil {
		t.Error("a released letter has a preview")
	}
}

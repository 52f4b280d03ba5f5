package registry

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/pdf/pdftest"
)

// TestRegistryCopiesCarryNoDocumentInformation: the draft copy, the preview and the release
// of a PDF letter kept its /Info dictionary: the author's name, an internal title, keywords
// (found by audit, forty-ninth session). They keep none of it now.
func TestRegistryCopiesCarryNoDocumentInformation(t *testing.T) {
	if _, err := exec.LookPath("pdfinfo"); err != nil {
		t.Skip("pdfinfo not installed")
	}
	o := newOffice(t)
	content := "BT /F1 14 Tf 72 720 Td (Dear Minister, we confirm the agreement.) Tj ET"
	doc := pdftest.Build("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		pdftest.Stream(fmt.Sprintf("<< /Length %d >>", len(content)), []byte(content)),
		"<< /Title (INTERNAL fallback position) /Author (Jane Smith, legal adviser) /Keywords (accept 15 percent) >>")
	doc = bytes.Replace(doc, []byte("/Root 1 0 R >>"), []byte("/Root 1 0 R /Info 6 0 R >>"), 1)
	ref, err := o.r.CreateLetter(context.Background(), o.drafter, NewLetter{Subject: "Agreement", Class: "foreign-government",
		Addressees: []string{"Ministry of Defence of Freedonia"}, File: Upload{Name: "letter.pdf", MediaType: "application/pdf", Data: doc}})
	if err != nil {
		t.Fatal(err)
	}
	c, preview := o.copyAndPreview(t, ref, "Ministry of Finance")
	rel := o.approvedAndReleased(t, ref)
	for _, d := range []struct {
		name string
		doc  []byte
	}{{"draft copy", c.Data}, {"preview", preview}, {"release", rel.File}} {
		f := filepath.Join(t.TempDir(), "c.pdf")
		if err := os.WriteFile(f, d.doc, 0o600); err != nil {
			t.Fatal(err)
		}
		out, _ := exec.Command("pdfinfo", f).CombinedOutput()
		for _, leak := range []string{"Jane Smith", "INTERNAL fallback position", "accept 15 percent"} {
			if strings.Contains(string(out), leak) {
				t.Errorf("%s: pdfinfo shows %q from the upload's document information", d.name, leak)
			}
		}
	}
}

package registry

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/officeca/officecatest"
	"github.com/chancery/chancery/internal/pdf/pdftest"
)

// letterPDFWithZeros is a one-page PDF letter that shows a dark grey square, an 8-bit grey
// picture of 80×80 samples 0x30 written without a filter, and whose document information
// names its author and an internal title.
func letterPDFWithZeros() []byte {
	content := "BT /F1 14 Tf 72 720 Td (Dear Minister, we confirm the agreement.) Tj ET q 80 0 0 80 72 600 cm /Im1 Do Q"
	pix := strings.Repeat("0", 80*80)
	doc := pdftest.Build("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> /XObject << /Im1 6 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		pdftest.Stream(fmt.Sprintf("<< /Length %d >>", len(content)), []byte(content)),
		pdftest.Stream(fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width 80 /Height 80 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length %d >>", len(pix)), []byte(pix)),
		"<< /Title (INTERNAL fallback position) /Author (Jane Smith, legal adviser) /Keywords (accept 15 percent) >>")
	// pdftest.Build's trailer names no /Info: name object 7.
	return bytes.Replace(doc, []byte("/Root 1 0 R >>"), []byte("/Root 1 0 R /Info 7 0 R >>"), 1)
}

func pdfLetter(t *testing.T, o *office) string {
	t.Helper()
	ref, err := o.r.CreateLetter(context.Background(), o.drafter, NewLetter{Subject: "Agreement", Class: "foreign-government",
		Addressees: []string{"Ministry of Defence of Freedonia"}, File: Upload{Name: "letter.pdf", MediaType: "application/pdf", Data: letterPDFWithZeros()}})
	if err != nil {
		t.Fatal(err)
	}
	return ref
}

// TestReleaseTheSignerWouldCorruptIsRefused: a PDF letter holding a run of '0' bytes (an
// uncompressed grey picture) was released with an embedded signature pdfsig found invalid, its
// picture's bytes overwritten by the signature's hex after its approval: the signing library
// looks for its /Contents placeholder from the start of the file (found by audit, forty-ninth
// session). Such a release is refused, saying why, and nothing is released.
func TestReleaseTheSignerWouldCorruptIsRefused(t *testing.T) {
	o := newOffice(t)
	o.r.cfg.PDFSigner = officecatest.Signer(t, "Task Force North")
	ref := pdfLetter(t, o)
	o.approve(t, ref)
	if err := o.sign(t, ref); err != nil {
		t.Fatal(err)
	}
	err := tryRelease(o, ref)
	if err == nil || !strings.Contains(err.Error(), "the letter cannot be signed") {
		t.Fatalf("release: %v, want a refusal saying the letter cannot be signed", err)
	}
	if v, err := o.r.Letter(context.Background(), o.drafter, ref); err != nil || v.Release != nil {
		t.Errorf("%s after the refusal: release %+v, %v", ref, v.Release, err)
	}
}

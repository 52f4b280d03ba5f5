package pdf_test

import (
	"fmt"
	"testing"

	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/pdf/pdftest"
)

// pdfWithIndirectSubtype is a one-page PDF drawing scan as one picture whose /Subtype (and
// /Type) are references to the names rather than the names: the specification asks for
// names, and every reader resolves the references and draws the picture.
func pdfWithIndirectSubtype(t *testing.T) []byte {
	t.Helper()
	scan := scanPage()
	w, h := scan.Rect.Dx(), scan.Rect.Dy()
	data := pdftest.Deflate(scan.Pix)
	c := fmt.Sprintf("q %d 0 0 %d 50 150 cm /Im0 Do Q\n", w, h)
	return pdftest.Build(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 500 842] /Resources << /XObject << /Im0 5 0 R >> >> /Contents 4 0 R >>",
		pdftest.Stream(fmt.Sprintf("<< /Length %d >>", len(c)), []byte(c)),
		pdftest.Stream(fmt.Sprintf("<< /Type 7 0 R /Subtype 6 0 R /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode /Length %d >>", w, h, len(data)), data),
		"/Image",
		"/XObject",
	)
}

// TestIndirectSubtypeIsAPicture: a picture whose /Subtype is a reference to /Image passed the
// upload check, and every draft copy of it failed (HTTP 500, "unterminated hexadecimal
// string": its pixels were read as a content stream) (audit, forty-seventh session). Its
// copies are made, and marked like any picture's.
func TestIndirectSubtypeIsAPicture(t *testing.T) {
	src := pdfWithIndirectSubtype(t)
	if _, err := pdf.Check(src); err != nil {
		t.Fatalf("check: %v", err)
	}
	if d := changedPixels(scanPage(), pictureImages(t, src)[0]); d != 0 {
		t.Fatalf("the source's picture differs from the scan in %d pixels", d)
	}
	cp, err := pdf.Watermark(src, mark)
	if err != nil {
		t.Fatalf("watermark: %v", err)
	}
	if d := changedPixels(scanPage(), pictureImages(t, cp)[0]); d < 1500 {
		t.Errorf("the copy's picture differs from the scan in %d pixels: unmarked", d)
	}
}

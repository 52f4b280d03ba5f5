package pdf_test

import (
	"errors"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/pdf/pdftest"
)

// inHiddenLayer is a one-page PDF whose content, in streams, shows a line of text and may
// open marked content in the optional content group 4 0 R, which the document switches off.
func inHiddenLayer(streams ...string) []byte {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R /OCProperties << /OCGs [4 0 R] /D << /OFF [4 0 R] /Order [4 0 R] >> >> >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"",
		"<< /Type /OCG /Name (Switched off) >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var refs []string
	for _, s := range streams {
		refs = append(refs, fmt.Sprintf("%d 0 R", len(objs)+1))
		objs = append(objs, pdftest.Stream(fmt.Sprintf("<< /Length %d >>", len(s)), []byte(s)))
	}
	objs[2] = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> /Properties << /MC0 4 0 R >> >>" +
		" /Contents [" + strings.Join(refs, " ") + "] >>"
	return pdftest.Build(objs...)
}

// redPixels is the number of clearly red pixels of the first page of doc as poppler draws it.
func redPixels(t *testing.T, doc []byte) int {
	t.Helper()
	prefix := filepath.Join(t.TempDir(), "page")
	run(t, "pdftoppm", "-r", "30", "-f", "1", "-l", "1", "-singlefile", "-png", writeTemp(t, "doc.pdf", doc), prefix)
	f, err := os.Open(prefix + ".png")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			r, g, _, _ := img.At(x, y).RGBA()
			if r > g+0x2800 {
				n++
			}
		}
	}
	return n
}

// TestMarksShowOutsideMarkedContentLeftOpen: a marked-content sequence is not part of the
// graphics state, so isolating the page's content in q and Q did not end one it left open.
// A PDF whose content ended inside optional content that the document switches off
// ("/OC /MC0 BDC", no EMC) gave draft copies and previews on which poppler drew no DRAFT
// banner and no band (no red pixel), and releases without their footer (no QR code): the
// marks were drawn inside that layer. Every copy must show its marks, and a balanced
// tagged page keeps them too.
func TestMarksShowOutsideMarkedContentLeftOpen(t *testing.T) {
	requireTool(t, "pdftoppm")
	requireTool(t, "zbarimg")
	const text = "BT /F1 24 Tf 72 700 Td (The ministry pays 1,500,000) Tj ET\n"
	for name, doc := range map[string][]byte{
		"left open":               inHiddenLayer(text + "/OC /MC0 BDC\n"),
		"left open in a stream":   inHiddenLayer(text, "/OC /MC0 BDC", "0 0 m"),
		"nested and left open":    inHiddenLayer(text + "/OC /MC0 BDC /P <</MCID 0>> BDC /Span BMC EMC\n"),
		"closed, tagged":          inHiddenLayer("/P <</MCID 0>> BDC " + text + "EMC\n"),
		"closed more than opened": inHiddenLayer(text + "EMC EMC\n"),
	} {
		copied, err := pdf.Watermark(doc, mark)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if n := redPixels(t, copied); n < 500 {
			t.Errorf("%s: the draft copy shows %d red pixels: no DRAFT marks", name, n)
		}
		stamped := mustStamp(t, doc, footer)
		out, err := exec.Command("zbarimg", "--quiet", "--raw", func() string {
			prefix := filepath.Join(t.TempDir(), "page")
			run(t, "pdftoppm", "-r", "150", "-singlefile", "-png", writeTemp(t, "stamped.pdf", stamped), prefix)
			return prefix + ".png"
		}()).Output()
		if got := strings.TrimSpace(string(out)); err != nil || got != footer.VerifyURL {
			t.Errorf("%s: the release's QR code reads %q (%v): no footer", name, got, err)
		}
		preview, err := pdf.Preview(stamped, pdf.PreviewMark{Reference: footer.Reference, Version: 2, Member: "dana", At: released})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if n := redPixels(t, preview); n < 500 {
			t.Errorf("%s: the preview shows %d red pixels: no DRAFT PREVIEW marks", name, n)
		}
	}
}

// TestPagesEndingInsideAnObjectAreRefused: a page's content that ends inside a string, a
// hexadecimal string, an array, a dictionary or an inline image whose end cannot be found
// takes in what is drawn after it: Check accepted such PDFs, their draft copies showed no
// DRAFT marks (poppler drew no red pixel) and their releases no footer. They are refused
// (ErrInvalid) by Check, Watermark and Stamp; content whose strings, arrays and inline images
// end, or that ends in a comment, is marked.
func TestPagesEndingInsideAnObjectAreRefused(t *testing.T) {
	requireTool(t, "pdftoppm")
	requireTool(t, "zbarimg")
	const text = "BT /F1 24 Tf 72 700 Td (The ministry pays 1,500,000) Tj ET\n"
	for name, tail := range map[string]string{
		"string":                  "(unterminated \\) (nested)",
		"hexadecimal string":      "<4142",
		"array":                   "[ 1 2",
		"dictionary":              "/P << /MCID 0",
		"array in a later stream": "[ (a)",
		"inline image without EI": "BI /W 20 /H 20 /BPC 8 /CS /G /F /AHx ID 00",
		"inline image cut short":  "BI /W 200 /H 200 /BPC 8 /CS /G ID \n",
	} {
		streams := []string{text + tail}
		if strings.Contains(name, "later stream") {
			streams = []string{text, tail}
		}
		doc := inHiddenLayer(streams...)
		if _, err := pdf.Check(doc); !errors.Is(err, pdf.ErrInvalid) {
			t.Errorf("%s: Check = %v, want ErrInvalid", name, err)
		}
		if _, err := pdf.Watermark(doc, mark); !errors.Is(err, pdf.ErrInvalid) {
			t.Errorf("%s: Watermark = %v, want ErrInvalid", name, err)
		}
		if _, err := pdf.Stamp(doc, footer); !errors.Is(err, pdf.ErrInvalid) {
			t.Errorf("%s: Stamp = %v, want ErrInvalid", name, err)
		}
	}
	for name, tail := range map[string]string{
		"strings and arrays": "BT /F1 12 Tf 72 600 Td [ (a \\) \\( b) -20 ((c)) ] TJ <41 42> Tj ET\n",
		"an inline image":    "q 20 0 0 20 72 500 cm BI /W 2 /H 2 /BPC 8 /CS /G ID \x28\x5b\x3c\x28 EI Q\n",
		"a comment":          "% (an open string in a comment [",
	} {
		doc := inHiddenLayer(text + tail)
		copied, err := pdf.Watermark(doc, mark)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if n := redPixels(t, copied); n < 500 {
			t.Errorf("%s: the draft copy shows %d red pixels", name, n)
		}
		if _, err := pdf.Stamp(doc, footer); err != nil {
			t.Errorf("%s: Stamp: %v", name, err)
		}
	}
}

// darkPixels is the number of dark pixels of the first page of doc as poppler draws it at 30
// dpi.
func darkPixels(t *testing.T, doc []byte) int {
	t.Helper()
	prefix := filepath.Join(t.TempDir(), "page")
	run(t, "pdftoppm", "-r", "30", "-gray", "-f", "1", "-l", "1", "-singlefile", "-png", writeTemp(t, "doc.pdf", doc), prefix)
	f, err := os.Open(prefix + ".png")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			if r, _, _, _ := img.At(x, y).RGBA(); r < 0x4000 {
				n++
			}
		}
	}
	return n
}

// TestReleaseFooterShowsAfterInlineImages: where an inline image's data ends is written
// nowhere, and poppler's decoder read the hexadecimal data "0 EI 00" on past the EI this
// package finds: the release of a page ending so had no footer (no QR code), the rest of the
// page, footer included, read as the picture's data. A release's inline images are written
// with their data ending in one place; the pictures show as they did.
func TestReleaseFooterShowsAfterInlineImages(t *testing.T) {
	requireTool(t, "pdftoppm")
	requireTool(t, "zbarimg")
	const text = "BT /F1 24 Tf 72 700 Td (The ministry pays 1,500,000) Tj ET\n"
	picture := "q 200 0 0 200 72 300 cm BI /W 2 /H 1 /BPC 8 /CS /G /F /AHx ID 0000> EI Q\n"
	for name, tail := range map[string]string{
		"data a decoder reads on": "q 200 0 0 200 72 300 cm BI /W 2 /H 1 /BPC 8 /CS /G /F /AHx ID 0 EI 00\nQ\n",
		"a black picture":         picture,
	} {
		doc := inHiddenLayer(text + tail)
		stamped := mustStamp(t, doc, footer)
		prefix := filepath.Join(t.TempDir(), "page")
		run(t, "pdftoppm", "-r", "150", "-singlefile", "-png", writeTemp(t, "stamped.pdf", stamped), prefix)
		out, err := exec.Command("zbarimg", "--quiet", "--raw", prefix+".png").Output()
		if got := strings.TrimSpace(string(out)); err != nil || got != footer.VerifyURL {
			t.Errorf("%s: the release's QR code reads %q (%v): no footer", name, got, err)
		}
	}
	// The black picture, 200 points square, is 83 pixels square at 30 dpi.
	without, with := darkPixels(t, mustStamp(t, inHiddenLayer(text), footer)), darkPixels(t, mustStamp(t, inHiddenLayer(text+picture), footer))
	if with-without < 80*80 {
		t.Errorf("the release shows %d dark pixels with the picture, %d without", with, without)
	}
}

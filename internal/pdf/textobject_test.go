package pdf_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/pdf/pdftest"
)

// withContent is a one-page PDF whose content streams are contents.
func withContent(contents ...string) []byte {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	refs := ""
	for _, c := range contents {
		objs = append(objs, pdftest.Stream(fmt.Sprintf("<< /Length %d >>", len(c)), []byte(c)))
		refs += fmt.Sprintf("%d 0 R ", len(objs))
	}
	objs[2] = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents [" + refs + "] >>"
	return pdftest.Build(objs...)
}

// TestMarksShowAfterATextObjectLeftOpen: a page whose content ends inside a text object
// (BT without ET) in text rendering mode 7, which adds its text to the clip, gave draft
// copies on which poppler drew no DRAFT banner (910 red pixels of 1,563: the band alone).
// The text object is closed before the marks, in one content stream or across several.
func TestMarksShowAfterATextObjectLeftOpen(t *testing.T) {
	requireTool(t, "pdftoppm")
	want := redPixels(t, mustWatermark(t, withContent("BT /F1 24 Tf 100 700 Td (Hello) Tj ET")))
	for name, contents := range map[string][]string{
		"left open":                       {"BT /F1 24 Tf 100 700 Td 7 Tr (Hello) Tj"},
		"opened in the second":            {"BT /F1 24 Tf 100 650 Td (Hi) Tj ET", "BT /F1 24 Tf 100 700 Td 7 Tr (Hello) Tj"},
		"closed, then a string saying BT": {"BT /F1 24 Tf 100 700 Td 7 Tr (Hello BT) Tj ET"},
	} {
		if got := redPixels(t, mustWatermark(t, withContent(contents...))); got < want*9/10 {
			t.Errorf("%s: the copy shows %d red pixels, %d with the text object closed", name, got, want)
		}
	}
}

func mustWatermark(t *testing.T, src []byte) []byte {
	t.Helper()
	out, err := pdf.Watermark(src, mark)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCheckRefusesPagesThatShowNothing: a page whose media box is empty, or whose numbers
// overflow (1e308 wide), passed Check at upload, and every copy, preview and release of the
// letter then failed ("page 1 shows nothing"). Check refuses it, as it refuses a crop box
// outside the media box; a crop box partly outside is still taken.
func TestCheckRefusesPagesThatShowNothing(t *testing.T) {
	content := "BT /F1 24 Tf 100 700 Td (Hello) Tj ET"
	doc := func(boxes string) []byte {
		return pdftest.Build("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
			"<< /Type /Page /Parent 2 0 R "+boxes+" /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
			"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
			pdftest.Stream(fmt.Sprintf("<< /Length %d >>", len(content)), []byte(content)))
	}
	for name, boxes := range map[string]string{
		"crop box outside": "/MediaBox [0 0 595 842] /CropBox [1000 1000 1200 1200]",
		"empty media box":  "/MediaBox [0 0 0 0]",
		"huge numbers":     "/MediaBox [0 0 1e308 99999999999999999999999]",
	} {
		if _, err := pdf.Check(doc(boxes)); !errors.Is(err, pdf.ErrInvalid) {
			t.Errorf("%s: Check = %v, want ErrInvalid", name, err)
		}
	}
	if _, err := pdf.Check(doc("/MediaBox [0 0 595 842] /CropBox [300 300 900 900]")); err != nil {
		t.Errorf("a crop box partly outside: %v", err)
	}
}

package pdf_test

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/pdf/pdftest"
)

// withLink is a one-page PDF with a line of text and, when link is not empty, that link
// annotation.
func withLink(link string) []byte {
	content := "BT /F1 24 Tf 100 700 Td (The ministry pays 1,500,000) Tj ET"
	annots := ""
	if link != "" {
		annots = " /Annots [6 0 R]"
	}
	return pdftest.Build(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R"+annots+" >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		pdftest.Stream(fmt.Sprintf("<< /Length %d >>", len(content)), []byte(content)),
		link,
	)
}

// TestLinksDrawNothingOverTheMarks: links are kept on copies and releases, and a viewer
// draws a link's border above the page, marks included. A link over the whole page with a
// white border 300 points wide (/Border [0 0 300] /C [1 1 1]) hid the foot band naming the
// copy's recipient and most of the DRAFT banner in poppler (619 red pixels of 1,563), and a
// release's footer (no QR code read). A kept link draws nothing, and still leads where it did.
func TestLinksDrawNothingOverTheMarks(t *testing.T) {
	requireTool(t, "pdftoppm")
	requireTool(t, "zbarimg")
	for name, link := range map[string]string{
		"white border":     "<< /Type /Annot /Subtype /Link /Rect [0 0 595 842] /Border [0 0 300] /C [1 1 1] /A << /S /URI /URI (https://example.org/) >> >>",
		"border style":     "<< /Type /Annot /Subtype /Link /Rect [0 0 595 842] /BS << /W 300 /S /S >> /C [1 1 1] /A << /S /URI /URI (https://example.org/) >> >>",
		"inverted outline": "<< /Type /Annot /Subtype /Link /Rect [0 0 595 842] /H /O /Border [0 0 200] /C [1 1 1] /A << /S /URI /URI (https://example.org/) >> >>",
	} {
		plain, linked := withLink(""), withLink(link)
		without, err := pdf.Watermark(plain, mark)
		if err != nil {
			t.Fatal(err)
		}
		with, err := pdf.Watermark(linked, mark)
		if err != nil {
			t.Fatal(err)
		}
		if a, b := redPixels(t, without), redPixels(t, with); b < a*9/10 {
			t.Errorf("%s: the copy shows %d red pixels, %d without the link", name, b, a)
		}
		if !strings.Contains(string(with), "https://example.org/") {
			t.Errorf("%s: the copy lost the link", name)
		}
		stamped := mustStamp(t, linked, footer)
		prefix := filepath.Join(t.TempDir(), "page")
		run(t, "pdftoppm", "-r", "150", "-singlefile", "-png", writeTemp(t, "stamped.pdf", stamped), prefix)
		out, err := exec.Command("zbarimg", "--quiet", "--raw", prefix+".png").Output()
		if got := strings.TrimSpace(string(out)); err != nil || got != footer.VerifyURL {
			t.Errorf("%s: the release's QR code reads %q (%v)", name, got, err)
		}
	}
}

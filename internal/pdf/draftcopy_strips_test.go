package pdf_test

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"image"
	"image/draw"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/pdf/pdftest"
)

// pdfWithStrips is a one-page PDF whose page draws scan as pictures of its full width and
// rows rows each, one under the other: how some scanners and printer drivers write a page;
// as inline images when inline is set.
func pdfWithStrips(scan *image.Gray, rows int, inline bool) []byte {
	w, h := scan.Rect.Dx(), scan.Rect.Dy()
	n := (h + rows - 1) / rows
	var content, xobj strings.Builder
	var strips []string
	for i := range n {
		top, bottom := i*rows, min(h, (i+1)*rows)
		if inline {
			fmt.Fprintf(&content, "q %d 0 0 %d 50 %d cm BI /W %d /H %d /CS /G /BPC 8 ID %s EI Q\n", w, bottom-top, 150+h-bottom, w, bottom-top, scan.Pix[top*w:bottom*w])
			continue
		}
		data := pdftest.Deflate(scan.Pix[top*w : bottom*w])
		strips = append(strips, pdftest.Stream(fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode /Length %d >>", w, bottom-top, len(data)), data))
		fmt.Fprintf(&xobj, "/Im%d %d 0 R ", i, 5+i)
		fmt.Fprintf(&content, "q %d 0 0 %d 50 %d cm /Im%d Do Q\n", w, bottom-top, 150+h-bottom, i)
	}
	c := content.String()
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 500 842] /Resources << /XObject << %s>> >> /Contents 4 0 R >>", xobj.String()),
		pdftest.Stream(fmt.Sprintf("<< /Length %d >>", len(c)), []byte(c)),
	}
	return pdftest.Build(append(objs, strips...)...)
}

// stitched is pics, strips of one width, one under the other.
func stitched(pics []image.Image) image.Image {
	w, h := 0, 0
	for _, p := range pics {
		w, h = max(w, p.Bounds().Dx()), h+p.Bounds().Dy()
	}
	out := image.NewGray(image.Rect(0, 0, w, h))
	y := 0
	for _, p := range pics {
		draw.Draw(out, image.Rect(0, y, w, y+p.Bounds().Dy()), p, p.Bounds().Min, draw.Src)
		y += p.Bounds().Dy()
	}
	return out
}

// TestCopiesMarkPicturesInStrips: a scan written as strips of a few dozen rows each is a
// page's words all the same; `pdfimages` takes the strips out of a copy in order, and put
// one under the other they are the scan. The copy's marks must be in them.
func TestCopiesMarkPicturesInStrips(t *testing.T) {
	scan := scanPage()
	src := pdfWithStrips(scan, 40, false)
	if d := changedPixels(scan, stitched(pictureImages(t, src))); d != 0 {
		t.Fatalf("the source's strips differ from the scan in %d pixels", d)
	}
	cp, err := pdf.Watermark(src, mark)
	if err != nil {
		t.Fatalf("watermark: %v", err)
	}
	// Marked, each strip has the banner across it; unmarked, no pixel differs.
	if d := changedPixels(scan, stitched(pictureImages(t, cp))); d < 1500 {
		t.Errorf("the strips taken out of the copy differ from the scan in %d pixels: unmarked", d)
	}
}

// TestCopiesMarkInlinePicturesInStrips is TestCopiesMarkPicturesInStrips for a scan written as
// inline images. pdfimages misreads a copy's small inline images after the first (those in
// hexadecimal alone), so the copy's content is read instead: every strip must have been
// written again with the marks drawn into it, as RGB samples, not as the gray it was.
func TestCopiesMarkInlinePicturesInStrips(t *testing.T) {
	cp, err := pdf.Watermark(pdfWithStrips(scanPage(), 40, true), mark)
	if err != nil {
		t.Fatalf("watermark: %v", err)
	}
	var strips, marked int
	for _, m := range regexp.MustCompile(`(?s)stream\r?\n(.*?)endstream`).FindAllSubmatch(cp, -1) {
		r, err := zlib.NewReader(bytes.NewReader(m[1]))
		if err != nil {
			continue
		}
		content, err := io.ReadAll(r)
		if err != nil {
			continue
		}
		for _, d := range regexp.MustCompile(`BI ([^\n]*?) ID`).FindAllSubmatch(content, -1) {
			if bytes.Contains(d[1], []byte("/W 400")) {
				strips++
				if bytes.Contains(d[1], []byte("/CS/RGB")) {
					marked++
				}
			}
		}
	}
	if strips != 13 || marked != strips {
		t.Errorf("%d of the copy's %d inline strips (13 drawn) are marked", marked, strips)
	}
}

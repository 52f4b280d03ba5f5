package pdf_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"testing"

	"github.com/chancery/chancery/internal/ocr/ocrtest"
	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/pdf/pdftest"
)

// onePage returns a PDF of one page of 100 points square that runs content, with page and
// picture (a 2×2 grey image, /Im0; /Fm0 is an empty form) adding entries to their
// dictionaries, and an annotation when annot is not empty.
func onePage(content, page, picture, annot string) []byte {
	annots := ""
	if annot != "" {
		annots = " /Annots [7 0 R]"
	}
	return pdftest.Build(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Contents 5 0 R /Resources << /Font << /F0 6 0 R >> /XObject << /Im0 4 0 R /Fm0 8 0 R >> >>%s%s >>", annots, page),
		pdftest.Stream(fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8%s /Length 4 >>", picture), []byte{0, 255, 255, 0}),
		pdftest.Stream(fmt.Sprintf("<< /Length %d >>", len(content)), []byte(content)),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		"<< /Type /Annot /Subtype /"+annot+" /Rect [0 0 100 20] /Border [0 0 0] /A << /S /URI /URI (https://tfn.example/v/TFN-2026-000042/x) >> >>",
		pdftest.Stream("<< /Type /XObject /Subtype /Form /BBox [0 0 100 100] /Length 0 >>", nil),
	)
}

// TestPicturesOnly: a page that shows one picture and nothing else, with at most an
// invisible text layer or a link, is a scanner's; a page that draws anything over or beside
// its picture, hides a part of it (a clip, a mask, a crop box, a decode array that inverts
// it), or has no picture or two, is not, since its picture alone is not what it shows.
func TestPicturesOnly(t *testing.T) {
	const picture = "q 100 0 0 100 0 0 cm /Im0 Do Q\n"
	const layer = "BT 3 Tr /F0 4 Tf 10 10 Td (Dear Minister) Tj ET\n"
	for name, c := range map[string]struct {
		doc  []byte
		want bool
	}{
		"one picture":                      {onePage(picture, "", "", ""), true},
		"with an invisible text layer":     {onePage(picture+layer, "", "", ""), true},
		"with a link":                      {onePage(picture, "", "", "Link"), true},
		"with a crop box as its media box": {onePage(picture, " /CropBox [0 0 100 100]", "", ""), true},
		"with visible text":                {onePage(picture+"BT /F0 12 Tf 10 10 Td (877,200) Tj ET\n", "", "", ""), false},
		"with a white box":                 {onePage(picture+"1 g 10 10 20 20 re f\n", "", "", ""), false},
		"with strokes":                     {onePage(picture+"0 G 10 10 m 20 20 l S\n", "", "", ""), false},
		"with a form":                      {onePage(picture+"/Fm0 Do\n", "", "", ""), false},
		"with a graphics state":            {onePage("/GS0 gs "+picture, "", "", ""), false},
		"clipped":                          {onePage("q 10 10 50 50 re W n 100 0 0 100 0 0 cm /Im0 Do Q\n", "", "", ""), false},
		"inverted":                         {onePage(picture, "", " /Decode [1 0]", ""), false},
		"cropped":                          {onePage(picture, " /CropBox [0 0 50 50]", "", ""), false},
		"twice":                            {onePage(picture+picture, "", "", ""), false},
		"without a picture":                {onePage(layer, "", "", ""), false},
		"with a square drawn":              {onePage(picture, "", "", "Square"), false},
		"text in clipping mode":            {onePage(picture+"BT 7 Tr /F0 40 Tf 10 10 Td (X) Tj ET\n", "", "", ""), false},
	} {
		got, err := pdf.PicturesOnly(context.Background(), c.doc, 10)
		if err != nil || got != c.want {
			t.Errorf("%s: %v, %v; want %v", name, got, err, c.want)
		}
	}

	// Only the first n pages are looked at.
	page := image.NewGray(image.Rect(0, 0, 100, 100))
	for i := range page.Pix {
		page.Pix[i] = 255
	}
	pages := []image.Image{page, page}
	drawn := ocrtest.PicturesPDF(t, pages, 72, map[int]ocrtest.Over{1: {Draw: "1 g 0 0 50 50 re f\n"}})
	for n, want := range map[int]bool{1: true, 2: false} {
		if got, err := pdf.PicturesOnly(context.Background(), drawn, n); err != nil || got != want {
			t.Errorf("a second page drawn over, %d read: %v, %v; want %v", n, got, err, want)
		}
	}
}

// TestPicturesOnlyScanner: what a scanner with OCR writes (Tesseract's PDF: a picture, an
// invisible text layer) is one picture a page.
func TestPicturesOnlyScanner(t *testing.T) {
	r := ocrtest.Reader(t)
	page := image.NewGray(image.Rect(0, 0, 300, 200))
	for i := range page.Pix {
		page.Pix[i] = 255
	}
	for x := 20; x < 280; x++ {
		page.SetGray(x, 100, color.Gray{})
	}
	var scan bytes.Buffer
	if err := jpeg.Encode(&scan, page, nil); err != nil {
		t.Fatal(err)
	}
	if got, err := pdf.PicturesOnly(context.Background(), ocrtest.ScannerPDF(t, r, scan.Bytes()), 10); err != nil || !got {
		t.Errorf("a scanner's PDF: %v, %v", got, err)
	}
}

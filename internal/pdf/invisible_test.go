package pdf_test

import (
	"context"
	"image"
	"image/color"
	"testing"

	"github.com/chancery/chancery/internal/ocr/ocrtest"
	"github.com/chancery/chancery/internal/pdf"
)

// TestInvisibleText: a scanner's text layer, drawn invisibly over the pictures of the pages,
// is told from text drawn visibly: the office's own letters, and text covered by a picture
// (drawn, if hidden). A PDF without text has no invisible text layer.
func TestInvisibleText(t *testing.T) {
	page := image.NewGray(image.Rect(0, 0, 300, 400))
	for i := range page.Pix {
		page.Pix[i] = 255
	}
	page.SetGray(10, 10, color.Gray{})
	pages := []image.Image{page, page}
	const text = "The ministry pays 1,500,000 dollars to the contractor.\nSecond line of the layer.\n"
	letter, err := pdf.Render("text/plain", []byte(text), pdf.Letterhead{Office: "Task Force North", Reference: "TFN-2026-000042"})
	if err != nil {
		t.Fatal(err)
	}
	searchable := ocrtest.SearchablePDF(t, pages, 72, text)
	for name, c := range map[string]struct {
		doc  []byte
		want bool
	}{
		"a released letter":             {letter, false},
		"a scanner's searchable PDF":    {searchable, true},
		"text covered by a picture":     {ocrtest.CoveredPDF(t, pages, 72, text), false},
		"pictures without a text layer": {ocrtest.SearchablePDF(t, pages, 72, ""), false},
	} {
		got, err := pdf.InvisibleText(context.Background(), c.doc)
		if err != nil || got != c.want {
			t.Errorf("%s: %v, %v; want %v", name, got, err, c.want)
		}
	}
	if _, err := pdf.InvisibleText(context.Background(), []byte("%PDF-1.4 not a PDF")); err == nil {
		t.Error("a broken PDF: no error")
	}
}

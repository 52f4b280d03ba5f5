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
		// One read answers both questions, as the two reads do.
		l, err := pdf.ReadTextLayer(context.Background(), c.doc)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		text, errText := l.Text()
		want, errWant := pdf.TextContext(context.Background(), c.doc)
		if text != want || errText != nil || errWant != nil {
			t.Errorf("%s: the layer's text %.40q, %v; want %.40q, %v", name, text, errText, want, errWant)
		}
		if got, err := l.Invisible(); err != nil || got != c.want {
			t.Errorf("%s: the layer: %v, %v; want %v", name, got, err, c.want)
		}
	}
	if _, err := pdf.ReadTextLayer(context.Background(), []byte("%PDF-1.4 not a PDF")); err == nil {
		t.Error("a broken PDF: no error reading its layer")
	}
	if _, err := pdf.InvisibleText(context.Background(), []byte("%PDF-1.4 not a PDF")); err == nil {
		t.Error("a broken PDF: no error")
	}
}

// TestTextLayerInterpretsOnce (found by audit, forty-first session): the public
// identification of a PDF read its text, then read the whole document again and
// interpreted every page's content again to tell whether that text is drawn invisibly;
// the content is the most a read interprets (a page drawing a form 4 million times cost
// each interpretation some 0.6 s and 144 MB). One TextLayer now answers both: its text and
// rendering modes are read in one interpretation of each page, so Invisible after Text
// interprets nothing again.
func TestTextLayerInterpretsOnce(t *testing.T) {
	page := formPage(200_000)
	l, err := pdf.ReadTextLayer(context.Background(), page)
	if err != nil {
		t.Fatal(err)
	}
	var text string
	textCost := allocated(func() { text, err = l.Text() })
	if err != nil || text != "Dear Minister" {
		t.Fatalf("text %q, %v", text, err)
	}
	var hidden bool
	cost := allocated(func() { hidden, err = l.Invisible() })
	if err != nil || hidden {
		t.Fatalf("invisible: %v, %v", hidden, err)
	}
	// Before: as much as the text (some 7 MiB here); now nothing the content costs.
	if cost > 64<<10 {
		t.Errorf("Invisible after Text allocated %d KiB (Text %d KiB): the content was interpreted again", cost>>10, textCost>>10)
	}
	// Without Text first, Invisible reads the pages' rendering modes itself.
	l, err = pdf.ReadTextLayer(context.Background(), page)
	if err != nil {
		t.Fatal(err)
	}
	if hidden, err := l.Invisible(); err != nil || hidden {
		t.Errorf("invisible without the text first: %v, %v", hidden, err)
	}
}

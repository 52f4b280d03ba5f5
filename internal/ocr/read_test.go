package ocr_test

import (
	"bytes"
	"context"
	"errors"
	"image/png"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/image/tiff"

	"github.com/chancery/chancery/internal/ocr"
	"github.com/chancery/chancery/internal/ocr/ocrtest"
	"github.com/chancery/chancery/internal/pdf"
)

// TestRead reads a printed letter with Tesseract, as a PNG, a TIFF, a scanned JPEG and a
// PDF whose page is rasterised first; VisibleText reads the PDF's own text with pdftotext.
func TestRead(t *testing.T) {
	r := ocrtest.Reader(t)
	if !strings.Contains(r.Languages(), "eng") {
		t.Errorf("languages %q", r.Languages())
	}
	const body = "Dear Minister,\n\nI should be grateful if you would confirm the convention of 277,200 francs for the 14th Battalion.\n"
	doc, err := pdf.Render("text/plain", []byte(body), pdf.Letterhead{Office: "Task Force North", Reference: "TFN-2026-000042"})
	if err != nil {
		t.Fatal(err)
	}
	page := ocrtest.Pages(t, doc, 200)[0]
	var asPNG, asTIFF bytes.Buffer
	if err := png.Encode(&asPNG, page); err != nil {
		t.Fatal(err)
	}
	if err := tiff.Encode(&asTIFF, page, nil); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"png": asPNG.Bytes(), "tiff": asTIFF.Bytes(), "jpeg scan": ocrtest.Scan(t, page, 0.5, 1), "pdf": doc} {
		got, err := r.Read(context.Background(), data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		text := got.Text
		if got.Codes != nil || got.CodesUnread != (name == "tiff") {
			t.Errorf("%s: codes %q, unread %v; want none, unread for a TIFF alone", name, got.Codes, got.CodesUnread)
		}
		for _, want := range []string{"Minister", "277,200", "Battalion", "TFN-2026-000042"} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: %q not read in %q", name, want, text)
			}
		}
	}
	visible, err := ocr.VisibleText(context.Background(), doc)
	if err != nil || !strings.Contains(visible, "277,200 francs") || !strings.Contains(visible, "Task Force North") {
		t.Errorf("VisibleText: %q, %v", visible, err)
	}
}

// TestReadPages reads what a PDF's pages show, not its text layer: the picture of a letter
// under invisible words that say something else reads as the letter. A file that is not a
// PDF is refused.
func TestReadPages(t *testing.T) {
	r := ocrtest.Reader(t)
	const body = "Dear Minister,\n\nI should be grateful if you would confirm the convention of 277,200 francs for the 14th Battalion.\n"
	doc, err := pdf.Render("text/plain", []byte(body), pdf.Letterhead{Office: "Task Force North", Reference: "TFN-2026-000042"})
	if err != nil {
		t.Fatal(err)
	}
	pages := ocrtest.Pages(t, doc, 150)
	hidden := ocrtest.SearchablePDF(t, pages, 150, "Dear Minister, the convention is of 999,999 dollars for the 15th Battalion.\n")
	got, err := r.ReadPages(context.Background(), hidden)
	if err != nil {
		t.Fatal(err)
	}
	if text := got.Text; !strings.Contains(text, "277,200") || strings.Contains(text, "999,999") {
		t.Errorf("ReadPages read %q", text)
	}
	var asPNG bytes.Buffer
	if err := png.Encode(&asPNG, pages[0]); err != nil {
		t.Fatal(err)
	}
	if _, err := r.ReadPages(context.Background(), asPNG.Bytes()); !errors.Is(err, ocr.ErrOCR) {
		t.Errorf("a PNG: %v", err)
	}
}

// TestReadCodes: the QR code of a released letter's footer is read as what it encodes, from a
// scan of a printed page and from the PDF's pages rendered, and its pattern is not read as
// words; VisibleCodes reads it from the PDF without Tesseract.
func TestReadCodes(t *testing.T) {
	r := ocrtest.Reader(t)
	const url = "https://tfn.example/v/TFN-2026-000042/a5asuk52nm7heyooavjpd6nzgi"
	const body = "Dear Minister,\n\nI should be grateful if you would confirm the convention of 277,200 francs for the 14th Battalion.\n"
	doc, err := pdf.Render("text/plain", []byte(body), pdf.Letterhead{Office: "Task Force North", Reference: "TFN-2026-000042"})
	if err != nil {
		t.Fatal(err)
	}
	doc, err = pdf.Stamp(doc, pdf.Footer{Office: "Task Force North", Reference: "TFN-2026-000042", Released: time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC), VerifyURL: url})
	if err != nil {
		t.Fatal(err)
	}
	scanned := ocrtest.Read(t, r, doc, 0.5, 3)
	pages, err := r.ReadPages(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	visible, err := ocr.VisibleCodes(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	for name, got := range map[string]ocr.Reading{"scan": scanned, "pages": pages, "VisibleCodes": {Text: "277,200", Codes: visible}} {
		if !slices.Equal(got.Codes, []string{url}) || got.CodesUnread {
			t.Errorf("%s: codes %q, unread %v; want the footer's", name, got.Codes, got.CodesUnread)
		}
		if !strings.Contains(got.Text, "277,200") {
			t.Errorf("%s: text %q", name, got.Text)
		}
	}
}

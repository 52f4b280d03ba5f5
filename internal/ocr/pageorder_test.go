package ocr_test

import (
	"context"
	"fmt"
	"image"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/ocr"
	"github.com/chancery/chancery/internal/ocr/ocrtest"
	"github.com/chancery/chancery/internal/pdf"
)

// markedPages returns the pages, at dpi, of n one-page letters, the i-th saying marks[i].
func markedPages(t testing.TB, marks []string, dpi int) []image.Image {
	var pages []image.Image
	for _, m := range marks {
		body := "Dear Minister,\n\nThe convoy leaves on " + m + " with the supplies of the 14th Battalion.\n"
		doc, err := pdf.Render("text/plain", []byte(body), pdf.Letterhead{Office: "Task Force North", Reference: "TFN-2026-000042"})
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, ocrtest.Pages(t, doc, dpi)[0])
	}
	return pages
}

// TestReadPagesInOrder: the pages of a PDF, read by one Tesseract, come back each with its
// own text, in the order of the PDF, a blank page as an empty one: a scanner's PDF (its
// pictures read) and the same pages rendered (ReadPages).
func TestReadPagesInOrder(t *testing.T) {
	r := ocrtest.Reader(t)
	marks := []string{"Monday", "Thursday", "Saturday"}
	pages := markedPages(t, marks, 150)
	pages = append(pages[:2:2], blankPage(), pages[2])
	doc := ocrtest.PicturesPDF(t, pages, 150, nil)
	for name, read := range map[string]func(context.Context, []byte) (ocr.Reading, error){"Read": r.Read, "ReadPages": r.ReadPages} {
		got, err := read(context.Background(), doc)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		texts := strings.Split(got.Text, "\f")
		if len(texts) != 4 {
			t.Fatalf("%s: %d pages read, want 4: %q", name, len(texts), got.Text)
		}
		want := []string{marks[0], marks[1], "", marks[2]}
		for i, text := range texts {
			for j, m := range marks {
				if has := strings.Contains(text, m); has != (want[i] == m) {
					t.Errorf("%s: page %d has %q: %v, want %v: %q", name, i+1, marks[j], has, !has, text)
				}
			}
			if want[i] == "" && text != "" {
				t.Errorf("%s: the blank page %d read %q", name, i+1, text)
			}
		}
	}
}

// BenchmarkReadPages reads a scanner's PDF of 1, 3 and 10 pages of a short letter at 150 dpi.
func BenchmarkReadPages(b *testing.B) {
	r := ocrtest.Reader(b)
	page := markedPages(b, []string{"Monday"}, 150)[0]
	for _, n := range []int{1, 3, 10} {
		pages := make([]image.Image, n)
		for i := range pages {
			pages[i] = page
		}
		doc := ocrtest.PicturesPDF(b, pages, 150, nil)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				if _, err := r.Read(context.Background(), doc); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

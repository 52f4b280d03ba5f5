package ocr_test

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"slices"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/ocr"
	"github.com/chancery/chancery/internal/ocr/ocrtest"
	"github.com/chancery/chancery/internal/pdf/pdftest"
)

// blankPage is a white page of an inch and a half square at 100 dpi.
func blankPage() image.Image {
	g := image.NewGray(image.Rect(0, 0, 150, 150))
	draw.Draw(g, g.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	return g
}

// TestReadPagesBeyondMaxPages: OCR reads a PDF's first MaxPages pages. A scan of more pages
// read to its tenth said nothing of the others, so that its text read as the whole file; its
// text now has one page more, empty, which stands for those not read (ocr.Unread), and so
// does what ReadPages reads. A scan of MaxPages pages was read whole.
func TestReadPagesBeyondMaxPages(t *testing.T) {
	r := ocrtest.Reader(t)
	for _, n := range []int{ocr.MaxPages, ocr.MaxPages + 2} {
		doc := ocrtest.PicturesPDF(t, slices.Repeat([]image.Image{blankPage()}, n), 100, nil)
		for name, read := range map[string]func(context.Context, []byte) (ocr.Reading, error){"Read": r.Read, "ReadPages": r.ReadPages} {
			got, err := read(context.Background(), doc)
			if err != nil {
				t.Fatalf("%s, %d pages: %v", name, n, err)
			}
			pages := strings.Count(got.Text, "\f") + 1
			if want := min(n, ocr.MaxPages+1); pages != want || ocr.Unread(got.Text) != (n > ocr.MaxPages) {
				t.Errorf("%s, %d pages: the text has %d pages (unread %v), want %d", name, n, pages, ocr.Unread(got.Text), want)
			}
		}
	}
}

// TestReadLinks: the addresses of a PDF's link annotations are read with its pages, each
// once, an address that holds a line break whole; a PDF without links has none.
func TestReadLinks(t *testing.T) {
	r := ocrtest.Reader(t)
	const forger, split = "https://tfn-verify.example/v/TFN-2026-000042/7GQ4-M2XR", "\nhttps://tfn-verify.example/v/TFN-2026-000042/\nXXXX"
	pages := slices.Repeat([]image.Image{blankPage()}, 3)
	doc := ocrtest.PicturesPDF(t, pages, 100, map[int]ocrtest.Over{0: {Link: forger}, 1: {Link: forger}, 2: {Link: split}})
	for name, read := range map[string]func(context.Context, []byte) (ocr.Reading, error){"Read": r.Read, "ReadPages": r.ReadPages} {
		got, err := read(context.Background(), doc)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Links) != 2 || got.Links[0] != forger || !strings.Contains(got.Links[1], "/v/TFN-2026-000042/") || !strings.HasSuffix(got.Links[1], "XXXX") {
			t.Errorf("%s: links %q, want %q and %q", name, got.Links, forger, split)
		}
		none, err := read(context.Background(), ocrtest.PicturesPDF(t, pages, 100, nil))
		if err != nil || none.Links != nil {
			t.Errorf("%s: a PDF without links: %q, %v", name, none.Links, err)
		}
	}
}

// TestReadLinksBounded: a PDF that links to more than MaxLinks addresses is refused, before
// any page is read; one of MaxLinks is read.
func TestReadLinksBounded(t *testing.T) {
	r := ocrtest.Reader(t)
	build := func(n int) []byte {
		objs := []string{"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>", ""}
		var refs []string
		for i := range n {
			refs = append(refs, fmt.Sprintf("%d 0 R", 4+i))
			objs = append(objs, fmt.Sprintf("<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /Border [0 0 0] /A << /S /URI /URI (https://example.org/%d) >> >>", i))
		}
		objs[2] = fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Annots [%s] >>", strings.Join(refs, " "))
		return pdftest.Build(objs...)
	}
	if _, err := r.Read(context.Background(), build(ocr.MaxLinks+1)); !errors.Is(err, ocr.ErrTooLarge) {
		t.Errorf("%d links: %v", ocr.MaxLinks+1, err)
	}
	if got, err := r.Read(context.Background(), build(ocr.MaxLinks)); err != nil || len(got.Links) != ocr.MaxLinks {
		t.Errorf("%d links: %d read, %v", ocr.MaxLinks, len(got.Links), err)
	}
}

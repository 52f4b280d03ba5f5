package registry

import (
	"context"
	"image"
	"image/color"
	"image/draw"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/identify/synth"
	"github.com/chancery/chancery/internal/ocr"
	"github.com/chancery/chancery/internal/ocr/ocrtest"
	"github.com/chancery/chancery/internal/pdf"
)

// TestIdentifyScanPagesBeyondTheRead: OCR reads a PDF's first ocr.MaxPages pages. A scan (a
// PDF of pictures, without a text layer) of the genuine letter, blank pages, then an
// eleventh page that shows the letter with a figure changed was read to its tenth page and
// answered the letter itself, from a scan (security 267 closed this for a PDF with a text
// layer). It is a part of the letter shown, and the answer says that its other pages were
// not read; the same pages without the eleventh are still the letter.
func TestIdentifyScanPagesBeyondTheRead(t *testing.T) {
	t.Parallel() // as TestIdentifyScan
	reader := ocrtest.Reader(t)
	ctx := context.Background()
	o := newOffice(t)
	o.fixedCheckCodes()
	body := synth.Corpus{Seed: 38, FamilySize: 1}.Letter(0).Text() + "\n\nThe ministry pays 277,200 to the contractor.\n"
	ref, rel := o.released(t, body)
	forged, err := pdf.Render("text/plain", []byte(strings.Replace(body, "277,200", "877,200", 1)), pdf.Letterhead{Office: "Task Force North", Reference: ref})
	if err != nil {
		t.Fatal(err)
	}
	pages := ocrtest.Pages(t, rel.File, 150)
	b := pages[0].Bounds()
	blank := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(blank, blank.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	for len(pages) < ocr.MaxPages {
		pages = append(pages, blank)
	}
	for _, extra := range [][]image.Image{nil, ocrtest.Pages(t, forged, 150)[:1]} {
		scan, err := reader.Read(ctx, ocrtest.PicturesPDF(t, append(pages[:ocr.MaxPages:ocr.MaxPages], extra...), 150, nil))
		if err != nil {
			t.Fatal(err)
		}
		got, err := o.r.IdentifyScan(ctx, Actor{}, scan)
		if err != nil {
			t.Fatal(err)
		}
		if extra == nil {
			if got.Outcome != Valid || got.Reference != ref || got.Match != MatchScan || strings.Contains(got.Message, "not read") {
				t.Errorf("a scan of %d pages, all read: %s %s (%s): %s", ocr.MaxPages, got.Outcome, got.Reference, got.Match, got.Message)
			}
			continue
		}
		if got.Reference != ref || got.Match != "excerpt" || !strings.Contains(got.Message, "other pages were not read") {
			t.Errorf("a scan of %d pages, %d read: %s %s (%s): %s", ocr.MaxPages+1, ocr.MaxPages, got.Outcome, got.Reference, got.Match, got.Message)
		}
	}
}

package registry

import (
	"context"
	"testing"

	"github.com/chancery/chancery/internal/identify/synth"
	"github.com/chancery/chancery/internal/ocr/ocrtest"
)

// TestIdentifyScanDraftMark: a draft copy printed and scanned after its letter was released
// (Tesseract reading its pages, turned half a degree) is, to the public, a scan close to the
// letter; the answer now says that it carries the office's DRAFT mark, for a copy stamped in
// English and for one stamped in English, French and Arabic. The released letter scanned
// the same way is told nothing of it.
func TestIdentifyScanDraftMark(t *testing.T) {
	t.Parallel()
	reader := ocrtest.Reader(t)
	ctx := context.Background()
	for _, langs := range [][]string{nil, {"en", "fr", "ar"}} {
		o := newOffice(t)
		o.r.cfg.Office.StampLanguages = langs
		ref := o.letter(t, synth.Corpus{Seed: 24, FamilySize: 1}.Letter(0).Text())
		c, err := o.r.ExportDraft(ctx, o.drafter, ref, "Embassy liaison")
		if err != nil {
			t.Fatal(err)
		}
		rel := o.approvedAndReleased(t, ref)
		for name, doc := range map[string][]byte{"the draft copy": c.Data, "the released letter": rel.File} {
			scan := ocrtest.Read(t, reader, doc, 0.5, 1)
			id, err := o.r.IdentifyScan(ctx, Actor{}, scan)
			if err != nil {
				t.Fatal(err)
			}
			if want := name == "the draft copy"; told(t, id) != want {
				t.Errorf("stamped in %v, %s scanned: %s; want the DRAFT mark told: %v\nscan: %q", langs, name, marshal(t, id), want, scan.Text)
			}
		}
	}
}

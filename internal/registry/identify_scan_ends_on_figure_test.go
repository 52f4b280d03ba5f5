package registry

import (
	"context"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/identify/synth"
	"github.com/chancery/chancery/internal/ocr"
)

// TestIdentifyScanEndingOnAFigure: a scan of the first part of a letter that ends a sentence
// on a figure ("by 31 December 2026."), before a paragraph that begins with its number
// ("2."), or of the part from that paragraph on, is a part of the letter: it was altered,
// the year and the number read as the groups of one figure the scan cut.
func TestIdentifyScanEndingOnAFigure(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	words := strings.Fields(synth.Corpus{Seed: 37, FamilySize: 1}.Letter(0).Text())
	cut := len(words) / 2
	head := strings.Join(words[:cut], " ") + "\n\n1. The works end by 31 December 2026."
	tail := "2. The contractor will move 277 trucks before the end of the month.\n\n" + strings.Join(words[cut:], " ")
	ref, _ := o.released(t, head+"\n\n"+tail+"\n")
	for _, scan := range []string{head, tail} {
		for _, who := range []Actor{{}, o.reviewer} {
			got, err := o.r.IdentifyScan(ctx, who, ocr.Reading{Text: scan})
			if err != nil {
				t.Fatal(err)
			}
			if got.Outcome != Valid || got.Reference != ref {
				t.Errorf("a scan of %.30q (member %v): %s %s %s: %s; want valid %s", scan, who.Member != nil, got.Outcome, got.Match, got.Reference, got.Message, ref)
			}
		}
	}
}

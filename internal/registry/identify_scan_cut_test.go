package registry

import (
	"context"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/identify/synth"
	"github.com/chancery/chancery/internal/ocr"
)

// TestIdentifyScanCutInsideAFigure: a scan of the first part of a letter is a part of it,
// but not one cropped inside a figure whose groups of digits are separated by spaces: a
// photo of the letter cut after "The ministry will pay 1" (of "1 500 000 euros") was
// answered valid, a part of the letter.
func TestIdentifyScanCutInsideAFigure(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	words := strings.Fields(synth.Corpus{Seed: 31, FamilySize: 1}.Letter(0).Text())
	cut := len(words) / 2
	head := strings.Join(words[:cut], " ")
	letter := head + "\n\nThe ministry will pay 1 500 000 euros to the carrier before the end of the month.\n\n" + strings.Join(words[cut:], " ") + "\n"
	ref, _ := o.released(t, letter)

	got, err := o.r.IdentifyScan(ctx, Actor{}, ocr.Reading{Text: head + "\n\nThe ministry will pay"})
	if err != nil || got.Outcome != Valid || got.Reference != ref {
		t.Fatalf("a scan of the first part: %+v, %v; want valid %s", got, err, ref)
	}
	for _, who := range []Actor{{}, o.reviewer} {
		got, err := o.r.IdentifyScan(ctx, who, ocr.Reading{Text: head + "\n\nThe ministry will pay 1"})
		if err != nil {
			t.Fatal(err)
		}
		if got.Outcome != Altered || got.Reference != ref {
			t.Errorf("cropped inside the figure (member %v): %s %s %s: %s; want altered %s", who.Member != nil, got.Outcome, got.Match, got.Reference, got.Message, ref)
		}
	}
}

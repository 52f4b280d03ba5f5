package registry

import (
	"context"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/identify/synth"
	"github.com/chancery/chancery/internal/ocr"
)

// TestIdentifyScanNegationAdded: the text read from a scan of a forged copy that adds "no" to
// a sentence of the letter ("has no objections") is an altered copy. A word of two letters
// added was taken for a speck read as letters, and the forged scan answered valid.
func TestIdentifyScanNegationAdded(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	letter := synth.Corpus{Seed: 31, FamilySize: 1}.Letter(0).Text() +
		"\n\nThe ministry has objections to the transfer of the northern depot and will reply in writing.\n"
	ref, _ := o.released(t, letter)
	if got, err := o.r.IdentifyScan(ctx, Actor{}, ocr.Reading{Text: letter}); err != nil || got.Outcome != Valid || got.Reference != ref {
		t.Fatalf("the letter read from a scan: %+v, %v; want valid %s", got, err, ref)
	}
	forged := strings.Replace(letter, "has objections", "has no objections", 1)
	for _, who := range []Actor{{}, o.reviewer} {
		got, err := o.r.IdentifyScan(ctx, who, ocr.Reading{Text: forged})
		if err != nil {
			t.Fatal(err)
		}
		if got.Outcome != Altered || got.Reference != ref {
			t.Errorf("member %v: %s %s (%s): %s; want altered %s", who.Member != nil, got.Outcome, got.Reference, got.Match, got.Message, ref)
		}
	}
}

package registry

import (
	"context"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/identify/synth"
)

// TestIdentifyQuotationEndingOnAFigure: a quotation that honestly ends on one of the
// letter's figures, a sentence ending "by 31 December 2026.", where the letter's next
// paragraph begins with its number, or that begins with that numbered paragraph, is an
// excerpt of the letter (it was altered: the year and the paragraph's number were read as
// the groups of one figure the quotation cut).
func TestIdentifyQuotationEndingOnAFigure(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	corpus := synth.Corpus{Seed: 29, FamilySize: 1}
	words := strings.Fields(corpus.Letter(0).Text() + "\n\n" + corpus.Letter(1).Text())
	cut := len(words) / 2
	const first, second = "1. The works end by 31 December 2026.", "2. The contractor will move 277 trucks on Monday."
	letter := strings.Join(words[:cut], " ") + "\n\n" + first + "\n\n" + second + "\n\n" + strings.Join(words[cut:], " ") + "\n"
	ref, _ := o.released(t, letter)
	before, after := strings.Join(words[cut-30:cut], " "), strings.Join(words[cut:cut+30], " ")
	for _, quote := range []string{before + "\n\n" + first, second + "\n\n" + after} {
		for _, who := range []Actor{{}, o.reviewer} {
			got, err := o.r.Identify(ctx, who, quote)
			if err != nil {
				t.Fatal(err)
			}
			if got.Outcome != Valid || got.Match != "excerpt" || got.Reference != ref {
				t.Errorf("%q (member %v): %s %s %s: %s; want valid excerpt %s", quote[len(quote)-40:], who.Member != nil, got.Outcome, got.Match, got.Reference, got.Message, ref)
			}
		}
	}
}

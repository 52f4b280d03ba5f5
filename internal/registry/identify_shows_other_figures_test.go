package registry

import (
	"context"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/identify/synth"
)

// TestIdentifyTextThatShowsOtherFigures: a pasted text whose characters are a released
// letter's words and signs but which shows other figures or words is not the letter. A
// bidirectional control reorders what a reader sees without changing the characters' order
// (an override shows "12" as "21", a right-to-left mark before "4512 7830" shows
// "7830 4512", as fribidi lays them out); an invisible character between two letters shows
// them as one word ("re\u2060sign" reads "resign", not "re-sign"); a minus drawn with a
// character other than "-" (U+02D7, U+FE58) is still a minus to the reader; and an Arabic
// letter's percent sign and decimal and thousands separators (U+066A, U+066B, U+066C) tell
// what its figures say as "%", "." and "," do; nor is a symbol of another class or a
// quotation mark beside a figure drawn as a sign ("➕15%", "─15%", "˃12", "‹12"), nor a
// single low quotation mark inside a figure, which draws as a comma ("1\u201a2"), nor a minus
// at a line's end before a figure on the next, nor a punctuation mark between two digits
// ("2·500" for "2 500"), nor a decimal point or comma before a figure (".15%"), nor a
// punctuation mark drawn as a plus or a minus ("†15%", "⁃15%"). Each was
// answered valid, with the holder's status.
func TestIdentifyTextThatShowsOtherFigures(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	letter := synth.Corpus{Seed: 29, FamilySize: 1}.Letter(0).Text() +
		"\n\nThe convoy of 12 ships sails on 15 March, and the budget grows by 15% this year.\n\n" +
		"The convoy meets at grid 4512 7830, and the minister will re-sign the treaty.\n\n" +
		"وتبلغ الزيادة ١٥٪ من الميزانية، أي ما قيمته ٢٫٥٠٠ مليون دينار.\n\n" +
		"Le convoi transporte 2 500 tonnes de vivres.\n"
	ref, _ := o.released(t, letter)

	if got, err := o.r.Identify(ctx, Actor{}, letter); err != nil || got.Outcome != Valid || got.Reference != ref {
		t.Fatalf("the letter: %+v, %v; want valid %s", got, err, ref)
	}
	for _, c := range []struct{ name, from, to string }{
		{"a right-to-left override shows 12 as 21", "of 12 ships", "of \u202e12\u202c ships"},
		{"a right-to-left mark swaps two figures (grid 7830 4512)", "grid 4512", "grid \u200f4512"},
		{"a word joiner shows re-sign as resign", "re-sign", "re\u2060sign"},
		{"a modifier minus before the figure", "by 15%", "by \u02d715%"},
		{"a small em dash before the figure", "by 15%", "by \ufe5815%"},
		{"a heavy plus sign before the figure", "by 15%", "by \u279515%"},
		{"a box-drawing line before the figure", "by 15%", "by \u250015%"},
		{"a modifier letter arrowhead before the figure", "of 12 ships", "of \u02c312 ships"},
		{"an angle quotation mark before the figure", "of 12 ships", "of \u203912 ships"},
		{"a low quotation mark drawn as a decimal comma", "of 12 ships", "of 1\u201a2 ships"},
		{"a minus sign apart from the figure", "by 15%", "by \u2212 15%"},
		{"a minus sign at a line's end before the figure", "by 15%", "by \u2212\n15%"},
		{"a middle dot, a decimal point, for the space of a figure", "2 500 tonnes", "2\u00b7500 tonnes"},
		{"an ideographic comma for the space of a figure", "2 500 tonnes", "2\u3001500 tonnes"},
		{"a decimal point before the figure", "by 15%", "by .15%"},
		{"a decimal comma before the figure", "by 15%", "by ,15%"},
		{"a hyphen bullet drawn as a minus", "by 15%", "by \u204315%"},
		{"a dagger drawn as a plus", "by 15%", "by \u202015%"},
		{"the Arabic percent sign dropped", "١٥٪", "١٥"},
		{"Arabic thousands for the decimal separator", "٢٫٥٠٠", "٢٬٥٠٠"},
	} {
		forged := strings.Replace(letter, c.from, c.to, 1)
		if forged == letter {
			t.Fatalf("%s: %q is not in the letter", c.name, c.from)
		}
		for _, who := range []Actor{{}, o.reviewer} {
			got, err := o.r.Identify(ctx, who, forged)
			if err != nil {
				t.Fatal(err)
			}
			if got.Outcome != Altered || got.Reference != ref {
				t.Errorf("%s (member %v): %s %s %s: %s; want altered %s", c.name, who.Member != nil, got.Outcome, got.Match, got.Reference, got.Message, ref)
			}
		}
	}
}

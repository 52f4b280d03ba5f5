package registry

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/identify/synth"
	"github.com/chancery/chancery/internal/ocr"
	"github.com/chancery/chancery/internal/textdiff"
)

// secretSentence is a sentence of a letter that the askers of these tests do not hold.
const secretSentence = "The ambassador of Freedonia will be declared persona non grata."

// guessLetter returns a letter with secretSentence as a paragraph of its middle, and at least
// side words before and after it, and these words. With side 100, the letter is short enough
// for textdiff.Words to align a paragraph of it with the whole letter; with side 180, long
// enough for a paragraph of 60 words to be an excerpt of it, not a near copy.
func guessLetter(t testing.TB, seed uint64, side int) (letter string, before, after []string) {
	t.Helper()
	var pre, post []string
	for _, p := range (synth.Corpus{Seed: seed, FamilySize: 1}).Letter(0).Paragraphs {
		switch {
		case len(before) < side:
			pre, before = append(pre, p), append(before, strings.Fields(p)...)
		case len(after) < side:
			post, after = append(post, p), append(after, strings.Fields(p)...)
		}
	}
	if len(after) < side {
		t.Fatalf("the synthetic letter does not fit: %d and %d words around the secret", len(before), len(after))
	}
	return strings.Join(pre, "\n\n") + "\n\n" + secretSentence + "\n\n" + strings.Join(post, "\n\n"), before, after
}

// guesses are texts of 60 words of the letter of guessLetter, none of secretSentence, with a
// guess at a word of secretSentence that the letter holds; the wrong guess is the same text
// with "Sylvania" for "Freedonia".
func guesses(before, after []string) []struct{ name, right string } {
	return []struct{ name, right string }{
		{"a guess after the paragraph just before the secret", strings.Join(before[len(before)-60:], " ") + "\n\nambassador of Freedonia"},
		{"a guess before the paragraph just after the secret", "of Freedonia\n\n" + strings.Join(after[:60], " ")},
		{"a guess far from the paragraph", strings.Join(before[:60], " ") + "\n\nambassador of Freedonia"},
		{"common words bridging to the guess", strings.Join(before[len(before)-60:], " ") + " the the of Freedonia"},
	}
}

func wrongGuess(s string) string { return strings.ReplaceAll(s, "Freedonia", "Sylvania") }

// publicOf is the public's difference from letter to text, compared with the whole letter.
func publicOf(letter, text string) []DiffOp {
	return redactDeletions(publicTextDiff(diffOps(letter, text, true), true))
}

// TestPublicDiffGuessOutsideQuotation: a text that quotes a part of a letter and adds a guess
// at its other words gets the same public difference whether the guess is right or wrong,
// compared with the whole letter or with the span of it that the text places, and the
// difference never shows the letter's word the guess names.
func TestPublicDiffGuessOutsideQuotation(t *testing.T) {
	letter, before, after := guessLetter(t, 31, 100)
	for _, c := range guesses(before, after) {
		for _, cmp := range []struct {
			name string
			diff func(text string) []DiffOp
		}{
			{"with the letter", func(text string) []DiffOp { return publicOf(letter, text) }},
			{"with its span", func(text string) []DiffOp {
				return redactDeletions(publicTextDiff(diffOps(textdiff.Span(letter, text), text, true), false))
			}},
		} {
			right, wrong := cmp.diff(c.right), cmp.diff(wrongGuess(c.right))
			if !slices.ContainsFunc(right, func(op DiffOp) bool { return op.Op == "equal" }) {
				t.Fatalf("%s, %s: no part of the letter compared: %q", c.name, cmp.name, right)
			}
			if got := wrongGuess(fmt.Sprint(right)); got != fmt.Sprint(wrong) {
				t.Errorf("%s, %s: the right guess shows\n%s\nthe wrong one\n%s", c.name, cmp.name, got, fmt.Sprint(wrong))
			}
			for _, op := range right {
				if op.Op == "equal" && strings.Contains(op.Text, "Freedonia") {
					t.Errorf("%s, %s: the guess is shown kept: %q", c.name, cmp.name, right)
				}
			}
		}
	}
}

// TestPublicDiffShowsChangesInQuotation: a word changed inside a quotation, and a short line
// dropped from it, are still shown where they are.
func TestPublicDiffShowsChangesInQuotation(t *testing.T) {
	letter, before, _ := guessLetter(t, 33, 100)
	quote := slices.Clone(before[20:80])
	changed := quote[30]
	quote[30] = "mkrchanged"
	text := strings.Join(quote[:45], " ") + " " + strings.Join(quote[52:], " ") // 7 words dropped
	got := publicOf(letter, text)
	want := []DiffOp{
		{"delete", "[1 word of the letter not in this text] "},
		{"insert", "mkrchanged"},
		{"delete", "[7 words of the letter not in this text] "},
	}
	var changes []DiffOp
	for _, op := range got[1 : len(got)-1] { // the part, without the counts around it
		if op.Op != "equal" && strings.TrimSpace(op.Text) != "" { // not a line break retyped as a space
			changes = append(changes, op)
		}
	}
	if !reflect.DeepEqual(changes, want) {
		t.Errorf("the changes inside the quotation (%q replaced): %q, want %q; diff %q", changed, changes, want, got)
	}
}

// TestPublicDiffCounts: outside the quoted part, the letter's words are one count before and
// one after, which add up with the part's to the letter's words, and the text's words are its
// own, as added.
func TestPublicDiffCounts(t *testing.T) {
	letter, before, _ := guessLetter(t, 35, 100)
	total := len(strings.Fields(letter))
	para := strings.Join(before[40:100], " ")
	text := "Preamble of mine.\n\n" + para + "\n\nambassador of Freedonia"
	got := publicOf(letter, text)
	count := func(op DiffOp) int {
		var n int
		if _, err := fmt.Sscanf(op.Text, "[%d word", &n); err != nil {
			t.Fatalf("%q is no count: %v", op.Text, err)
		}
		return n
	}
	n := len(got)
	if n < 5 || got[0].Op != "delete" || got[1].Op != "insert" || got[n-2].Op != "insert" || got[n-1].Op != "delete" {
		t.Fatalf("the difference %q, want a count, the text's words, the part, the text's words, a count", got)
	}
	if _, text := sides(got[1 : n-1]); text != "Preamble of mine.\n\n"+para+"\n\nambassador of Freedonia" {
		t.Errorf("the text's words are not all shown, in order: %q", got)
	}
	if !strings.Contains(got[1].Text, "Preamble") || strings.Contains(got[1].Text, para[:20]) || strings.TrimSpace(got[n-2].Text) != "ambassador of Freedonia" {
		t.Errorf("the text's words outside the part: %q and %q", got[1].Text, got[n-2].Text)
	}
	if c := count(got[0]); c != 40 {
		t.Errorf("%d words counted before the part, want 40", c)
	}
	if c := count(got[n-1]); c != total-100 {
		t.Errorf("%d words counted after the part, want %d (%d in the letter, 100 in and before the part)", c, total-100, total)
	}
}

// TestPublicDiffOnlyForThePublic: a member's difference still shows every word of the letter
// that the text keeps, the guess included.
func TestPublicDiffOnlyForThePublic(t *testing.T) {
	letter, before, _ := guessLetter(t, 31, 100)
	text := strings.Join(before[len(before)-60:], " ") + "\n\nambassador of Freedonia"
	var want []DiffOp
	for _, op := range textdiff.Words(letter, text) {
		want = append(want, DiffOp{Op: op.Kind.String(), Text: op.Text})
	}
	if got := diffOps(letter, text, true); !reflect.DeepEqual(got, want) {
		t.Errorf("the member's difference %q, want %q", got, want)
	}
	if got := fmt.Sprint(diffOps(letter, text, false)); strings.Contains(got, "{equal ambassador of Freedonia}") {
		t.Errorf("the public's difference shows the guess kept: %s", got)
	}
}

// TestPublicDiffScan: a public scan's difference, whose runs kept are counts, shows the scan's
// words outside the quoted part as one count whether the letter holds them or not.
func TestPublicDiffScan(t *testing.T) {
	kept := func(n int) DiffOp { return DiffOp{"equal", fmt.Sprintf("[%d words as in the letter] ", n)} }
	right := []DiffOp{kept(60), {"delete", "The "}, kept(3), {"delete", "will be declared "}}
	wrong := []DiffOp{kept(60), {"delete", "The "}, kept(2), {"delete", "Freedonia will be declared "}, {"insert", "Sylvania "}}
	want := []DiffOp{kept(60), {"insert", "[3 words of this text] "}}
	for name, ops := range map[string][]DiffOp{"right": right, "wrong": wrong} {
		if got := redactDeletions(publicScanDiff(ops)); !reflect.DeepEqual(got, want) {
			t.Errorf("the %s guess: %q, want %q", name, got, want)
		}
	}
	// Inside the part, a figure changed is shown.
	ops := []DiffOp{kept(30), {"delete", "500 "}, {"insert", "900 "}, kept(30)}
	if got, want := redactDeletions(publicScanDiff(ops)), redactDeletions(ops); !reflect.DeepEqual(got, want) {
		t.Errorf("a figure changed: %q, want %q", got, want)
	}
}

// TestPublicDiffNoQuotation: a text that keeps no run of anchorWords words of the letter is
// compared with nothing: the letter's words are one count, the text's its own.
func TestPublicDiffNoQuotation(t *testing.T) {
	ops := []DiffOp{{"delete", "a b c "}, {"equal", "of the "}, {"insert", "x y "}, {"equal", "Freedonia"}}
	want := []DiffOp{{"insert", "of the x y Freedonia"}, {"delete", "a b c of the Freedonia"}}
	if got := publicTextDiff(ops, true); !reflect.DeepEqual(got, want) {
		t.Errorf("%q, want %q", got, want)
	}
}

// TestIdentifyGuessBeyondQuotation: through the registry, the public's answer to a quotation
// with a guess at the rest of the letter is the same whether the guess is right or wrong, for
// a text and for a scan.
func TestIdentifyGuessBeyondQuotation(t *testing.T) {
	// A letter of about 400 words, and one of about 300, in which a paragraph of 60 words
	// with a guess is at the edge of identify.Classify's "near" (similarity 0.202 with the
	// right guess, 0.198 with the wrong one): the right guess made the text "near" and the
	// wrong one an altered "excerpt", until the public was given one answer for both.
	for _, l := range []struct {
		seed uint64
		side int
	}{{31, 180}, {31, 100}} {
		guessBeyondQuotation(t, l.seed, l.side)
	}
}

func guessBeyondQuotation(t *testing.T, seed uint64, side int) {
	ctx := context.Background()
	o := newOffice(t)
	letter, before, after := guessLetter(t, seed, side)
	ref, _ := o.released(t, letter)
	cases := append(guesses(before, after), struct{ name, right string }{
		"a near copy: the letter up to the secret, and a guess", strings.Join(before, " ") + " ambassador of Freedonia"})
	type answer struct {
		Outcome, Match, Reference, Message string
		Diff                               []DiffOp
	}
	for _, c := range cases {
		c.name = fmt.Sprintf("%d words a side: %s", side, c.name)
		for _, how := range []struct {
			name     string
			identify func(text string) (*Identification, error)
		}{
			{"text", func(text string) (*Identification, error) { return o.r.Identify(ctx, Actor{}, text) }},
			{"scan", func(text string) (*Identification, error) {
				return o.r.IdentifyScan(ctx, Actor{}, ocr.Reading{Text: text})
			}},
		} {
			var got [2]answer
			for i, text := range []string{c.right, wrongGuess(c.right)} {
				id, err := how.identify(text)
				if err != nil {
					t.Fatalf("%s, %s: %v", c.name, how.name, err)
				}
				if id.Reference != ref {
					t.Fatalf("%s, %s: matched %q (%s), want %s", c.name, how.name, id.Reference, id.Outcome, ref)
				}
				got[i] = answer{id.Outcome, id.Match, id.Reference, id.Message, id.Diff}
			}
			if got[0].Outcome != Altered || len(got[0].Diff) == 0 {
				t.Errorf("%s, %s: %s (%s), difference %q", c.name, how.name, got[0].Outcome, got[0].Match, got[0].Diff)
			}
			t.Logf("%s, %s: %s; %q", c.name, how.name, got[0].Match, got[0].Diff)
			right := wrongGuess(fmt.Sprintf("%+v", got[0]))
			if wrong := fmt.Sprintf("%+v", got[1]); right != wrong {
				t.Errorf("%s, %s: the right guess is answered\n%s\nthe wrong one\n%s", c.name, how.name, right, wrong)
			}
		}
	}
}

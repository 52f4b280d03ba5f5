package registry

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/identify/synth"
)

// TestIdentifySigns: a text with a released letter's words but another sign or figure ("+15%"
// for "-15%", "€" for "$", "1.500" for "1,500") is an altered copy, not the letter: the exact
// hash and the shingles do not see signs, the answer must. The difference shows the changed
// signs, and the public learns no more than for any altered copy.
func TestIdentifySigns(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	letter := synth.Corpus{Seed: 13, FamilySize: 1}.Letter(0).Text() +
		"\n\nThe budget changes by -15% this year, and the ministry pays $1,500,000 to the contractor before 10:30.\n"
	ref, _ := o.released(t, letter)

	for _, c := range []struct{ name, text string }{
		{"the letter", letter},
		{"retyped in capitals, other line breaks", strings.ToUpper(strings.ReplaceAll(letter, "\n\n", "\n"))},
		{"a typographic minus", strings.Replace(letter, "-15%", "\u221215%", 1)},
	} {
		got, err := o.r.Identify(ctx, Actor{}, c.text)
		if err != nil || got.Outcome != Valid || got.Match != "exact" || got.Reference != ref {
			t.Fatalf("%s: %+v, %v; want valid exact %s", c.name, got, err, ref)
		}
	}

	for _, c := range []struct{ name, from, to string }{
		{"a plus for the minus", "-15%", "+15%"},
		{"euros for dollars", "$1,500,000", "€1,500,000"},
		{"decimal points for the thousands", "1,500,000", "1.500.000"},
		{"10.30 for 10:30", "10:30", "10.30"},
		{"the percent sign dropped", "15%", "15"},
	} {
		forged := strings.Replace(letter, c.from, c.to, 1)
		for _, who := range []Actor{{}, o.reviewer} {
			got, err := o.r.Identify(ctx, who, forged)
			if err != nil {
				t.Fatal(err)
			}
			if got.Outcome != Altered || got.Match != "near" || got.Reference != ref {
				t.Errorf("%s (member %v): %s %s %s: %s; want altered near %s", c.name, who.Member != nil, got.Outcome, got.Match, got.Reference, got.Message, ref)
				continue
			}
			changed := ""
			for _, op := range got.Diff {
				if op.Op != "equal" {
					changed += op.Op + " " + op.Text + "|"
				}
			}
			if changed == "" || strings.Count(changed, "|") > 4 {
				t.Errorf("%s (member %v): the difference does not show the change alone: %q", c.name, who.Member != nil, changed)
			}
			if who.Member == nil && (got.Status == nil || got.Status.Subject != "" || len(got.Status.Signers) != 0) {
				t.Errorf("%s: an altered copy buys the public the holder's answer: %+v", c.name, got.Status)
			}
		}
	}
}

// TestIdentifyQuotations: a quotation is answered as an excerpt of the letter only when it is
// word for word and sign for sign a part of it; a quotation with a figure or a sign changed,
// or with words left out, is altered, and its difference is against the quoted part alone,
// without the letter's other words for the public.
func TestIdentifyQuotations(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	corpus := synth.Corpus{Seed: 21, FamilySize: 1}
	base := corpus.Letter(0).Text() + "\n\n" + corpus.Letter(1).Text()
	words := strings.Fields(base)
	cut := len(words) / 2
	letter := strings.Join(words[:cut], " ") +
		"\n\nThe ministry will move 277 trucks on Monday at a cost of -15% against the plan, and the other 300 trucks later.\n\n" +
		strings.Join(words[cut:], " ") + "\n"
	ref, _ := o.released(t, letter)
	quote := strings.Join(words[cut-15:cut], " ") +
		"\n\nThe ministry will move 277 trucks on Monday at a cost of -15% against the plan, and the other 300 trucks later.\n\n" +
		strings.Join(words[cut:cut+15], " ")

	got, err := o.r.Identify(ctx, Actor{}, quote)
	if err != nil || got.Outcome != Valid || got.Match != "excerpt" || got.Reference != ref {
		t.Fatalf("a verbatim quotation: %+v, %v; want valid excerpt %s", got, err, ref)
	}
	for _, c := range []struct{ name, from, to, shown string }{
		{"a figure changed", "other 300 trucks", "other 900 trucks", "900"},
		{"a sign changed", "-15%", "+15%", "+"},
		{"words left out", "on Monday at a cost of -15% against the plan, ", "", "1"},
	} {
		altered := strings.Replace(quote, c.from, c.to, 1)
		got, err := o.r.Identify(ctx, Actor{}, altered)
		if err != nil {
			t.Fatal(err)
		}
		// The public is given one answer for an altered quotation and an altered copy
		// (Registry.identifyText); a member is told which.
		if m, err := o.r.Identify(ctx, o.reviewer, altered); err != nil || m.Outcome != Altered || m.Match != "excerpt" {
			t.Errorf("%s, for a member: %+v, %v; want altered excerpt", c.name, m, err)
		}
		if got.Outcome != Altered || got.Match != "near" || got.Reference != ref {
			t.Errorf("%s: %s %s %s: %s; want altered near %s", c.name, got.Outcome, got.Match, got.Reference, got.Message, ref)
			continue
		}
		var shown, changes strings.Builder
		for _, op := range got.Diff {
			shown.WriteString(op.Text)
			if op.Op != "equal" {
				changes.WriteString(op.Text)
			}
		}
		if !strings.Contains(changes.String(), c.shown) {
			t.Errorf("%s: the difference's changes %q do not show %q", c.name, changes.String(), c.shown)
		}
		// The public's difference holds the quotation's own words and counts of the
		// letter's missing ones, nothing of the letter beyond the quotation.
		have := make(map[string]bool)
		for _, w := range strings.Fields(strings.ToLower(altered)) {
			have[strings.Trim(w, ".,;:")] = true
		}
		for _, w := range strings.Fields(strings.ToLower(redaction.ReplaceAllString(shown.String(), " "))) {
			w = strings.Trim(w, ".,;:")
			if w != "" && !have[w] {
				t.Errorf("%s: the public's difference shows %q, which the quotation does not hold: %q", c.name, w, shown.String())
				break
			}
		}
		if got.Status == nil || got.Status.Subject != "" {
			t.Errorf("%s: the public status %+v", c.name, got.Status)
		}
	}
}

// redaction is how redactDeletions shows the letter's words that a text lacks.
var redaction = regexp.MustCompile(`\[\d+ words? of the letter not in this text\]`)

// TestRedactDeletions: the public's difference counts the letter's missing words and signs,
// and leaves out a deletion of spaces alone rather than counting "0 words".
func TestRedactDeletions(t *testing.T) {
	got := redactDeletions([]DiffOp{{"equal", "by "}, {"delete", "-"}, {"insert", "+"}, {"equal", "15%"}, {"delete", " "}, {"insert", "\n"}, {"delete", "the other trucks"}})
	want := []DiffOp{{"equal", "by "}, {"delete", "[1 word of the letter not in this text] "}, {"insert", "+"}, {"equal", "15%"}, {"insert", "\n"}, {"delete", "[3 words of the letter not in this text] "}}
	if !slices.Equal(got, want) {
		t.Errorf("redactDeletions = %q, want %q", got, want)
	}
}

// TestIdentifyMailQuotedCopy: the letter pasted from an e-mail reply, each line behind "> ",
// is the letter, for the public and for members; the same copy with a sign changed is not.
func TestIdentifyMailQuotedCopy(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	letter := synth.Corpus{Seed: 17, FamilySize: 1}.Letter(0).Text() +
		"\n\nThe cost, €1,200,000, is borne by the office, and 50 trucks leave before 10:30.\n"
	ref, _ := o.released(t, letter)
	lines := strings.Split(strings.TrimSuffix(letter, "\n"), "\n")
	for i, l := range lines {
		lines[i] = "> " + l
	}
	quoted := strings.Join(lines, "\r\n") + "\r\n"
	for _, who := range []Actor{{}, o.reviewer} {
		got, err := o.r.Identify(ctx, who, quoted)
		if err != nil || got.Outcome != Valid || got.Match != "exact" || got.Reference != ref {
			t.Errorf("quoted (member %v): %+v, %v; want valid exact %s", who.Member != nil, got, err, ref)
		}
		got, err = o.r.Identify(ctx, who, strings.Replace(quoted, "€1,200,000", "€1.200.000", 1))
		if err != nil || got.Outcome != Altered || got.Reference != ref {
			t.Errorf("quoted with a sign changed (member %v): %+v, %v; want altered %s", who.Member != nil, got, err, ref)
		}
	}
}

// TestIdentifyLetterOfQuotedLines: a letter every line of which begins with ">" (thresholds:
// "> 500 trucks") says "more than" on each line: its text pasted as it is, or a part of it,
// is the letter, and the same text without the ">" signs is not, though a reply's quotation
// marks would be removed from it.
func TestIdentifyLetterOfQuotedLines(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	lines := strings.Split(strings.TrimSpace(synth.Corpus{Seed: 23, FamilySize: 1}.Letter(0).Text()), "\n")
	lines = append(lines, "500 trucks a day may cross the northern bridge", "20 tanks a day may cross the southern bridge")
	for i, l := range lines {
		lines[i] = "> " + l
	}
	letter := strings.Join(lines, "\n") + "\n"
	ref, _ := o.released(t, letter)
	unmarked := strings.ReplaceAll(letter, "> ", "")
	for _, who := range []Actor{{}, o.reviewer} {
		got, err := o.r.Identify(ctx, who, letter)
		if err != nil || got.Outcome != Valid || got.Match != "exact" || got.Reference != ref {
			t.Errorf("the letter (member %v): %+v, %v; want valid exact %s", who.Member != nil, got, err, ref)
		}
		got, err = o.r.Identify(ctx, who, unmarked)
		if err != nil || got.Outcome == Valid {
			t.Errorf("the letter without its \">\" signs (member %v): %+v, %v; want not valid", who.Member != nil, got, err)
		}
	}
}

// Two released letters of the same words, one with a ">" before every line and one without,
// have one fingerprint: each one's text is answered valid with its own reference, whichever
// was released first.
func TestIdentifyTwinWordsOtherSigns(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	lines := strings.Split(strings.TrimSpace(synth.Corpus{Seed: 29, FamilySize: 1}.Letter(0).Text()), "\n")
	plain := strings.Join(lines, "\n") + "\n"
	for i, l := range lines {
		lines[i] = "> " + l
	}
	quoted := strings.Join(lines, "\n") + "\n"
	quotedRef, _ := o.released(t, quoted)
	plainRef, _ := o.released(t, plain)
	for _, who := range []Actor{{}, o.reviewer} {
		for _, c := range []struct{ text, ref string }{{plain, plainRef}, {quoted, quotedRef}} {
			got, err := o.r.Identify(ctx, who, c.text)
			if err != nil || got.Outcome != Valid || got.Match != "exact" || got.Reference != c.ref {
				t.Errorf("the text of %s (member %v): %+v, %v; want valid exact %s", c.ref, who.Member != nil, got, err, c.ref)
			}
		}
	}
}

// TestIdentifyQuotationCuttingAFigure: a quotation that begins or ends inside one of the
// letter's figures shows another figure ("at a cost of -15" for "-15%", "15% against the
// plan" for "-15%", "will pay 1" for "will pay 1 500 000 euros"); it was answered valid, an
// excerpt of the letter, word for word and sign for sign. A member's difference shows what
// it left out of the figure.
func TestIdentifyQuotationCuttingAFigure(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	corpus := synth.Corpus{Seed: 23, FamilySize: 1}
	words := strings.Fields(corpus.Letter(0).Text() + "\n\n" + corpus.Letter(1).Text())
	cut := len(words) / 2
	const sentence = "The ministry will pay 1 500 000 euros to move 277 trucks on Monday at a cost of -15% against the plan, and the other 300 trucks later."
	letter := strings.Join(words[:cut], " ") + "\n\n" + sentence + "\n\n" + strings.Join(words[cut:], " ") + "\n"
	ref, _ := o.released(t, letter)
	before, after := strings.Join(words[cut-30:cut], " "), strings.Join(words[cut:cut+30], " ")

	whole := before + "\n\n" + "The ministry will pay 1 500 000 euros to move 277 trucks on Monday at a cost of"
	if got, err := o.r.Identify(ctx, Actor{}, whole); err != nil || got.Outcome != Valid || got.Match != "excerpt" || got.Reference != ref {
		t.Fatalf("a quotation ending before the figure: %+v, %v; want valid excerpt %s", got, err, ref)
	}
	for _, c := range []struct{ name, quote, left string }{
		{"the percent sign left out", before + "\n\n" + "The ministry will pay 1 500 000 euros to move 277 trucks on Monday at a cost of -15", "%"},
		{"the minus left out", "15% against the plan, and the other 300 trucks later.\n\n" + after, "-"},
		{"a part of the digits left out", before + "\n\n" + "The ministry will pay 1", "500 000"},
	} {
		for _, who := range []Actor{{}, o.reviewer} {
			got, err := o.r.Identify(ctx, who, c.quote)
			if err != nil {
				t.Fatal(err)
			}
			if got.Outcome != Altered || got.Reference != ref {
				t.Errorf("%s (member %v): %s %s %s: %s; want altered %s", c.name, who.Member != nil, got.Outcome, got.Match, got.Reference, got.Message, ref)
				continue
			}
			if who.Member == nil {
				continue
			}
			var deleted strings.Builder
			for _, op := range got.Diff {
				if op.Op == "delete" {
					deleted.WriteString(op.Text)
				}
			}
			if !strings.Contains(deleted.String(), c.left) {
				t.Errorf("%s: the member's difference %+v does not show %q left out", c.name, got.Diff, c.left)
			}
		}
	}
}

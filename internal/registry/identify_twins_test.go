package registry

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/identify/synth"
)

// TestIdentifyTwinsAnswerTheLetterThatStands releases a text twice, as two letters (the first
// retracted and issued again; or superseded by one that adds an addressee): whoever pastes
// the text is answered with the letter that stands, not with the withdrawn one and its
// reason, and told that the text is also that of the withdrawn letter, so that its holder
// is not told only that the text stands. Letters in the same state are answered as before.
func TestIdentifyTwinsAnswerTheLetterThatStands(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	corpus := synth.Corpus{Seed: 9, FamilySize: 1}
	withdraw := func(ref, by, reason string) {
		t.Helper()
		record, sig := o.retraction(t, ref, by, reason)
		if _, err := o.withdraw(ctx, o.signer, ref, by, o.keyID, record, sig); err != nil {
			t.Fatal(err)
		}
	}
	retracted := corpus.Letter(0).Text()
	first, _ := o.released(t, retracted)
	withdraw(first, "", "Sent to the wrong ministry")
	again, _ := o.released(t, retracted)

	superseded := corpus.Letter(1).Text()
	old, _ := o.released(t, superseded)
	by, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: "Repositioning of forces", Class: "foreign-government",
		Addressees: []string{"Ministry of Defence of Freedonia", "Embassy of Sylvania"}, File: Upload{Name: "letter.txt", Data: []byte(superseded)}})
	if err != nil {
		t.Fatal(err)
	}
	o.approvedAndReleased(t, by)
	withdraw(old, by, "The embassy was left out")

	both := corpus.Letter(2).Text()
	one, _ := o.released(t, both)
	o.released(t, both)

	for _, c := range []struct {
		name, text, ref, outcome, also string
	}{
		{"retracted and issued again", retracted, again, Valid, first + " (retracted)"},
		{"superseded by the same text", superseded, by, Valid, old + " (superseded)"},
		{"two letters that stand", both, one, Valid, ""},
	} {
		for _, who := range []Actor{{}, o.reviewer} {
			id, err := o.r.Identify(ctx, who, c.text)
			if err != nil {
				t.Fatal(err)
			}
			if id.Outcome != c.outcome || id.Reference != c.ref || id.Status == nil || id.Status.Reason != "" {
				t.Errorf("%s, asked by %s: %s %s (%q), want %s %s", c.name, who.name(), id.Outcome, id.Reference, id.Message, c.outcome, c.ref)
			}
			if got := strings.Contains(id.Message, "The same text is also that of"); got != (c.also != "") || !strings.Contains(id.Message, c.also) {
				t.Errorf("%s, asked by %s: the message %q does not name %q", c.name, who.name(), id.Message, c.also)
			}
		}
	}
}

// TestIdentifyWithdrawnTwinsAndExcerptsOfTwins: when no twin stands, whoever pastes the text
// is told, beside the first letter's state and reason, that the text is also that of the
// other withdrawn letter, whose reason may be another (before, the other letter was not
// named when its state was the same); and a quotation of a text released twice is an
// excerpt of the letter that stands, or of one of two that stand (before, the twins' shared
// words were specific to neither, and the quotation was answered unknown).
func TestIdentifyWithdrawnTwinsAndExcerptsOfTwins(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	corpus := synth.Corpus{Seed: 31, FamilySize: 1}
	withdraw := func(ref, reason string) {
		t.Helper()
		record, sig := o.retraction(t, ref, "", reason)
		if _, err := o.withdraw(ctx, o.signer, ref, "", o.keyID, record, sig); err != nil {
			t.Fatal(err)
		}
	}
	text := corpus.Letter(0).Text()
	a, _ := o.released(t, text)
	withdraw(a, "Sent to the wrong ministry")
	b, _ := o.released(t, text)
	withdraw(b, "The operation was cancelled")
	for _, who := range []Actor{{}, o.reviewer} {
		id, err := o.r.Identify(ctx, who, text)
		if err != nil {
			t.Fatal(err)
		}
		other := map[string]string{a: b, b: a}[id.Reference]
		if id.Outcome != Retracted || other == "" || !strings.Contains(id.Message, "The same text is also that of "+other+" (retracted)") {
			t.Errorf("two retracted twins, asked by %s: %s %s (%q)", who.name(), id.Outcome, id.Reference, id.Message)
		}
	}

	quoteOf := func(s string) string {
		words := strings.Fields(s)
		return strings.Join(words[len(words)/2:len(words)/2+40], " ")
	}
	reissued := corpus.Letter(1).Text() + "\n\n" + corpus.Letter(2).Text()
	first, _ := o.released(t, reissued)
	withdraw(first, "Sent to the wrong ministry")
	again, _ := o.released(t, reissued)
	both := corpus.Letter(3).Text() + "\n\n" + corpus.Letter(4).Text()
	one, _ := o.released(t, both)
	two, _ := o.released(t, both)
	for _, c := range []struct {
		name, quote string
		refs        []string
	}{
		{"an excerpt of a letter retracted and issued again", quoteOf(reissued), []string{again}},
		{"an excerpt of two letters that stand", quoteOf(both), []string{one, two}},
	} {
		for _, who := range []Actor{{}, o.reviewer} {
			id, err := o.r.Identify(ctx, who, c.quote)
			if err != nil {
				t.Fatal(err)
			}
			if id.Outcome != Valid || id.Match != "excerpt" || !slices.Contains(c.refs, id.Reference) {
				t.Errorf("%s, asked by %s: %s %s %s (%q), want valid excerpt of %v", c.name, who.name(), id.Outcome, id.Match, id.Reference, id.Message, c.refs)
			}
			if who.Member == nil && (id.Status == nil || id.Status.Subject != "" || id.Status.Reason != "") {
				t.Errorf("%s: a quotation buys the public the holder's answer: %+v", c.name, id.Status)
			}
		}
	}
	// A copy of the twins' text with a word changed is an altered copy of the letter that
	// stands (before, unknown too).
	words := strings.Fields(reissued)
	words[len(words)/2] = "Sylvania"
	altered := strings.Join(words, " ")
	for _, who := range []Actor{{}, o.reviewer} {
		id, err := o.r.Identify(ctx, who, altered)
		if err != nil {
			t.Fatal(err)
		}
		if id.Outcome != Altered || id.Reference != again {
			t.Errorf("an altered copy of a letter retracted and issued again, asked by %s: %s %s %s (%q), want altered %s", who.name(), id.Outcome, id.Match, id.Reference, id.Message, again)
		}
	}
}

package registry

import (
	"context"
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

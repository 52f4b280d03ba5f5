package registry

import (
	"context"
	"testing"

	"github.com/chancery/chancery/internal/identify/synth"
)

// TestIdentifyDraftMarkProse: a released letter may say in its own words what a banner says
// ("the enclosed paper is a draft, not an official document"), in English, French or Arabic,
// with the punctuation of a sentence between them; its text, identified, is the letter
// (valid) and is not told that it carries the DRAFT mark, which no page of it shows. The
// banner itself, with a dash or nothing between its words, is still found.
func TestIdentifyDraftMarkProse(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	for i, c := range []struct {
		name, sentence string
		marked         bool
	}{
		{"English prose", "The enclosed paper is a draft, not an official document, and is sent for comment only.", false},
		{"French prose", "Ce projet, document non officiel, vous est transmis pour avis.", false},
		{"Arabic prose", "المرفق مسودة، ليست وثيقة رسمية، وهي للاطلاع فقط.", false},
		{"a verification's answer quoted", "The tool answered: draft: not an official document: this file is not a released letter.", false},
		{"the banner", "DRAFT — NOT AN OFFICIAL DOCUMENT", true},
		{"the banner read by OCR", "DRAFT - NOT AN 0FFICIAL DOCUMENT.", true},
	} {
		text := synth.Corpus{Seed: 12, FamilySize: 1}.Letter(i).Text() + "\n" + c.sentence + "\n"
		ref := o.letter(t, text)
		o.approvedAndReleased(t, ref)
		id, err := o.r.Identify(ctx, Actor{}, text)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if id.Outcome != Valid {
			t.Errorf("%s: outcome %s (%q), want %s", c.name, id.Outcome, id.Message, Valid)
		}
		if told(t, id) != c.marked {
			t.Errorf("%s: %s; want the draft mark told: %v", c.name, marshal(t, id), c.marked)
		}
	}
}

package registry

import (
	"context"
	"testing"
)

// TestIdentifyTextOfADraftCopyOfAnotherLetter: a note drafted for two embassies with one
// text, released to one of them while the other's letter is still a draft whose copy went
// out for coordination. The copy's holder holds the released letter's whole text, but not
// that letter: pasting it must not tell them its subject, signers, or the opening of its
// supersession (whose file digest opens the new letter).
func TestIdentifyTextOfADraftCopyOfAnotherLetter(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	const text = "The second battalion rotates out of sector four on the first of March, replaced by the third."
	released := o.letterTo(t, "Rotation, for Ruritania", text, "Embassy of Ruritania")
	o.approvedAndReleased(t, released)
	draft := o.letterTo(t, "Rotation, for Freedonia", text, "Ministry of Defence of Freedonia")
	// A draft only members read leaves the released letter's holder their answer.
	id, err := o.r.Identify(ctx, Actor{}, text)
	if err != nil {
		t.Fatal(err)
	}
	if id.Status == nil || id.Status.Subject != "Rotation, for Ruritania" {
		t.Fatalf("the text of one letter and of a draft never copied: %+v; want its holder's answer, with its subject", id.Status)
	}
	if _, err := o.r.ExportDraft(ctx, o.drafter, draft, "Freedonia liaison"); err != nil {
		t.Fatal(err)
	}
	by := o.letterTo(t, "Joint exercise with Ruritania", "The rotation is followed by a joint exercise with Ruritania.", "Embassy of Ruritania")
	o.approvedAndReleased(t, by)
	if err := o.supersede(released, by); err != nil {
		t.Logf("supersession refused: %v", err)
	}
	toldNoDetails(t, o, text, "the text of a draft copy of "+draft)
}

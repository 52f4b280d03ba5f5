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
	st, pt, err := o.withdrawalStatementOf(ctx, o.signer, released, by, "plan extended")
	if err == nil {
		_, err = o.withdraw(ctx, o.signer, released, by, o.keyID, st, signPAE(o.signerKey, pt, st))
	}
	if err != nil {
		t.Logf("supersession refused: %v", err)
	}
	id, err = o.r.Identify(ctx, Actor{}, text)
	if err != nil {
		t.Fatal(err)
	}
	s := id.Status
	if s == nil {
		t.Fatalf("no status: %+v", id)
	}
	if s.Subject != "" || s.Reason != "" || s.Withdrawal != nil && s.Withdrawal.Opening != nil || len(s.Signers) > 0 {
		t.Errorf("the text of a draft copy of %s was told %s's details: subject %q, reason %q, signers %v, withdrawal %+v", draft, s.Reference, s.Subject, s.Reason, s.Signers, s.Withdrawal)
	}
}

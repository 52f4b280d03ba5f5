package registry

import (
	"context"
	"strings"
	"testing"
)

// TestIdentifyTwinsKeepEachOnesDetails: a text released in two letters (twins) to other
// addressees is held by the holders of both, and which one a holder of the text holds is not
// known. Pasting it told the holder of one the other's subject and, once that other was
// superseded, its supersession's opening, whose file digest opens the new letter (subject,
// signers) to anyone. A twinned text gets the outcome and the twins' references, not one
// letter's details; a text of one letter still gets its holder's answer.
func TestIdentifyTwinsKeepEachOnesDetails(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	const text = "The second battalion rotates out of sector four on the first of March, replaced by the third."
	y := o.letterTo(t, "Rotation, for Ruritania", text, "Embassy of Ruritania")
	o.approvedAndReleased(t, y)
	id, err := o.r.Identify(ctx, Actor{}, text)
	if err != nil {
		t.Fatal(err)
	}
	if id.Status == nil || id.Status.Subject != "Rotation, for Ruritania" {
		t.Fatalf("the text of one letter: %+v; want its holder's answer, with its subject", id.Status)
	}
	z := o.letterTo(t, "Joint exercise with Ruritania", "The rotation is followed by a joint exercise with Ruritania.", "Embassy of Ruritania")
	o.approvedAndReleased(t, z)
	if err := o.supersede(y, z); err != nil {
		t.Fatal(err)
	}
	x := o.letterTo(t, "Rotation, for Freedonia", text, "Ministry of Defence of Freedonia")
	o.approvedAndReleased(t, x)
	check := func(when string) {
		t.Helper()
		id := toldNoDetails(t, o, text, when)
		if !strings.Contains(id.Message, y) && !strings.Contains(id.Message, x) {
			t.Errorf("%s: the twins are not named: %q", when, id.Message)
		}
	}
	check("both released, one superseded")
	st, pt := o.withdrawalStatement(t, o.signer, x, "", "wrong")
	if _, err := o.withdraw(ctx, o.signer, x, "", o.keyID, st, signPAE(o.signerKey, pt, st)); err != nil {
		t.Fatal(err)
	}
	check("one superseded, the other retracted")
}

// toldNoDetails identifies text for the public and fails t (saying when) if the answer
// carries one letter's holder details: subject, reason, signers, a withdrawal's opening.
func toldNoDetails(t *testing.T, o *office, text, when string) *Identification {
	t.Helper()
	id, err := o.r.Identify(context.Background(), Actor{}, text)
	if err != nil {
		t.Fatal(err)
	}
	s := id.Status
	if s == nil {
		t.Fatalf("%s: no status: %+v", when, id)
	}
	if s.Subject != "" || s.Reason != "" || s.Withdrawal != nil && s.Withdrawal.Opening != nil || len(s.Signers) > 0 {
		t.Errorf("%s: the text was told %s's details: subject %q, reason %q, signers %v, withdrawal %+v", when, s.Reference, s.Subject, s.Reason, s.Signers, s.Withdrawal)
	}
	return id
}

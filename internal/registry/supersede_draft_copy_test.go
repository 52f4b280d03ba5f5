package registry

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// TestSupersedeRefusesLetterWhoseTextWentAsDraftCopy: whoever holds a letter's whole text is
// one of its holders (Identify answers them as the file's holder: the withdrawal's opening
// included), and a coordination copy of the version released is that text, in the hands of
// someone who is not among the letter's addressees. A supersession hands its holders the new
// letter's file digest, which opens that letter's seal (subject, addressees, signers): a
// letter whose released text went out as a draft copy may be retracted, not superseded. A
// copy of an earlier version with another text, and a member's own preview, leave it free.
func TestSupersedeRefusesLetterWhoseTextWentAsDraftCopy(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	to := []string{"Ministry of Defence of Freedonia"}
	const text = "The second battalion rotates out of sector four on the first of March, replaced by the third."
	coordinated := o.letterTo(t, "Force rotation", text, to...)
	if _, err := o.r.ExportDraft(ctx, o.drafter, coordinated, "Liaison cell"); err != nil {
		t.Fatal(err)
	}
	o.approvedAndReleased(t, coordinated)
	next := o.letterTo(t, "Joint exercise with Ruritania", "The rotation is followed by a joint exercise with Ruritania.", append(to, "Embassy of Ruritania")...)
	o.approvedAndReleased(t, next)

	// The liaison cell's copy, typed out, is the letter's text: it is answered as its holder.
	if id, err := o.r.Identify(ctx, Actor{}, text); err != nil || id.Status == nil || id.Status.Reference != coordinated || id.Status.Subject == "" {
		t.Fatalf("the draft copy's text: %+v, %v; want the holder's answer", id, err)
	}
	_, _, err := o.withdrawalStatementOf(ctx, o.signer, coordinated, next, "plan extended")
	wantErr(t, "supersede a letter whose released text went out as a draft copy", err, ErrConflict)
	stmt, pt := o.withdrawalStatement(t, o.signer, coordinated, "", "plan extended")
	if _, err := o.withdraw(ctx, o.signer, coordinated, "", o.keyID, stmt, signPAE(o.signerKey, pt, stmt)); err != nil {
		t.Fatalf("retract it: %v", err)
	}

	// A copy of an earlier text, and a preview, do not hold the released text.
	revised := o.letterTo(t, "Force rotation", "The first draft, with other dates.", to...)
	if _, err := o.r.ExportDraft(ctx, o.drafter, revised, "Liaison cell"); err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.Revise(ctx, o.drafter, revised, Upload{Name: "letter.txt", Data: []byte("The released text, with the right dates.")}); err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.Preview(ctx, o.drafter, revised); err != nil {
		t.Fatal(err)
	}
	o.approvedAndReleased(t, revised)
	stmt, pt = o.withdrawalStatement(t, o.signer, revised, next, "plan extended")
	if _, err := o.withdraw(ctx, o.signer, revised, next, o.keyID, stmt, signPAE(o.signerKey, pt, stmt)); err != nil {
		t.Fatalf("supersede a letter whose draft copies hold another text: %v", err)
	}
}

// TestSupersedeAfterTheDraftCopysHolderIsSentTheNewLetter: a supersession refused for a draft
// copy made for a recipient of the directory says that dispatching the new letter to them
// first would allow it, and once it is dispatched to them, the supersession goes through.
func TestSupersedeAfterTheDraftCopysHolderIsSentTheNewLetter(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	o.r.SetDispatch(DispatchSettings{Mail: true})
	if _, _, err := o.r.AddRecipient(ctx, o.admin, NewRecipient{Name: "liaison", Emails: []string{"cell@liaison.example"}}); err != nil {
		t.Fatal(err)
	}
	to := []string{"Ministry of Defence of Freedonia"}
	const text = "The second battalion rotates out of sector four on the first of March, replaced by the third."
	coordinated := o.letterTo(t, "Force rotation", text, to...)
	if _, err := o.r.ExportDraft(ctx, o.drafter, coordinated, "liaison"); err != nil {
		t.Fatal(err)
	}
	o.approvedAndReleased(t, coordinated)
	next := o.letterTo(t, "Joint exercise with Ruritania", "The rotation is followed by a joint exercise with Ruritania.", to...)
	o.approvedAndReleased(t, next)

	_, _, err := o.withdrawalStatementOf(ctx, o.signer, coordinated, next, "plan extended")
	wantErr(t, "supersede a letter whose released text went out as a draft copy to a recipient", err, ErrConflict)
	if want := "dispatch " + next + " to liaison first"; !strings.Contains(err.Error(), want) {
		t.Errorf("the refusal says %q, want it to say %q", err, want)
	}
	if _, err := o.r.Dispatch(ctx, o.officer, next, []string{"liaison"}); err != nil {
		t.Fatal(err)
	}
	stmt, pt := o.withdrawalStatement(t, o.signer, coordinated, next, "plan extended")
	if _, err := o.withdraw(ctx, o.signer, coordinated, next, o.keyID, stmt, signPAE(o.signerKey, pt, stmt)); err != nil {
		t.Fatalf("supersede once the new letter is dispatched to the copy's holder: %v", err)
	}
}

// TestSupersessionSuggestsOnlyADispatchThatCanBeMade: the refusal of a supersession for a
// draft copy made for a recipient of the directory says to dispatch the new letter to them
// first only when that dispatch can be made: not to a recipient retired from the directory,
// nor to one for whom a rule of the policy in force would ask more than the new letter's
// rules did (Dispatch refuses both), nor without mail; it says to retract the letter then.
func TestSupersessionSuggestsOnlyADispatchThatCanBeMade(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	o.ministryNeedsLegal(t)
	o.addRecipients(t,
		NewRecipient{Name: "liaison", Emails: []string{"cell@liaison.example"}},
		NewRecipient{Name: "ministry", Organization: "Ministry of Defence", Emails: []string{"registry@mod.example"}},
		NewRecipient{Name: "desk", Emails: []string{"desk@staff.example"}},
	)
	if err := o.r.RetireRecipient(ctx, o.admin, "liaison"); err != nil {
		t.Fatal(err)
	}
	to := []string{"Staff"}
	for i, tc := range []struct {
		holder string
		mail   bool
	}{{"liaison", true}, {"ministry", true}, {"desk", false}} {
		o.r.SetDispatch(DispatchSettings{Mail: true})
		text := fmt.Sprintf("The second battalion rotates out of sector %d on the first of March, replaced by the third.", i+4)
		coordinated := o.letterTo(t, "Force rotation "+tc.holder, text, to...)
		if _, err := o.r.ExportDraft(ctx, o.drafter, coordinated, tc.holder); err != nil {
			t.Fatal(err)
		}
		o.approvedAndReleased(t, coordinated)
		next := o.letterTo(t, "Joint exercise "+tc.holder, fmt.Sprintf("The rotation of sector %d is followed by a joint exercise.", i+4), to...)
		o.approvedAndReleased(t, next)
		o.r.SetDispatch(DispatchSettings{Mail: tc.mail})
		_, _, err := o.withdrawalStatementOf(ctx, o.signer, coordinated, next, "plan extended")
		wantErr(t, "supersede a letter whose released text went out as a draft copy to "+tc.holder, err, ErrConflict)
		if err != nil && strings.Contains(err.Error(), "first") {
			t.Errorf("%s: the refusal suggests a dispatch that cannot be made: %v", tc.holder, err)
		}
		if err != nil && !strings.Contains(err.Error(), "retract "+coordinated) {
			t.Errorf("%s: the refusal does not say to retract the letter: %v", tc.holder, err)
		}
	}
}

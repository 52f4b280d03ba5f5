package registry

import (
	"context"
	"testing"
)

// TestSupersedeLetterWhoseDraftCopyHolderTheNewLetterIsMeantFor: a letter coordinated with
// someone and released as coordinated (the README's story) may be superseded by a letter
// meant for whoever its draft copies were made for too: addressed to them, or dispatched to
// the recipient a copy was sent to. One that is not meant for them is still refused.
func TestSupersedeLetterWhoseDraftCopyHolderTheNewLetterIsMeantFor(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	o.r.SetDispatch(DispatchSettings{Mail: true})
	if _, _, err := o.r.AddRecipient(ctx, o.admin, NewRecipient{Name: "liaison", Organization: "Liaison cell", Emails: []string{"cell@liaison.example"}}); err != nil {
		t.Fatal(err)
	}
	const ministry = "Ministry of Defence of Freedonia"

	// A copy exported for the liaison cell, and a new letter addressed to it too.
	exported := o.letterTo(t, "Force rotation", "The second battalion rotates out of sector four on the first of March.", ministry)
	if _, err := o.r.ExportDraft(ctx, o.drafter, exported, "Liaison cell"); err != nil {
		t.Fatal(err)
	}
	o.approvedAndReleased(t, exported)
	notMeant := o.letterTo(t, "Joint exercise", "The rotation is followed by a joint exercise.", ministry)
	o.approvedAndReleased(t, notMeant)
	wantErr(t, "supersede by a letter not meant for the draft copy's holder", o.supersede(exported, notMeant), ErrConflict)
	addressed := o.letterTo(t, "Joint exercise", "The rotation is followed by a joint exercise, with the cell.", ministry, "Liaison cell")
	o.approvedAndReleased(t, addressed)
	if err := o.supersede(exported, addressed); err != nil {
		t.Fatalf("supersede by a letter addressed to the draft copy's holder too: %v", err)
	}

	// A copy sent to the recipient liaison, and a new letter dispatched to it.
	sent := o.letterTo(t, "Force rotation", "The third battalion rotates out of sector five on the first of April.", ministry)
	if _, err := o.r.SendDraft(ctx, o.drafter, sent, "liaison"); err != nil {
		t.Fatal(err)
	}
	o.approvedAndReleased(t, sent)
	dispatched := o.letterTo(t, "Joint exercise", "The second rotation is followed by a joint exercise.", ministry)
	o.approvedAndReleased(t, dispatched)
	wantErr(t, "supersede before the new letter went to the draft copy's recipient", o.supersede(sent, dispatched), ErrConflict)
	if _, err := o.r.Dispatch(ctx, o.officer, dispatched, []string{"liaison"}); err != nil {
		t.Fatal(err)
	}
	if err := o.supersede(sent, dispatched); err != nil {
		t.Fatalf("supersede by a letter dispatched to the draft copy's recipient: %v", err)
	}
}

package registry

import (
	"context"
	"testing"
)

// TestSupersedeLetterWhoseDraftCopyWentToAnOrganisation: a draft copy exported for an
// organisation ("Liaison cell") is held by someone of it, not known which. A new letter meant
// for one of its recipients alone (addressed to bob, or dispatched to him) is not meant for
// the copy's holder, who may be carol: the supersession is refused. A letter meant for every
// recipient of the organisation, or addressed to it, may supersede.
func TestSupersedeLetterWhoseDraftCopyWentToAnOrganisation(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	o.r.SetDispatch(DispatchSettings{Mail: true})
	for _, name := range []string{"bob", "carol"} {
		if _, _, err := o.r.AddRecipient(ctx, o.admin, NewRecipient{Name: name, Organization: "Liaison cell", Emails: []string{name + "@liaison.example"}}); err != nil {
			t.Fatal(err)
		}
	}
	const ministry = "Ministry of Defence of Freedonia"
	old := o.letterTo(t, "Force rotation", "The second battalion rotates out of sector four on the first of March.", ministry)
	if _, err := o.r.ExportDraft(ctx, o.drafter, old, "Liaison cell"); err != nil {
		t.Fatal(err)
	}
	o.approvedAndReleased(t, old)

	toBob := o.letterTo(t, "Joint exercise", "The rotation is followed by a joint exercise, with bob.", ministry, "bob")
	o.approvedAndReleased(t, toBob)
	wantErr(t, "supersede by a letter addressed to one recipient of the copy's organisation", o.supersede(old, toBob), ErrConflict)

	sentToBob := o.letterTo(t, "Joint exercise", "The rotation is followed by a joint exercise, for the cell's bob.", ministry)
	o.approvedAndReleased(t, sentToBob)
	if _, err := o.r.Dispatch(ctx, o.officer, sentToBob, []string{"bob"}); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "supersede by a letter dispatched to one recipient of the copy's organisation", o.supersede(old, sentToBob), ErrConflict)

	if _, err := o.r.Dispatch(ctx, o.officer, sentToBob, []string{"carol"}); err != nil {
		t.Fatal(err)
	}
	if err := o.supersede(old, sentToBob); err != nil {
		t.Fatalf("supersede by a letter dispatched to every recipient of the copy's organisation: %v", err)
	}
}

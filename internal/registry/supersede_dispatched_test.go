package registry

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestSupersedeRefusesLetterDispatchedToOthers: a letter may be dispatched to any recipient
// of the directory, not only to those its addressees name, and each holds its file, whose
// digest opens its answer, a supersession's opening with the new letter's file digest
// included, which opens the new letter's seal (subject, addressees, signers). The new letter
// must be meant for them too: dispatched to them, or addressed to their organisation.
func TestSupersedeRefusesLetterDispatchedToOthers(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	o.r.SetDispatch(DispatchSettings{Mail: true})
	o.addRecipients(t,
		NewRecipient{Name: "ministry", Organization: "Ministry of Defence of Freedonia", Emails: []string{"registry@mod.example"}},
		NewRecipient{Name: "liaison", Organization: "Liaison cell", Emails: []string{"cell@liaison.example"}},
	)
	next, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: "Joint exercise with Ruritania", Class: "foreign-government",
		Addressees: []string{"Ministry of Defence of Freedonia", "Embassy of Ruritania"}, File: Upload{Name: "letter.txt", Data: []byte("The patrols resume, with Ruritanian observers.")}})
	if err != nil {
		t.Fatal(err)
	}
	o.approvedAndReleased(t, next)
	// deliver records every waiting message accepted by the mail server.
	deliver := func(t *testing.T) {
		t.Helper()
		due, err := o.r.DueMessages(ctx, 100, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range due {
			if err := o.r.Delivered(ctx, Delivery{Message: m, Reply: "250 ok"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	supersede := func(old string) error {
		st, pt, err := o.withdrawalStatementOf(ctx, o.signer, old, next, "observers added")
		if err != nil {
			return err
		}
		_, err = o.withdraw(ctx, o.signer, old, next, o.keyID, st, signPAE(o.signerKey, pt, st))
		return err
	}

	copied, _ := o.released(t, "The patrols resume on Monday.")
	if _, err := o.r.Dispatch(ctx, o.officer, copied, []string{"ministry", "liaison"}); err != nil {
		t.Fatal(err)
	}
	deliver(t)
	wantErr(t, "supersede a letter dispatched to a recipient the new letter is not meant for", supersede(copied), ErrConflict)
	if _, err := o.r.Dispatch(ctx, o.officer, next, []string{"liaison"}); err != nil {
		t.Fatal(err)
	}
	if err := supersede(copied); err != nil {
		t.Fatalf("supersede once the new letter went to the liaison cell too: %v", err)
	}

	// A recipient whose organisation the new letter is addressed to needs no copy first.
	addressed, _ := o.released(t, "The patrols resume on Tuesday.")
	if _, err := o.r.Dispatch(ctx, o.officer, addressed, []string{"ministry"}); err != nil {
		t.Fatal(err)
	}
	deliver(t)
	if err := supersede(addressed); err != nil {
		t.Fatalf("supersede a letter dispatched to an addressee: %v", err)
	}

	// A copy still waiting never leaves: the withdrawal fails it.
	waiting, _ := o.released(t, "The patrols resume on Wednesday.")
	if _, err := o.r.Dispatch(ctx, o.officer, waiting, []string{"liaison"}); err != nil {
		t.Fatal(err)
	}
	if err := supersede(waiting); err != nil {
		t.Fatalf("supersede a letter whose copy had not left: %v", err)
	}
	if ds, err := o.r.Dispatches(ctx, o.admin, waiting); err != nil || len(ds) != 1 || ds[0].Status != "failed" {
		t.Fatalf("the waiting copy: %+v, %v", ds, err)
	}
}

// TestSupersessionOfADispatchedLetterSuggestsOnlyADispatchThatCanBeMade: the refusal of a
// supersession for a letter dispatched to a recipient the new letter is not meant for says to
// dispatch the new letter to them first only when Dispatch would: not to a recipient retired
// from the directory since; it says to retract the letter then.
func TestSupersessionOfADispatchedLetterSuggestsOnlyADispatchThatCanBeMade(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	o.r.SetDispatch(DispatchSettings{Mail: true})
	if _, _, err := o.r.AddRecipient(ctx, o.admin, NewRecipient{Name: "liaison", Organization: "Liaison cell", Emails: []string{"cell@liaison.example"}}); err != nil {
		t.Fatal(err)
	}
	old := o.letterTo(t, "Patrols", "The patrols resume on Monday.", "Staff")
	o.approvedAndReleased(t, old)
	if _, err := o.r.Dispatch(ctx, o.officer, old, []string{"liaison"}); err != nil {
		t.Fatal(err)
	}
	due, err := o.r.DueMessages(ctx, 100, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range due {
		if err := o.r.Delivered(ctx, Delivery{Message: m, Reply: "250 ok"}); err != nil {
			t.Fatal(err)
		}
	}
	next := o.letterTo(t, "Patrols with observers", "The patrols resume on Monday, with observers.", "Staff")
	o.approvedAndReleased(t, next)
	if err := o.r.RetireRecipient(ctx, o.admin, "liaison"); err != nil {
		t.Fatal(err)
	}
	_, _, err = o.withdrawalStatementOf(ctx, o.signer, old, next, "observers added")
	wantErr(t, "supersede a letter dispatched to a recipient retired since", err, ErrConflict)
	if err != nil && strings.Contains(err.Error(), "first") {
		t.Errorf("the refusal suggests a dispatch that cannot be made: %v", err)
	}
	if err != nil && !strings.Contains(err.Error(), "retract "+old) {
		t.Errorf("the refusal does not say to retract the letter: %v", err)
	}
}

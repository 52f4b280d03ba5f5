package registry

import (
	"context"
	"testing"

	"github.com/chancery/chancery/internal/store"
)

// TestRetryDispatchChecksTheRules: a copy that failed is sent again by RetryDispatch only if
// a new dispatch to its recipient would pass the rules of the policy in force. A copy queued
// before the check existed (or before the office adopted a policy asking more of letters to
// that recipient) must not leave unchecked through 'dispatch retry'; a copy the rules allow
// is queued again as before, and nothing is queued when one is refused.
func TestRetryDispatchChecksTheRules(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	o.r.SetDispatch(DispatchSettings{Mail: true})
	o.addRecipients(t,
		NewRecipient{Name: "ministry", Organization: "Ministry of Defence", Emails: []string{"registry@mod.example"}},
		NewRecipient{Name: "liaison", Organization: "Liaison cell", Emails: []string{"cell@liaison.example"}},
	)
	staff := o.letterTo(t, "Repositioning of forces (staff)", "The forces will be repositioned.", "Staff")
	o.approvedAndReleased(t, staff)
	// Under the default policy nothing stops the dispatch; both copies then fail.
	if _, err := o.r.Dispatch(ctx, o.officer, staff, []string{"ministry", "liaison"}); err != nil {
		t.Fatal(err)
	}
	o.failCopies(t, staff)
	o.ministryNeedsLegal(t)
	_, err := o.r.RetryDispatch(ctx, o.officer, staff)
	wantErr(t, "retry of a copy to a recipient a stricter rule now names", err, ErrConflict)
	wantRuleNamed(t, err, "to-the-ministry")
	for _, m := range o.copies(t, staff) {
		if m.Status != store.StatusFailed {
			t.Errorf("after the refused retry, the copy to %s is %s, want failed", m.Recipient, m.Status)
		}
	}

	// A letter whose failed copy goes to a recipient no rule names is sent again.
	other := o.letterTo(t, "Liaison arrangements", "The liaison cell will meet weekly.", "Staff")
	o.approvedAndReleased(t, other)
	if _, err := o.r.Dispatch(ctx, o.officer, other, []string{"liaison"}); err != nil {
		t.Fatal(err)
	}
	o.failCopies(t, other)
	again, err := o.r.RetryDispatch(ctx, o.officer, other)
	if err != nil || len(again) != 1 || again[0].Status != store.StatusQueued {
		t.Fatalf("retry of a copy the rules allow: %+v, %v", again, err)
	}
}

// TestRetryDispatchCountsEveryParty: a rule over the number of addressees counts, when a
// failed copy is sent again, every party the letter was dispatched to: two copies queued
// before the check counted parties, both failed, are not both sent again.
func TestRetryDispatchCountsEveryParty(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	o.r.SetDispatch(DispatchSettings{Mail: true})
	o.addRecipients(t,
		NewRecipient{Name: "ministry", Organization: "Ministry of Defence", Emails: []string{"registry@mod.example"}},
		NewRecipient{Name: "press", Organization: "Press office", Emails: []string{"desk@press.example"}},
	)
	staff := o.letterTo(t, "Repositioning of forces (staff)", "The forces will be repositioned.", "Staff")
	o.approvedAndReleased(t, staff)
	if _, err := o.r.Dispatch(ctx, o.officer, staff, []string{"ministry", "press"}); err != nil {
		t.Fatal(err)
	}
	o.failCopies(t, staff)
	o.wideCirculationNeedsLegal(t)
	_, err := o.r.RetryDispatch(ctx, o.officer, staff)
	wantErr(t, "retry of copies to more parties than the rule allows", err, ErrConflict)
	wantRuleNamed(t, err, "wide-circulation")
}

// failCopies records every queued copy of the letter ref as failed for good, as the
// dispatcher does after its last attempt.
func (o *office) failCopies(t *testing.T, ref string) {
	t.Helper()
	for _, m := range o.copies(t, ref) {
		if err := o.r.Failed(context.Background(), m, "550 mailbox unavailable"); err != nil {
			t.Fatal(err)
		}
	}
}

// copies returns the outbox messages carrying the letter ref itself.
func (o *office) copies(t *testing.T, ref string) []store.OutboxMessage {
	t.Helper()
	var out []store.OutboxMessage
	err := o.r.cfg.DB.View(context.Background(), func(tx *store.Tx) error {
		l, err := tx.LetterByRef(context.Background(), ref)
		if err != nil {
			return err
		}
		ms, err := tx.LetterMessages(context.Background(), l.ID)
		out = nil
		for _, m := range ms {
			if m.Kind == store.KindLetter {
				out = append(out, m)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 {
		t.Fatalf("%s has no copies", ref)
	}
	return out
}

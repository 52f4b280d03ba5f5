package dispatch

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/store/storetest"
)

// TestEraseRemovesTheReasonFromWebhookEvents: a retracted letter's recipient endpoint is queued
// the retraction with its reason, as its notice carries it. Erasing the letter deletes the
// registry's copies of the reason (docs/design/confidentiality.md); before the fix the events
// kept it in their payloads, posted or not, and a delivery still waiting (as here) posted it
// after the erasure.
func TestEraseRemovesTheReasonFromWebhookEvents(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { testEraseRemovesTheReasonFromWebhookEvents(t, newOffice(t)) })
	t.Run("postgres", func(t *testing.T) {
		db, err := store.OpenPostgres(context.Background(), storetest.PostgresURL(t))
		if err != nil {
			t.Fatal(err)
		}
		testEraseRemovesTheReasonFromWebhookEvents(t, newOfficeIn(t, db))
	})
}

func testEraseRemovesTheReasonFromWebhookEvents(t *testing.T, o *office) {
	ctx := context.Background()
	o.r.SetDispatch(registry.DispatchSettings{Mail: true, AllowPrivateWebhooks: true})
	if _, _, err := o.r.AddRecipient(ctx, o.admin, registry.NewRecipient{Name: "ministry",
		Emails: []string{"registry@mod.freedonia.example"}, Webhook: "http://127.0.0.1:9/hook"}); err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.AddWebhook(ctx, o.admin, "records", "http://127.0.0.1:9/records"); err != nil {
		t.Fatal(err)
	}
	ref := o.release(t, "The brigade moves north on 3 March.")
	if _, err := o.r.Dispatch(ctx, o.officer, ref, []string{"ministry"}); err != nil {
		t.Fatal(err)
	}
	due, err := o.r.DueMessages(ctx, 10, time.Minute)
	if err != nil || len(due) != 1 {
		t.Fatalf("due: %v %v", due, err)
	}
	if err := o.r.Delivered(ctx, registry.Delivery{Message: due[0], Reply: "250 accepted"}); err != nil {
		t.Fatal(err)
	}
	const reason = "Addressed to Colonel mkrperson by mistake"
	o.withdraw(t, ref, "", reason)
	payloads := func() (out []string) {
		t.Helper()
		err := o.db.View(ctx, func(tx *store.Tx) error {
			ds, err := tx.WebhookDeliveries(ctx, 100)
			for _, d := range ds {
				if d.Event == "letter.retracted" {
					out = append(out, string(d.Payload))
				}
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	var held int
	for _, p := range payloads() {
		if strings.Contains(p, "mkrperson") {
			held++
		}
	}
	if held != 1 {
		t.Fatalf("before the erasure, %d retraction events carry the reason, want the recipient's one", held)
	}
	if err := o.r.Erase(ctx, o.admin, ref, "erasure request"); err != nil {
		t.Fatal(err)
	}
	ps := payloads()
	if len(ps) != 2 {
		t.Fatalf("after the erasure, %d retraction events, want the office's and the recipient's", len(ps))
	}
	for _, p := range ps {
		if strings.Contains(p, "mkrperson") {
			t.Errorf("an erased letter's reason is kept in a webhook event: %s", p)
		}
		if !strings.Contains(p, ref) {
			t.Errorf("the event lost its reference: %s", p)
		}
	}
}

// TestEraseRemovesRecipientsFromTheAuditTrail: the letter's audit trail named the recipients
// it was dispatched and delivered to, with their addresses and the SMTP server's reply, and
// its withdrawal's reason; erasing the letter rewrites those events (migration 31), on both
// backends, and keeps them in their place.
func TestEraseRemovesRecipientsFromTheAuditTrail(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { testEraseRemovesRecipientsFromTheAuditTrail(t, newOffice(t)) })
	t.Run("postgres", func(t *testing.T) {
		db, err := store.OpenPostgres(context.Background(), storetest.PostgresURL(t))
		if err != nil {
			t.Fatal(err)
		}
		testEraseRemovesRecipientsFromTheAuditTrail(t, newOfficeIn(t, db))
	})
}

func testEraseRemovesRecipientsFromTheAuditTrail(t *testing.T, o *office) {
	ctx := context.Background()
	o.r.SetDispatch(registry.DispatchSettings{Mail: true})
	if _, _, err := o.r.AddRecipient(ctx, o.admin, registry.NewRecipient{Name: "mkrministry",
		Emails: []string{"mkraddress@mod.freedonia.example"}}); err != nil {
		t.Fatal(err)
	}
	ref := o.release(t, "The brigade moves north on 3 March.")
	if _, err := o.r.Dispatch(ctx, o.officer, ref, []string{"mkrministry"}); err != nil {
		t.Fatal(err)
	}
	due, err := o.r.DueMessages(ctx, 10, time.Minute)
	if err != nil || len(due) != 1 {
		t.Fatalf("due: %v %v", due, err)
	}
	if err := o.r.Delivered(ctx, registry.Delivery{Message: due[0], Reply: "250 accepted for <mkraddress@mod.freedonia.example>"}); err != nil {
		t.Fatal(err)
	}
	o.withdraw(t, ref, "", "Addressed to Colonel mkrperson by mistake")
	trail := func() []store.AuditEvent {
		t.Helper()
		es, err := o.r.Audit(ctx, o.admin, ref)
		if err != nil {
			t.Fatal(err)
		}
		return es
	}
	shows := func(es []store.AuditEvent) (out []string) {
		for _, e := range es {
			if s := e.Actor + " " + e.Detail; strings.Contains(s, "mkr") {
				out = append(out, e.Action+": "+s)
			}
		}
		return out
	}
	before := trail()
	if len(shows(before)) < 3 {
		t.Fatalf("before the erasure the trail shows the recipient and reason in fewer events than dispatch, delivery and retraction: %q", shows(before))
	}
	if err := o.r.Erase(ctx, o.admin, ref, "erasure request"); err != nil {
		t.Fatal(err)
	}
	after := trail()
	if s := shows(after); len(s) != 0 {
		t.Errorf("after the erasure the audit trail still shows: %q", s)
	}
	if len(after) != len(before)+1 {
		t.Errorf("%d events after the erasure, %d before", len(after), len(before))
	}
}

// TestEraseCoversMessagesInFlight: a message the worker had taken when the letter was erased
// is recorded after the erasure, sent or failed (its letter can no longer be composed); those
// records named the recipient and its address in the audit trail again, and a delivery named
// the recipient in the office's webhook event.
func TestEraseCoversMessagesInFlight(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	o.r.SetDispatch(registry.DispatchSettings{Mail: true, AllowPrivateWebhooks: true})
	for _, n := range []string{"mkrministry", "mkrembassy"} {
		if _, _, err := o.r.AddRecipient(ctx, o.admin, registry.NewRecipient{Name: n, Emails: []string{n + "@freedonia.example"}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := o.r.AddWebhook(ctx, o.admin, "records", "http://127.0.0.1:9/records"); err != nil {
		t.Fatal(err)
	}
	ref := o.release(t, "The brigade moves north on 3 March.")
	if _, err := o.r.Dispatch(ctx, o.officer, ref, []string{"mkrministry", "mkrembassy"}); err != nil {
		t.Fatal(err)
	}
	due, err := o.r.DueMessages(ctx, 10, time.Minute)
	if err != nil || len(due) != 2 {
		t.Fatalf("due: %v %v", due, err)
	}
	if err := o.r.Erase(ctx, o.admin, ref, "erasure request"); err != nil {
		t.Fatal(err)
	}
	if err := o.r.Delivered(ctx, registry.Delivery{Message: due[0], Reply: "250 accepted for <" + due[0].Email + ">"}); err != nil {
		t.Fatal(err)
	}
	if err := o.r.Failed(ctx, due[1], "not sent: the content was erased"); err != nil {
		t.Fatal(err)
	}
	es, err := o.r.Audit(ctx, o.admin, ref)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range es {
		actions = append(actions, e.Action)
		if strings.Contains(e.Actor+" "+e.Detail, "mkr") {
			t.Errorf("an event recorded after the erasure names the recipient: %s by %s: %s", e.Action, e.Actor, e.Detail)
		}
	}
	if !slices.Contains(actions, "dispatch.sent") || !slices.Contains(actions, "dispatch.failed") {
		t.Errorf("the trail lacks the messages' records: %q", actions)
	}
	err = o.db.View(ctx, func(tx *store.Tx) error {
		ds, err := tx.WebhookDeliveries(ctx, 100)
		for _, d := range ds {
			if strings.Contains(string(d.Payload), "mkr") {
				t.Errorf("a webhook event queued after the erasure names the recipient: %s", d.Payload)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

package dispatch

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/store/storetest"
)

// TestEraseLeftoversOfAnEarlierBuild: a build before migration 31 erased a dispatched and
// retracted letter's content in the store (EraseLetter) but left the recipient's address
// and the retraction's reason in the audit trail and the reason in the webhook events (found
// live: an office of f911845 upgraded). The upgraded server's first start erases them, on
// both stores, once.
func TestEraseLeftoversOfAnEarlierBuild(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { testEraseLeftoversOfAnEarlierBuild(t, newOffice(t)) })
	t.Run("postgres", func(t *testing.T) {
		db, err := store.OpenPostgres(context.Background(), storetest.PostgresURL(t))
		if err != nil {
			t.Fatal(err)
		}
		testEraseLeftoversOfAnEarlierBuild(t, newOfficeIn(t, db))
	})
}

func testEraseLeftoversOfAnEarlierBuild(t *testing.T, o *office) {
	ctx := context.Background()
	o.r.SetDispatch(registry.DispatchSettings{Mail: true, AllowPrivateWebhooks: true})
	if _, _, err := o.r.AddRecipient(ctx, o.admin, registry.NewRecipient{Name: "ministry",
		Emails: []string{"mkraddress@mod.freedonia.example"}, Webhook: "http://127.0.0.1:9/hook"}); err != nil {
		t.Fatal(err)
	}
	ref := o.release(t, "The brigade moves north on 3 March, as an older build kept it.")
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
	o.withdraw(t, ref, "", "Addressed to Colonel mkrperson by mistake")
	// The erasure of a build before migration 31: the store's copies only.
	err = o.db.Update(ctx, func(tx *store.Tx) error {
		l, err := tx.LetterByRef(ctx, ref)
		if err != nil {
			return err
		}
		rel, err := tx.ReleaseOf(ctx, l.ID)
		if err != nil {
			return err
		}
		if err := tx.EraseLetter(ctx, l.ID, time.Now()); err != nil {
			return err
		}
		return tx.DeleteSeal(ctx, rel.LogIndex)
	})
	if err != nil {
		t.Fatal(err)
	}
	leftovers := func() (out []string) {
		t.Helper()
		err := o.db.View(ctx, func(tx *store.Tx) error {
			ds, err := tx.WebhookDeliveries(ctx, 100)
			for _, d := range ds {
				out = append(out, d.Event+": "+string(d.Payload))
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		events, err := o.r.Audit(ctx, o.admin, ref)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range events {
			out = append(out, e.Action+" by "+e.Actor+": "+e.Detail)
		}
		return out
	}
	held := strings.Join(leftovers(), "\n")
	for _, m := range []string{"mkraddress", "mkrperson"} {
		if !strings.Contains(held, m) {
			t.Fatalf("the set-up left no %q: %s", m, held)
		}
	}
	n, err := o.r.EraseLeftovers(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("erased again %d letters, want 1", n)
	}
	for _, s := range leftovers() {
		if strings.Contains(s, "mkraddress") || strings.Contains(s, "mkrperson") {
			t.Errorf("after the upgrade, still: %s", s)
		}
	}
	if n, err := o.r.EraseLeftovers(ctx, nil); err != nil || n != 0 {
		t.Errorf("a second start erased again %d letters, %v; want 0", n, err)
	}
}

// TestEraseLeftoversKeepsALaterRetractionsReason: the pass of item 840 erased, with the
// rest, the reason of a retraction made after the letter's erasure, which is no content of
// the letter: from the registry's answer to holders and from the audit trail (found by
// review, fifty-seventh session). It keeps it, on both stores.
func TestEraseLeftoversKeepsALaterRetractionsReason(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { testEraseLeftoversKeepsALaterRetractionsReason(t, newOffice(t)) })
	t.Run("postgres", func(t *testing.T) {
		db, err := store.OpenPostgres(context.Background(), storetest.PostgresURL(t))
		if err != nil {
			t.Fatal(err)
		}
		testEraseLeftoversKeepsALaterRetractionsReason(t, newOfficeIn(t, db))
	})
}

func testEraseLeftoversKeepsALaterRetractionsReason(t *testing.T, o *office) {
	ctx := context.Background()
	o.r.SetDispatch(registry.DispatchSettings{Mail: true, AllowPrivateWebhooks: true})
	if _, _, err := o.r.AddRecipient(ctx, o.admin, registry.NewRecipient{Name: "ministry",
		Emails: []string{"desk@mod.freedonia.example"}, Webhook: "http://127.0.0.1:9/hook"}); err != nil {
		t.Fatal(err)
	}
	ref := o.release(t, "A letter dispatched, erased, then retracted with a reason of its own.")
	if _, err := o.r.Dispatch(ctx, o.officer, ref, []string{"ministry"}); err != nil {
		t.Fatal(err)
	}
	if err := o.r.Erase(ctx, o.admin, ref, "erasure request"); err != nil {
		t.Fatal(err)
	}
	o.withdraw(t, ref, "", "mkrlaterreason: sent to the wrong registry")
	held := func() string {
		t.Helper()
		var out []string
		err := o.db.View(ctx, func(tx *store.Tx) error {
			ds, err := tx.WebhookDeliveries(ctx, 100)
			for _, d := range ds {
				out = append(out, "webhook "+d.Event+": "+string(d.Payload))
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		events, err := o.r.Audit(ctx, o.admin, ref)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range events {
			out = append(out, "audit "+e.Action+": "+e.Detail)
		}
		st, err := o.r.StatusOf(ctx, ref)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, "status "+st.Outcome)
		return strings.Join(out, "\n")
	}
	before := held()
	// An erased letter's retraction is posted to no endpoint (it was dispatched before its
	// erasure): the reason is in the audit trail, and its holders' answer
	// (registry.TestEraseLeftoversKeepsARetractionAfterTheErasure).
	if !strings.Contains(before, "mkrlaterreason") {
		t.Fatalf("the set-up: the reason is not in the audit trail:\n%s", before)
	}
	if n, err := o.r.EraseLeftovers(ctx, nil); err != nil || n != 1 {
		t.Fatalf("EraseLeftovers: %d, %v; want 1 letter", n, err)
	}
	if after := held(); after != before {
		t.Errorf("the pass changed what a retraction made after the erasure left:\n%s\nwas:\n%s", after, before)
	}
}

package store_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/store/storetest"
)

func TestWebhooksPostedInOrderSQLite(t *testing.T) {
	testWebhooksPostedInOrder(t, openSQLite(t, t.TempDir()), false)
}

func TestWebhooksPostedInOrderPostgres(t *testing.T) {
	testWebhooksPostedInOrder(t, openPostgres(t, storetest.PostgresURL(t)), true)
}

// testWebhooksPostedInOrder: the deliveries to one endpoint are posted in the order they were
// queued, one finished (sent or failed for good) before the next is due. A letter that reached
// its recipient after its withdrawal queues its letter.dispatched, then the withdrawal event
// (registry.TestLateDeliveryIsHeardBeforeItsWithdrawal), and a receiver that hears the
// withdrawal of a letter it does not know drops it. Until the fifty-seventh session only the
// first due delivery to an endpoint was taken: while another server held the first under its
// claim (PostgreSQL, several servers), or while the first waited for its next attempt after
// the endpoint failed it, the second was due and posted before it (audit, fifty-seventh
// session).
func testWebhooksPostedInOrder(t *testing.T, db *store.DB, claims bool) {
	defer db.Close()
	ctx := t.Context()
	now := time.Now().UTC().Truncate(time.Second)
	var ids []int64
	err := db.Update(ctx, func(tx *store.Tx) error {
		e := &store.WebhookEndpoint{Name: "records", URL: "https://records.example/hook", Secret: "whsec_AAAA", CreatedAt: now}
		if err := tx.AddWebhookEndpoint(ctx, e); err != nil {
			return err
		}
		for i, event := range []string{"letter.dispatched", "letter.retracted", "letter.received"} {
			d := &store.WebhookDelivery{EndpointID: e.ID, WebhookID: fmt.Sprintf("msg_%d", i), Event: event, Payload: []byte(`{}`), NextAt: now, CreatedAt: now}
			if err := tx.AddWebhookDelivery(ctx, d); err != nil {
				return err
			}
			ids = append(ids, d.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	at := now.Add(time.Second)
	// due reads the due deliveries at t, as a server does: claimed on PostgreSQL.
	due := func(t *testing.T, at time.Time) (events []string) {
		t.Helper()
		err := db.Update(ctx, func(tx *store.Tx) error {
			var ds []store.WebhookDelivery
			var err error
			if claims {
				ds, err = tx.ClaimDueWebhookDeliveries(ctx, at, 10, at.Add(time.Minute))
			} else {
				ds, err = tx.DueWebhookDeliveries(ctx, at, 10)
			}
			for _, d := range ds {
				events = append(events, d.Event)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return events
	}
	mark := func(t *testing.T, id int64, status string, next time.Time) {
		t.Helper()
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.MarkWebhook(ctx, id, status, "503 Service Unavailable", next, at) }); err != nil {
			t.Fatal(err)
		}
	}
	if got := fmt.Sprint(due(t, at)); got != "[letter.dispatched]" {
		t.Fatalf("first read: %s", got)
	}
	if claims {
		// Another server reads while the first holds letter.dispatched under its claim.
		if got := due(t, at); len(got) != 0 {
			t.Errorf("another server's read, the first delivery claimed: %q, want nothing before it is posted", got)
		}
	}
	// The endpoint failed the first post: it is tried again in an hour, and the withdrawal
	// waits for it.
	mark(t, ids[0], store.StatusDeferred, at.Add(time.Hour))
	if got := due(t, at.Add(2*time.Second)); len(got) != 0 {
		t.Errorf("while letter.dispatched waits for its next attempt: %q due, want nothing", got)
	}
	if got := fmt.Sprint(due(t, at.Add(time.Hour))); got != "[letter.dispatched]" {
		t.Fatalf("at its next attempt: %s", got)
	}
	mark(t, ids[0], store.StatusSent, at.Add(time.Hour))
	if got := fmt.Sprint(due(t, at.Add(time.Hour+time.Second))); got != "[letter.retracted]" {
		t.Fatalf("letter.dispatched sent: %s due, want the withdrawal", got)
	}
	// A delivery that failed for good holds nothing back.
	mark(t, ids[1], store.StatusFailed, at.Add(time.Hour))
	if got := fmt.Sprint(due(t, at.Add(2*time.Hour))); got != "[letter.received]" {
		t.Fatalf("the withdrawal failed for good: %s due, want the next delivery", got)
	}
}

package store_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/store/storetest"
)

func TestRecipientNamedEndpointsBacklogSQLite(t *testing.T) {
	dir := t.TempDir()
	testRecipientNamedEndpointsBacklog(t,
		func(n int) (*store.DB, error) { return store.OpenSQLiteAtForTest(t.Context(), dir, n) },
		func() (*store.DB, error) { return store.OpenSQLite(t.Context(), dir) })
}

func TestRecipientNamedEndpointsBacklogPostgres(t *testing.T) {
	url := storetest.PostgresURL(t)
	testRecipientNamedEndpointsBacklog(t,
		func(n int) (*store.DB, error) { return store.OpenPostgresAtForTest(t.Context(), url, n) },
		func() (*store.DB, error) { return store.OpenPostgres(t.Context(), url) })
}

// testRecipientNamedEndpointsBacklog: migration 45 binds an office endpoint named
// "recipient:NAME" to recipient NAME, so that it hears only about NAME's letters; but the
// deliveries queued to it while it heard every event (other letters' references, other
// recipients' names in letter.dispatched) were still posted to it after the upgrade, listed as
// NAME's own, and 'webhook retry' posted its failed ones again (fifty-eighth session's review).
// The migration deletes the bound endpoint's deliveries not yet posted, keeps those posted,
// and leaves every other endpoint's alone.
func testRecipientNamedEndpointsBacklog(t *testing.T, openAt func(int) (*store.DB, error), open func() (*store.DB, error)) {
	ctx := t.Context()
	old, err := openAt(44)
	if err != nil {
		t.Fatal(err)
	}
	now := store.FormatTimeForTest(time.Now().UTC())
	err = old.Update(ctx, func(tx *store.Tx) error {
		if err := tx.AddRecipient(ctx, &store.Recipient{Name: "ministry", Emails: []string{"registry@ministry.example"}, CreatedAt: time.Now().UTC()}); err != nil {
			return err
		}
		for _, name := range []string{"recipient:ministry", "recipient:ghost", "records"} {
			got, err := store.IntsTx(ctx, tx, `INSERT INTO webhook_endpoints (name, url, secret, recipient_id, created_at) VALUES ($1, $2, 'whsec_AAAA', NULL, $3) RETURNING id`,
				name, "https://hooks.example.org/"+name, now)
			if err != nil || len(got) != 1 {
				return fmt.Errorf("endpoint %s: %v %v", name, got, err)
			}
			id := int64(got[0])
			for _, status := range []string{"sent", "queued", "deferred", "failed"} {
				if err := store.ExecTx(ctx, tx, `INSERT INTO webhook_deliveries (endpoint_id, webhook_id, event, payload, status, attempts, next_at, reply, created_at)
					VALUES ($1, $2, 'letter.dispatched', $3, $4, 0, $5, '', $5)`, id, fmt.Sprintf("msg_%s_%s", name, status),
					[]byte(`{"type":"letter.dispatched","data":{"reference":"TFN-2026-000009","recipient":"embassy"}}`), status, now); err != nil {
					return err
				}
			}
		}
		return nil
	})
	old.Close()
	if err != nil {
		t.Fatal(err)
	}
	db, err := open()
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var ds []store.WebhookDelivery
	if err := db.View(ctx, func(tx *store.Tx) (err error) { ds, err = tx.WebhookDeliveries(ctx, 100); return err }); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range ds {
		got = append(got, d.Endpoint.Name+" "+d.Status)
	}
	slices.Sort(got)
	want := []string{"recipient:ghost deferred", "recipient:ghost failed", "recipient:ghost queued", "recipient:ghost sent",
		"recipient:ministry sent",
		"records deferred", "records failed", "records queued", "records sent"}
	if !slices.Equal(got, want) {
		t.Errorf("deliveries after the migration:\n%q\nwant\n%q", got, want)
	}
}

package store_test

import (
	"testing"
	"time"

	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/store/storetest"
)

func TestRecipientNamedOfficeEndpointsBoundSQLite(t *testing.T) {
	dir := t.TempDir()
	testRecipientNamedOfficeEndpointsBound(t,
		func(n int) (*store.DB, error) { return store.OpenSQLiteAtForTest(t.Context(), dir, n) },
		func() (*store.DB, error) { return store.OpenSQLite(t.Context(), dir) })
}

func TestRecipientNamedOfficeEndpointsBoundPostgres(t *testing.T) {
	url := storetest.PostgresURL(t)
	testRecipientNamedOfficeEndpointsBound(t,
		func(n int) (*store.DB, error) { return store.OpenPostgresAtForTest(t.Context(), url, n) },
		func() (*store.DB, error) { return store.OpenPostgres(t.Context(), url) })
}

// testRecipientNamedOfficeEndpointsBound: office endpoints named "recipient:NAME", as a build
// before the fifty-seventh session's fix let an admin add them, heard every event of the
// office, other recipients' names included, after the upgrade (fifty-seventh session's list).
// Migration 45 binds such an endpoint to recipient NAME when NAME is in the directory (retired
// too) and has no endpoint of its own; it leaves one whose NAME is no recipient, one whose recipient has an
// endpoint, and another case of the prefix; run again, it changes nothing more.
func testRecipientNamedOfficeEndpointsBound(t *testing.T, openAt func(int) (*store.DB, error), open func() (*store.DB, error)) {
	ctx := t.Context()
	old, err := openAt(44)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	ids := map[string]int64{}
	err = old.Update(ctx, func(tx *store.Tx) error {
		for _, name := range []string{"ministry", "liaison", "embassy", "former"} {
			r := &store.Recipient{Name: name, Emails: []string{name + "@example.org"}, CreatedAt: now}
			if err := tx.AddRecipient(ctx, r); err != nil {
				return err
			}
			ids[name] = r.ID
		}
		// A recipient retired before the upgrade: its endpoint is bound too, the lead's
		// decision (fifty-ninth session), and listed as a retired recipient's.
		if err := tx.RetireRecipient(ctx, ids["former"], now); err != nil {
			return err
		}
		// What the earlier build stored: office endpoints (no recipient) so named, and
		// liaison's own endpoint under another name.
		for _, e := range []struct {
			name string
			rid  any
		}{
			{"recipient:ministry", nil}, {"recipient:former", nil}, {"recipient:ghost", nil}, {"recipient:liaison", nil}, {"Recipient:embassy", nil},
			{"liaison-own", ids["liaison"]}, {"records", nil},
		} {
			if err := store.ExecTx(ctx, tx, `INSERT INTO webhook_endpoints (name, url, secret, recipient_id, created_at) VALUES ($1, $2, $3, $4, $5)`,
				e.name, "https://hooks.example.org/"+e.name, "whsec_AAAA", e.rid, store.FormatTimeForTest(now)); err != nil {
				return err
			}
		}
		return nil
	})
	old.Close()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{"recipient:ministry": ids["ministry"], "recipient:former": ids["former"], "recipient:ghost": 0, "recipient:liaison": 0, "Recipient:embassy": 0,
		"liaison-own": ids["liaison"], "records": 0}
	for range 2 {
		db, err := open()
		if err != nil {
			t.Fatal(err)
		}
		var eps []store.WebhookEndpoint
		err = db.View(ctx, func(tx *store.Tx) (err error) { eps, err = tx.WebhookEndpoints(ctx); return err })
		if err != nil {
			t.Fatal(err)
		}
		if len(eps) != len(want) {
			t.Fatalf("%d endpoints after the migration, want %d", len(eps), len(want))
		}
		for _, e := range eps {
			if e.RecipientID != want[e.Name] {
				t.Errorf("endpoint %s after the migration: recipient %d, want %d", e.Name, e.RecipientID, want[e.Name])
			}
		}
		// The migration run again, as a store whose migrations are run again runs it.
		err = db.Update(ctx, func(tx *store.Tx) error {
			return store.ExecTx(ctx, tx, `DELETE FROM schema_version WHERE version >= 45`)
		})
		db.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
}

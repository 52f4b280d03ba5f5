package registry

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/chancery/chancery/internal/store"
)

// TestOfficeEndpointNamedAsRecipientIsMarked: an office endpoint named "recipient:NAME" that
// migration 45 could not bind (NAME is no recipient) still hears every event; 'webhook list'
// and the admin page showed it as a recipient's, without a word (fifty-seventh session's
// list). It is marked; a recipient's own endpoint and an office endpoint otherwise named are not.
func TestOfficeEndpointNamedAsRecipientIsMarked(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	o := newOfficeIn(t, dir)
	o.r.SetDispatch(DispatchSettings{Mail: true})
	if _, _, err := o.r.AddRecipient(ctx, o.admin, NewRecipient{Name: "ministry", Emails: []string{"registry@ministry.example"},
		Webhook: "https://hooks.ministry.example/in"}); err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.AddWebhook(ctx, o.admin, "records", "https://records.example/in"); err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", "file:"+filepath.Join(dir, store.SQLiteFile))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`INSERT INTO webhook_endpoints (name, url, secret, recipient_id, created_at) VALUES ('recipient:ghost', 'https://ghost.example/in', 'whsec_AAAA', NULL, '2026-01-01T00:00:00Z')`); err != nil {
		t.Fatal(err)
	}
	ws, err := o.r.Webhooks(ctx, o.admin)
	if err != nil || len(ws) != 3 {
		t.Fatalf("endpoints: %+v, %v", ws, err)
	}
	for _, w := range ws {
		if want := w.Name == "recipient:ghost"; w.OfficeNamedAsRecipient != want {
			t.Errorf("%s (recipient %q): marked an office endpoint named as a recipient's %v, want %v", w.Name, w.Recipient, w.OfficeNamedAsRecipient, want)
		}
	}
}

// TestEndpointOfARetiredRecipientIsMarked: migration 45 binds an office endpoint named
// "recipient:NAME" to recipient NAME also when NAME was retired from the directory before it
// (which retiring no longer leaves: it removes the recipient's endpoint). The lead kept the
// binding, which hears only about the letters sent to NAME before, less than the every event
// it heard unbound; 'webhook list' showed it as "(recipient NAME)" of a recipient the
// directory no longer lists (fifty-eighth session's list). It is marked as a retired
// recipient's; the endpoint of a recipient in the directory is not.
func TestEndpointOfARetiredRecipientIsMarked(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	o := newOfficeIn(t, dir)
	o.r.SetDispatch(DispatchSettings{Mail: true})
	if _, _, err := o.r.AddRecipient(ctx, o.admin, NewRecipient{Name: "ministry", Emails: []string{"registry@ministry.example"},
		Webhook: "https://hooks.ministry.example/in"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := o.r.AddRecipient(ctx, o.admin, NewRecipient{Name: "former", Emails: []string{"registry@former.example"}}); err != nil {
		t.Fatal(err)
	}
	if err := o.r.RetireRecipient(ctx, o.admin, "former"); err != nil {
		t.Fatal(err)
	}
	// What the office held at schema 44: an office endpoint an earlier build let be named for
	// the retired recipient. Migration 45 is run again on it, as on an office upgraded.
	raw, err := sql.Open("sqlite", "file:"+filepath.Join(dir, store.SQLiteFile))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`INSERT INTO webhook_endpoints (name, url, secret, recipient_id, created_at) VALUES ('recipient:former', 'https://hooks.former.example/in', 'whsec_AAAA', NULL, '2026-01-01T00:00:00Z');
DELETE FROM schema_version WHERE version >= 45`); err != nil {
		t.Fatal(err)
	}
	db, err := store.OpenSQLite(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	ws, err := o.r.Webhooks(ctx, o.admin)
	if err != nil || len(ws) != 2 {
		t.Fatalf("endpoints: %+v, %v", ws, err)
	}
	for _, w := range ws {
		switch w.Name {
		case "recipient:former":
			if w.Recipient != "former" || !w.RecipientRetired || w.OfficeNamedAsRecipient {
				t.Errorf("the endpoint bound to the retired recipient: %+v, want recipient former, marked retired", w)
			}
		case "recipient:ministry":
			if w.Recipient != "ministry" || w.RecipientRetired {
				t.Errorf("the endpoint of a recipient in the directory: %+v, want recipient ministry, not marked", w)
			}
		}
	}
}

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

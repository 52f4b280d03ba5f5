package cli_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/cli"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/store"
)

// TestWebhookListMarksARetiredRecipient: migration 45 binds to recipient NAME an office
// endpoint named "recipient:NAME" also when NAME was retired before it, and the lead kept the
// binding; 'webhook list' showed "former" as its recipient, a recipient the directory no
// longer lists (fifty-eighth session's list). It says the recipient is retired, in text and
// in --json; a recipient in the directory is shown as before.
func TestWebhookListMarksARetiredRecipient(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	o.reg.SetDispatch(registry.DispatchSettings{Mail: true})
	for _, nr := range []registry.NewRecipient{
		{Name: "ministry", Emails: []string{"registry@ministry.example"}, Webhook: "https://hooks.ministry.example/in"},
		{Name: "former", Emails: []string{"registry@former.example"}},
	} {
		if _, _, err := o.reg.AddRecipient(ctx, o.actors["root"], nr); err != nil {
			t.Fatal(err)
		}
	}
	if err := o.reg.RetireRecipient(ctx, o.actors["root"], "former"); err != nil {
		t.Fatal(err)
	}
	// What migration 45 leaves of such an endpoint (store.TestRecipientNamedOfficeEndpointsBound).
	err := o.db.Update(ctx, func(tx *store.Tx) error {
		rec, err := tx.RecipientByName(ctx, "former")
		if err != nil {
			return err
		}
		return tx.AddWebhookEndpoint(ctx, &store.WebhookEndpoint{Name: "recipient:former", URL: "https://hooks.former.example/in",
			Secret: "whsec_AAAA", RecipientID: rec.ID, CreatedAt: time.Now()})
	})
	if err != nil {
		t.Fatal(err)
	}
	code, out, errs := o.run("root", "webhook", "list")
	if code != cli.ExitOK {
		t.Fatalf("webhook list: exit %d\n%s", code, errs)
	}
	// The recipient's name stays the third field, as for a recipient in the directory, and the
	// note ends the line (a script reading $3 finds the name).
	seen := 0
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		switch {
		case strings.HasPrefix(line, "recipient:former "):
			seen++
			if len(f) < 3 || f[2] != "former" || !strings.HasSuffix(line, "(a retired recipient: it hears only about the letters sent to them before)") {
				t.Errorf("webhook list: %q, want former third and marked as a retired recipient", line)
			}
		case strings.HasPrefix(line, "recipient:ministry "):
			seen++
			if len(f) != 3 || f[2] != "ministry" {
				t.Errorf("webhook list: %q, want the recipient ministry", line)
			}
		}
	}
	if seen != 2 {
		t.Errorf("webhook list: %d of the two endpoints listed:\n%s", seen, out)
	}
	code, out, errs = o.run("root", "webhook", "list", "--json")
	var ws []registry.WebhookView
	if code != cli.ExitOK || json.Unmarshal([]byte(out), &ws) != nil || len(ws) != 2 {
		t.Fatalf("webhook list --json: exit %d\n%s\n%s", code, out, errs)
	}
	for _, w := range ws {
		if want := w.Name == "recipient:former"; w.RecipientRetired != want || !strings.HasSuffix(w.Name, w.Recipient) {
			t.Errorf("webhook list --json: %+v, want recipient_retired %v", w, want)
		}
	}
	if !strings.Contains(out, `"recipient_retired":true`) {
		t.Errorf("webhook list --json does not say recipient_retired:\n%s", out)
	}
}

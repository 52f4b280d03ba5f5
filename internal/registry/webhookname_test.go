package registry

import (
	"context"
	"errors"
	"testing"

	"github.com/chancery/chancery/internal/store"
)

// TestOfficeWebhookCannotTakeARecipientsName: "recipient:NAME" names recipient NAME's
// endpoint, which hears only about the letters sent to NAME. Until the fifty-seventh session an
// admin could add an office endpoint so named (say, to put back at a recipient's address an
// endpoint removed): it heard every event, other recipients' dispatches included, and retiring
// a recipient NAME removed it.
func TestOfficeWebhookCannotTakeARecipientsName(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	o.r.SetDispatch(DispatchSettings{Mail: true})
	for _, name := range []string{"recipient:ministry", "Recipient:ministry", "RECIPIENT:x"} {
		if _, err := o.r.AddWebhook(ctx, o.admin, name, "https://hooks.example/x"); !errors.Is(err, ErrInvalid) {
			t.Errorf("office endpoint %q: %v, want ErrInvalid", name, err)
		}
	}
	if _, err := o.r.AddWebhook(ctx, o.admin, "records:main", "https://hooks.example/records"); err != nil {
		t.Fatal(err)
	}

	// An office endpoint an earlier build let an admin name "recipient:NAME" stays when the
	// recipient NAME, who has no endpoint, is retired; a recipient's own endpoint goes.
	if _, _, err := o.r.AddRecipient(ctx, o.admin, NewRecipient{Name: "ministry", Emails: []string{"registry@mod.example"}}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := o.r.AddRecipient(ctx, o.admin, NewRecipient{Name: "liaison", Emails: []string{"cell@liaison.example"}, Webhook: "https://liaison.example/hook"}); err != nil {
		t.Fatal(err)
	}
	if err := o.r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		return tx.AddWebhookEndpoint(ctx, &store.WebhookEndpoint{Name: "recipient:ministry", URL: "https://hooks.example/old", Secret: NewWebhookSecret(), CreatedAt: o.r.now()})
	}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"ministry", "liaison"} {
		if err := o.r.RetireRecipient(ctx, o.admin, name); err != nil {
			t.Fatal(err)
		}
	}
	vs, err := o.r.Webhooks(ctx, o.admin)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, v := range vs {
		names = append(names, v.Name)
	}
	if len(names) != 2 || names[0] != "recipient:ministry" || names[1] != "records:main" {
		t.Errorf("endpoints after the retirements: %q, want the two office endpoints", names)
	}
}

package registry

import (
	"context"
	"errors"
	"testing"
	"time"

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
	for _, name := range []string{"Recipient:ministry", "RECIPIENT:x", "recipient:"} {
		if _, err := o.r.AddWebhook(ctx, o.admin, name, "https://hooks.example/x"); !errors.Is(err, ErrInvalid) {
			t.Errorf("office endpoint %q: %v, want ErrInvalid", name, err)
		}
	}
	// "recipient:NAME" is recipient NAME's endpoint (TestRecipientWebhookGivenAgain): there is
	// no recipient ministry yet.
	if _, err := o.r.AddWebhook(ctx, o.admin, "recipient:ministry", "https://hooks.example/x"); !errors.Is(err, ErrNotFound) {
		t.Errorf("endpoint of a recipient not in the directory: %v, want ErrNotFound", err)
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

// TestRecipientWebhookGivenAgain: a recipient's endpoint removed ('webhook remove
// recipient:NAME', its address leaked or its domain lapsed) could not be given again: 'recipient
// add' refuses a name in the directory, and 'webhook add recipient:NAME', which had made an office
// endpoint hearing every event, was refused since (audit, fifty-seventh session). It makes the
// recipient's endpoint, which hears only of the letters sent to it; a retired recipient gets
// none, and a recipient has one.
func TestRecipientWebhookGivenAgain(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	o.r.SetDispatch(DispatchSettings{Mail: true})
	if _, _, err := o.r.AddRecipient(ctx, o.admin, NewRecipient{Name: "ministry", Emails: []string{"registry@mod.example"}, Webhook: "https://old.mod.example/hook"}); err != nil {
		t.Fatal(err)
	}
	o.addRecipients(t, NewRecipient{Name: "liaison", Emails: []string{"cell@liaison.example"}})
	if err := o.r.RemoveWebhook(ctx, o.admin, "recipient:ministry"); err != nil {
		t.Fatal(err)
	}
	secret, err := o.r.AddWebhook(ctx, o.admin, "recipient:ministry", "https://new.mod.example/hook")
	if err != nil || secret == "" {
		t.Fatalf("give recipient ministry its endpoint again: %q, %v", secret, err)
	}
	if _, err := o.r.AddWebhook(ctx, o.admin, "recipient:ministry", "https://other.mod.example/hook"); !errors.Is(err, ErrConflict) {
		t.Errorf("a second endpoint of the recipient: %v, want ErrConflict", err)
	}
	vs, err := o.r.Webhooks(ctx, o.admin)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 1 || vs[0].Name != "recipient:ministry" || vs[0].Recipient != "ministry" || vs[0].URL != "https://new.mod.example/hook" {
		t.Fatalf("endpoints: %+v, want the recipient's", vs)
	}
	rs, err := o.r.Recipients(ctx, o.admin)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if r.Name == "ministry" && !r.HasWebhook {
			t.Errorf("the directory: %+v, want ministry with its endpoint", r)
		}
	}

	// A letter dispatched to another recipient: the endpoint hears nothing of it.
	ref, _ := o.released(t, "The patrols resume on Monday.")
	if _, err := o.r.Dispatch(ctx, o.officer, ref, []string{"liaison"}); err != nil {
		t.Fatal(err)
	}
	due, err := o.r.DueMessages(ctx, 10, time.Minute)
	if err != nil || len(due) != 1 {
		t.Fatalf("due: %v %v", due, err)
	}
	if err := o.r.Delivered(ctx, Delivery{Message: due[0], Reply: "250 ok"}); err != nil {
		t.Fatal(err)
	}
	log, err := o.r.WebhookLog(ctx, o.admin, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range log {
		if d.Endpoint == "recipient:ministry" {
			t.Errorf("the recipient's endpoint was queued %s, about a letter sent to another", d.Event)
		}
	}

	// A retired recipient is given no endpoint.
	if err := o.r.RetireRecipient(ctx, o.admin, "liaison"); err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.AddWebhook(ctx, o.admin, "recipient:liaison", "https://liaison.example/hook"); !errors.Is(err, ErrConflict) {
		t.Errorf("endpoint of a retired recipient: %v, want ErrConflict", err)
	}
}

// TestRecipientWebhookGivenAgainLongName: a recipient's name may be 64 characters, and its
// endpoint's "recipient:" and 64, as 'recipient add --webhook' makes it. 'webhook add
// recipient:NAME' checked the whole endpoint name against the 64 characters of a name: a
// recipient named with more than 54 could never be given its endpoint again (audit,
// fifty-seventh session).
func TestRecipientWebhookGivenAgainLongName(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	o.r.SetDispatch(DispatchSettings{Mail: true})
	name := "ministry-of-defence-regional-command-north-eastern-liaison-x"
	if len(name) <= 54 || len(name) > 64 {
		t.Fatalf("the name has %d characters", len(name))
	}
	if _, _, err := o.r.AddRecipient(ctx, o.admin, NewRecipient{Name: name, Emails: []string{"registry@mod.example"}, Webhook: "https://old.mod.example/hook"}); err != nil {
		t.Fatal(err)
	}
	if err := o.r.RemoveWebhook(ctx, o.admin, "recipient:"+name); err != nil {
		t.Fatal(err)
	}
	if secret, err := o.r.AddWebhook(ctx, o.admin, "recipient:"+name, "https://new.mod.example/hook"); err != nil || secret == "" {
		t.Fatalf("give recipient %s its endpoint again: %q, %v", name, secret, err)
	}
	vs, err := o.r.Webhooks(ctx, o.admin)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 1 || vs[0].Recipient != name || vs[0].URL != "https://new.mod.example/hook" {
		t.Errorf("endpoints: %+v, want the recipient's", vs)
	}
	// An office endpoint's name is still at most 64 characters.
	if _, err := o.r.AddWebhook(ctx, o.admin, "records-"+name, "https://records.example/hook"); !errors.Is(err, ErrInvalid) {
		t.Errorf("an office endpoint named with 70 characters: %v, want ErrInvalid", err)
	}
}

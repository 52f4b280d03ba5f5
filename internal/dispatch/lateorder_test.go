package dispatch

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/registry"
)

// TestLateDeliveryIsHeardBeforeItsWithdrawal: a letter that reached its recipient after it was
// withdrawn queues, to the recipient's endpoint, its letter.dispatched and the withdrawal
// event. They are posted in the order they were queued; until the fifty-seventh session the
// withdrawal came first, so a receiver heard "retracted" of a letter it did not know (and
// dropped it as noise), then "dispatched", and kept the letter as one in force.
func TestLateDeliveryIsHeardBeforeItsWithdrawal(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	o.r.SetDispatch(registry.DispatchSettings{Mail: true, AllowPrivateWebhooks: true})
	if _, _, err := o.r.AddRecipient(ctx, o.admin, registry.NewRecipient{Name: "ministry",
		Emails: []string{"registry@mod.freedonia.example"}, Webhook: "http://127.0.0.1:9/hook"}); err != nil {
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
	o.withdraw(t, ref, "", "Sent in error.")
	if err := o.r.Delivered(ctx, registry.Delivery{Message: due[0], Reply: "250 accepted"}); err != nil {
		t.Fatal(err)
	}
	log, err := o.r.WebhookLog(ctx, o.admin, 100)
	if err != nil {
		t.Fatal(err)
	}
	slices.Reverse(log) // oldest first: the order in which they are queued and posted
	var events []string
	for _, d := range log {
		if d.Endpoint == "recipient:ministry" {
			events = append(events, d.Event)
		}
	}
	if want := []string{"letter.dispatched", "letter.retracted"}; !slices.Equal(events, want) {
		t.Fatalf("the recipient's endpoint was queued %q, want %q", events, want)
	}
	// The worker's read posts the first of them first.
	ws, err := o.r.DueWebhooks(ctx, 10, time.Minute)
	if err != nil || len(ws) != 1 {
		t.Fatalf("due webhooks: %v %v", ws, err)
	}
	var p struct {
		Type string `json:"type"`
		Data struct {
			Reference string `json:"reference"`
		} `json:"data"`
	}
	if err := json.Unmarshal(ws[0].Payload, &p); err != nil || p.Type != "letter.dispatched" || p.Data.Reference != ref {
		t.Fatalf("first post to the recipient's endpoint: %s (%v), want its letter.dispatched", ws[0].Payload, err)
	}
}

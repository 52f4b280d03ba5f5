package registry

import (
	"context"
	"regexp"
	"testing"
	"time"
)

// TestReceiptLinkSurvivesANewOfficeURL: a message queued while the office's URL had one host
// and built after it moved to another carries the Message-ID it was queued with, and a
// receipt link that works. Until the thirty-ninth session the token was derived from a
// Message-ID rebuilt with the new host, so it matched no stored hash and the link said "not
// valid".
func TestReceiptLinkSurvivesANewOfficeURL(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	o.r.SetDispatch(DispatchSettings{Mail: true})
	if _, _, err := o.r.AddRecipient(ctx, o.admin, NewRecipient{Name: "ministry", Emails: []string{"registry@mod.example"}}); err != nil {
		t.Fatal(err)
	}
	ref, _ := o.released(t, "Dear Minister,\n\nA letter sent as the office moves.\n")
	if _, err := o.r.Dispatch(ctx, o.officer, ref, []string{"ministry"}); err != nil {
		t.Fatal(err)
	}
	due, err := o.r.DueMessages(ctx, 10, time.Minute)
	if err != nil || len(due) != 1 {
		t.Fatalf("due: %d, %v", len(due), err)
	}
	cfg := o.r.cfg
	cfg.Office.URL = "https://registry.tfn-moved.example"
	moved := New(cfg)
	moved.SetDispatch(DispatchSettings{Mail: true})
	if err := moved.Sending(ctx, due); err != nil {
		t.Fatal(err)
	}
	out, err := moved.Compose(ctx, due[0])
	if err != nil {
		t.Fatal(err)
	}
	if out.MessageID != due[0].MessageID {
		t.Errorf("Message-ID %q, queued as %q", out.MessageID, due[0].MessageID)
	}
	m := regexp.MustCompile(`https://registry\.tfn-moved\.example/receipt/(rct_[A-Za-z0-9_-]+)`).FindStringSubmatch(out.Text)
	if m == nil {
		t.Fatalf("no receipt link on the new host in:\n%s", out.Text)
	}
	if err := moved.Delivered(ctx, Delivery{Message: due[0], Reply: "250 ok"}); err != nil {
		t.Fatal(err)
	}
	if _, err := moved.Receipt(ctx, m[1]); err != nil {
		t.Errorf("the receipt link after the office moved: %v", err)
	}
}

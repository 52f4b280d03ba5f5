package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/server"
)

// TestRetryNotOfferedForAnAddressTakenAway: the letter page offered a release officer to send
// again a failed copy to an address an admin had since replaced, or to a recipient retired,
// which dispatch retry leaves failed since item 776 (review, fifty-sixth session): the button
// answered that nothing failed could be sent again. A copy to an address still listed is
// offered as before.
func TestRetryNotOfferedForAnAddressTakenAway(t *testing.T) {
	o := newOffice(t, server.Config{})
	ctx := context.Background()
	o.reg.SetDispatch(registry.DispatchSettings{Mail: true})
	for _, r := range []registry.NewRecipient{{Name: "ministry", Emails: []string{"registry@mod.freedonia.exmaple"}},
		{Name: "liaison", Emails: []string{"cell@liaison.example"}}} {
		if _, _, err := o.reg.AddRecipient(ctx, o.actors["root"], r); err != nil {
			t.Fatal(err)
		}
	}
	ref := o.letter("Coordination", "Sir, the letter.\n")
	o.release(ref)
	if _, err := o.reg.Dispatch(ctx, o.actors["otto"], ref, []string{"ministry", "liaison"}); err != nil {
		t.Fatal(err)
	}
	due, err := o.reg.DueMessages(ctx, 10, time.Minute)
	if err != nil || len(due) != 2 {
		t.Fatalf("due: %+v, %v", due, err)
	}
	if err := o.reg.Sending(ctx, due); err != nil {
		t.Fatal(err)
	}
	for _, m := range due {
		if err := o.reg.Failed(ctx, m, "550 mailbox unavailable"); err != nil {
			t.Fatal(err)
		}
	}
	otto := o.client()
	otto.signIn("otto")
	if _, page := otto.get("/letters/" + ref); !strings.Contains(page, `id="retry-button"`) {
		t.Fatal("the release officer is not offered to send again what failed")
	}
	if _, err := o.reg.SetRecipientEmails(ctx, o.actors["root"], "ministry", []string{"registry@mod.freedonia.example"}); err != nil {
		t.Fatal(err)
	}
	if err := o.reg.RetireRecipient(ctx, o.actors["root"], "liaison"); err != nil {
		t.Fatal(err)
	}
	if _, err := o.reg.RetryDispatch(ctx, o.actors["otto"], ref); err == nil {
		t.Fatal("dispatch retry sent again a copy to an address taken away")
	}
	if _, page := otto.get("/letters/" + ref); strings.Contains(page, "retry-button") {
		t.Error("the page offers to send again copies dispatch retry does not send")
	}
}

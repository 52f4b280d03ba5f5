package dispatch

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/store"
)

// TestWaitingMessagesFollowTheDirectory: a letter or draft copy still waiting in the outbox (a
// mail outage, a deferral) went out to the address an admin had just replaced (a typo, a domain
// that changed hands) and to a recipient just retired, and `dispatch retry` queued a failed
// letter to the replaced address again (audit, fifty-sixth session, live with Mailpit). Such
// messages fail with the reason; the new address gets the letter when it is dispatched again,
// and a notice still goes where a letter went.
func TestWaitingMessagesFollowTheDirectory(t *testing.T) {
	ctx := context.Background()
	mp := startMailpit(t)
	o := newOffice(t)
	o.r.SetDispatch(registry.DispatchSettings{Mail: true})
	const typo, right, kept = "registry@mod.freedonia.exmaple", "registry@mod.freedonia.example", "archive@mod.freedonia.example"
	o.recipient(t, "ministry", typo, kept)
	o.recipient(t, "liaison", "cell@liaison.example")

	// A letter to the mistyped address fails for good, and is retried after the correction.
	failedRef := o.release(t, "First letter.")
	if _, err := o.r.Dispatch(ctx, o.officer, failedRef, []string{"ministry"}); err != nil {
		t.Fatal(err)
	}
	d := &Dispatcher{cfg: Config{Registry: o.r, MaxAttempts: 1, Logger: slog.New(slog.DiscardHandler)}}
	outage := errors.New("connect to smtp://mail.example:25: dial tcp: connection refused")
	due, err := o.r.DueMessages(ctx, 10, time.Minute)
	if err != nil || len(due) != 2 {
		t.Fatalf("due: %+v, %v; want the letter to both addresses", due, err)
	}
	if err := o.r.Sending(ctx, due); err != nil {
		t.Fatal(err)
	}
	for _, m := range due {
		d.record(ctx, m, outage)
	}

	// Queued while the mail server is not reached: a letter to both, a draft copy to liaison.
	ref := o.release(t, "Second letter.")
	if _, err := o.r.Dispatch(ctx, o.officer, ref, []string{"ministry", "liaison"}); err != nil {
		t.Fatal(err)
	}
	draft := o.draft(t, "A draft.")
	if _, err := o.r.SendDraft(ctx, o.drafter, draft, "liaison"); err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.SetRecipientEmails(ctx, o.admin, "ministry", []string{right, kept}); err != nil {
		t.Fatal(err)
	}
	if err := o.r.RetireRecipient(ctx, o.admin, "liaison"); err != nil {
		t.Fatal(err)
	}
	again, err := o.r.RetryDispatch(ctx, o.officer, failedRef)
	if err == nil {
		for _, v := range again {
			if v.Email == typo {
				t.Errorf("dispatch retry queued the letter to the replaced address again: %+v", v)
			}
		}
	}

	o.deliver(t, mp, 3)
	waitFor(t, "the letters settled", func() bool {
		return o.settled(t, ref, 3) && o.settled(t, draft, 1) && o.settled(t, failedRef, 2)
	})
	for _, v := range append(append(o.status(t, ref), o.status(t, draft)...), o.status(t, failedRef)...) {
		want := store.StatusFailed
		if v.Email == kept {
			want = store.StatusSent
		}
		if v.Status != want {
			t.Errorf("%s %s to %s: %s (%s), want %s", v.Kind, v.MessageID, v.Email, v.Status, v.Reply, want)
		}
	}
	for _, m := range mp.messages(t) {
		for _, to := range m.To {
			if to.Address != kept {
				t.Errorf("Mailpit holds %q to %s, an address taken out of the directory", m.Subject, to.Address)
			}
		}
	}
	st := o.status(t, ref)
	for _, v := range st {
		if v.Email == typo && !strings.Contains(v.Reply, "no longer an address") || v.Email == "cell@liaison.example" && !strings.Contains(v.Reply, "retired") {
			t.Errorf("the reply of %s to %s: %q, want it to say why", v.Kind, v.Email, v.Reply)
		}
	}

	// Dispatched again, the letter goes to the new address; its retraction's notice goes where
	// a letter went, and only there.
	if _, err := o.r.Dispatch(ctx, o.officer, ref, []string{"ministry"}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the letter to the new address", func() bool { return len(byTo(t, mp, right, "official letter")) == 1 })
	o.withdraw(t, ref, "", "Sent in error.")
	waitFor(t, "the notices", func() bool { return o.settled(t, ref, 6) })
	for _, v := range o.status(t, ref) {
		if v.Kind == store.KindNotice && v.Email != right && v.Email != kept {
			t.Errorf("a notice to %s, which never had the letter", v.Email)
		}
	}
}

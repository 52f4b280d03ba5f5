package dispatch

import (
	"context"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/store"
)

// TestAcceptedDuringWithdrawalIsSentAndNoticed: the worker has composed a message and the
// SMTP server accepts it, but its letter is retracted between the worker's Compose and its
// Delivered (docs/design/dispatch.md: "A letter message that was on its way during the
// withdrawal ... gets its notice when it is marked sent"). The withdrawal failed the message
// as unsent; the acceptance wins: the message is recorded sent, with its audit record, and
// the recipient, who holds the letter or its draft copy, is queued the retraction notice.
func TestAcceptedDuringWithdrawalIsSentAndNoticed(t *testing.T) {
	for _, kind := range []string{store.KindLetter, store.KindDraftCopy} {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			o := newOffice(t)
			o.r.SetDispatch(registry.DispatchSettings{Mail: true})
			o.recipient(t, "ministry", "registry@mod.freedonia.example")
			var ref string
			if kind == store.KindLetter {
				ref = o.release(t, "The brigade moves north on 3 March.")
				if _, err := o.r.Dispatch(ctx, o.officer, ref, []string{"ministry"}); err != nil {
					t.Fatal(err)
				}
			} else {
				ref = o.draft(t, "The brigade moves north on 3 March.")
				if _, err := o.r.SendDraft(ctx, o.drafter, ref, "ministry"); err != nil {
					t.Fatal(err)
				}
			}

			// The worker: read what is due and build it, as Dispatcher.attempt does.
			due, err := o.r.DueMessages(ctx, 10, time.Minute)
			if err != nil || len(due) != 1 {
				t.Fatalf("due: %v %v", due, err)
			}
			if _, err := o.r.Compose(ctx, due[0]); err != nil {
				t.Fatal(err)
			}
			// While the message is in the SMTP transaction, the letter is retracted (a draft
			// copy's letter released first).
			if kind == store.KindDraftCopy {
				o.approveAndSign(t, ref)
				if _, err := o.r.Release(ctx, o.officer, ref); err != nil {
					t.Fatal(err)
				}
			}
			o.withdraw(t, ref, "", "Sent in error.")
			// The SMTP server answers 250: the recipient has the message. The recorder records it.
			if err := o.r.Delivered(ctx, registry.Delivery{Message: due[0], Reply: "250 accepted"}); err != nil {
				t.Fatal(err)
			}

			var sent, notice *registry.DispatchView
			for _, v := range o.status(t, ref) {
				switch v.Kind {
				case kind:
					sent = &v
				case store.KindNotice:
					notice = &v
				}
			}
			if sent == nil || sent.Status != store.StatusSent {
				t.Errorf("the %s the SMTP server accepted is recorded as %+v, want sent", kind, sent)
			}
			if notice == nil || notice.Email != "registry@mod.freedonia.example" {
				t.Errorf("the recipient holds the retracted letter's %s and was queued no retraction notice: %+v", kind, notice)
			}
		})
	}
}

// TestAcceptedDuringWithdrawalReachesRecipientWebhook: as above, the letter is retracted while
// its message is in the SMTP transaction, and the acceptance queues the notice by mail. The
// recipient's webhook endpoint, which hears the withdrawal of every letter sent to it
// (docs/design/dispatch.md, "What each endpoint hears"), must hear it too, once, with the
// reason its notice carries; and a second address of the same recipient accepted late does
// not make it hear the withdrawal twice.
func TestAcceptedDuringWithdrawalReachesRecipientWebhook(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	o.r.SetDispatch(registry.DispatchSettings{Mail: true, AllowPrivateWebhooks: true})
	if _, _, err := o.r.AddRecipient(ctx, o.admin, registry.NewRecipient{Name: "ministry",
		Emails: []string{"a@mod.freedonia.example", "b@mod.freedonia.example"}, Webhook: "http://127.0.0.1:9/hook"}); err != nil {
		t.Fatal(err)
	}
	ref := o.release(t, "The brigade moves north on 3 March.")
	if _, err := o.r.Dispatch(ctx, o.officer, ref, []string{"ministry"}); err != nil {
		t.Fatal(err)
	}
	due, err := o.r.DueMessages(ctx, 10, time.Minute)
	if err != nil || len(due) != 2 {
		t.Fatalf("due: %v %v", due, err)
	}
	o.withdraw(t, ref, "", "Sent in error.")
	for _, m := range due {
		if err := o.r.Delivered(ctx, registry.Delivery{Message: m, Reply: "250 accepted"}); err != nil {
			t.Fatal(err)
		}
	}
	log, err := o.r.WebhookLog(ctx, o.admin, 100)
	if err != nil {
		t.Fatal(err)
	}
	heard := 0
	for _, d := range log {
		if d.Endpoint == "recipient:ministry" && d.Event == "letter.retracted" {
			heard++
		}
	}
	if heard != 1 {
		t.Fatalf("the recipient's endpoint was queued the retraction %d times, want once: %+v", heard, log)
	}
}

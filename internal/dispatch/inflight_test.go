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

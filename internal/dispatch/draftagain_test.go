package dispatch

import (
	"context"
	"errors"
	"log/slog"
	"testing"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/store"
)

// TestFailedDraftCopySentAgain: `dispatch retry` leaves coordination copies to `draft send`,
// and a draft copy that failed for good (a mail outage of some hours, a relay whose password
// changed) could not be sent again: `draft send` answered "version 1 … was already sent to
// liaison" though nothing had left, until a new version was uploaded (audit, fifty-sixth
// session). The failed copy is queued again as it was made, with its Message-ID, receipt link
// and recorded export, and reaches the recipient.
func TestFailedDraftCopySentAgain(t *testing.T) {
	ctx := context.Background()
	mp := startMailpit(t)
	o := newOffice(t)
	o.r.SetDispatch(registry.DispatchSettings{Mail: true})
	o.recipient(t, "liaison", "cell@liaison.example")
	ref := o.draft(t, "The brigade moves north on 3 March.")
	first, err := o.r.SendDraft(ctx, o.drafter, ref, "liaison")
	if err != nil {
		t.Fatal(err)
	}
	d := &Dispatcher{cfg: Config{Registry: o.r, MaxAttempts: 1, Logger: slog.New(slog.DiscardHandler)}}
	d.record(ctx, takeAgain(t, o), errors.New("connect to smtp://mail.example:25: dial tcp: connection refused"))
	if st := o.status(t, ref); len(st) != 1 || st[0].Status != store.StatusFailed {
		t.Fatalf("status after the outage: %+v, want the copy failed", st)
	}

	again, err := o.r.SendDraft(ctx, o.drafter, ref, "liaison")
	if err != nil {
		t.Fatalf("draft send after the copy failed: %v", err)
	}
	if len(again) != 1 || again[0].Status != store.StatusQueued || again[0].MessageID != first[0].MessageID {
		t.Fatalf("draft send again: %+v, want the failed copy queued again (%s)", again, first[0].MessageID)
	}
	if _, err := o.r.SendDraft(ctx, o.drafter, ref, "liaison"); !errors.Is(err, registry.ErrConflict) {
		t.Errorf("draft send while the copy waits: %v, want ErrConflict", err)
	}
	o.deliver(t, mp, 3)
	waitFor(t, "the copy delivered", func() bool { return len(byTo(t, mp, "cell@liaison.example", "draft")) == 1 })
	msg := mp.message(t, byTo(t, mp, "cell@liaison.example", "draft")[0].ID)
	st, err := o.r.VerifyDigest(ctx, o.officer, seal.DigestOf(mp.part(t, msg.ID, msg.Attachments[0].PartID)))
	if err != nil || st.Outcome != "draft" {
		t.Fatalf("the copy mailed verifies %+v, %v; want draft", st, err)
	}
	waitFor(t, "the copy recorded sent", func() bool { return o.settled(t, ref, 1) })
	if _, err := o.r.SendDraft(ctx, o.drafter, ref, "liaison"); !errors.Is(err, registry.ErrConflict) {
		t.Errorf("draft send once the copy was sent: %v, want ErrConflict", err)
	}
}

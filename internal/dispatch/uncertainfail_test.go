package dispatch

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/store/storetest"
)

// takeAgain is what a dispatcher's read does (Dispatcher.Run): it takes the one due message and
// records that it hands it to the mail server. On PostgreSQL its claim lapses after 50 ms, as
// a dead server's does.
func takeAgain(t *testing.T, o *office) store.OutboxMessage {
	t.Helper()
	ctx := context.Background()
	var due []store.OutboxMessage
	waitFor(t, "the message due", func() bool {
		var err error
		due, err = o.r.DueMessages(ctx, 10, 50*time.Millisecond)
		if err != nil {
			t.Fatal(err)
		}
		return len(due) == 1
	})
	if err := o.r.Sending(ctx, due); err != nil {
		t.Fatal(err)
	}
	return due[0]
}

// noticed reports whether a notice to addr is queued or sent about ref, and how many withdrawal
// events were queued to recipients' endpoints (the test adds no endpoint of the office's).
func noticed(t *testing.T, o *office, ref, addr string) (notice bool, events int) {
	t.Helper()
	for _, v := range o.status(t, ref) {
		if v.Kind == store.KindNotice && v.Email == addr {
			notice = true
		}
	}
	log, err := o.r.WebhookLog(context.Background(), o.admin, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range log {
		if d.Event == "letter.retracted" {
			events++
		}
	}
	return notice, events
}

// TestUncertainThenFailedIsNoticed: a worker hands the letter to the mail server and its server
// dies before the outcome is recorded (the recipient may hold the letter); the restarted
// worker's attempts are refused for the moment (451) until the attempt limit, and the message
// is failed with the last refusal. The letter is then retracted: the recipient must be given
// notice, by mail and at its webhook endpoint, once. Before the fix the failure's reply
// replaced the mark that an attempt's outcome was never recorded, and the withdrawal, which
// gave notice to addresses recorded sent only, queued none.
func TestUncertainThenFailedIsNoticed(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			var o *office
			if backend == "sqlite" {
				o = newOffice(t)
			} else {
				db, err := store.OpenPostgres(ctx, storetest.PostgresURL(t))
				if err != nil {
					t.Fatal(err)
				}
				o = newOfficeIn(t, db)
			}
			o.r.SetDispatch(registry.DispatchSettings{Mail: true})
			const addr = "registry@mod.freedonia.example"
			if _, _, err := o.r.AddRecipient(ctx, o.admin, registry.NewRecipient{Name: "ministry", Emails: []string{addr}, Webhook: "https://hooks.mod.freedonia.example/chancery"}); err != nil {
				t.Fatal(err)
			}
			ref := o.release(t, "The brigade moves north on 3 March.")
			if _, err := o.r.Dispatch(ctx, o.officer, ref, []string{"ministry"}); err != nil {
				t.Fatal(err)
			}
			d := &Dispatcher{cfg: Config{Registry: o.r, MaxAttempts: 3, Backoff: time.Millisecond, MaxBackoff: time.Millisecond,
				Logger: slog.New(slog.DiscardHandler)}}
			takeAgain(t, o) // handed over, then the server died: nothing recorded
			for o.status(t, ref)[0].Status != store.StatusFailed {
				d.record(ctx, takeAgain(t, o), errors.New("451 4.3.0 try again later"))
			}
			if v := o.status(t, ref)[0]; v.Attempts != 3 || !v.MaybeDelivered {
				t.Fatalf("the letter failed after %d attempts, want 3, and shown as maybe delivered (%v): %+v", v.Attempts, v.MaybeDelivered, v)
			}
			if notice, events := noticed(t, o, ref, addr); notice || events != 0 {
				t.Fatalf("a notice before the retraction: %v, %d events", notice, events)
			}
			o.withdraw(t, ref, "", "Sent in error.")
			if notice, events := noticed(t, o, ref, addr); !notice || events != 1 {
				t.Fatalf("the recipient may hold the retracted letter: notice queued %v, %d withdrawal events to its endpoint, want 1; outbox: %+v",
					notice, events, o.status(t, ref))
			}
		})
	}
}

// TestLostReplyOnTheLastAttemptIsNoticed: the mail server (a real Mailpit) accepts the letter at
// its last attempt, and its "250" never reaches the worker: the message is failed, and the
// recipient holds it. A retraction after that must reach the recipient. Before the fix the
// failure was recorded as any other, and the withdrawal gave no notice.
func TestLostReplyOnTheLastAttemptIsNoticed(t *testing.T) {
	ctx := context.Background()
	mp := startMailpit(t)
	o := newOffice(t)
	d := o.dispatcher(t, mp, 1)
	d.cfg.SMTP.Host, d.cfg.SMTP.Port = splitHostPort(t, replyDropper(t, mp.smtp))
	runDispatcher(t, d)
	const addr = "registry@mod.freedonia.example"
	o.recipient(t, "ministry", addr)
	ref := o.release(t, "The brigade moves north on 3 March.")
	if _, err := o.r.Dispatch(ctx, o.officer, ref, []string{"ministry"}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the letter at the server, its attempt failed", func() bool {
		return len(byTo(t, mp, addr, "official letter")) == 1 && o.status(t, ref)[0].Status == store.StatusFailed
	})
	o.withdraw(t, ref, "", "Sent in error.")
	noticeArrives(t, o, mp, ref, addr)
}

// TestDraftCopyBeforeACrashThenReleasedIsNoticed: a draft copy is handed to the mail server and
// its server dies before the outcome is recorded; the letter is released, so the restarted
// worker does not send the copy any more and fails it. The letter is then retracted: the
// coordinator may hold the copy and must be given notice (item 61 left this case open).
func TestDraftCopyBeforeACrashThenReleasedIsNoticed(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	o.r.SetDispatch(registry.DispatchSettings{Mail: true})
	const addr = "cell@liaison.example"
	o.recipient(t, "liaison", addr)
	ref := o.draft(t, "The brigade moves north on 3 March.")
	if _, err := o.r.SendDraft(ctx, o.drafter, ref, "liaison"); err != nil {
		t.Fatal(err)
	}
	d := &Dispatcher{cfg: Config{Registry: o.r, MaxAttempts: 10, Backoff: time.Millisecond, MaxBackoff: time.Millisecond,
		Logger: slog.New(slog.DiscardHandler)}}
	takeAgain(t, o) // handed over, then the server died: nothing recorded
	o.approveAndSign(t, ref)
	if _, err := o.r.Release(ctx, o.officer, ref); err != nil {
		t.Fatal(err)
	}
	m := takeAgain(t, o)
	_, err := o.r.Compose(ctx, m)
	if !errors.Is(err, registry.ErrUndeliverable) {
		t.Fatalf("compose the draft copy of a released letter: %v", err)
	}
	d.record(ctx, m, err)
	if v := o.status(t, ref)[0]; v.Status != store.StatusFailed {
		t.Fatalf("the draft copy after the release: %+v", v)
	}
	o.withdraw(t, ref, "", "Sent in error.")
	if notice, _ := noticed(t, o, ref, addr); !notice {
		t.Fatalf("the coordinator may hold a copy of the retracted letter and was queued no notice: %+v", o.status(t, ref))
	}
}

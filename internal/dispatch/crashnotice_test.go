package dispatch

import (
	"context"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/store/storetest"
)

// TestAcceptedBeforeACrashIsNoticed: a worker takes a letter and the SMTP server (a real
// Mailpit) accepts it, but the server dies before the acceptance is recorded, so the outbox
// still shows the letter waiting. The letter is retracted before a worker takes it again (on
// SQLite, a retraction through the API as the restarted server starts; on PostgreSQL, through
// another server while the dead one's claim holds). The recipient holds the letter: the
// restarted worker must not send it again, and must give notice of the retraction. Before the
// fix the withdrawal failed the message as unsent, and the recipient never heard.
func TestAcceptedBeforeACrashIsNoticed(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			mp := startMailpit(t)
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
			d := o.dispatcher(t, mp, 3)
			const addr = "registry@mod.freedonia.example"
			o.recipient(t, "ministry", addr)
			ref := o.release(t, "The brigade moves north on 3 March.")
			if _, err := o.r.Dispatch(ctx, o.officer, ref, []string{"ministry"}); err != nil {
				t.Fatal(err)
			}

			// The worker that dies, as Dispatcher.Run does: it takes the message, records that
			// it hands it over, builds it, and Mailpit accepts it.
			due, err := o.r.DueMessages(ctx, 10, 200*time.Millisecond)
			if err != nil || len(due) != 1 {
				t.Fatalf("due: %v %v", due, err)
			}
			if err := o.r.Sending(ctx, due); err != nil {
				t.Fatal(err)
			}
			out, err := o.r.Compose(ctx, due[0])
			if err != nil {
				t.Fatal(err)
			}
			msg, err := Message("registry@tfn.example", out)
			if err != nil {
				t.Fatal(err)
			}
			s := &sender{cfg: d.cfg.SMTP}
			if _, err := s.send(ctx, msg, time.Time{}, false); err != nil {
				t.Fatal(err)
			}
			s.close()
			// No acceptance recorded: the server is gone. The letter is retracted.
			o.withdraw(t, ref, "", "Sent in error.")

			runDispatcher(t, d) // the restarted server
			waitFor(t, "every message settled", func() bool { return o.settled(t, ref, 1) })
			var notice bool
			for _, v := range o.status(t, ref) {
				if v.Kind == store.KindNotice && v.Email == addr {
					notice = true
				}
			}
			if !notice {
				t.Fatalf("the recipient holds the retracted letter and was queued no notice: %+v", o.status(t, ref))
			}
			waitFor(t, "every message settled", func() bool { return o.settled(t, ref, 2) })
			if n := len(byTo(t, mp, addr, "official letter")); n != 1 {
				t.Errorf("Mailpit holds %d copies of the letter, want the one accepted before the crash", n)
			}
			if n := len(byTo(t, mp, addr, "retracted")); n != 1 {
				t.Errorf("Mailpit holds %d retraction notices, want 1", n)
			}
		})
	}
}

package dispatch

import (
	"bufio"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/store"
)

// replyDropper is a TCP relay in front of a real SMTP server that, for the first message only,
// passes the end of its data on and hangs up before the server's answer reaches the client:
// a network cut between the server's "250" and the client. The server accepted the message;
// the client cannot know.
func replyDropper(t *testing.T, upstream string) string {
	var dropped atomic.Bool
	return smtpRelay(t, func(c net.Conn) { relayDroppingDataReply(c, upstream, &dropped) })
}

func relayDroppingDataReply(c net.Conn, upstream string, dropped *atomic.Bool) {
	defer c.Close()
	u, err := net.Dial("tcp", upstream)
	if err != nil {
		return
	}
	defer u.Close()
	var drop atomic.Bool
	go func() {
		r := bufio.NewReader(u)
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			if drop.Load() {
				c.Close()
				return
			}
			if _, err := io.WriteString(c, line); err != nil {
				return
			}
		}
	}()
	in := bufio.NewReader(c)
	data := false
	for {
		line, err := in.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case data && cmd == ".":
			data = false
			if dropped.CompareAndSwap(false, true) {
				drop.Store(true)
			}
		case !data && cmd == "DATA":
			data = true
		}
		if _, err := io.WriteString(u, line); err != nil {
			return
		}
	}
}

// TestLostReplyThenWithdrawnGivesNotice: the SMTP server accepts the letter, but its "250"
// never reaches the worker (the connection breaks after the end of the data). The outcome is
// unknown, and the recipient holds the letter. The letter is retracted before the next
// attempt: the recipient must be sent the retraction notice. Before the fix, the attempt was
// recorded as an ordinary deferral, the withdrawal failed the message as "not sent", and no
// notice was queued.
func TestLostReplyThenWithdrawnGivesNotice(t *testing.T) {
	ctx := context.Background()
	mp := startMailpit(t)
	o := newOffice(t)
	d := o.dispatcher(t, mp, 5)
	d.cfg.Backoff, d.cfg.MaxBackoff = 3*time.Second, 12*time.Second // time to withdraw between attempts
	d.cfg.SMTP.Host, d.cfg.SMTP.Port = splitHostPort(t, replyDropper(t, mp.smtp))
	runDispatcher(t, d)
	const addr = "registry@mod.freedonia.example"
	o.recipient(t, "ministry", addr)
	ref := o.release(t, "The brigade moves north on 3 March.")
	if _, err := o.r.Dispatch(ctx, o.officer, ref, []string{"ministry"}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the letter at the server, its attempt recorded", func() bool {
		return len(byTo(t, mp, addr, "official letter")) == 1 && o.status(t, ref)[0].Attempts == 1
	})
	if v := o.status(t, ref)[0]; v.Status == store.StatusSent {
		t.Fatalf("the relay did not hide the server's answer: %+v", v)
	}
	o.withdraw(t, ref, "", "Sent in error.")
	noticeArrives(t, o, mp, ref, addr)
}

// TestRefusalAfterACrashKeepsTheNotice: a worker hands the letter to the SMTP server and its
// server dies before the outcome is recorded (the recipient may hold the letter). The restarted
// worker's next attempt is refused for the moment (451). The letter is then retracted: the
// recipient must still be given notice. Before the fix, the refusal's reply replaced the mark
// that an attempt's outcome was never recorded, the withdrawal failed the message as unsent,
// and no notice was queued.
func TestRefusalAfterACrashKeepsTheNotice(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	o.r.SetDispatch(registry.DispatchSettings{Mail: true})
	const addr = "registry@mod.freedonia.example"
	o.recipient(t, "ministry", addr)
	ref := o.release(t, "The brigade moves north on 3 March.")
	if _, err := o.r.Dispatch(ctx, o.officer, ref, []string{"ministry"}); err != nil {
		t.Fatal(err)
	}
	d := &Dispatcher{cfg: Config{Registry: o.r, MaxAttempts: 10, Backoff: time.Millisecond, MaxBackoff: time.Millisecond,
		Logger: slog.New(slog.DiscardHandler)}}
	take := func() store.OutboxMessage {
		t.Helper()
		due, err := o.r.DueMessages(ctx, 10, time.Minute)
		if err != nil || len(due) != 1 {
			t.Fatalf("due: %v %v", due, err)
		}
		if err := o.r.Sending(ctx, due); err != nil {
			t.Fatal(err)
		}
		return due[0]
	}
	take() // handed over, then the server died: nothing recorded
	m := take()
	d.record(ctx, m, errors.New("451 4.3.0 try again later"))
	o.withdraw(t, ref, "", "Sent in error.")
	time.Sleep(5 * time.Millisecond)
	if due, err := o.r.DueMessages(ctx, 10, time.Minute); err == nil && len(due) == 1 {
		// The next attempt finds the letter withdrawn, as Dispatcher.attempt would.
		_, err := o.r.Compose(ctx, due[0])
		if !errors.Is(err, registry.ErrUndeliverable) {
			t.Fatalf("compose after the withdrawal: %v", err)
		}
		d.record(ctx, due[0], err)
	}
	for _, v := range o.status(t, ref) {
		if v.Kind == store.KindNotice && v.Email == addr {
			return
		}
	}
	t.Fatalf("the recipient may hold the retracted letter and was queued no notice: %+v", o.status(t, ref))
}

// noticeArrives waits up to 30 s for the withdrawal notice of ref at addr on the Mailpit mp: the
// recipient may hold the letter.
func noticeArrives(t *testing.T, o *office, mp *mailpit, ref, addr string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for len(byTo(t, mp, addr, "notice")) == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("the recipient holds the retracted letter and got no notice; outbox: %+v", o.status(t, ref))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

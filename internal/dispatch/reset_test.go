package dispatch

import (
	"bufio"
	"context"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
)

// resetDropper is a TCP relay in front of a real SMTP server that hangs up when the client
// sends RSET outside a message's data: what a server does that closes the session after each
// message it accepts, or a network cut right after its "250" to the data. The message was
// accepted all the same.
func resetDropper(t *testing.T, upstream string) string {
	return smtpRelay(t, func(c net.Conn) { relayUntilReset(c, upstream) })
}

// smtpRelay listens on a loopback port and serves each connection to it with relay, until
// the test ends; it returns the address.
func smtpRelay(t *testing.T, relay func(net.Conn)) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() { l.Close(); wg.Wait() })
	wg.Go(func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			wg.Go(func() { relay(c) })
		}
	})
	return l.Addr().String()
}

func relayUntilReset(c net.Conn, upstream string) {
	defer c.Close()
	u, err := net.Dial("tcp", upstream)
	if err != nil {
		return
	}
	defer u.Close()
	go io.Copy(c, u)
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
		case !data && cmd == "DATA":
			data = true
		case !data && cmd == "RSET":
			return
		}
		if _, err := io.WriteString(u, line); err != nil {
			return
		}
	}
}

// TestAcceptedThenHungUpIsSentOnce: the SMTP server accepts the letter, then the session ends
// before the client's RSET is answered. go-mail reports the failed reset as an error of the
// send, though the message was delivered. Before the fix the worker recorded it deferred and
// sent it again at every attempt (three copies in Mailpit, recorded failed): a duplicate per
// attempt, and a recipient who holds the letter recorded as not sent, so no retraction notice
// would reach them.
func TestAcceptedThenHungUpIsSentOnce(t *testing.T) {
	ctx := context.Background()
	mp := startMailpit(t)
	o := newOffice(t)
	d := o.dispatcher(t, mp, 3)
	d.cfg.SMTP.Host, d.cfg.SMTP.Port = splitHostPort(t, resetDropper(t, mp.smtp))
	runDispatcher(t, d)
	const addr = "registry@mod.freedonia.example"
	o.recipient(t, "ministry", addr)
	ref := o.release(t, "The brigade moves north on 3 March.")
	if _, err := o.r.Dispatch(ctx, o.officer, ref, []string{"ministry"}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the letter settled", func() bool { return o.settled(t, ref, 1) })
	if v := o.status(t, ref)[0]; v.Status != "sent" || v.Attempts != 1 {
		t.Errorf("the letter the server accepted is recorded %+v, want sent at the first attempt", v)
	}
	if n := len(byTo(t, mp, addr, "official letter")); n != 1 {
		t.Errorf("Mailpit holds %d copies of the letter, want 1", n)
	}
}

func splitHostPort(t *testing.T, addr string) (string, int) {
	t.Helper()
	sm, err := ParseSMTP("smtp://" + addr)
	if err != nil {
		t.Fatal(err)
	}
	return sm.Host, sm.Port
}

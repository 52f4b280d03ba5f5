//go:build linux

// The slow link needs Linux: there the connection to the mail server bounds its unsent data
// (unsent_linux.go), elsewhere the kernel buffer may take a whole letter at once.

package dispatch

import (
	"context"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/store"
)

// slowLink is a TCP relay in front of a mail server that passes what the client sends at about
// rate bytes a second, and the server's answers at once. Its receive buffer is small, so the
// client's data waits in the client's own buffer, as before a slow network.
type slowLink struct {
	addr   string
	passed atomic.Int64 // bytes passed to the server
	ended  atomic.Int64 // connections the client closed
}

func slowRelay(t *testing.T, upstream string, rate int) *slowLink {
	t.Helper()
	lc := net.ListenConfig{Control: func(_, _ string, rc syscall.RawConn) error {
		return rc.Control(func(fd uintptr) { syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4<<10) })
	}}
	l, err := lc.Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &slowLink{addr: l.Addr().String()}
	var wg sync.WaitGroup
	t.Cleanup(func() { l.Close(); wg.Wait() })
	wg.Go(func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			wg.Go(func() { s.relay(c, upstream, rate) })
		}
	})
	return s
}

func (s *slowLink) relay(c net.Conn, upstream string, rate int) {
	defer c.Close()
	u, err := net.Dial("tcp", upstream)
	if err != nil {
		return
	}
	defer u.Close()
	go io.Copy(c, u)
	buf := make([]byte, 4<<10)
	for {
		n, err := c.Read(buf)
		if n > 0 {
			if _, err := u.Write(buf[:n]); err != nil {
				return
			}
			s.passed.Add(int64(n))
			time.Sleep(time.Duration(n) * time.Second / time.Duration(rate))
		}
		if err != nil {
			s.ended.Add(1)
			return
		}
	}
}

// largeLetter is a letter of about size bytes of text.
func largeLetter(size int) string {
	line := "The brigade moves north on 3 March; supplies follow by rail through the valley.\n"
	return strings.Repeat(line, size/len(line))
}

// TestLargeLetterOverSlowLink: a letter whose data takes several times the SMTP timeout to
// cross the link is sent at its first attempt, since its data keeps moving. Before the fix
// go-mail's one deadline, set when the message began, cut it off at every attempt (a letter
// of tens of megabytes over a link slower than about 2 MB/s, with the 30-second timeout).
func TestLargeLetterOverSlowLink(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	mp := startMailpit(t)
	d := o.dispatcher(t, mp, 2)
	link := slowRelay(t, mp.smtp, 200<<10)
	d.cfg.SMTP.Host, d.cfg.SMTP.Port = splitHostPort(t, link.addr)
	d.cfg.SMTP.timeout = time.Second
	d.cfg.Backoff, d.cfg.MaxBackoff = time.Hour, time.Hour
	runDispatcher(t, d)
	o.recipient(t, "ministry", "registry@mod.freedonia.example")
	ref := o.release(t, largeLetter(1<<20)) // about 570 kB as sent: 2.8 s over the link
	start := time.Now()
	if _, err := o.r.Dispatch(ctx, o.officer, ref, []string{"ministry"}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the large letter settled or deferred", func() bool {
		s := o.status(t, ref)[0].Status
		return s == store.StatusSent || s == store.StatusDeferred || s == store.StatusFailed
	})
	v := o.status(t, ref)[0]
	if v.Status != store.StatusSent || v.Attempts != 1 {
		t.Fatalf("the large letter: %s after %d attempts (%s), want sent at the first", v.Status, v.Attempts, v.Reply)
	}
	if took := time.Since(start); took < 2*time.Second || link.passed.Load() < 500<<10 {
		t.Fatalf("%d bytes crossed the slow link in %v: the relay did not slow them", link.passed.Load(), took)
	}
}

// TestLargeLetterStaysWithinItsClaim: however its data moves, a message's exchange ends before
// its claim lapses (less an eighth, to record it), so that no other server takes it and sends
// it again meanwhile: the letter that needs 2.8 s on the link, with a claim of 2 s, fails its
// attempt after about 1.75 s.
func TestLargeLetterStaysWithinItsClaim(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	mp := startMailpit(t)
	d := o.dispatcher(t, mp, 2)
	link := slowRelay(t, mp.smtp, 200<<10)
	d.cfg.SMTP.Host, d.cfg.SMTP.Port = splitHostPort(t, link.addr)
	d.cfg.SMTP.timeout = 500 * time.Millisecond
	d.cfg.Claim = 2 * time.Second
	d.cfg.Backoff, d.cfg.MaxBackoff = time.Hour, time.Hour
	runDispatcher(t, d)
	o.recipient(t, "ministry", "registry@mod.freedonia.example")
	ref := o.release(t, largeLetter(1<<20))
	start := time.Now()
	if _, err := o.r.Dispatch(ctx, o.officer, ref, []string{"ministry"}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the attempt recorded", func() bool { return o.status(t, ref)[0].Status == store.StatusDeferred })
	if took := time.Since(start); took > 2*time.Second {
		t.Fatalf("the attempt was recorded after %v, past its claim of 2 s", took)
	}
	if v := o.status(t, ref)[0]; !strings.Contains(v.Reply, "timeout") {
		t.Fatalf("the attempt cut off at its claim recorded as %q", v.Reply)
	}
	if mp.count(t) != 0 {
		t.Fatal("the letter cut off at its claim reached the mail server")
	}
	// The session cut off is closed. Before the fix go-mail's QUIT failed on the passed
	// deadline and left the socket open, until the garbage collector closed it (minutes).
	for end := time.Now().Add(5 * time.Second); link.ended.Load() == 0; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatal("the connection of the session cut off was left open")
		}
	}
}

package dispatch

import (
	"bufio"
	"context"
	"io"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// noSMTPUTF8 is a TCP relay in front of a real SMTP server that takes SMTPUTF8 out of the
// server's answer to the greeting (Mailpit always offers it, and has no flag to stop), as a
// server without it answers, and keeps the RCPT commands it passes on.
type noSMTPUTF8 struct {
	addr string
	mu   sync.Mutex
	rcpt []string
}

func (n *noSMTPUTF8) rcpts() []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return slices.Clone(n.rcpt)
}

func relayWithoutSMTPUTF8(t *testing.T, upstream string) *noSMTPUTF8 {
	n := &noSMTPUTF8{}
	n.addr = smtpRelay(t, func(c net.Conn) {
		defer c.Close()
		u, err := net.Dial("tcp", upstream)
		if err != nil {
			return
		}
		defer u.Close()
		go func() {
			in := bufio.NewReader(u)
			for {
				line, err := in.ReadString('\n')
				if err != nil {
					c.Close()
					return
				}
				if strings.Contains(strings.ToUpper(line), "SMTPUTF8") {
					line = line[:4] + "X-NOTHING\r\n" // "250-" or "250 " kept
				}
				if _, err := io.WriteString(c, line); err != nil {
					return
				}
			}
		}()
		in := bufio.NewReader(c)
		for {
			line, err := in.ReadString('\n')
			if err != nil {
				return
			}
			if strings.HasPrefix(strings.ToUpper(line), "RCPT TO:") {
				n.mu.Lock()
				n.rcpt = append(n.rcpt, strings.TrimRight(line, "\r\n"))
				n.mu.Unlock()
			}
			if _, err := io.WriteString(u, line); err != nil {
				return
			}
		}
	})
	return n
}

// deliverThrough runs a dispatcher into the SMTP server at addr, from from, until the test ends.
func (o *office) deliverThrough(t *testing.T, addr, from string, attempts int) {
	t.Helper()
	sm, err := ParseSMTP("smtp://" + addr)
	if err != nil {
		t.Fatal(err)
	}
	d, err := New(Config{Registry: o.r, SMTP: sm, From: from, MaxAttempts: attempts, Backoff: 5 * time.Millisecond,
		MaxBackoff: 20 * time.Millisecond, Poll: 20 * time.Millisecond, AllowPrivateWebhooks: true})
	if err != nil {
		t.Fatal(err)
	}
	runDispatcher(t, d)
}

// TestInternationalisedDomainSentInASCII: an address with a domain in other letters than
// ASCII's ("registry@ministère.example") was sent as it was written, so a mail server without
// SMTPUTF8 refused it, and the letter failed after its attempts (fifty-sixth session's
// not-fixed list). The envelope and the header carry the domain's A-labels, and so for the
// office's own address; the directory keeps the address as the admin wrote it.
func TestInternationalisedDomainSentInASCII(t *testing.T) {
	ctx := context.Background()
	mp := startMailpit(t)
	relay := relayWithoutSMTPUTF8(t, mp.smtp)
	o := newOffice(t)
	o.deliverThrough(t, relay.addr, "greffe@chancellerie.bürö.example", 3)
	o.recipient(t, "ministry", "registry@Ministère.example")
	ref := o.release(t, "The brigade moves north on 3 March.")
	if _, err := o.r.Dispatch(ctx, o.officer, ref, []string{"ministry"}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the letter", func() bool { return o.settled(t, ref, 1) })
	if v := o.status(t, ref)[0]; v.Status != "sent" || v.Email != "registry@Ministère.example" {
		t.Fatalf("the letter: %+v", v)
	}
	const to = "registry@xn--ministre-60a.example"
	if got := relay.rcpts(); len(got) != 1 || got[0] != "RCPT TO:<"+to+">" {
		t.Errorf("RCPT commands: %q, want one to <%s>", got, to)
	}
	msgs := mp.messages(t)
	if len(msgs) != 1 || len(msgs[0].To) != 1 || msgs[0].To[0].Address != to {
		t.Fatalf("Mailpit holds %+v, want one message to %s", msgs, to)
	}
	if from := mp.headers(t, msgs[0].ID)["From"]; len(from) != 1 || !strings.Contains(from[0], "greffe@chancellerie.xn--br-gkaw.example") {
		t.Errorf("From: %q, want the office's address with its domain in A-labels", from)
	}
}

// TestNonASCIILocalPartWithoutSMTPUTF8FailsAtOnce: an address whose local part is in other
// letters than ASCII's ("müller@…") cannot be converted; a server without SMTPUTF8 refused it
// at each attempt and the message failed only after its last (fifty-sixth session's not-fixed
// list). Through such a server it fails at the first, with a reason a member can act on, and
// the other messages go; through one that offers SMTPUTF8 (Mailpit) it is delivered, its local
// part as written and its domain in A-labels.
func TestNonASCIILocalPartWithoutSMTPUTF8FailsAtOnce(t *testing.T) {
	ctx := context.Background()
	mp := startMailpit(t)
	relay := relayWithoutSMTPUTF8(t, mp.smtp)
	o := newOffice(t)
	o.deliverThrough(t, relay.addr, "registry@tfn.example", 5)
	o.recipient(t, "ministry", "müller@ministère.example", "registry@mod.example")
	ref := o.release(t, "The brigade moves north on 3 March.")
	if _, err := o.r.Dispatch(ctx, o.officer, ref, []string{"ministry"}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "both messages", func() bool { return o.settled(t, ref, 2) })
	for _, v := range o.status(t, ref) {
		switch v.Email {
		case "registry@mod.example":
			if v.Status != "sent" {
				t.Errorf("the ASCII address: %+v", v)
			}
		case "müller@ministère.example":
			if v.Status != "failed" || v.Attempts != 1 || !strings.Contains(v.Reply, "does not offer SMTPUTF8") {
				t.Errorf("the address with a non-ASCII local part, through a server without SMTPUTF8: %+v, want failed at the first attempt saying why", v)
			}
		default:
			t.Errorf("a message to %s", v.Email)
		}
	}
	if got := relay.rcpts(); len(got) != 1 || got[0] != "RCPT TO:<registry@mod.example>" {
		t.Errorf("RCPT commands: %q, want only the ASCII address's", got)
	}

	// Through a server that offers SMTPUTF8.
	p := newOffice(t)
	p.deliver(t, mp, 3)
	p.recipient(t, "ministry", "müller@ministère.example")
	ref = p.release(t, "The brigade moves north on 3 March.")
	if _, err := p.r.Dispatch(ctx, p.officer, ref, []string{"ministry"}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the letter", func() bool { return p.settled(t, ref, 1) })
	if v := p.status(t, ref)[0]; v.Status != "sent" {
		t.Fatalf("through a server with SMTPUTF8: %+v", v)
	}
	var to []string
	for _, m := range mp.messages(t) {
		for _, a := range m.To {
			to = append(to, a.Address)
		}
	}
	if !slices.Contains(to, "müller@xn--ministre-60a.example") {
		t.Errorf("Mailpit holds messages to %q, want one to müller@xn--ministre-60a.example", to)
	}
}

// TestNonASCIIMailFromWithoutSMTPUTF8BlamesTheOffice: an office whose --mail-from has letters
// outside ASCII before its @ ("grëffe@…") sends nothing through a server without SMTPUTF8.
// Each letter failed for good at its first attempt, with a reason telling members to give the
// recipient an address in ASCII, though the recipient's was: an admin who then fixed the
// office's address had every letter to dispatch again (audit, fifty-seventh session). The
// reason names the office's address, and the letter is tried again with the backoff, so that
// it goes once the server is started with an address in ASCII.
func TestNonASCIIMailFromWithoutSMTPUTF8BlamesTheOffice(t *testing.T) {
	ctx := context.Background()
	mp := startMailpit(t)
	relay := relayWithoutSMTPUTF8(t, mp.smtp)
	o := newOffice(t)
	o.deliverThrough(t, relay.addr, "grëffe@tfn.example", 2)
	o.recipient(t, "ministry", "registry@mod.example")
	ref := o.release(t, "The brigade moves north on 3 March.")
	if _, err := o.r.Dispatch(ctx, o.officer, ref, []string{"ministry"}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the letter", func() bool { return o.settled(t, ref, 1) })
	v := o.status(t, ref)[0]
	if v.Status != "failed" || v.Attempts != 2 || !strings.Contains(v.Reply, "--mail-from") || strings.Contains(v.Reply, "give the recipient") {
		t.Errorf("a letter from a non-ASCII mail-from through a server without SMTPUTF8: %+v, want it tried again and the office's address named", v)
	}
	if got := relay.rcpts(); len(got) != 0 {
		t.Errorf("RCPT commands: %q, want none", got)
	}

	// Through a server that offers SMTPUTF8 (Mailpit), it goes.
	p := newOffice(t)
	p.deliverThrough(t, mp.smtp, "grëffe@tfn.example", 2)
	p.recipient(t, "ministry", "registry@mod.example")
	ref = p.release(t, "The brigade moves north on 3 March.")
	if _, err := p.r.Dispatch(ctx, p.officer, ref, []string{"ministry"}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the letter", func() bool { return p.settled(t, ref, 1) })
	if v := p.status(t, ref)[0]; v.Status != "sent" {
		t.Errorf("through a server with SMTPUTF8: %+v", v)
	}
}

package dispatch

import (
	"bufio"
	"bytes"
	"context"
	"crypto/x509"
	"encoding/base64"
	"io"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/chancery/chancery/internal/store"
)

// TestParseSMTPSTARTTLS: smtp:// takes ?starttls=required (or ?starttls=opportunistic, the
// default) and nothing else; smtps:// takes no query. The policy shows in String and in the
// address failed connections are recorded with; a URL without the query parses as before.
func TestParseSMTPSTARTTLS(t *testing.T) {
	for _, c := range []struct {
		url, str, addr string
		required       bool
	}{
		{"smtp://mail.example:587?starttls=required", "smtp://mail.example:587?starttls=required", "smtp://mail.example:587?starttls=required", true},
		{"smtp://clerk:s3cret@mail.example?starttls=required", "smtp://clerk:xxxxx@mail.example:25?starttls=required", "smtp://mail.example:25?starttls=required", true},
		{"smtp://[::1]:2525/?starttls=required", "smtp://[::1]:2525?starttls=required", "smtp://[::1]:2525?starttls=required", true},
		{"smtp://mail.example:587?starttls=opportunistic", "smtp://mail.example:587", "smtp://mail.example:587", false},
		{"smtp://mail.example:587", "smtp://mail.example:587", "smtp://mail.example:587", false},
		{"smtps://clerk@mail.example", "smtps://clerk:xxxxx@mail.example:465", "smtps://mail.example:465", false},
	} {
		sm, err := ParseSMTP(c.url)
		if err != nil {
			t.Errorf("ParseSMTP(%q): %v", c.url, err)
			continue
		}
		if sm.RequireSTARTTLS != c.required || sm.String() != c.str || sm.address() != c.addr {
			t.Errorf("ParseSMTP(%q): required %v, String %q, address %q; want %v, %q, %q", c.url, sm.RequireSTARTTLS, sm.String(), sm.address(), c.required, c.str, c.addr)
		}
	}
	for _, s := range []string{
		"smtps://mail.example?starttls=required",
		"smtps://clerk:Kx7Wq@mail.example:465?starttls=opportunistic",
		"smtp://mail.example?starttls=REQUIRED",
		"smtp://mail.example?starttls=",
		"smtp://mail.example?starttls",
		"smtp://mail.example?starttls=true",
		"smtp://mail.example?tls=required",
		"smtp://mail.example?starttls=required&starttls=required",
		"smtp://mail.example?starttls=opportunistic&starttls=required",
		"smtp://mail.example?starttls=required&x=1",
		"smtp://mail.example?starttls%3Drequired",
		"smtp://clerk:Kx7Wq@mail.example?starttls=require",
	} {
		_, err := ParseSMTP(s)
		if err == nil {
			t.Errorf("ParseSMTP(%q) accepted it", s)
			continue
		}
		if !strings.Contains(err.Error(), "?starttls=required") || strings.Contains(err.Error(), "Kx7Wq") {
			t.Errorf("ParseSMTP(%q): %v; want the accepted form named and no password", s, err)
		}
		if strings.HasPrefix(s, "smtp:") && !strings.Contains(err.Error(), "?starttls=opportunistic") {
			t.Errorf("ParseSMTP(%q): %v; want both accepted forms named", s, err)
		}
	}
}

// requireSTARTTLS makes d's server the same with ?starttls=required, parsed as serve parses it.
func requireSTARTTLS(t *testing.T, d *Dispatcher, addr string) {
	t.Helper()
	sm, err := ParseSMTP("smtp://" + addr + "?starttls=required")
	if err != nil {
		t.Fatal(err)
	}
	d.cfg.SMTP = sm
}

// TestRequiredSTARTTLS: with ?starttls=required a letter goes only over TLS begun by STARTTLS,
// the certificate checked. To a server that offers no STARTTLS, or whose certificate is not
// trusted or names another host, nothing is sent: each attempt fails at the connection, is
// retried, and the last one fails the message with a reply naming the policy and the cause.
func TestRequiredSTARTTLS(t *testing.T) {
	ctx := context.Background()
	cert, key, pool := selfSigned(t, t.TempDir())
	for _, mode := range []string{"no starttls", "trusted", "untrusted", "other name"} {
		t.Run(mode, func(t *testing.T) {
			var mp *mailpit
			if mode == "no starttls" {
				mp = startMailpit(t)
			} else {
				mp = startMailpit(t, "--smtp-tls-cert", cert, "--smtp-tls-key", key, "--smtp-require-starttls")
			}
			o := newOffice(t)
			d := o.dispatcher(t, mp, 2)
			server := mp.smtp
			if mode == "other name" {
				// The certificate names 127.0.0.1 alone.
				_, port, _ := net.SplitHostPort(mp.smtp)
				server = net.JoinHostPort("localhost", port)
			}
			requireSTARTTLS(t, d, server)
			d.cfg.SMTP.roots = pool
			if mode == "untrusted" {
				d.cfg.SMTP.roots = x509.NewCertPool()
			}
			if mode == "trusted" {
				// Mailpit takes a password only over TLS: the session is encrypted when
				// go-mail authenticates.
				d.cfg.SMTP.User, d.cfg.SMTP.Password = "registry", "s3cret"
			}
			runDispatcher(t, d)
			const addr = "registry@mod.freedonia.example"
			o.recipient(t, "ministry", addr)
			ref := o.release(t, "The brigade moves north on 3 March.")
			if _, err := o.r.Dispatch(ctx, o.officer, ref, []string{"ministry"}); err != nil {
				t.Fatal(err)
			}
			waitFor(t, "the letter settled", func() bool { return o.settled(t, ref, 1) })
			v := o.status(t, ref)[0]
			if mode == "trusted" {
				if v.Status != store.StatusSent || len(byTo(t, mp, addr, "official letter")) != 1 {
					t.Fatalf("the letter over required STARTTLS: %+v, %d messages there", v, mp.count(t))
				}
				return
			}
			cause := map[string]string{"no starttls": "does not support STARTTLS", "untrusted": "certificate", "other name": "certificate"}[mode]
			if v.Status != store.StatusFailed || v.Attempts != 2 || !strings.Contains(v.Reply, "connect to smtp://"+server+"?starttls=required: ") ||
				!strings.Contains(v.Reply, cause) || mp.count(t) != 0 {
				t.Fatalf("STARTTLS required, %s: %+v, %d messages there; want failed after 2 attempts, naming the policy and %q, nothing sent", mode, v, mp.count(t), cause)
			}
		})
	}
}

// strippingRelay is whoever sits on the path to a mail server reached without TLS: it passes
// the session on both ways, removes STARTTLS from the server's answers to EHLO, and keeps
// what the client sent.
type strippingRelay struct {
	addr string

	mu       sync.Mutex
	sent     bytes.Buffer // what clients sent, as it crossed the path
	stripped bool         // a STARTTLS offer was removed
}

// startStrippingRelay relays connections to target until the test ends.
func startStrippingRelay(t *testing.T, target string) *strippingRelay {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &strippingRelay{addr: l.Addr().String()}
	var conns sync.WaitGroup
	t.Cleanup(func() { l.Close(); conns.Wait() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			conns.Go(func() {
				defer c.Close()
				defer s.Close()
				go func() {
					io.Copy(s, io.TeeReader(c, r))
					s.Close()
				}()
				r.answers(c, s)
			})
		}
	}()
	return r
}

// Write keeps what a client sent.
func (r *strippingRelay) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.sent.Write(p)
}

// answers passes the server's replies to the client, each whole, without a STARTTLS line.
func (r *strippingRelay) answers(c, s net.Conn) {
	br := bufio.NewReader(s)
	var reply []string
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return
		}
		if len(line) >= 4 && line[3] == '-' {
			reply = append(reply, line)
			continue
		}
		reply = append(reply, line)
		var kept []string
		for _, l := range reply {
			if len(l) >= 4 && strings.EqualFold(strings.TrimSpace(l[4:]), "STARTTLS") {
				r.mu.Lock()
				r.stripped = true
				r.mu.Unlock()
				continue
			}
			kept = append(kept, l)
		}
		if n := len(kept); n > 0 && len(kept[n-1]) >= 4 {
			kept[n-1] = kept[n-1][:3] + " " + kept[n-1][4:] // the last line of a reply
		}
		if _, err := io.WriteString(c, strings.Join(kept, "")); err != nil {
			return
		}
		reply = nil
	}
}

// seen returns what clients sent and whether a STARTTLS offer was removed.
func (r *strippingRelay) seen() (string, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.sent.String(), r.stripped
}

// TestStrippedSTARTTLS: a mail server offers STARTTLS and someone on the path removes the
// offer. With smtp:// as before (STARTTLS when offered) the letter then crosses the path in
// clear, its text readable there: the risk offices on another machine take without
// ?starttls=required. With ?starttls=required nothing of the letter is sent: the attempts fail
// at the connection, and the reply says the server offered no STARTTLS.
func TestStrippedSTARTTLS(t *testing.T) {
	ctx := context.Background()
	cert, key, pool := selfSigned(t, t.TempDir())
	const secret = "The brigade moves north on 3 March."
	for _, mode := range []string{"opportunistic", "required"} {
		t.Run(mode, func(t *testing.T) {
			// A server that takes STARTTLS and does not insist on it, as many do.
			mp := startMailpit(t, "--smtp-tls-cert", cert, "--smtp-tls-key", key)
			relay := startStrippingRelay(t, mp.smtp)
			o := newOffice(t)
			d := o.dispatcher(t, mp, 2)
			if mode == "required" {
				requireSTARTTLS(t, d, relay.addr)
			} else {
				d.cfg.SMTP.Host, d.cfg.SMTP.Port = splitHostPort(t, relay.addr)
			}
			d.cfg.SMTP.roots = pool
			runDispatcher(t, d)
			const addr = "registry@mod.freedonia.example"
			o.recipient(t, "ministry", addr)
			ref := o.release(t, secret)
			if _, err := o.r.Dispatch(ctx, o.officer, ref, []string{"ministry"}); err != nil {
				t.Fatal(err)
			}
			waitFor(t, "the letter settled", func() bool { return o.settled(t, ref, 1) })
			v := o.status(t, ref)[0]
			sent, stripped := relay.seen()
			if !stripped {
				t.Fatal("the relay removed no STARTTLS offer")
			}
			if mode == "opportunistic" {
				if v.Status != store.StatusSent || mp.count(t) != 1 || !strings.Contains(sent, "MAIL FROM:<registry@tfn.example>") || !strings.Contains(sent, "official letter") {
					t.Fatalf("opportunistic STARTTLS, offer stripped: %+v, %d messages there, the path saw %d bytes", v, mp.count(t), len(sent))
				}
				return
			}
			if v.Status != store.StatusFailed || v.Attempts != 2 || !strings.Contains(v.Reply, "?starttls=required: ") || !strings.Contains(v.Reply, "does not support STARTTLS") ||
				mp.count(t) != 0 || strings.Contains(sent, "MAIL FROM") || strings.Contains(sent, "RCPT") {
				t.Fatalf("STARTTLS required, offer stripped: %+v, %d messages there; the path saw:\n%s", v, mp.count(t), sent)
			}
		})
	}
}

// challengingPath plays, for one session, whoever sits on the path to the mail server: it
// offers no STARTTLS and only CRAM-MD5 authentication, answers AUTH with a challenge of its
// choosing, and returns what the client sent.
func challengingPath(t *testing.T) (addr string, seen <-chan []string) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	out := make(chan []string, 1)
	go func() {
		var lines []string
		defer func() { out <- lines }()
		c, err := l.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		br := bufio.NewReader(c)
		answer := "220 mail.example ESMTP\r\n"
		for {
			if _, err := io.WriteString(c, answer); err != nil {
				return
			}
			line, err := br.ReadString('\n')
			if err != nil {
				return
			}
			lines = append(lines, strings.TrimSpace(line))
			switch {
			case strings.HasPrefix(line, "EHLO"):
				answer = "250-mail.example\r\n250 AUTH CRAM-MD5\r\n"
			case strings.HasPrefix(line, "AUTH"):
				answer = "334 " + base64.StdEncoding.EncodeToString([]byte("<1896.697170952@mail.example>")) + "\r\n"
			default:
				answer = "535 5.7.8 authentication failed\r\n"
			}
		}
	}()
	return l.Addr().String(), out
}

// TestStrippedSTARTTLSAuthentication: go-mail sends no password by PLAIN or LOGIN without TLS,
// but on a path that removed STARTTLS and offers CRAM-MD5 it answers the path's challenge with
// the user and an HMAC-MD5 of the password, which the path can attack offline. With
// ?starttls=required the session ends after EHLO: no AUTH, no answer to a challenge.
func TestStrippedSTARTTLSAuthentication(t *testing.T) {
	for _, required := range []bool{false, true} {
		addr, seen := challengingPath(t)
		url := "smtp://registry@" + addr
		if required {
			url += "?starttls=required"
		}
		sm, err := ParseSMTP(url)
		if err != nil {
			t.Fatal(err)
		}
		sm.Password = "s3cret"
		s := &sender{cfg: sm}
		err = s.connect(context.Background())
		s.close()
		lines := <-seen
		if !required {
			var proof []byte
			if len(lines) >= 3 && lines[1] == "AUTH CRAM-MD5" {
				proof, _ = base64.StdEncoding.DecodeString(lines[2])
			}
			if !strings.HasPrefix(string(proof), "registry ") {
				t.Fatalf("opportunistic STARTTLS, stripped, CRAM-MD5 offered: the path saw %q (%v)", lines, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), "does not support STARTTLS") || len(lines) != 1 || !strings.HasPrefix(lines[0], "EHLO") {
			t.Fatalf("STARTTLS required, stripped, CRAM-MD5 offered: %v; the path saw %q", err, lines)
		}
	}
}

package dispatch

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/store/storetest"
	"github.com/chancery/chancery/internal/syncbuf"
)

// hostileText is what a mail server or a webhook endpoint may answer: a NUL, an escape
// sequence that clears a terminal, a right-to-left override, and more non-ASCII text than a
// recorded answer keeps.
var hostileText = "busy!\x00\x1b[2J\u202e" + strings.Repeat("é", 300)

// checkPrintable fails t unless reply is as an answer must be recorded: valid UTF-8, no control
// or formatting character, at most 500 bytes, and containing want.
func checkPrintable(t *testing.T, what, reply, want string) {
	t.Helper()
	if !utf8.ValidString(reply) || len(reply) > 500 || !strings.Contains(reply, want) {
		t.Errorf("%s recorded as %q (%d bytes, valid UTF-8 %v), want valid UTF-8 of at most 500 bytes with %q", what, reply, len(reply), utf8.ValidString(reply), want)
	}
	for _, r := range reply {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			t.Errorf("%s recorded with the character %U: %q", what, r, reply)
			break
		}
	}
}

// TestRecordedRepliesArePrintable: the reply recorded for a failed attempt keeps neither
// control characters nor a character cut in two by the 500-byte bound. Before the fix the
// bound cut "é" in its middle, and NUL and ESC were kept.
func TestRecordedRepliesArePrintable(t *testing.T) {
	checkPrintable(t, "a reply cut at its bound", reply(errors.New("a"+strings.Repeat("é", 300))), "aé")
	checkPrintable(t, "a reply with control characters", reply(errors.New(hostileText)), "busy")
}

// hostileRcpt is a TCP relay in front of a real SMTP server that answers every RCPT itself,
// with a temporary refusal carrying hostileText.
func hostileRcpt(t *testing.T, upstream string) string {
	return smtpRelay(t, func(c net.Conn) {
		defer c.Close()
		u, err := net.Dial("tcp", upstream)
		if err != nil {
			return
		}
		defer u.Close()
		go io.Copy(c, u)
		in := bufio.NewReader(c)
		for {
			line, err := in.ReadString('\n')
			if err != nil {
				return
			}
			if strings.HasPrefix(strings.ToUpper(line), "RCPT TO:") {
				if _, err := io.WriteString(c, "451 4.3.0 "+hostileText+"\r\n"); err != nil {
					return
				}
				continue
			}
			if _, err := io.WriteString(u, line); err != nil {
				return
			}
		}
	})
}

// officeOn is a new office on SQLite or, for "postgres", on a PostgreSQL database of its own.
func officeOn(t *testing.T, backend string) *office {
	t.Helper()
	if backend == "sqlite" {
		return newOffice(t)
	}
	db, err := store.OpenPostgres(context.Background(), storetest.PostgresURL(t))
	if err != nil {
		t.Fatal(err)
	}
	return newOfficeIn(t, db)
}

// TestHostileSMTPReplyIsRecorded: the mail server refuses a letter with a reply holding a NUL,
// escape sequences and long non-ASCII text (go-mail quotes the control characters; the text
// runs past the 500 bytes kept). Each attempt is recorded, and the message fails at its last
// one, with a reply of whole characters. Before the fix the bound cut an "é" in two: PostgreSQL
// refused the reply ("invalid byte sequence"), so no attempt was ever recorded, and the message
// was tried again each time its claim lapsed, without end, and never failed; SQLite stored the
// broken character.
func TestHostileSMTPReplyIsRecorded(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			o := officeOn(t, backend)
			mp := startMailpit(t)
			d := o.dispatcher(t, mp, 3)
			d.cfg.SMTP.Host, d.cfg.SMTP.Port = splitHostPort(t, hostileRcpt(t, mp.smtp))
			d.cfg.Claim = 50 * time.Millisecond // an attempt left unrecorded is made again soon
			l := &syncbuf.Buffer{}
			d.cfg.Logger = slogTo(l)
			runDispatcher(t, d)
			o.recipient(t, "ministry", "registry@mod.freedonia.example")
			ref := o.release(t, "The brigade moves north on 3 March.")
			if _, err := o.r.Dispatch(ctx, o.officer, ref, []string{"ministry"}); err != nil {
				t.Fatal(err)
			}
			waitFor(t, "the letter failed, or an attempt not recorded", func() bool {
				return o.settled(t, ref, 1) || strings.Contains(l.String(), "dispatch: record")
			})
			v := o.status(t, ref)[0]
			if v.Status != store.StatusFailed || v.Attempts != 3 {
				t.Fatalf("the refused letter: %+v; server log:\n%s", v, l)
			}
			checkPrintable(t, "the server's refusal", v.Reply, "451")
		})
	}
}

// TestHostileWebhookAnswerIsRecorded: an endpoint answers with a status line of long non-ASCII
// text and escape sequences, and a body holding a NUL. Each attempt is recorded, and the
// delivery fails at its last one with an answer that shows nothing of those. Before the fix
// PostgreSQL refused the answer, so the delivery was posted again each time its claim lapsed,
// without end, and never failed; SQLite kept the NUL and the escape sequences for
// `chancery webhook log` to print on an admin's terminal.
func TestHostileWebhookAnswerIsRecorded(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			o := officeOn(t, backend)
			mp := startMailpit(t)
			d := o.dispatcher(t, mp, 3)
			d.cfg.Claim = 50 * time.Millisecond
			l := &syncbuf.Buffer{}
			d.cfg.Logger = slogTo(l)
			runDispatcher(t, d)
			hostile := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				io.Copy(io.Discard, r.Body)
				c, buf, err := http.NewResponseController(w).Hijack()
				if err != nil {
					return
				}
				defer c.Close()
				body := "down\x00\x1b[2J\u202enow"
				buf.WriteString("HTTP/1.1 500 \x1b[31m" + strings.Repeat("é", 300) + "\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\nConnection: close\r\n\r\n" + body)
				buf.Flush()
			}))
			t.Cleanup(hostile.Close)
			if _, err := o.r.AddWebhook(ctx, o.admin, "records", hostile.URL); err != nil {
				t.Fatal(err)
			}
			o.release(t, "The brigade moves north on 3 March.")
			waitFor(t, "the delivery failed, or an attempt not recorded", func() bool {
				log, err := o.r.WebhookLog(ctx, o.admin, 10)
				if err != nil {
					t.Fatal(err)
				}
				return len(log) == 1 && log[0].Status == store.StatusFailed || strings.Contains(l.String(), "record webhook attempt")
			})
			log, err := o.r.WebhookLog(ctx, o.admin, 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(log) != 1 || log[0].Status != store.StatusFailed || log[0].Attempts != 3 {
				t.Fatalf("the delivery to the hostile endpoint: %+v; server log:\n%s", log, l)
			}
			checkPrintable(t, "the endpoint's answer", log[0].Reply, "500")
		})
	}
}

// slogTo is a server log written into l.
func slogTo(l *syncbuf.Buffer) *slog.Logger { return slog.New(slog.NewTextHandler(l, nil)) }

// TestMessageHeadersCannotBeInjected: line breaks in what reaches a message's headers (the
// subject, an attachment's name and media type) never begin a header line of their own, and an
// address with a header after it is refused. Before the fix the media type was written as
// given: `"Bcc: x@evil.example"` began a line of the attachment's header.
func TestMessageHeadersCannotBeInjected(t *testing.T) {
	out := &registry.Outgoing{MessageID: "letter.0123@tfn.example", To: "registry@mod.freedonia.example",
		Subject: "TFN-1: letter\r\nBcc: x@evil.example", Text: "Body.\r\n",
		Attachments: []registry.Attachment{{Name: "letter\r\nBcc: x@evil.example\".pdf", MediaType: "application/pdf; a=\r\n\"Bcc: x@evil.example\"", Data: []byte("%PDF-1.7")}}}
	m, err := Message("registry@tfn.example", out)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if _, err := m.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	for line := range strings.Lines(b.String()) {
		if strings.HasPrefix(strings.ToLower(strings.TrimLeft(line, "\"")), "bcc:") {
			t.Errorf("a header line was injected: %q\n%s", line, b.String())
		}
	}
	for _, to := range []string{"registry@mod.freedonia.example\r\nBcc: x@evil.example", "a@b.example, x@evil.example"} {
		out.To = to
		if _, err := Message("registry@tfn.example", out); err == nil {
			t.Errorf("the address %q was taken", to)
		}
	}
	out.To, out.Attachments[0].MediaType = "registry@mod.freedonia.example", "application/pdf\r\nBcc: x@evil.example"
	if _, err := Message("registry@tfn.example", out); err == nil {
		t.Error("a media type with a header after it was taken")
	}
}

// TestStopBeforeHandingOverGivesBack: the dispatcher stops while a connection builds a message
// it has taken (or connects to the mail server). The message was never handed over, so it must
// not count as maybe delivered: the letter retracted while the server is down, the restarted
// worker fails the message as unsent, and its recipient, who never had the letter, gets no
// notice and no withdrawal event. Before the fix the failed attempt was recorded with the
// stopped context, which failed, so the message stayed "sending"; the next start took it as
// handed over before ("sending again", maybe delivered), and the withdrawal sent the
// recipient the notice with its reason.
func TestStopBeforeHandingOverGivesBack(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) { testStopBeforeHandingOverGivesBack(t, officeOn(t, backend)) })
	}
}

func testStopBeforeHandingOverGivesBack(t *testing.T, o *office) {
	ctx := context.Background()
	o.r.SetDispatch(registry.DispatchSettings{Mail: true, AllowPrivateWebhooks: true})
	const addr = "registry@mod.freedonia.example"
	_, _, err := o.r.AddRecipient(ctx, o.admin, registry.NewRecipient{Name: "ministry", Emails: []string{addr}, Webhook: "http://127.0.0.1:9/hook"})
	if err != nil {
		t.Fatal(err)
	}
	ref := o.release(t, "The brigade moves north on 3 March.")
	if _, err := o.r.Dispatch(ctx, o.officer, ref, []string{"ministry"}); err != nil {
		t.Fatal(err)
	}
	d := &Dispatcher{cfg: Config{Registry: o.r, SMTP: &SMTP{Host: "127.0.0.1", Port: 9}, From: "registry@tfn.example", MaxAttempts: 10,
		Backoff: time.Millisecond, MaxBackoff: time.Millisecond, Logger: slog.New(slog.DiscardHandler)}}
	m := takeAgain(t, o)
	stopped, stop := context.WithCancel(ctx)
	stop()
	jobs := make(chan job, 1)
	jobs <- job{m: m, claimed: time.Now()}
	close(jobs)
	d.send(stopped, jobs, make(chan *mark, 1), func(int64) {})

	o.withdraw(t, ref, "", "Sent in error.")
	// The withdrawal fails a message that waits; one it takes as handed over is left to the
	// worker, which takes it at its next start.
	if o.status(t, ref)[0].Status != store.StatusFailed {
		m = takeAgain(t, o)
		_, err = o.r.Compose(ctx, m)
		if !errors.Is(err, registry.ErrUndeliverable) {
			t.Fatalf("compose the retracted letter: %v", err)
		}
		d.record(ctx, m, err)
	}
	if notice, events := noticed(t, o, ref, addr); notice || events != 0 {
		t.Fatalf("the recipient never had the letter and was queued the notice (%v) and %d withdrawal events: %+v", notice, events, o.status(t, ref))
	}
}

// TestWebhookRefusesTranslatedInsideAddresses: an IPv6 address through which a NAT64 gateway
// (an IPv6-only cloud network's way out) or a 6to4 relay reaches a loopback, link-local or
// private IPv4 address is refused where the webhook is dialled, as that IPv4 address is; the
// same prefixes in front of a public address are not, and a zone hides nothing. Before the fix
// only the IPv6 address itself was checked, and 64:ff9b::a9fe:a9fe (the cloud metadata service
// behind NAT64) or 64:ff9b::a00:5 (10.0.0.5) passed.
func TestWebhookRefusesTranslatedInsideAddresses(t *testing.T) {
	for _, a := range []string{"[64:ff9b::a9fe:a9fe]:80", "[64:ff9b::7f00:1]:443", "[64:ff9b::a00:5]:80", "[64:ff9b::c0a8:101]:80",
		"[2002:a9fe:a9fe::1]:80", "[2002:a00:5::]:443", "[64:ff9b:1::a00:5]:80", "[64:ff9b::a9fe:a9fe%eth0]:80", "[fc00::1%eth0]:80"} {
		if err := refuseInside("tcp6", a, nil); !errors.Is(err, errPrivate) {
			t.Errorf("%s: %v", a, err)
		}
	}
	for _, a := range []string{"[64:ff9b::808:808]:443", "[2002:808:808::1]:80", "93.184.216.34:443", "[2606:4700::1111]:443"} {
		if err := refuseInside("tcp6", a, nil); err != nil {
			t.Errorf("%s refused: %v", a, err)
		}
	}
	// When the endpoint is registered: refused as a literal address too.
	for _, u := range []string{"http://[64:ff9b::a9fe:a9fe]/latest/meta-data", "http://[2002:a00:5::]/", "https://[64:ff9b:1::a00:5]/"} {
		if err := registry.CheckWebhookURL(u, false); !errors.Is(err, registry.ErrInvalid) {
			t.Errorf("%s registered: %v", u, err)
		}
	}
	if err := registry.CheckWebhookURL("https://[64:ff9b::808:808]/hook", false); err != nil {
		t.Errorf("a public address through NAT64 refused: %v", err)
	}
	// Through the webhook client: refused before any connection is tried.
	_, err := post(context.Background(), WebhookClient(false, 5*time.Second), "http://[64:ff9b::a9fe:a9fe]/latest/meta-data", []string{registry.NewWebhookSecret()}, "msg_z", []byte("{}"), time.Now())
	if !errors.Is(err, errPrivate) {
		t.Errorf("posting to the metadata service through NAT64: %v", err)
	}
}

// TestKeptConnectionGoneSendsAtOnce: the connection kept from one message is gone when the
// next comes (its deadline passed while it waited, as a server's idle hang-up does). Nothing
// of the message was sent, so it goes at once on a fresh connection, at its first attempt.
// Before the fix go-mail's check of the kept connection failed, and the message was recorded
// as a failed attempt and deferred (by a minute, by default), a retraction notice included.
func TestKeptConnectionGoneSendsAtOnce(t *testing.T) {
	ctx := context.Background()
	mp := startMailpit(t)
	o := newOffice(t)
	d := o.dispatcher(t, mp, 3)
	d.cfg.SMTP.timeout = 500 * time.Millisecond
	d.cfg.Backoff, d.cfg.MaxBackoff, d.cfg.Connections = time.Hour, time.Hour, 1
	runDispatcher(t, d)
	o.recipient(t, "ministry", "registry@mod.freedonia.example")
	o.recipient(t, "liaison", "cell@liaison.example")
	ref := o.release(t, "The brigade moves north on 3 March.")
	if _, err := o.r.Dispatch(ctx, o.officer, ref, []string{"ministry"}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the first letter sent", func() bool { return o.settled(t, ref, 1) })
	time.Sleep(time.Second) // the kept connection's deadline passes
	if _, err := o.r.Dispatch(ctx, o.officer, ref, []string{"liaison"}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the second letter settled or deferred", func() bool {
		for _, v := range o.status(t, ref) {
			if v.Recipient == "liaison" {
				return v.Status != store.StatusQueued
			}
		}
		return false
	})
	for _, v := range o.status(t, ref) {
		if v.Status != store.StatusSent || v.Attempts != 1 {
			t.Errorf("%s: %s after %d attempts (%s), want sent at the first", v.Recipient, v.Status, v.Attempts, v.Reply)
		}
	}
}

// floodingServer is a mail server that, on each connection, greets with a 220 line (or, if
// greet is false, sends nothing but continuation lines) and then answers the client's first
// command with continuation lines that never end.
func floodingServer(t *testing.T, greet bool) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				code := "220-"
				if greet {
					io.WriteString(c, "220 mail.example ESMTP\r\n")
					if _, err := bufio.NewReader(c).ReadString('\n'); err != nil {
						return
					}
					code = "250-"
				}
				flood := []byte(strings.Repeat(code+strings.Repeat("x", 1000)+"\r\n", 1000))
				for {
					if _, err := c.Write(flood); err != nil {
						return
					}
				}
			}()
		}
	}()
	return l.Addr().String()
}

// TestFloodingMailServerIsCut: a mail server whose greeting, or whose answer to EHLO, never
// ends is cut off once it has sent 1 MiB, long before the connection's timeout. Before the fix
// net/textproto kept every line until the timeout (30 s): a gigabyte of memory in 3 s on
// loopback, for each of the dispatcher's connections.
func TestFloodingMailServerIsCut(t *testing.T) {
	for _, greet := range []bool{false, true} {
		sm, err := ParseSMTP("smtp://" + floodingServer(t, greet))
		if err != nil {
			t.Fatal(err)
		}
		sm.timeout = 2 * time.Second // what a regression would fill the memory for
		s := &sender{cfg: sm}
		start := time.Now()
		err = s.connect(context.Background())
		if !errors.Is(err, errAnswerTooLong) {
			t.Errorf("greeting %v: connecting after %s: %v", greet, time.Since(start).Round(time.Millisecond), err)
		}
		s.close()
	}
}

// selfSigned writes a certificate for 127.0.0.1 and its key into dir, and returns their paths
// and a pool that trusts the certificate.
func selfSigned(t *testing.T, dir string) (cert, key string, pool *x509.CertPool) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, BasicConstraintsValid: true, IsCA: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	cert, key = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(key, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kb}), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool = x509.NewCertPool()
	pool.AddCert(c)
	return cert, key, pool
}

// TestEncryptedSessionsWithPassword: letters go through a mail server that takes TLS from the
// first byte (smtps) and through one that requires STARTTLS, both with a user and password, the
// certificate checked; and a server whose certificate is not trusted gets nothing. The
// connections go through the dialer that bounds answers (TestFloodingMailServerIsCut), which
// makes smtps's TLS itself: Mailpit offers only PLAIN and LOGIN, which go-mail uses only on a
// connection it knows to be encrypted, so the smtps case also checks that go-mail knows it.
func TestEncryptedSessionsWithPassword(t *testing.T) {
	ctx := context.Background()
	cert, key, pool := selfSigned(t, t.TempDir())
	for _, mode := range []string{"smtps", "starttls", "untrusted"} {
		t.Run(mode, func(t *testing.T) {
			flag := "--smtp-require-tls"
			if mode == "starttls" {
				flag = "--smtp-require-starttls"
			}
			mp := startMailpit(t, "--smtp-tls-cert", cert, "--smtp-tls-key", key, flag)
			o := newOffice(t)
			d := o.dispatcher(t, mp, 2)
			d.cfg.SMTP.TLS, d.cfg.SMTP.User, d.cfg.SMTP.Password, d.cfg.SMTP.roots = mode != "starttls", "registry", "s3cret", pool
			if mode == "untrusted" {
				d.cfg.SMTP.roots = x509.NewCertPool()
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
			if mode == "untrusted" {
				if v.Status != store.StatusFailed || !strings.Contains(v.Reply, "certificate") || mp.count(t) != 0 {
					t.Fatalf("to a server whose certificate is not trusted: %+v, %d messages there", v, mp.count(t))
				}
				return
			}
			if v.Status != store.StatusSent || len(byTo(t, mp, addr, "official letter")) != 1 {
				t.Fatalf("the letter over %s: %+v", mode, v)
			}
		})
	}
}

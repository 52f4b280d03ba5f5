package dispatch

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/registry"
)

// TestGreetsWithTheOfficeName: the dispatcher greeted the mail server (EHLO) with the
// machine's host name, go-mail's default, which the server writes into the Received header of
// every message: each recipient, and every server on the way, read the registry's internal
// host name ("vm", a container's ID), and servers that ask for a fully qualified name (Postfix's
// reject_non_fqdn_helo_hostname) refuse such a short one (audit, fifty-sixth session, live with
// Mailpit: "Received: from vm"). It greets with the office's mail host, the right side of its
// Message-IDs.
func TestGreetsWithTheOfficeName(t *testing.T) {
	ctx := context.Background()
	mp := startMailpit(t)
	o := newOffice(t)
	o.deliver(t, mp, 3)
	o.recipient(t, "ministry", "registry@mod.freedonia.example")
	ref := o.release(t, "The brigade moves north on 3 March.")
	if _, err := o.r.Dispatch(ctx, o.officer, ref, []string{"ministry"}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the letter", func() bool { return mp.count(t) == 1 })
	received := strings.Join(mp.headers(t, mp.messages(t)[0].ID)["Received"], "\n")
	if !strings.Contains(received, "from tfn.example ") {
		t.Errorf("Received: %q, want the greeting from tfn.example, the office's host", received)
	}
	if host, err := os.Hostname(); err == nil && host != "tfn.example" && strings.Contains(received, "from "+host+" ") {
		t.Errorf("Received: %q names the machine's host name %q", received, host)
	}
}

// TestGreetsWithTheOfficeNameInASCII: an office whose base URL's host is an internationalised
// name greeted the mail server, and wrote its Message-IDs, as chancery.invalid (fifty-sixth
// session's not-fixed list): both carry the name's A-labels, as DNS and mail write it.
func TestGreetsWithTheOfficeNameInASCII(t *testing.T) {
	ctx := context.Background()
	mp := startMailpit(t)
	o := newOffice(t)
	o.url = "https://Chancellerie.Ministère.example"
	o.open(t)
	o.deliver(t, mp, 3)
	o.recipient(t, "ministry", "registry@mod.freedonia.example")
	ref := o.release(t, "The brigade moves north on 3 March.")
	if _, err := o.r.Dispatch(ctx, o.officer, ref, []string{"ministry"}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the letter", func() bool { return mp.count(t) == 1 })
	const host = "chancellerie.xn--ministre-60a.example"
	msg := mp.messages(t)[0]
	received := strings.Join(mp.headers(t, msg.ID)["Received"], "\n")
	if !strings.Contains(received, "from "+host+" ") {
		t.Errorf("Received: %q, want the greeting from %s", received, host)
	}
	if !strings.HasSuffix(msg.MessageID, "@"+host) {
		t.Errorf("Message-ID %q, want one at %s", msg.MessageID, host)
	}
}

// TestMessageNamesNoMailLibrary: every message carried "User-Agent" and "X-Mailer: go-mail
// v0.8.1 // https://github.com/wneessen/go-mail", naming the library and its version to each
// recipient and every server on the way (audit, fifty-sixth session, live with Mailpit).
func TestMessageNamesNoMailLibrary(t *testing.T) {
	m, err := Message("registry@tfn.example", &registry.Outgoing{MessageID: "letter.0123@tfn.example", To: "registry@mod.freedonia.example",
		Subject: "TFN-1: official letter from Task Force North", Text: "Body.\n"})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if _, err := m.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	for line := range strings.Lines(b.String()) {
		if l := strings.ToLower(line); strings.HasPrefix(l, "user-agent:") || strings.HasPrefix(l, "x-mailer:") || strings.Contains(l, "go-mail") {
			t.Errorf("the message names its mail library: %q", line)
		}
	}
}

// TestHELONameOfAnAddress: an office served at an IP address greets with its address literal,
// "[IPv6:…]" for IPv6 as RFC 5321 writes it (its Message-IDs keep plain brackets).
func TestHELONameOfAnAddress(t *testing.T) {
	for host, want := range map[string]string{
		"tfn.example":      "tfn.example",
		"[192.0.2.1]":      "[192.0.2.1]",
		"[2001:db8::1]":    "[IPv6:2001:db8::1]",
		"chancery.invalid": "chancery.invalid",
	} {
		if got := heloName(host); got != want {
			t.Errorf("heloName(%q) = %q, want %q", host, got, want)
		}
	}
}

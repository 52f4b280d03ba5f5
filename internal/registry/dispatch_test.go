package registry

import (
	"context"
	"crypto"
	"errors"
	"strings"
	"testing"
)

// TestRecipientAddresses: only bare addresses enter the directory, so that no header can be
// injected through one; only admins add recipients.
func TestRecipientAddresses(t *testing.T) {
	o := newOffice(t)
	ctx := context.Background()
	for _, bad := range []string{"", "no-at-sign", "a@b.example\r\nBcc: all@x.example", "Minister <m@mod.example>", "a@b.example, c@d.example",
		"a@b.example\nSubject: x", "\"quoted\"@b.example", " a@b.example"} {
		if _, _, err := o.r.AddRecipient(ctx, o.admin, NewRecipient{Name: "x", Emails: []string{bad}}); !errors.Is(err, ErrInvalid) {
			t.Errorf("%q accepted: %v", bad, err)
		}
	}
	if _, _, err := o.r.AddRecipient(ctx, o.officer, NewRecipient{Name: "x", Emails: []string{"a@b.example"}}); !errors.Is(err, ErrForbidden) {
		t.Errorf("a release officer added a recipient: %v", err)
	}
	if _, _, err := o.r.AddRecipient(ctx, o.admin, NewRecipient{Name: "bad name", Emails: []string{"a@b.example"}}); !errors.Is(err, ErrInvalid) {
		t.Errorf("a name with a space: %v", err)
	}
	v, secret, err := o.r.AddRecipient(ctx, o.admin, NewRecipient{Name: "ministry", Emails: []string{"a@b.example", "a@b.example"}, Webhook: "https://hooks.mod.example/in"})
	if err != nil || len(v.Emails) != 1 || !strings.HasPrefix(secret, "whsec_") {
		t.Fatalf("add: %+v %q %v", v, secret, err)
	}
	// A webhook address often carries the receiving system's own secret: only admins read it.
	for _, a := range []Actor{o.admin, o.drafter, o.officer} {
		rs, err := o.r.Recipients(ctx, a)
		if err != nil || len(rs) != 1 || !rs[0].HasWebhook {
			t.Fatalf("recipients for %s: %+v %v", a.name(), rs, err)
		}
		if want := map[bool]string{true: "https://hooks.mod.example/in"}[a == o.admin]; rs[0].Webhook != want {
			t.Errorf("%s reads the webhook address %q", a.name(), rs[0].Webhook)
		}
	}
	if _, _, err := o.r.AddRecipient(ctx, o.admin, NewRecipient{Name: "ministry", Emails: []string{"c@d.example"}}); !errors.Is(err, ErrConflict) {
		t.Errorf("a second ministry: %v", err)
	}
	if _, _, err := o.r.AddRecipient(ctx, o.admin, NewRecipient{Name: "inside", Emails: []string{"c@d.example"}, Webhook: "http://10.1.2.3/"}); !errors.Is(err, ErrInvalid) {
		t.Errorf("a private webhook: %v", err)
	}
}

// TestMessageKeys: Message-IDs and receipt tokens are stable for a message, differ between
// messages, and reveal neither the letter nor the address.
func TestMessageKeys(t *testing.T) {
	o := newOffice(t)
	keys := func(r *Registry, key string) (string, string) {
		t.Helper()
		id, tok, err := r.messageKeys(key)
		if err != nil {
			t.Fatal(err)
		}
		return id, tok
	}
	id1, tok1 := keys(o.r, "letter/1/0/a@b.example")
	id2, tok2 := keys(o.r, "letter/1/0/a@b.example")
	id3, tok3 := keys(o.r, "letter/1/0/c@b.example")
	if id1 != id2 || tok1 != tok2 {
		t.Fatal("the same message gets different keys")
	}
	if id1 == id3 || tok1 == tok3 {
		t.Fatal("two messages share a key")
	}
	if strings.Contains(id1, "a@b") || !strings.HasSuffix(id1, "@tfn.example") || !strings.HasPrefix(id1, "letter.") || len(tok1) < 40 {
		t.Fatalf("keys %q %q", id1, tok1)
	}

	// An office key without a seed (one in a token) and no dispatch secret: keyed by nothing,
	// the keys would be anyone's to compute, so none is made.
	cfg := o.r.cfg
	cfg.OfficeKey, cfg.DispatchSecret = opaqueSigner{cfg.OfficeKey}, nil
	if id, tok, err := New(cfg).messageKeys("letter/1/0/a@b.example"); !errors.Is(err, errNoDispatchSecret) {
		t.Fatalf("without a secret: %q %q %v", id, tok, err)
	}
	cfg.DispatchSecret = []byte("the office's dispatch secret")
	if id, _ := keys(New(cfg), "letter/1/0/a@b.example"); id == id1 {
		t.Fatal("another secret gives the same keys")
	}
}

// opaqueSigner is a signer whose key is not an ed25519.PrivateKey, as a key in a token is not.
type opaqueSigner struct{ crypto.Signer }

// FuzzCheckEmail: whatever an admin types, an accepted address has nothing that could end a
// header or add a recipient.
func FuzzCheckEmail(f *testing.F) {
	for _, s := range []string{"a@b.example", "a@b.example\r\nBcc: x@y", "Name <a@b>", "a@b, c@d", "\"a b\"@c.example", "a@[127.0.0.1]", "é@exämple.org"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		addr, err := checkEmail(s)
		if err != nil {
			return
		}
		if strings.ContainsAny(addr, "\r\n,;<>\" ") || !strings.Contains(addr, "@") {
			t.Fatalf("%q accepted as %q", s, addr)
		}
	})
}

// TestMailAddress: an address goes into the envelope and the header with its domain as its
// A-labels, its local part as written; the directory refuses a domain IDNA refuses, and keeps
// an address it accepts as the admin wrote it (fifty-sixth session's not-fixed list: a
// non-ASCII domain was sent as written, and servers without SMTPUTF8 refused it).
func TestMailAddress(t *testing.T) {
	for in, want := range map[string]string{
		"registry@mod.example":              "registry@mod.example",
		"Registry@MOD.Example":              "Registry@mod.example",
		"müller@Ministère.example":          "müller@xn--ministre-60a.example",
		"a@[192.0.2.1]":                     "a@[192.0.2.1]",
		"registry@xn--ministre-60a.example": "registry@xn--ministre-60a.example",
	} {
		if got, err := MailAddress(in); err != nil || got != want {
			t.Errorf("MailAddress(%q) = %q, %v; want %q", in, got, err, want)
		}
		if got, err := checkEmail(in); err != nil || got != in {
			t.Errorf("checkEmail(%q) = %q, %v; want it kept as written", in, got, err)
		}
	}
	for _, in := range []string{"registry@xn--zz.example", "registry@-mod.example", "registry@mod..example"} {
		if got, err := MailAddress(in); err == nil {
			t.Errorf("MailAddress(%q) = %q, want an error", in, got)
		}
		if _, err := checkEmail(in); !errors.Is(err, ErrInvalid) {
			t.Errorf("checkEmail(%q): %v, want it refused", in, err)
		}
	}
}

// TestMailAddressTakesHyphensInPlacesThreeAndFour: a label in ASCII with "--" in its third
// and fourth places ("r3---sn-ab5l6n7s") is a host name DNS serves. IDNA's lookup profile with
// CheckHyphens, which the fifty-seventh session's A-label conversion used, refused it: the
// directory refused such an address, one stored before failed every letter at once, and an
// office so named wrote its Message-IDs at chancery.invalid (audit, fifty-seventh session).
// A label that begins or ends with a hyphen is still refused.
func TestMailAddressTakesHyphensInPlacesThreeAndFour(t *testing.T) {
	for _, in := range []string{"press@r3---sn-ab5l6n7s.example", "registry@ab--cd.mod.example"} {
		if got, err := MailAddress(in); err != nil || got != in {
			t.Errorf("MailAddress(%q) = %q, %v; want it as written", in, got, err)
		}
		if got, err := checkEmail(in); err != nil || got != in {
			t.Errorf("checkEmail(%q) = %q, %v; want it kept", in, got, err)
		}
	}
	if got := messageIDHost("https://ab--cd.example"); got != "ab--cd.example" {
		t.Errorf("messageIDHost: %q, want ab--cd.example", got)
	}
	for _, in := range []string{"registry@mod-.example", "registry@-mod.example", "registry@mod.-x.example", "registry@xn--a-.example"} {
		if got, err := MailAddress(in); err == nil {
			t.Errorf("MailAddress(%q) = %q, want an error", in, got)
		}
	}
}

// TestMailAddressRefusesHyphenAtULabelEnds: an internationalised label that begins or ends
// with a hyphen ("-ministère") is refused as one in ASCII is. Without CheckHyphens its A-label
// ("xn----...") begins with a letter, and the directory took an address at a domain no
// registry delegates, which IDNA2008 refuses (audit, fifty-seventh session).
func TestMailAddressRefusesHyphenAtULabelEnds(t *testing.T) {
	for _, in := range []string{"registry@-ministère.example", "registry@ministère-.example", "registry@xn----eha.example", "registry@mod.ü-.example"} {
		if got, err := MailAddress(in); err == nil {
			t.Errorf("MailAddress(%q) = %q, want an error", in, got)
		}
		if got, err := checkEmail(in); err == nil {
			t.Errorf("checkEmail(%q) = %q, want an error", in, got)
		}
	}
	if got := messageIDHost("https://-ministère.example"); got != "chancery.invalid" {
		t.Errorf("messageIDHost: %q, want chancery.invalid", got)
	}
	for in, want := range map[string]string{"registry@ab--ü.example": "registry@xn--ab---3ra.example", "registry@ministère.example": "registry@xn--ministre-60a.example"} {
		if got, err := MailAddress(in); err != nil || got != want {
			t.Errorf("MailAddress(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

// FuzzReceipt: any token but a real one gets the one refusal, from the page and the button.
func FuzzReceipt(f *testing.F) {
	o := newOffice(f)
	for _, s := range []string{"", "rct_", "rct_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "rct_" + strings.Repeat("x", 200), "../../etc", "rct_%00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, tok string) {
		ctx := context.Background()
		if _, err := o.r.Receipt(ctx, tok); !errors.Is(err, ErrBadReceipt) {
			t.Fatalf("Receipt(%q): %v", tok, err)
		}
		if _, err := o.r.Acknowledge(ctx, tok, "fuzz"); !errors.Is(err, ErrBadReceipt) {
			t.Fatalf("Acknowledge(%q): %v", tok, err)
		}
	})
}

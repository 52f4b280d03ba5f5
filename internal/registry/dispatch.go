package registry

import (
	"context"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/mail"
	"net/netip"
	"net/url"
	"path"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/chancery/chancery/internal/i18n"
	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/policy"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/store"
	"golang.org/x/net/idna"
)

// DispatchSettings is how letters leave the registry: by mail through an SMTP server, and as
// events to webhook endpoints. The server sets them (SetDispatch) when it runs a delivery
// worker; without them, nothing is queued.
type DispatchSettings struct {
	// Mail is set when an SMTP server is configured: without one, dispatch is refused rather
	// than queued for a worker that will never send it.
	Mail bool
	// AllowPrivateWebhooks lets webhook endpoints be on loopback, link-local and private
	// addresses (an operator's own network); refused by default (SSRF).
	AllowPrivateWebhooks bool
	// ReceiptTTL is how long a receipt link works (default DefaultReceiptTTL).
	ReceiptTTL time.Duration
	// Wake, if set, is called after a transaction that queued messages or events commits.
	Wake func()
}

// DefaultReceiptTTL is how long a receipt link works by default.
const DefaultReceiptTTL = 90 * 24 * time.Hour

// ErrNoMail is wrapped when a letter is to be mailed but no SMTP server is configured.
var ErrNoMail = errors.New("this registry has no mail server configured")

// ErrUndeliverable is wrapped by Compose when a message must not be sent any more (its letter
// was withdrawn or erased, or a draft was released since): the worker fails it at once.
var ErrUndeliverable = errors.New("undeliverable")

// SetDispatch sets how letters leave the registry.
func (r *Registry) SetDispatch(s DispatchSettings) {
	if s.ReceiptTTL <= 0 {
		s.ReceiptTTL = DefaultReceiptTTL
	}
	r.dispatch.Store(&s)
}

// wakeDispatch tells the delivery worker that something was queued.
func (r *Registry) wakeDispatch() {
	if s := r.dispatch.Load(); s != nil && s.Wake != nil {
		s.Wake()
	}
}

func (r *Registry) dispatchSettings() DispatchSettings {
	if s := r.dispatch.Load(); s != nil {
		return *s
	}
	return DispatchSettings{ReceiptTTL: DefaultReceiptTTL}
}

// RecipientView is a recipient of the directory.
type RecipientView struct {
	Name         string   `json:"name"`
	Organization string   `json:"organization"`
	Contact      string   `json:"contact"`
	Emails       []string `json:"emails"`
	// Webhook is the recipient's endpoint, shown to admins only: such an address often
	// carries the receiving system's own secret. Others see HasWebhook.
	Webhook    string    `json:"webhook,omitempty"`
	HasWebhook bool      `json:"has_webhook"`
	CreatedAt  time.Time `json:"created_at"`
}

// PlainHTTP reports whether the recipient's endpoint, as an admin reads it, is posted to in
// clear (PlainHTTPWebhook).
func (v RecipientView) PlainHTTP() bool { return v.Webhook != "" && PlainHTTPWebhook(v.Webhook) }

// NewRecipient is a recipient to add.
type NewRecipient struct {
	Name         string
	Organization string
	Contact      string
	Emails       []string
	// Webhook, if set, is the recipient's endpoint for machine delivery of their events.
	Webhook string
}

// checkEmail accepts one bare address (no display name, no line breaks): what reaches a
// header is exactly what the admin typed, so no header can be injected through it. Its domain
// must be one mail can be sent to (MailAddress): an internationalised one is sent as its
// A-labels. A local part in other letters than ASCII's ("müller") is accepted: it goes only
// through a mail server that offers SMTPUTF8, and fails at once through another. A word of
// the address that mixes Latin with Cyrillic or Greek letters ("r\u0435gistry@mod.example",
// with a Cyrillic е) is refused, as in a letter's addressee (checkOneScript): it reads as
// another mailbox, and a local part has no A-labels that members could be shown beside it
// (ShownAddress). So is an invisible or control character ("regis\u200btry", "abc\u202edef",
// which the pages draw as "registry" and "abcelpmaxe.dom@fed"), as in every stored text
// (checkChars).
func checkEmail(s string) (string, error) {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != strings.TrimSpace(s) || strings.ContainsAny(s, "\r\n<>,;\" ") {
		return "", i18n.Errorf(ErrInvalid, "%q is not an e-mail address (give a bare address, like registry@ministry.example)", s)
	}
	if _, err := MailAddress(a.Address); err != nil {
		return "", i18n.Errorf(ErrInvalid, "%q is not an e-mail address: its domain is not a host name mail can be sent to", s)
	}
	if err := checkChars("e-mail address", a.Address, false); err != nil {
		return "", err
	}
	if err := checkOneScript("e-mail address", a.Address); err != nil {
		return "", err
	}
	return a.Address, nil
}

// MailAddress is the address addr as a message's envelope and header carry it: its domain in
// ASCII, an internationalised one ("ministère.example") as its A-labels
// ("xn--ministre-60a.example"), in lower case; its local part as written. A mail server
// without SMTPUTF8 refused an address with its domain in other letters than ASCII's, and the
// message failed after its attempts. A domain literal ("[192.0.2.1]") is kept as it is. It
// fails for a domain that IDNA2008's lookup profile refuses.
func MailAddress(addr string) (string, error) {
	i := strings.LastIndexByte(addr, '@')
	if i <= 0 || i == len(addr)-1 {
		return "", fmt.Errorf("%q is not an e-mail address", addr)
	}
	local, domain := addr[:i], addr[i+1:]
	if strings.HasPrefix(domain, "[") {
		return addr, nil
	}
	a, ok := asciiHost(domain)
	if !ok {
		return "", fmt.Errorf("%q: %q is not a domain mail can be sent to", addr, domain)
	}
	return local + "@" + a, nil
}

// ShownAddress is the address addr as the interfaces show it to members: as written, and,
// when its domain has letters other than ASCII's, followed by the domain's A-labels, where
// mail goes ("registry@аррӏе.com (xn--80ak6aa92e.com)"). A domain in Cyrillic or Greek can
// look like a Latin one ("аррӏе.com", apple.com's look-alike); its A-labels do not. An
// address in ASCII, or one whose domain IDNA refuses, is shown as written.
func ShownAddress(addr string) string {
	if a := ALabels(addr); a != "" {
		return addr + " (" + a + ")"
	}
	return addr
}

// ALabels returns the A-labels of addr's domain when the domain has letters other than
// ASCII's ("xn--80ak6aa92e.com" for "registry@аррӏе.com"), what ShownAddress shows beside it;
// "" for an address in ASCII, a domain literal, or a domain IDNA refuses.
func ALabels(addr string) string {
	i := strings.LastIndexByte(addr, '@')
	if i < 0 {
		return ""
	}
	domain := addr[i+1:]
	ascii := true
	for j := 0; j < len(domain); j++ {
		ascii = ascii && domain[j] < utf8.RuneSelf
	}
	if ascii || strings.HasPrefix(domain, "[") {
		return ""
	}
	a, ok := asciiHost(domain)
	if !ok {
		return ""
	}
	return a
}

// AddRecipient adds a recipient to the directory (admins). When the recipient has a webhook,
// it returns the endpoint's signing secret, shown once.
func (r *Registry) AddRecipient(ctx context.Context, a Actor, nr NewRecipient) (*RecipientView, string, error) {
	if err := a.require(RoleAdmin); err != nil {
		return nil, "", err
	}
	nr.Name, nr.Organization, nr.Contact = nfc(nr.Name), oneSpace(nfc(nr.Organization)), nfc(nr.Contact)
	if err := checkName("recipient name", nr.Name); err != nil {
		return nil, "", err
	}
	// A letter dispatched to the recipient is checked against the rules over addressees as
	// if addressed to their organisation too (rulesEscaped): it is stored as an addressee
	// is, and refused where an addressee would be, so that one reading as the organisation
	// a rule names ("Ministry of D\u0435fence", with a Cyrillic е) is not another.
	if nr.Organization != "" {
		if err := checkLabel("organization", nr.Organization, 300); err != nil {
			return nil, "", err
		}
		if err := checkOneScript("organization", nr.Organization); err != nil {
			return nil, "", err
		}
	}
	// The name and the organization are printed on the line of each copy sent to them.
	for what, s := range map[string]string{"recipient": nr.Name, "organization": nr.Organization} {
		if err := pdf.CheckText(what, s); err != nil {
			return nil, "", i18n.Errorf(ErrInvalid, "%v", err)
		}
	}
	for what, s := range map[string]string{"organization": nr.Organization, "contact": nr.Contact} {
		if s != "" {
			if err := checkText(what, s, 300); err != nil {
				return nil, "", err
			}
		}
	}
	emails, err := checkEmails(nr.Emails)
	if err != nil {
		return nil, "", err
	}
	var secret string
	if nr.Webhook != "" {
		if err := CheckWebhookURL(nr.Webhook, r.dispatchSettings().AllowPrivateWebhooks); err != nil {
			return nil, "", err
		}
		secret = NewWebhookSecret()
	}
	rec := &store.Recipient{Name: nr.Name, Organization: nr.Organization, Contact: nr.Contact, Emails: emails, CreatedAt: r.now()}
	err = r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		if err := stillActs(ctx, tx, a); err != nil {
			return err
		}
		// Letters are dispatched to recipients chosen by name: one that reads as another's
		// name would take a letter meant for it to its own addresses.
		rs, err := tx.Recipients(ctx)
		if err != nil {
			return err
		}
		names := make([]string, len(rs))
		for i, x := range rs {
			names[i] = x.Name
		}
		if other := lookAlike(rec.Name, names); other != "" {
			return i18n.Errorf(ErrConflict, "recipient name %q looks like the name of the recipient %q: choose a name that cannot be mistaken for it", rec.Name, other)
		}
		if err := tx.AddRecipient(ctx, rec); err != nil {
			return err
		}
		if nr.Webhook != "" {
			if err := tx.AddWebhookEndpoint(ctx, &store.WebhookEndpoint{Name: "recipient:" + nr.Name, URL: nr.Webhook, Secret: secret,
				RecipientID: rec.ID, CreatedAt: rec.CreatedAt}); err != nil {
				return err
			}
		}
		return r.audit(ctx, tx, a, "recipient.add", "", fmt.Sprintf("%s (%s)", nr.Name, strings.Join(emails, ", ")))
	})
	if err != nil {
		return nil, "", wrapOnce("add recipient "+nr.Name, err)
	}
	return &RecipientView{Name: rec.Name, Organization: rec.Organization, Contact: rec.Contact, Emails: emails, Webhook: nr.Webhook,
		HasWebhook: nr.Webhook != "", CreatedAt: rec.CreatedAt}, secret, nil
}

// activeRecipient returns the recipient name of the directory: one not found, or retired, is
// refused.
func activeRecipient(ctx context.Context, tx *store.Tx, name string) (*store.Recipient, error) {
	rec, err := tx.RecipientByName(ctx, name)
	if err != nil {
		return nil, fmt.Errorf("%w (add it with 'chancery recipient add')", err)
	}
	if !rec.RetiredAt.IsZero() {
		return nil, i18n.Errorf(ErrConflict, "recipient %s was retired from the directory on %s: nothing is sent to them any more", rec.Name, rec.RetiredAt.UTC().Format(time.DateOnly))
	}
	return rec, nil
}

// RetireRecipient retires the recipient name from the directory (admins): nothing is
// dispatched or mailed to them any more, the directory no longer lists them, and their webhook
// endpoint is removed; a letter or draft copy still waiting to them is not sent
// (stillAddressed), and the notices of a withdrawal of what they were sent still reach the
// address it went to. The row stays, and so does the name, which no other recipient takes.
func (r *Registry) RetireRecipient(ctx context.Context, a Actor, name string) error {
	if err := a.require(RoleAdmin); err != nil {
		return err
	}
	name = nfc(name)
	err := r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		if err := stillActs(ctx, tx, a); err != nil {
			return err
		}
		rec, err := activeRecipient(ctx, tx, name)
		if err != nil {
			return err
		}
		if err := tx.RetireRecipient(ctx, rec.ID, r.now()); err != nil {
			return err
		}
		eps, err := tx.WebhookEndpoints(ctx)
		if err != nil {
			return err
		}
		for _, e := range eps {
			// The recipient's own endpoint, not an office endpoint an earlier build let an
			// admin name "recipient:NAME".
			if e.RecipientID == rec.ID {
				if _, err := tx.RemoveWebhookEndpoint(ctx, e.Name); err != nil {
					return err
				}
			}
		}
		return r.audit(ctx, tx, a, "recipient.retire", "", rec.Name)
	})
	if err != nil {
		return wrapOnce("retire recipient "+name, err)
	}
	return nil
}

// checkEmails returns a recipient's addresses, each checked (checkEmail) and given once; at
// least one.
func checkEmails(list []string) ([]string, error) {
	if len(list) == 0 {
		return nil, i18n.Errorf(ErrInvalid, "a recipient needs at least one e-mail address (--email)")
	}
	var emails []string
	for _, e := range list {
		addr, err := checkEmail(e)
		if err != nil {
			return nil, err
		}
		// Given once per mailbox (one domain in two cases is one), as first written.
		if !slices.ContainsFunc(emails, func(e string) bool { return sameMailbox(e, addr) }) {
			emails = append(emails, addr)
		}
	}
	return emails, nil
}

// SetRecipientEmails replaces the addresses of the recipient name (admins): a mistyped or
// outdated address would otherwise receive every letter dispatched to that name, the name
// being taken, and its look-alikes refused. Messages sent keep their own address, so the
// notices of a withdrawal still go where the letter went; a letter or draft copy still waiting
// to an address taken away is not sent there (stillAddressed).
func (r *Registry) SetRecipientEmails(ctx context.Context, a Actor, name string, list []string) (*RecipientView, error) {
	if err := a.require(RoleAdmin); err != nil {
		return nil, err
	}
	name = nfc(name)
	emails, err := checkEmails(list)
	if err != nil {
		return nil, err
	}
	var v *RecipientView
	err = r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		if err := stillActs(ctx, tx, a); err != nil {
			return err
		}
		rec, err := activeRecipient(ctx, tx, name)
		if err != nil {
			return err
		}
		if slices.Equal(rec.Emails, emails) {
			return i18n.Errorf(ErrConflict, "recipient %s has these addresses already", name)
		}
		if err := tx.SetRecipientEmails(ctx, rec.ID, emails); err != nil {
			return err
		}
		v = &RecipientView{Name: rec.Name, Organization: rec.Organization, Contact: rec.Contact, Emails: emails, CreatedAt: rec.CreatedAt}
		return r.audit(ctx, tx, a, "recipient.update", "", fmt.Sprintf("%s (%s, was %s)", rec.Name, strings.Join(emails, ", "), strings.Join(rec.Emails, ", ")))
	})
	if err != nil {
		return nil, wrapOnce("set the addresses of recipient "+name, err)
	}
	return v, nil
}

// Recipients lists the directory, retired recipients left out, to members with a role; only
// admins see the recipients' webhook addresses.
func (r *Registry) Recipients(ctx context.Context, a Actor) ([]RecipientView, error) {
	if err := a.require(Roles...); err != nil {
		return nil, err
	}
	admin := a.Member.HasRole(RoleAdmin)
	out := []RecipientView{}
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		rs, err := tx.Recipients(ctx)
		if err != nil {
			return err
		}
		eps, err := tx.WebhookEndpoints(ctx)
		if err != nil {
			return err
		}
		hooks := map[int64]string{}
		for _, e := range eps {
			hooks[e.RecipientID] = e.URL
		}
		for _, x := range rs {
			if !x.RetiredAt.IsZero() {
				continue
			}
			v := RecipientView{Name: x.Name, Organization: x.Organization, Contact: x.Contact, Emails: x.Emails, HasWebhook: hooks[x.ID] != "", CreatedAt: x.CreatedAt}
			if admin {
				v.Webhook = hooks[x.ID]
			}
			out = append(out, v)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("recipients: %w", err)
	}
	return out, nil
}

// DispatchView is one message about a letter, as `chancery dispatch status` prints it.
type DispatchView struct {
	Recipient   string     `json:"recipient"`
	Email       string     `json:"email"`
	Kind        string     `json:"kind"`
	Status      string     `json:"status"`
	Attempts    int        `json:"attempts"`
	Reply       string     `json:"reply"`
	MessageID   string     `json:"message_id"`
	Version     int        `json:"version,omitempty"`
	QueuedAt    time.Time  `json:"queued_at"`
	NextAttempt *time.Time `json:"next_attempt,omitempty"`
	SentAt      *time.Time `json:"sent_at"`
	ReceivedAt  *time.Time `json:"received_at"`
	// MaybeDelivered says an attempt may have reached the recipient though its acceptance
	// was never recorded (store.OutboxMessage.MaybeDelivered): a failed message so marked
	// may be held, and a withdrawal gives its recipient notice.
	MaybeDelivered bool `json:"maybe_delivered,omitempty"`
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func dispatchView(m store.OutboxMessage) DispatchView {
	v := DispatchView{Recipient: m.Recipient, Email: m.Email, Kind: m.Kind, Status: m.Status, Attempts: m.Attempts, Reply: m.Reply,
		MessageID: m.MessageID, QueuedAt: m.CreatedAt, SentAt: timePtr(m.SentAt), ReceivedAt: timePtr(m.ReceivedAt),
		MaybeDelivered: m.MaybeDelivered && m.Status != store.StatusSent}
	if m.Kind == store.KindDraftCopy {
		v.Version = m.VersionN
	}
	if m.Status == store.StatusDeferred {
		v.NextAttempt = timePtr(m.NextAt)
	}
	return v
}

// Dispatches returns every message about ref, oldest first, to members with a role.
func (r *Registry) Dispatches(ctx context.Context, a Actor, ref string) ([]DispatchView, error) {
	if err := a.require(Roles...); err != nil {
		return nil, err
	}
	out := []DispatchView{}
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		l, err := tx.LetterByRef(ctx, ref)
		if err != nil {
			return err
		}
		ms, err := tx.LetterMessages(ctx, l.ID)
		for _, m := range ms {
			out = append(out, dispatchView(m))
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("dispatches of %s: %w", ref, err)
	}
	return out, nil
}

// messageKeys returns the stable Message-ID and the receipt token of the message with key: both
// derive from the office's dispatch secret, so that a message sent again after a crash carries
// the same ones, and neither reveals the letter or the address to whoever sees it.
func (r *Registry) messageKeys(key string) (messageID, token string, err error) {
	dk, err := r.dispatchKey()
	if err != nil {
		return "", "", err
	}
	h := hmac.New(sha256.New, dk)
	h.Write([]byte("message-id\x00" + key))
	id := hex.EncodeToString(h.Sum(nil)[:16])
	messageID = strings.SplitN(key, "/", 2)[0] + "." + id + "@" + messageIDHost(r.cfg.Office.URL)
	token, err = r.receiptToken(messageID)
	return messageID, token, err
}

// MailHost is the name the office's mail goes under: the right side of its Message-IDs, and
// the name the dispatcher greets the mail server with (HELO/EHLO), which the server writes into
// each message's Received header (messageIDHost).
func (r *Registry) MailHost() string { return messageIDHost(r.cfg.Office.URL) }

// messageIDHost is the right side of the Message-IDs of an office at officeURL (RFC 5322
// msg-id): its host name in ASCII, an internationalised name written as its A-labels
// (punycode, asciiHost), its IP address in brackets, else chancery.invalid. An IPv6 address as
// it stands, or a name in other letters than ASCII's, made a Message-ID that mail servers may
// refuse.
func messageIDHost(officeURL string) string {
	u, err := url.Parse(officeURL)
	if err != nil || u.Hostname() == "" {
		return "chancery.invalid"
	}
	h := u.Hostname()
	if _, err := netip.ParseAddr(h); err == nil {
		return "[" + h + "]"
	}
	if a, ok := asciiHost(h); ok {
		return a
	}
	return "chancery.invalid"
}

// asciiHost is the host name h as mail and DNS write it: each label in ASCII, an
// internationalised one as its A-label ("ministère" is "xn--ministre-60a"), in lower case
// (hostProfile, which maps the name as a resolver does). It is false for a name that profile
// refuses, or with an empty label, a label that begins or ends with a hyphen (in ASCII, or as
// its U-label), or a character a host name cannot have.
func asciiHost(h string) (string, bool) {
	a, err := hostProfile.ToASCII(h)
	if err != nil || a == "" {
		return "", false
	}
	for _, part := range strings.Split(a, ".") {
		if part == "" || part[0] == '-' || part[len(part)-1] == '-' ||
			strings.Trim(part, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") != "" {
			return "", false
		}
		// An internationalised label is refused as its U-label is: "-ministère" is written
		// "xn----ministre-..." and begins with a letter.
		if u, ok := strings.CutPrefix(part, "xn--"); ok {
			l, err := idna.Punycode.ToUnicode("xn--" + u)
			if err != nil || l == "" || strings.HasPrefix(l, "-") || strings.HasSuffix(l, "-") {
				return "", false
			}
		}
	}
	return a, true
}

// hostProfile is IDNA2008's lookup profile (UTS 46, nontransitional) without CheckHyphens,
// as browsers (the WHATWG URL standard) look names up: CheckHyphens refused a label in ASCII
// with "--" in its third and fourth places ("r3---sn-ab5l6n7s"), a host name DNS serves, so
// the directory refused such an address and a letter already queued to one failed at once.
// A label that begins or ends with a hyphen is refused by asciiHost.
var hostProfile = idna.New(idna.MapForLookup(), idna.BidiRule(), idna.Transitional(false), idna.CheckHyphens(false))

// receiptToken is the receipt token of the message whose Message-ID is messageID. A message
// is built with the Message-ID it was queued with: rebuilt from the office's URL of the
// moment, which may have moved to another host since, it gave a token that matched no stored
// hash.
func (r *Registry) receiptToken(messageID string) (string, error) {
	dk, err := r.dispatchKey()
	if err != nil {
		return "", err
	}
	h := hmac.New(sha256.New, dk)
	h.Write([]byte("receipt\x00" + messageID))
	return "rct_" + base64.RawURLEncoding.EncodeToString(h.Sum(nil)), nil
}

// errNoDispatchSecret: the registry was given neither a dispatch secret nor an Ed25519 office
// key to derive one from. Keyed by nothing, message IDs and receipt tokens would be anyone's
// to compute, so nothing is sent.
var errNoDispatchSecret = errors.New("no dispatch secret: the office key has no seed to derive one from (datadir's dispatch.key)")

// dispatchKey is the office's key for message IDs and receipt tokens, derived from its
// dispatch secret. Offices made before the secret existed used the office key's seed, which
// their data directory keeps as the secret (Config.DispatchSecret).
func (r *Registry) dispatchKey() ([]byte, error) {
	secret := r.cfg.DispatchSecret
	if k, ok := r.cfg.OfficeKey.(ed25519.PrivateKey); ok && secret == nil {
		secret = k.Seed()
	}
	if len(secret) == 0 {
		return nil, errNoDispatchSecret
	}
	k := sha256.Sum256(append([]byte("chancery dispatch key v1\x00"), secret...))
	return k[:], nil
}

// enqueue writes the message for (kind, letter, version, address) unless it exists, under
// any form of the address that is the same mailbox (messageKey). taken holds the keys of the
// letter's messages (takenKeys), and gets the new one; nil, they are read from tx. It returns
// a nil message when one existed.
func (r *Registry) enqueue(ctx context.Context, tx *store.Tx, kind string, letterID int64, version int, rec *store.Recipient, email, attachment string, member int64, now time.Time, taken map[string]bool) (*store.OutboxMessage, bool, error) {
	key := messageKey(kind, letterID, version, email)
	if taken == nil {
		ms, err := tx.LetterMessages(ctx, letterID)
		if err != nil {
			return nil, false, err
		}
		taken = takenKeys(ms)
	}
	if taken[key] {
		return nil, false, nil
	}
	mid, token, err := r.messageKeys(key)
	if err != nil {
		return nil, false, err
	}
	m := &store.OutboxMessage{Key: key, MessageID: mid, LetterID: letterID, RecipientID: rec.ID, Email: email, Kind: kind, VersionN: version,
		Attachment: attachment, NextAt: now, MemberID: member, CreatedAt: now, Recipient: rec.Name}
	if kind != store.KindNotice {
		m.ReceiptHash = HashToken(token)
	}
	ok, err := tx.Enqueue(ctx, m)
	if ok {
		taken[key] = true
	}
	return m, ok, err
}

// messageKey is the key of the message of kind about a letter's version to the address email:
// the address with its domain folded (mailbox). Keyed as written, Registry@Mod.example and
// Registry@mod.example, one mailbox, got two copies with two receipt links. A message's key
// is a contract (its Message-ID and receipt token derive from it): messages queued before
// keep the key they were stored with, as written, and are found as the same mailbox by
// takenKeys, which reads a key from each message's fields, not from its stored key.
func messageKey(kind string, letterID int64, version int, email string) string {
	return fmt.Sprintf("%s/%d/%d/%s", kind, letterID, version, mailbox(email))
}

// mailbox is the address email as one mailbox: its domain, case-insensitive (RFC 5321),
// folded to lower case and written as its A-labels (MailAddress); its local part as written,
// which the receiving server alone may read without regard to case. An address whose domain
// IDNA refuses (none the directory accepts) is taken as it is.
func mailbox(email string) string {
	if a, err := MailAddress(email); err == nil {
		return a
	}
	return email
}

// sameMailbox tells whether a and b are addresses of one mailbox (mailbox).
func sameMailbox(a, b string) bool { return a == b || mailbox(a) == mailbox(b) }

// takenKeys returns the keys of ms as messageKey makes them, whatever form of the address
// they were stored under.
func takenKeys(ms []store.OutboxMessage) map[string]bool {
	taken := make(map[string]bool, len(ms))
	for _, m := range ms {
		taken[messageKey(m.Kind, m.LetterID, m.VersionN, m.Email)] = true
	}
	return taken
}

// MaxDispatchRecipients bounds the recipients one Dispatch names, each counted once.
const MaxDispatchRecipients = 1000

// Dispatch queues the released letter ref for each named recipient, at each of their
// addresses (release officers). Anything but a released letter in force is refused, and
// nothing is queued; a recipient who was already sent the letter is not sent it again. The
// messages are written in the transaction of their audit record.
func (r *Registry) Dispatch(ctx context.Context, a Actor, ref string, names []string) ([]DispatchView, error) {
	if err := a.require(RoleRelease); err != nil {
		return nil, err
	}
	// Names as recipient names are stored, each once: the answer lists what was queued for
	// the names as stored, and a list of one name repeated held the write transaction, which
	// every release waits for, for as long as its length.
	var uniq []string
	for _, n := range names {
		if n = nfc(n); !slices.Contains(uniq, n) {
			uniq = append(uniq, n)
		}
		if len(uniq) > MaxDispatchRecipients {
			return nil, i18n.Errorf(ErrInvalid, "name at most %d recipients at once", MaxDispatchRecipients)
		}
	}
	names = uniq
	if len(names) == 0 {
		return nil, i18n.Errorf(ErrInvalid, "name at least one recipient (--recipient)")
	}
	if !r.dispatchSettings().Mail {
		return nil, fmt.Errorf("dispatch %s: %w: %w: start the server with --smtp URL (or CHANCERY_SMTP_URL)", ref, ErrConflict, ErrNoMail)
	}
	defer r.wakeDispatch()
	var out []DispatchView
	err := r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		// The officer as stored in tx: one disabled, or whose release role was taken, since
		// the request was authenticated sends nothing.
		if err := stillActs(ctx, tx, a); err != nil {
			return err
		}
		l, err := tx.LetterByRef(ctx, ref)
		if err != nil {
			return err
		}
		if err := r.inForceRelease(ctx, tx, l); err != nil {
			return err
		}
		escapes, err := r.rulesEscaped(ctx, tx, l)
		if err != nil {
			return err
		}
		now := r.now()
		before, err := tx.LetterMessages(ctx, l.ID)
		if err != nil {
			return err
		}
		taken := takenKeys(before)
		var sent []string
		for _, n := range names {
			rec, err := activeRecipient(ctx, tx, n)
			if err != nil {
				return err
			}
			if err := escapes(rec); err != nil {
				return err
			}
			for _, e := range rec.Emails {
				m, fresh, err := r.enqueue(ctx, tx, store.KindLetter, l.ID, 0, rec, e, "", a.Member.ID, now, taken)
				if err != nil {
					return err
				}
				if fresh {
					sent = append(sent, fmt.Sprintf("%s <%s> as %s", rec.Name, e, m.MessageID))
				}
			}
		}
		if len(sent) == 0 {
			return i18n.Errorf(ErrConflict, "%s was already dispatched to %s", ref, strings.Join(names, ", "))
		}
		ms, err := tx.LetterMessages(ctx, l.ID)
		if err != nil {
			return err
		}
		out = nil
		for _, m := range ms {
			if slices.Contains(names, m.Recipient) && m.Kind == store.KindLetter {
				out = append(out, dispatchView(m))
			}
		}
		return r.audit(ctx, tx, a, "letter.dispatch", ref, "queued to "+strings.Join(sent, "; "))
	})
	if err != nil {
		return nil, fmt.Errorf("dispatch %s: %w", ref, err)
	}
	return out, nil
}

// rulesEscaped returns, for the released letter l, a function that refuses (ErrConflict),
// naming it, a rule of the policy in force that would apply to l were it addressed to the
// recipient rec too (their organisation, their name or one of their addresses, each that is
// not among its addressees already) and asks for something the rules that apply to l as
// addressed do not (asksMore), or, when l was released under another policy, something that
// applies only with rec and that policy did not ask for (releasedUnder, refused while that
// policy's rules are not known); and nil when there is none. Rec's organisation is also
// added with the parties l was dispatched to before and those the function passed before it
// (dispatchedParties), so that a rule over the number of addressees counts everyone the
// letter reaches. It refuses when this server has not read the policy in force yet (another
// adopted it), and, while that policy does not compile with this build and its rules are not
// known, a recipient whose organisation (or name, without one) is not among the letter's
// addressees. A rule written over the addressees (legal review for letters to a ministry) is
// otherwise escaped by releasing the letter to others and dispatching it to the ministry
// afterwards, or by addressing it to the recipient's name in the directory ("ministry")
// rather than to the organisation the rule names.
func (r *Registry) rulesEscaped(ctx context.Context, tx *store.Tx, l *store.Letter) (func(*store.Recipient) error, error) {
	p, err := r.policyRead(ctx, tx)
	if err != nil {
		return nil, err
	}
	if p.Closed() != nil {
		return func(rec *store.Recipient) error {
			if rec.Organization != "" && slices.Contains(l.Addressees, rec.Organization) || rec.Organization == "" && slices.Contains(l.Addressees, rec.Name) {
				return nil
			}
			return i18n.Errorf(ErrConflict, "%s is not addressed to %s, and the policy in force does not compile with this version of Chancery: whether one of its rules would apply to it if it were is not known (dispatch it once an admin has adopted a policy that compiles)",
				l.Reference, rec.Name)
		}, nil
	}
	rel, err := tx.ReleaseOf(ctx, l.ID)
	if err != nil {
		return nil, err
	}
	vs, err := tx.Versions(ctx, l.ID)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(vs, func(v store.Version) bool { return v.N == rel.VersionN })
	if i < 0 {
		return nil, fmt.Errorf("letter %s has no version %d", l.Reference, rel.VersionN)
	}
	facts, err := r.letterFacts(l, vs[i], vs[:i+1], func(id int64) (*store.Member, error) { return tx.MemberByID(ctx, id) })
	if err != nil {
		return nil, err
	}
	ev := policy.Evidence{Now: r.witnessedNow()}
	asked := p.Decide(facts, ev)
	checked, err := releasedUnder(ctx, tx, l, rel, p)
	if err != nil {
		return nil, err
	}
	var was *policy.Decision
	if checked != nil && checked.Closed() == nil {
		was = checked.Decide(facts, ev)
	}
	parties, err := dispatchedParties(ctx, tx, l)
	if err != nil {
		return nil, err
	}
	// escaped names a rule that would apply with extra among l's addressees and asks for
	// more than l's release was checked against, or refuses while that is not known.
	escaped := func(rec *store.Recipient, extra []string) (string, error) {
		f := facts
		f.Addressees = append(slices.Clone(l.Addressees), extra...)
		d := p.Decide(f, ev)
		rule := asksMore(d, asked)
		if more := added(d, asked); rule == "" && checked != nil && (len(more.Requirements) > 0 || more.MaxApprovalAge != "") {
			if was == nil {
				return "", i18n.Errorf(ErrConflict, "the rules of the policy %s was released under are not known to this version of Chancery: whether its release was checked against what the policy in force asks of it addressed to %s is not known (create a letter addressed to them)", l.Reference, rec.Name)
			}
			rule = asksMore(more, was)
		}
		return rule, nil
	}
	return func(rec *store.Recipient) error {
		if err := storedAsRead(l, rec); err != nil {
			return err
		}
		org := rec.Name
		if rec.Organization != "" {
			org = rec.Organization
		}
		for _, to := range append([]string{rec.Organization, rec.Name}, rec.Emails...) {
			if to == "" || slices.Contains(l.Addressees, to) {
				continue
			}
			rule, err := escaped(rec, []string{to})
			if err != nil {
				return err
			}
			// With the parties l was dispatched to, or is being dispatched to, as
			// addressees too: a rule over their number counts them all (rec's among them
			// when a copy to them is sent again).
			if all := parties; rule == "" && to == org && len(all) > 0 && !(len(all) == 1 && all[0] == org) {
				if !slices.Contains(all, org) {
					all = append(slices.Clone(all), org)
				}
				if rule, err = escaped(rec, all); err != nil {
					return err
				}
			}
			if rule != "" {
				return i18n.Errorf(ErrConflict, "%s is not addressed to %s, and the rule %s of the policy in force would apply to it if it were: its release was not checked against that rule (create a letter addressed to %s)",
					l.Reference, rec.Name, rule, org)
			}
		}
		if !slices.Contains(l.Addressees, org) && !slices.Contains(parties, org) {
			parties = append(parties, org)
		}
		return nil
	}, nil
}

// dispatchedParties returns the organisations (or names, for those without one) of the
// recipients the letter l was dispatched to, whatever became of the copies, that are not
// among its addressees.
func dispatchedParties(ctx context.Context, tx *store.Tx, l *store.Letter) ([]string, error) {
	ms, err := tx.LetterMessages(ctx, l.ID)
	if err != nil {
		return nil, err
	}
	var out []string
	seen := map[int64]bool{}
	for _, m := range ms {
		if m.Kind != store.KindLetter || seen[m.RecipientID] {
			continue
		}
		seen[m.RecipientID] = true
		rec, err := tx.RecipientByID(ctx, m.RecipientID)
		if err != nil {
			return nil, err
		}
		org := rec.Name
		if rec.Organization != "" {
			org = rec.Organization
		}
		if !slices.Contains(l.Addressees, org) && !slices.Contains(out, org) {
			out = append(out, org)
		}
	}
	return out, nil
}

// storedAsRead refuses (ErrConflict) the recipient rec, added before their organisation was
// stored as an addressee is (AddRecipient), when it is not stored as it reads or mixes
// scripts in a word: a rule naming the organisation it reads as would not apply to it, and
// the letter l would be dispatched to them unchecked.
func storedAsRead(l *store.Letter, rec *store.Recipient) error {
	if oneSpace(nfc(rec.Organization)) != rec.Organization {
		return i18n.Errorf(ErrConflict, "the organisation %q of recipient %s is not stored as it reads (the recipient was added before that was refused), and a rule naming it would not apply to it: %s is not dispatched to them; retire the recipient and add them again",
			rec.Organization, rec.Name, l.Reference)
	}
	if err := checkOneScript("organization", rec.Organization); err != nil {
		return i18n.Errorf(ErrConflict, "%v (recipient %s was added before that was refused): %s is not dispatched to them; retire the recipient and add them again", err, rec.Name, l.Reference)
	}
	return addressesReadAsWritten(rec)
}

// addressesReadAsWritten refuses (ErrConflict) the recipient rec when one of their addresses,
// stored before checkEmail refused it, has a word mixing Latin with Cyrillic or Greek letters
// ("r\u0435gistry@mod.example") or an invisible character: it reads as another mailbox,
// which members are shown, and nothing is sent to it until an admin gives the addresses again.
func addressesReadAsWritten(rec *store.Recipient) error {
	for _, e := range rec.Emails {
		err := checkChars("e-mail address", e, false)
		if err == nil {
			err = checkOneScript("e-mail address", e)
		}
		if err != nil {
			return i18n.Errorf(ErrConflict, "%v (the address of recipient %s was stored before that was refused): nothing is sent to them until their addresses are given again (chancery recipient set-emails)", err, rec.Name)
		}
	}
	return nil
}

// releasedUnder returns the policy the release rel was checked against, when it is not p (the
// policy in force): a policy adopted since can ask of every letter what a recipient's rule
// asks, which the release, made before it, was never checked against. It returns nil when
// the release was made under p, a closed policy when this build does not know that one's
// rules (it does not compile, or it is another build's built-in policy), and refuses
// (ErrGone) when the statement was erased.
func releasedUnder(ctx context.Context, tx *store.Tx, l *store.Letter, rel *store.Release, p *policy.Policy) (*policy.Policy, error) {
	stmt, _, err := releaseStatement(ctx, tx, rel)
	if err != nil {
		return nil, err
	}
	if stmt == nil {
		return nil, i18n.Errorf(ErrGone, "the content of %s was erased", l.Reference)
	}
	if stmt.Policy == p.Digest {
		return nil, nil
	}
	if b := policy.Builtin(); stmt.Policy == b.Digest {
		return b, nil
	}
	adopted, err := tx.PolicyByDigest(ctx, string(stmt.Policy))
	if errors.Is(err, store.ErrNotFound) {
		// The built-in policy of another build of Chancery.
		return policy.Closed("", nil, err), nil
	}
	if err != nil {
		return nil, err
	}
	return compileAdopted(adopted, policy.Parse), nil
}

// added returns the decision d with only what the rules that do not apply to base ask for:
// the requirements some such rule asks for (named by those rules), and d's max_approval_age
// when it is not base's.
func added(d, base *policy.Decision) *policy.Decision {
	out := &policy.Decision{Rules: d.Rules}
	for _, q := range d.Requirements {
		q.Rules = slices.DeleteFunc(slices.Clone(q.Rules), func(rule string) bool { return slices.Contains(base.Rules, rule) })
		if len(q.Rules) > 0 {
			out.Requirements = append(out.Requirements, q)
		}
	}
	if d.MaxApprovalAge != base.MaxApprovalAge {
		out.MaxApprovalAge = d.MaxApprovalAge
	}
	return out
}

// asksMore returns the name of a rule of the decision d that asks for something the rules of
// the decision base do not: people of a kind, role or group base asks for none of, or more of
// them than base asks for, or approvals younger than base's max_approval_age; or "" when
// base asks for all d does. Another rule that asks for the same (legal review for letters to
// an embassy, as for letters to the ministry) asks nothing a release under base was not
// checked against.
func asksMore(d, base *policy.Decision) string {
	for _, q := range d.Requirements {
		covered := slices.ContainsFunc(base.Requirements, func(b policy.Status) bool {
			return b.Kind == q.Kind && b.Role == q.Role && b.Group == q.Group && b.Need >= q.Need
		})
		if !covered {
			return newRule(q.Rules, base.Rules)
		}
	}
	if d.MaxApprovalAge == "" {
		return ""
	}
	age, err := time.ParseDuration(d.MaxApprovalAge)
	was, werr := time.ParseDuration(base.MaxApprovalAge)
	if base.MaxApprovalAge != "" && err == nil && werr == nil && was <= age {
		return ""
	}
	return newRule(d.Rules, base.Rules)
}

// newRule returns the first of rules that is not among those of base, which is the one that
// asks for more when base's rules asked for less; or the first of rules.
func newRule(rules, base []string) string {
	for _, rule := range rules {
		if !slices.Contains(base, rule) {
			return rule
		}
	}
	if len(rules) > 0 {
		return rules[0]
	}
	return ""
}

// RetryDispatch queues again the failed messages about the letter ref (release officers): its
// copies by mail while it is a released letter in force, each recipient checked against the
// rules of the policy in force as a new dispatch is (rulesEscaped), and the notices of its
// withdrawal whatever the state, each attempted again from the first, as if new. A message fails for good
// after the dispatcher's last attempt (a mail outage of some hours, a relay's password changed):
// without this, a recipient the notice of a retraction never reached would never hear of it,
// the withdrawal and the dispatch being done once. Nothing failed is a conflict. Coordination
// copies are sent again with 'draft send'.
func (r *Registry) RetryDispatch(ctx context.Context, a Actor, ref string) ([]DispatchView, error) {
	if err := a.require(RoleRelease); err != nil {
		return nil, err
	}
	defer r.wakeDispatch()
	var out []DispatchView
	err := r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		if err := stillActs(ctx, tx, a); err != nil {
			return err
		}
		l, err := tx.LetterByRef(ctx, ref)
		if err != nil {
			return err
		}
		ms, err := tx.LetterMessages(ctx, l.ID)
		if err != nil {
			return err
		}
		inForce := r.inForceRelease(ctx, tx, l) == nil
		var escapes func(*store.Recipient) error
		if inForce {
			if escapes, err = r.rulesEscaped(ctx, tx, l); err != nil {
				return err
			}
		}
		now := r.now()
		out = nil
		var again []string
		checked := map[int64]bool{}
		for _, m := range ms {
			if m.Status != store.StatusFailed || !(m.Kind == store.KindNotice || m.Kind == store.KindLetter && inForce) {
				continue
			}
			if m.Kind == store.KindLetter {
				if err := stillAddressed(ctx, tx, m); errors.Is(err, ErrUndeliverable) {
					continue // the recipient retired, or the address replaced: dispatch again
				} else if err != nil {
					return err
				}
			}
			// A copy sent again is checked as a new dispatch is: one queued before the rules'
			// check existed, or under a policy that asked less, must not leave unchecked.
			if m.Kind == store.KindLetter && !checked[m.RecipientID] {
				checked[m.RecipientID] = true
				rec, err := tx.RecipientByID(ctx, m.RecipientID)
				if err != nil {
					return err
				}
				if err := escapes(rec); err != nil {
					return err
				}
			}
			ok, err := tx.Requeue(ctx, m.ID, now)
			if err != nil {
				return err
			}
			if ok {
				m.Status, m.Attempts, m.Reply, m.NextAt = store.StatusQueued, 0, "", now
				out = append(out, dispatchView(m))
				again = append(again, fmt.Sprintf("%s <%s> (%s) as %s", m.Recipient, m.Email, m.Kind, m.MessageID))
			}
		}
		if len(again) == 0 {
			return i18n.Errorf(ErrConflict, "no message about %s has failed that can be sent again", ref)
		}
		return r.audit(ctx, tx, a, "letter.dispatch-retry", ref, "queued again to "+strings.Join(again, "; "))
	})
	if err != nil {
		return nil, fmt.Errorf("retry dispatch of %s: %w", ref, err)
	}
	return out, nil
}

// inForceRelease refuses a letter that is not released, or is withdrawn or erased.
func (r *Registry) inForceRelease(ctx context.Context, tx *store.Tx, l *store.Letter) error {
	rel, err := tx.ReleaseOf(ctx, l.ID)
	if errors.Is(err, store.ErrNotFound) {
		return i18n.Errorf(ErrConflict, "%s is not released: only a released letter leaves by dispatch (a draft leaves as a coordination copy: 'chancery draft send')", l.Reference)
	}
	if err != nil {
		return err
	}
	if !rel.ErasedAt.IsZero() {
		return i18n.Errorf(ErrGone, "the content of %s was erased", l.Reference)
	}
	if w, err := tx.WithdrawalOf(ctx, l.ID); err == nil {
		return i18n.Errorf(ErrConflict, "%s is withdrawn (%s at log entry %d): it is not sent any more", l.Reference, w.Kind, w.LogIndex)
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	return nil
}

// SendDraft mails the latest version of the unreleased letter ref to the recipient name as a
// coordination copy: the draft export marked for them, recorded like any draft export, and
// queued in the same transaction.
func (r *Registry) SendDraft(ctx context.Context, a Actor, ref, name string) ([]DispatchView, error) {
	return r.SendDraftVersion(ctx, a, ref, name, "")
}

// SendDraftVersion is SendDraft for the version with digest version, the one the member read
// (empty: the latest): a version that is no longer the latest is refused, so that no text
// added since the member last looked is mailed out.
func (r *Registry) SendDraftVersion(ctx context.Context, a Actor, ref, name, version string) ([]DispatchView, error) {
	if err := a.require(RoleDrafter, RoleReviewer, RoleSigner); err != nil {
		return nil, err
	}
	if !r.dispatchSettings().Mail {
		return nil, fmt.Errorf("send draft of %s: %w: %w: start the server with --smtp URL (or CHANCERY_SMTP_URL)", ref, ErrConflict, ErrNoMail)
	}
	defer r.public.changed()
	defer r.wakeDispatch()
	var (
		l    *store.Letter
		v    store.Version
		data []byte
		rec  *store.Recipient
	)
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		var vs []store.Version
		var err error
		if rec, err = activeRecipient(ctx, tx, nfc(name)); err != nil { // as recipient names are stored
			return err
		}
		if err := addressesReadAsWritten(rec); err != nil {
			return err
		}
		if l, vs, err = r.draftLetter(ctx, tx, ref); err != nil {
			return err
		}
		v = vs[len(vs)-1]
		if err := latestShown(ref, v, version); err != nil {
			return err
		}
		data, err = tx.Blob(ctx, v.Digest)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("send draft of %s: %w", ref, err)
	}
	who := rec.Name
	if rec.Organization != "" {
		who = rec.Organization + " (" + rec.Name + ")"
	}
	now := r.now()
	file, _, _, err := r.draftFile(l, v, data, pdf.DraftMark{Recipient: who, Reference: ref, Version: v.N, Exported: now, Member: a.Member.Name})
	if err != nil {
		return nil, fmt.Errorf("send draft of %s: %w", ref, err)
	}
	digest := string(seal.DigestOf(file))
	var out []DispatchView
	err = r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		if err := r.copyStillLatest(ctx, tx, a, ref, v.N); err != nil {
			return err
		}
		// A copy of this version that failed for good (a mail outage, a relay's password
		// changed) is queued again as it was made: its Message-ID, receipt link and recorded
		// export. Its key being taken, it could otherwise never be sent again, and 'draft
		// send' answered that it was sent.
		ms, err := tx.LetterMessages(ctx, l.ID)
		if err != nil {
			return err
		}
		var fresh, again []string
		for _, e := range rec.Emails {
			i := slices.IndexFunc(ms, func(m store.OutboxMessage) bool {
				return m.Kind == store.KindDraftCopy && m.VersionN == v.N && sameMailbox(m.Email, e)
			})
			if i < 0 {
				// Addresses stored before the directory kept one per mailbox may name one
				// mailbox twice: it gets one copy.
				if !slices.ContainsFunc(fresh, func(f string) bool { return sameMailbox(f, e) }) {
					fresh = append(fresh, e)
				}
				continue
			}
			if ms[i].Status != store.StatusFailed {
				continue
			}
			ok, err := tx.Requeue(ctx, ms[i].ID, now)
			if err != nil {
				return err
			}
			if ok {
				m := ms[i]
				m.Status, m.Attempts, m.Reply, m.NextAt = store.StatusQueued, 0, "", now
				out = append(out, dispatchView(m))
				again = append(again, fmt.Sprintf("version %d %s for %s, queued again by mail to %s", v.N, m.Attachment, who, e))
			}
		}
		if len(fresh) == 0 && len(again) == 0 {
			return i18n.Errorf(ErrConflict, "version %d of %s was already sent to %s", v.N, ref, rec.Name)
		}
		for _, d := range again {
			if err := r.audit(ctx, tx, a, "draft.export", ref, d); err != nil {
				return err
			}
		}
		if len(fresh) == 0 {
			return nil
		}
		if err := tx.PutBlob(ctx, digest, file); err != nil {
			return err
		}
		taken := takenKeys(ms)
		for _, e := range fresh {
			m, ok, err := r.enqueue(ctx, tx, store.KindDraftCopy, l.ID, v.N, rec, e, digest, a.Member.ID, now, taken)
			if err != nil {
				return err
			}
			if !ok {
				return fmt.Errorf("the copy to %s was queued meanwhile", e)
			}
			out = append(out, dispatchView(*m))
		}
		if err := tx.AddDraftExport(ctx, store.DraftExport{LetterID: l.ID, VersionN: v.N, Recipient: who, Digest: digest, MemberID: a.Member.ID, CreatedAt: now}); err != nil {
			return err
		}
		return r.audit(ctx, tx, a, "draft.export", ref, fmt.Sprintf("version %d %s for %s, by mail to %s", v.N, digest, who, strings.Join(fresh, ", ")))
	})
	if err != nil {
		return nil, fmt.Errorf("send draft of %s: %w", ref, err)
	}
	return out, nil
}

// queueNotices queues, in the withdrawal's transaction, a notice to every address a letter or
// a draft copy of ref was sent to, or may have reached (store.OutboxMessage.MayBeHeld: also a
// message failed since), and fails what was still waiting to leave.
func (r *Registry) queueNotices(ctx context.Context, tx *store.Tx, l *store.Letter, w store.Withdrawal, by string) error {
	if err := tx.FailUnsent(ctx, l.ID, []string{store.KindLetter, store.KindDraftCopy}, "not sent: the letter was "+pastTense(w.Kind)+" before it left"); err != nil {
		return err
	}
	ms, err := tx.LetterMessages(ctx, l.ID)
	if err != nil {
		return err
	}
	taken := takenKeys(ms)
	for _, m := range ms {
		if m.Kind != store.KindNotice && m.MayBeHeld() {
			if err := r.queueNotice(ctx, tx, l, m, w.CreatedAt, taken); err != nil {
				return err
			}
		}
	}
	return r.withdrawalEvent(ctx, tx, l, w, by, ms)
}

// queueNotice queues the notice of l's withdrawal to the address of m, once per mailbox;
// taken is as enqueue takes it.
func (r *Registry) queueNotice(ctx context.Context, tx *store.Tx, l *store.Letter, m store.OutboxMessage, now time.Time, taken map[string]bool) error {
	rec, err := tx.RecipientByID(ctx, m.RecipientID)
	if err != nil {
		return err
	}
	_, _, err = r.enqueue(ctx, tx, store.KindNotice, l.ID, 0, rec, m.Email, "", 0, now, taken)
	return err
}

func pastTense(kind string) string {
	if kind == Retraction {
		return "retracted"
	}
	return "superseded"
}

// Attachment is a file attached to an outgoing message.
type Attachment struct {
	Name      string
	MediaType string
	Data      []byte
}

// Outgoing is a message ready to be handed to the SMTP server.
type Outgoing struct {
	MessageID   string
	To          string
	Subject     string
	Text        string
	Attachments []Attachment
}

// DueMessages returns up to limit messages whose time to be sent has come. On PostgreSQL,
// where several servers may each run a dispatcher, it claims them for claim
// (store.Tx.ClaimDueMessages), so that no other server takes them meanwhile; on SQLite one
// server dispatches a data directory (it holds the directory's lock), and nothing is claimed.
func (r *Registry) DueMessages(ctx context.Context, limit int, claim time.Duration) ([]store.OutboxMessage, error) {
	return dueClaimed(ctx, r, func(tx *store.Tx, now time.Time) ([]store.OutboxMessage, error) {
		return tx.DueMessages(ctx, now, limit)
	}, func(tx *store.Tx, now time.Time) ([]store.OutboxMessage, error) {
		return tx.ClaimDueMessages(ctx, now, limit, now.Add(claim))
	})
}

// dueClaimed returns what read finds due and, on PostgreSQL when it finds something, what claim
// claims instead, in a write transaction. The read comes first because most looks find nothing
// due, and a write transaction on PostgreSQL takes its turn on the writer lock with the log's
// batches. The read goes by this server's clock; the claim by the database's
// (store.Tx.ClaimClock), so that servers whose clocks differ by more than a claim never take
// the same message.
func dueClaimed[T any](ctx context.Context, r *Registry, read, claim func(*store.Tx, time.Time) ([]T, error)) ([]T, error) {
	var out []T
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		var err error
		out, err = read(tx, r.cfg.Now())
		return err
	})
	if err != nil || len(out) == 0 || r.cfg.DB.Dialect() != store.Postgres {
		return out, err
	}
	err = r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		now, err := tx.ClaimClock(ctx)
		if err != nil {
			return err
		}
		out, err = claim(tx, now)
		return err
	})
	return out, err
}

// Sending records that the dispatcher hands ms to the mail server (store.Tx.MarkSending), in
// one transaction before it does: should its server die before the outcome is recorded, the
// message is known to have maybe left, and a withdrawal gives its recipient notice.
func (r *Registry) Sending(ctx context.Context, ms []store.OutboxMessage) error {
	ids := make([]int64, len(ms))
	for i, m := range ms {
		ids[i] = m.ID
	}
	return r.cfg.DB.Update(ctx, func(tx *store.Tx) error { return tx.MarkSending(ctx, ids) })
}

// Unclaim gives back messages DueMessages returned and the dispatcher did not attempt: their
// reply as it was before Sending and, on PostgreSQL, their claim, so that another server sends
// them now rather than when the claim lapses.
func (r *Registry) Unclaim(ctx context.Context, ms []store.OutboxMessage) error {
	if len(ms) == 0 {
		return nil
	}
	return r.cfg.DB.Update(ctx, func(tx *store.Tx) error { return tx.Unclaim(ctx, ms) })
}

// NextDue reports when the next waiting message is due, and false when none waits.
func (r *Registry) NextDue(ctx context.Context) (time.Time, bool, error) {
	var at time.Time
	var ok bool
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		var err error
		at, ok, err = tx.NextDue(ctx)
		return err
	})
	return at, ok, err
}

// Compose builds the message m as it is to be sent now: the released file and its seal
// against the latest checkpoint, the marked draft copy, or the notice with the signed
// reason. A message whose letter no longer allows it wraps ErrUndeliverable.
func (r *Registry) Compose(ctx context.Context, m store.OutboxMessage) (*Outgoing, error) {
	var (
		l    *store.Letter
		rel  *store.Release
		stmt *seal.ReleaseStatement
		o    *seal.Opening
		w    *store.Withdrawal
		by   string
		out  = &Outgoing{MessageID: m.MessageID}
	)
	to, err := MailAddress(m.Email)
	if err != nil {
		return nil, fmt.Errorf("compose message %d: %w: %w", m.ID, ErrUndeliverable, err)
	}
	out.To = to
	office := r.cfg.Office.Name
	verify := strings.TrimRight(r.cfg.Office.URL, "/") + "/v/" + m.Reference
	token, err := r.receiptToken(m.MessageID)
	if err != nil {
		return nil, err
	}
	receipt := strings.TrimRight(r.cfg.Office.URL, "/") + "/receipt/" + token
	err = r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		var err error
		if l, err = tx.LetterByID(ctx, m.LetterID); err != nil {
			return err
		}
		if m.Kind != store.KindNotice {
			if err := stillAddressed(ctx, tx, m); err != nil {
				return err
			}
		}
		rel, err = tx.ReleaseOf(ctx, l.ID)
		switch {
		case m.Kind == store.KindDraftCopy && err == nil:
			return fmt.Errorf("%w: %s was released since the copy was queued: send the released letter", ErrUndeliverable, l.Reference)
		case m.Kind == store.KindDraftCopy && errors.Is(err, store.ErrNotFound):
			// A draft erased again at a server's start (EraseLetterAgain): its copy is gone.
			if l.Subject == "" {
				return fmt.Errorf("%w: the content of %s was erased", ErrUndeliverable, l.Reference)
			}
			data, err := tx.Blob(ctx, m.Attachment)
			if err != nil {
				return err
			}
			name := fmt.Sprintf("%s-v%d-draft.pdf", l.Reference, m.VersionN)
			out.Attachments = []Attachment{{Name: name, MediaType: "application/pdf", Data: data}}
			return nil
		case err != nil:
			return err
		}
		w, err = tx.WithdrawalOf(ctx, l.ID)
		if errors.Is(err, store.ErrNotFound) {
			w = nil
		} else if err != nil {
			return err
		}
		if w != nil && w.ByLetter != 0 {
			bl, err := tx.LetterByID(ctx, w.ByLetter)
			if err != nil {
				return err
			}
			by = bl.Reference
		}
		if m.Kind == store.KindNotice {
			if w == nil {
				return fmt.Errorf("%w: %s is not withdrawn", ErrUndeliverable, l.Reference)
			}
			return nil
		}
		if w != nil {
			return fmt.Errorf("%w: %s was %s before it left", ErrUndeliverable, l.Reference, pastTense(w.Kind))
		}
		if !rel.ErasedAt.IsZero() {
			return fmt.Errorf("%w: the content of %s was erased", ErrUndeliverable, l.Reference)
		}
		data, err := tx.Blob(ctx, rel.FileDigest)
		if err != nil {
			return err
		}
		out.Attachments = []Attachment{{Name: mailFileName(rel.FileName), MediaType: rel.MediaType, Data: data}}
		stmt, o, err = releaseStatement(ctx, tx, rel)
		if err == nil && stmt == nil {
			err = fmt.Errorf("%w: the content of %s was erased", ErrUndeliverable, l.Reference)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("compose message %d: %w", m.ID, err)
	}
	switch m.Kind {
	case store.KindLetter:
		s, err := r.sealFor(ctx, rel.LogIndex, rel.Entry, o, stmt)
		if err != nil {
			return nil, fmt.Errorf("compose message %d: %w", m.ID, err)
		}
		// The trust root the registry serves (/api/v1/trust): its fingerprint lets the
		// recipient compare the file they fetch with the one the office publishes elsewhere.
		_, fingerprint, err := r.TrustRootFile()
		if err != nil {
			return nil, fmt.Errorf("compose message %d: %w", m.ID, err)
		}
		name := mailFileName(rel.FileName)
		out.Attachments = append(out.Attachments, Attachment{Name: name + ".seal", MediaType: "application/json", Data: s.Marshal()})
		out.Subject = fmt.Sprintf("%s: official letter from %s", l.Reference, office)
		out.Text = fmt.Sprintf(`%s sends you its letter %s, attached with its seal (%s.seal).

Check that it is genuine and in force:
  %s
or with its seal and the office's trust root (%s/api/v1/trust, saved as trust.json):
  chancery verify --trust trust.json %s
The trust root's fingerprint (the SHA-256 of trust.json) is
  %s
compare it with the one the office publishes (its letterhead, its web site).

Please acknowledge receipt (one click on the page this link opens; no account needed):
  %s
`, office, l.Reference, name, verify, strings.TrimRight(r.cfg.Office.URL, "/"), shellWord(name), fingerprint, receipt)
	case store.KindDraftCopy:
		out.Subject = fmt.Sprintf("%s: draft for coordination from %s (not an official document)", l.Reference, office)
		out.Text = fmt.Sprintf(`%s sends you version %d of its draft %s for coordination.

This is a DRAFT, marked for you: it is not an official document and must not be acted on
or passed on as one. Checked against the registry, it verifies as a draft:
  %s/verify

Please acknowledge receipt (one click on the page this link opens; no account needed):
  %s
`, office, m.VersionN, l.Reference, strings.TrimRight(r.cfg.Office.URL, "/"), receipt)
	case store.KindNotice:
		what := "RETRACTED"
		if w.Kind == Supersession {
			what = "SUPERSEDED by " + by
		}
		out.Subject = fmt.Sprintf("%s %s: notice from %s", l.Reference, strings.ToLower(strings.SplitN(what, " ", 2)[0]), office)
		reason := fmt.Sprintf("Reason, as signed in the office's transparency log (entry %d):\n  %s", w.LogIndex, w.Reason)
		if !rel.ErasedAt.IsZero() {
			// Erasure emptied the registry's copy of the reason: an empty one under "as
			// signed" said the office had signed none.
			reason = fmt.Sprintf("Reason: erased from the registry since, at the office's decision (the transparency log\nkeeps the signed withdrawal, entry %d).", w.LogIndex)
		}
		out.Text = fmt.Sprintf(`%s gives notice that its letter %s, which it sent you, is %s.

%s

The letter is no longer in force. Its status, for anyone who holds it:
  %s
`, office, l.Reference, what, reason, verify)
	}
	return out, nil
}

// stillAddressed refuses (ErrUndeliverable) the letter or draft copy m when its address is no
// longer its recipient's: the recipient was retired from the directory, or an admin replaced
// their addresses, since it was queued. Such a message waiting in the outbox (a mail outage, a
// deferral, a retry) otherwise went out to the address the admin had just taken away, a
// mistyped one or a domain that changed hands. A notice still goes where the letter went.
func stillAddressed(ctx context.Context, tx *store.Tx, m store.OutboxMessage) error {
	rec, err := tx.RecipientByID(ctx, m.RecipientID)
	if err != nil {
		return err
	}
	if !rec.RetiredAt.IsZero() {
		return fmt.Errorf("%w: recipient %s was retired from the directory before it left", ErrUndeliverable, rec.Name)
	}
	if !slices.ContainsFunc(rec.Emails, func(e string) bool { return sameMailbox(e, m.Email) }) {
		return fmt.Errorf("%w: %s is no longer an address of recipient %s: dispatch again to send to their addresses now", ErrUndeliverable, m.Email, rec.Name)
	}
	return nil
}

// Delivery is a message the SMTP server accepted, with its reply.
type Delivery struct {
	Message store.OutboxMessage
	Reply   string
}

// Delivered records that the SMTP server accepted each message, in one transaction with their
// audit records and dispatch events: the worker commits the acceptances of its connections
// together, so that one commit (one fsync) covers several messages. If a letter was withdrawn
// while its message was on its way, the withdrawal failed the message as unsent; it is
// recorded sent all the same (the recipient has it), and the notice is queued here, so that
// nobody who got the letter misses it.
func (r *Registry) Delivered(ctx context.Context, ds ...Delivery) error {
	defer r.wakeDispatch()
	return r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		for _, d := range ds {
			if err := r.delivered(ctx, tx, d.Message, d.Reply); err != nil {
				return err
			}
		}
		return nil
	})
}

func (r *Registry) delivered(ctx context.Context, tx *store.Tx, m store.OutboxMessage, reply string) error {
	ok, err := tx.MarkSent(ctx, m.ID, reply, r.cfg.Now().UTC())
	if err != nil || !ok {
		return err
	}
	erased, err := letterAudit(ctx, tx, m.LetterID, store.AuditEvent{Time: r.cfg.Now().UTC(), Actor: "dispatch", Action: "dispatch.sent", Reference: m.Reference,
		Detail: fmt.Sprintf("%s to %s <%s> (%s): %s", m.Kind, m.Recipient, m.Email, m.MessageID, reply), Remote: "worker"})
	if err != nil {
		return err
	}
	data := map[string]any{"reference": m.Reference, "kind": m.Kind, "message_id": m.MessageID}
	office := map[string]any{"reference": m.Reference, "kind": m.Kind, "recipient": m.Recipient, "message_id": m.MessageID}
	if erased {
		delete(office, "recipient")
	}
	if err := r.queueEvent(ctx, tx, "letter.dispatched", office, map[int64]map[string]any{m.RecipientID: data}); err != nil {
		return err
	}
	// The withdrawal event of a letter that reached its recipient after the withdrawal is
	// queued after the letter's own event, so that the recipient's endpoint, posted in the
	// order of queueing, hears of the letter before it hears that it is withdrawn (and does
	// not take a withdrawal of a letter it does not know for noise, then the letter for one
	// in force).
	if m.Kind != store.KindNotice {
		return r.noticeIfWithdrawn(ctx, tx, m)
	}
	return nil
}

// noticeIfWithdrawn queues the notice to m's address if m's letter is withdrawn: m reached its
// recipient, or may have, after the withdrawal queued the notices of those it had reached.
func (r *Registry) noticeIfWithdrawn(ctx context.Context, tx *store.Tx, m store.OutboxMessage) error {
	w, err := tx.WithdrawalOf(ctx, m.LetterID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	l, err := tx.LetterByID(ctx, m.LetterID)
	if err != nil {
		return err
	}
	if err := r.lateWithdrawalEvent(ctx, tx, l, w, m); err != nil {
		return err
	}
	return r.queueNotice(ctx, tx, l, m, w.CreatedAt, nil)
}

// Deferred records a failed attempt at m, to be tried again at next.
func (r *Registry) Deferred(ctx context.Context, m store.OutboxMessage, reply string, next time.Time) error {
	return r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		return tx.MarkAttempt(ctx, m.ID, store.StatusDeferred, reply, next)
	})
}

// Failed records that m will not be sent, with the last reply, and audits it: a permanent
// failure is shown to the office, never dropped. If an attempt at m may have been accepted
// (its server died before recording it, or this attempt's answer never came:
// store.OutboxMessage.Uncertain, which the failed message keeps) and the letter is withdrawn,
// the recipient may hold it and is queued the notice.
func (r *Registry) Failed(ctx context.Context, m store.OutboxMessage, reply string) error {
	return r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		cur, err := tx.OutboxMessage(ctx, m.ID)
		if err != nil {
			return err
		}
		if err := tx.MarkAttempt(ctx, m.ID, store.StatusFailed, reply, r.cfg.Now()); err != nil {
			return err
		}
		after, err := tx.OutboxMessage(ctx, m.ID)
		if err != nil {
			return err
		}
		waiting := cur.Status == store.StatusQueued || cur.Status == store.StatusDeferred
		if !waiting {
			// Recorded sent, or failed, meanwhile (another server's worker, its claim on the
			// message having lapsed here): nothing changed, and the trail must not say it
			// failed.
			return nil
		}
		if cur.Kind != store.KindNotice && after.Uncertain() {
			if err := r.noticeIfWithdrawn(ctx, tx, *cur); err != nil {
				return err
			}
		}
		return r.dispatchAudit(ctx, tx, m, "dispatch.failed", fmt.Sprintf("%s to %s <%s> after %d attempts: %s", m.Kind, m.Recipient, m.Email, m.Attempts+1, reply))
	})
}

func (r *Registry) dispatchAudit(ctx context.Context, tx *store.Tx, m store.OutboxMessage, action, detail string) error {
	_, err := letterAudit(ctx, tx, m.LetterID, store.AuditEvent{Time: r.cfg.Now().UTC(), Actor: "dispatch", Action: action, Reference: m.Reference, Detail: detail, Remote: "worker"})
	return err
}

// letterAudit appends e, an event about the letter letterID that the dispatcher or a
// recipient writes, and reports whether the letter was erased. Such events keep coming after
// an erasure (a message in flight then, a receipt link followed later): about an erased letter
// e is written as erasure leaves the letter's events (erasedEvent), so that it does not bring
// back whom the letter was for. A draft erased again at a server's start (EraseLetterAgain),
// whose copy was on its way, is erased too.
func letterAudit(ctx context.Context, tx *store.Tx, letterID int64, e store.AuditEvent) (bool, error) {
	erased, err := letterErased(ctx, tx, letterID)
	if err != nil {
		return false, err
	}
	if erased {
		e, _ = erasedEvent(e)
	}
	return erased, tx.AddAuditEvent(ctx, e)
}

// letterErased reports whether the content of the letter letterID was erased: its release's
// (Erase), or the draft's that a server erased again (EraseLetterAgain), which has no release
// and the empty subject its erasure leaves.
func letterErased(ctx context.Context, tx *store.Tx, letterID int64) (bool, error) {
	rel, err := tx.ReleaseOf(ctx, letterID)
	if err == nil {
		return !rel.ErasedAt.IsZero(), nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return false, err
	}
	l, err := tx.LetterByID(ctx, letterID)
	if err != nil {
		return false, err
	}
	return l.Subject == "", nil
}

// ReceiptView is what a receipt link's page shows: only what the recipient holds already.
type ReceiptView struct {
	Office     string
	Reference  string
	Kind       string
	Recipient  string
	ReceivedAt time.Time // zero until acknowledged
	// Withdrawn is the letter's withdrawal since it was sent, "retraction" or "supersession",
	// or "" while it stands: the recipient confirming receipt is told not to rely on it.
	Withdrawn string
}

// withdrawnKind returns the kind of the withdrawal of the letter m sent, or "" for a letter
// that stands or a message that sent no letter (a coordination draft).
func withdrawnKind(ctx context.Context, tx *store.Tx, m *store.OutboxMessage) (string, error) {
	if m.Kind != store.KindLetter {
		return "", nil
	}
	w, err := tx.WithdrawalOf(ctx, m.LetterID)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return w.Kind, nil
}

// ErrBadReceipt is the one answer for a receipt token that is wrong, used or expired: the
// page says no more than that, to anyone.
var ErrBadReceipt = i18n.Errorf(ErrNotFound, "this acknowledgement link is not valid: it was already used, has expired, or is mistyped")

// receiptMessage returns the message a receipt token belongs to, while the token works.
func (r *Registry) receiptMessage(ctx context.Context, tx *store.Tx, token string) (*store.OutboxMessage, error) {
	if !strings.HasPrefix(token, "rct_") || len(token) > 100 {
		return nil, ErrBadReceipt
	}
	m, err := tx.MessageByReceipt(ctx, HashToken(token))
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrBadReceipt
	}
	if err != nil {
		return nil, err
	}
	if !m.ReceivedAt.IsZero() || m.Status != store.StatusSent || r.cfg.Now().Sub(m.SentAt) > r.dispatchSettings().ReceiptTTL {
		return nil, ErrBadReceipt
	}
	return m, nil
}

// Receipt returns what a receipt link's page shows before the recipient confirms. It records
// nothing: mail scanners open links by themselves.
func (r *Registry) Receipt(ctx context.Context, token string) (*ReceiptView, error) {
	var v *ReceiptView
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		m, err := r.receiptMessage(ctx, tx, token)
		if err != nil {
			return err
		}
		v = &ReceiptView{Office: r.cfg.Office.Name, Reference: m.Reference, Kind: m.Kind, Recipient: m.Recipient}
		v.Withdrawn, err = withdrawnKind(ctx, tx, m)
		return err
	})
	return v, err
}

// Acknowledge records the receipt a recipient confirmed, in the letter's audit trail. A token
// works once. A token that does not work is refused after a read: only a working one takes a
// write transaction, which joins the log's batches.
func (r *Registry) Acknowledge(ctx context.Context, token, remote string) (*ReceiptView, error) {
	if _, err := r.Receipt(ctx, token); err != nil {
		return nil, err
	}
	defer r.wakeDispatch()
	var v *ReceiptView
	err := r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		m, err := r.receiptMessage(ctx, tx, token)
		if err != nil {
			return err
		}
		now := r.cfg.Now().UTC()
		if ok, err := tx.MarkReceived(ctx, m.ID, now); err != nil {
			return err
		} else if !ok {
			return ErrBadReceipt
		}
		v = &ReceiptView{Office: r.cfg.Office.Name, Reference: m.Reference, Kind: m.Kind, Recipient: m.Recipient, ReceivedAt: now}
		if v.Withdrawn, err = withdrawnKind(ctx, tx, m); err != nil {
			return err
		}
		erased, err := letterAudit(ctx, tx, m.LetterID, store.AuditEvent{Time: now, Actor: "recipient:" + m.Recipient, Action: "letter.received", Reference: m.Reference,
			Detail: fmt.Sprintf("%s received by %s <%s> (%s)", m.Kind, m.Recipient, m.Email, m.MessageID), Remote: remote})
		if err != nil {
			return err
		}
		data := map[string]any{"reference": m.Reference, "kind": m.Kind, "received_at": now}
		office := map[string]any{"reference": m.Reference, "kind": m.Kind, "recipient": m.Recipient, "received_at": now}
		if erased {
			delete(office, "recipient")
		}
		return r.queueEvent(ctx, tx, "letter.received", office, map[int64]map[string]any{m.RecipientID: data})
	})
	return v, err
}

// Webhook events are posted as Standard Webhooks payloads: {"type", "timestamp", "data"}.
// The office's own endpoints hear every event with identifiers only (a records system asks the
// API for the rest, with its token); a recipient's endpoint hears only about letters it was
// sent, and never more than the notice it got by mail says.

// queueEvent queues event to the office's endpoints with office, and to the endpoints of the
// recipients in recipients with theirs, in tx.
func (r *Registry) queueEvent(ctx context.Context, tx *store.Tx, event string, office map[string]any, recipients map[int64]map[string]any) error {
	eps, err := tx.WebhookEndpoints(ctx)
	if err != nil {
		return err
	}
	return r.queueEventTo(ctx, tx, eps, event, office, recipients)
}

// queueEventTo is queueEvent to the endpoints eps; an office endpoint hears nothing when office
// is nil.
func (r *Registry) queueEventTo(ctx context.Context, tx *store.Tx, eps []store.WebhookEndpoint, event string, office map[string]any, recipients map[int64]map[string]any) error {
	now := r.cfg.Now().UTC()
	for _, e := range eps {
		data := office
		if e.RecipientID != 0 {
			data = recipients[e.RecipientID]
		}
		if data == nil {
			continue
		}
		payload, err := json.Marshal(map[string]any{"type": event, "timestamp": now.Format(time.RFC3339), "data": data})
		if err != nil {
			return err
		}
		if err := tx.AddWebhookDelivery(ctx, &store.WebhookDelivery{EndpointID: e.ID, WebhookID: newWebhookID(), Event: event, Payload: payload,
			NextAt: now, CreatedAt: now}); err != nil {
			return err
		}
	}
	return nil
}

func newWebhookID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return "msg_" + base64.RawURLEncoding.EncodeToString(b)
}

// releaseEvent queues the release event, in the release's transaction: to the office only (no
// recipient holds the letter yet).
func (r *Registry) releaseEvent(ctx context.Context, tx *store.Tx, ref string, index int64) error {
	return r.queueEvent(ctx, tx, "letter.released", map[string]any{"reference": ref, "log_index": index}, nil)
}

// withdrawalEvent queues the retraction or supersession event: to the office, and to the
// recipients the letter was sent to, who get the reason as their notice does.
func (r *Registry) withdrawalEvent(ctx context.Context, tx *store.Tx, l *store.Letter, w store.Withdrawal, by string, ms []store.OutboxMessage) error {
	event, office, holder := r.withdrawalPayloads(l, w, by)
	recipients := map[int64]map[string]any{}
	for _, m := range ms {
		if m.Kind != store.KindNotice && m.MayBeHeld() {
			recipients[m.RecipientID] = holder
		}
	}
	return r.queueEvent(ctx, tx, event, office, recipients)
}

// withdrawalPayloads returns the withdrawal's event and what the office's endpoints and a
// holder's hear of it.
func (r *Registry) withdrawalPayloads(l *store.Letter, w store.Withdrawal, by string) (event string, office, holder map[string]any) {
	event = "letter.retracted"
	if w.Kind == Supersession {
		event = "letter.superseded"
	}
	office = map[string]any{"reference": l.Reference, "log_index": w.LogIndex}
	holder = map[string]any{"reference": l.Reference, "log_index": w.LogIndex, "reason": w.Reason,
		"verify_url": strings.TrimRight(r.cfg.Office.URL, "/") + "/v/" + l.Reference}
	if by != "" {
		office["superseded_by"], holder["superseded_by"] = by, by
	}
	return event, office, holder
}

// lateWithdrawalEvent queues the withdrawal event to the endpoints of m's recipient alone, when
// m reached them (or may have) after the withdrawal and they have not heard of it: a recipient
// hears it with its first notice, whether queued by the withdrawal or later.
func (r *Registry) lateWithdrawalEvent(ctx context.Context, tx *store.Tx, l *store.Letter, w *store.Withdrawal, m store.OutboxMessage) error {
	ms, err := tx.LetterMessages(ctx, l.ID)
	if err != nil {
		return err
	}
	for _, x := range ms {
		if x.Kind == store.KindNotice && x.RecipientID == m.RecipientID {
			return nil
		}
	}
	by := ""
	if w.ByLetter != 0 {
		bl, err := tx.LetterByID(ctx, w.ByLetter)
		if err != nil {
			return err
		}
		by = bl.Reference
	}
	event, _, holder := r.withdrawalPayloads(l, *w, by)
	eps, err := tx.WebhookEndpoints(ctx)
	if err != nil {
		return err
	}
	var theirs []store.WebhookEndpoint
	for _, e := range eps {
		if e.RecipientID == m.RecipientID {
			theirs = append(theirs, e)
		}
	}
	return r.queueEventTo(ctx, tx, theirs, event, nil, map[int64]map[string]any{m.RecipientID: holder})
}

// NewWebhookSecret returns a fresh endpoint secret in the Standard Webhooks form: whsec_ and
// the base64 of 32 random bytes, the HMAC key.
func NewWebhookSecret() string {
	b := make([]byte, 32)
	rand.Read(b)
	return "whsec_" + base64.StdEncoding.EncodeToString(b)
}

// mailFileName is the name a file is attached to a message under: name with what mail
// programs write as "_" in a file name (control characters, '"', '/', ':', '<', '>', '?', '\'
// and '|', as go-mail does) written so here, so that the message's text names the attachment
// as the recipient's program saves it, and the seal (name.seal) beside it.
//
// A name longer than maxMailFileName bytes is cut, between two characters, to that length with
// its extension kept: go-mail writes the whole name, encoded, on one line of the part's header
// (its Content-Type and Content-Disposition), and a file name of some hundred letters in Arabic
// made that line longer than the 998 characters RFC 5322 allows, which mail servers refuse
// (Exim's default) or break.
func mailFileName(name string) string {
	name = strings.Map(func(r rune) rune {
		if r < 32 || r == 127 || strings.ContainsRune(`"/:<>?\|`, r) {
			return '_'
		}
		return r
	}, strings.ToValidUTF8(name, "_"))
	if len(name) <= maxMailFileName {
		return name
	}
	ext := path.Ext(name)
	if len(ext) > 16 {
		ext = ""
	}
	stem := name[:maxMailFileName-len(ext)]
	for !utf8.ValidString(stem) {
		stem = stem[:len(stem)-1]
	}
	return stem + ext
}

// maxMailFileName is the most bytes of an attachment's name (mailFileName): quoted-printable
// in encoded words, 120 bytes take at most about 450 characters of the header line, and the
// seal's name 5 more bytes.
const maxMailFileName = 120

// shellWord is name as one word of a POSIX shell's command line (and of PowerShell's, for
// names without a quote): as it is when it holds only ASCII letters, digits and "._+-/" and does not
// begin with "-", otherwise in single quotes ("./" before a leading "-", which a command
// would read as an option). The name is the drafter's: unquoted, "x; rm -rf ~.pdf" in the
// command a message suggests would run what follows the semicolon.
func shellWord(name string) string {
	if strings.HasPrefix(name, "-") {
		name = "./" + name
	}
	plain := name != ""
	for _, r := range name {
		if !(r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("._+-/", r))) {
			plain = false
			break
		}
	}
	if plain {
		return name
	}
	return "'" + strings.ReplaceAll(name, "'", `'\''`) + "'"
}

// DisallowedAddr reports whether a webhook may not connect to ip unless the operator allows
// private endpoints: loopback, link-local, private, unspecified, multicast and the like, where
// an outside URL could reach the office's own services (SSRF), and IPv6 addresses through
// which a NAT64 gateway (an IPv6-only cloud network's way out) or a 6to4 relay reaches such
// an IPv4 address.
func DisallowedAddr(ip netip.Addr) bool {
	ip = ip.WithZone("").Unmap() // a prefix contains no address with a zone
	if disallowedAddr(ip) || nat64Local.Contains(ip) {
		return true
	}
	b := ip.As16()
	switch {
	case nat64.Contains(ip):
		return disallowedAddr(netip.AddrFrom4([4]byte(b[12:16])))
	case sixToFour.Contains(ip):
		return disallowedAddr(netip.AddrFrom4([4]byte(b[2:6])))
	}
	return false
}

// Prefixes of IPv6 addresses that a translator or a relay turns into the IPv4 address they
// embed: NAT64's well-known prefix (RFC 6052), whose IPv4 address is its last four bytes, and
// 6to4 (RFC 3056), whose IPv4 address follows its first two bytes. NAT64's local-use prefix
// (RFC 8215) may embed it anywhere, and is refused whole.
var (
	nat64      = netip.MustParsePrefix("64:ff9b::/96")
	nat64Local = netip.MustParsePrefix("64:ff9b:1::/48")
	sixToFour  = netip.MustParsePrefix("2002::/16")
)

// disallowedAddr is DisallowedAddr of an address as it is, not as a translator reaches it.
func disallowedAddr(ip netip.Addr) bool {
	return !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() ||
		netip.MustParsePrefix("100.64.0.0/10").Contains(ip) || netip.MustParsePrefix("fc00::/7").Contains(ip) ||
		netip.MustParsePrefix("192.0.0.0/24").Contains(ip) || netip.MustParsePrefix("198.18.0.0/15").Contains(ip) ||
		netip.MustParsePrefix("240.0.0.0/4").Contains(ip)
}

// CheckWebhookURL refuses what cannot be a webhook endpoint: anything but an http or https URL
// with a host, credentials in the URL, and (unless allowPrivate) a host that is an address
// DisallowedAddr refuses or names this machine. Host names are resolved at connect time, and
// the address they resolve to is checked again there.
func CheckWebhookURL(s string, allowPrivate bool) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || len(s) > 2000 {
		return i18n.Errorf(ErrInvalid, "webhook %q must be an http or https URL with a host and no credentials", s)
	}
	if allowPrivate {
		return nil
	}
	h := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return i18n.Errorf(ErrInvalid, "webhook %q is on this machine: refused unless the server runs with --webhook-allow-private", s)
	}
	if ip, err := netip.ParseAddr(h); err == nil && DisallowedAddr(ip) {
		return i18n.Errorf(ErrInvalid, "webhook %q is on a loopback, link-local or private address: refused unless the server runs with --webhook-allow-private", s)
	}
	return nil
}

// PlainHTTPWebhook reports whether the webhook URL s is plain http:// to a host that is not
// this machine's loopback: what is posted to it (references, recipients' names, the reasons
// of withdrawals) crosses the network unencrypted, the signature guarding its integrity only.
// Such endpoints are not refused, as offices have registered them, but warned of and marked.
func PlainHTTPWebhook(s string) bool {
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "http" {
		return false
	}
	h := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return false
	}
	if ip, err := netip.ParseAddr(h); err == nil && ip.WithZone("").Unmap().IsLoopback() {
		return false
	}
	return true
}

// recipientWebhookPrefix begins the name of a recipient's endpoint ("recipient:NAME").
const recipientWebhookPrefix = "recipient:"

// WebhookView is a webhook endpoint.
type WebhookView struct {
	Name      string    `json:"name"`
	URL       string    `json:"url"`
	Recipient string    `json:"recipient,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	// PlainHTTP marks an endpoint posted to in clear (PlainHTTPWebhook).
	PlainHTTP bool `json:"plain_http"`
	// OfficeNamedAsRecipient marks an office endpoint, which hears every event, named
	// "recipient:NAME" as a recipient's own is: an earlier build allowed it, and migration 45
	// bound to their recipient those it could; the rest are left for an admin to remove.
	OfficeNamedAsRecipient bool `json:"office_named_as_recipient"`
	// RecipientRetired marks a recipient's endpoint whose recipient is retired from the
	// directory: retiring a recipient removes their endpoint, but migration 45 bound to
	// recipient NAME an office endpoint named "recipient:NAME" of a recipient retired before
	// it, which hears only about the letters sent to them before (their withdrawals, their
	// receipts), less than the every event it heard unbound.
	RecipientRetired bool `json:"recipient_retired"`
	// PreviousSecretUntil is when the secret the endpoint had before its new one stops
	// signing its deliveries (RekeyWebhook); nil if none signs any more.
	PreviousSecretUntil *time.Time `json:"previous_secret_until,omitempty"`
}

// AddWebhook adds an endpoint of the office's own systems, which hears every event (admins).
// Named "recipient:NAME", it is recipient NAME's endpoint, which hears only about the letters
// sent to NAME, as 'recipient add --webhook' makes it: the way to give a recipient already in
// the directory an endpoint, after its own was removed (its address leaked, its domain
// lapsed) or to move it. It returns the endpoint's signing secret, shown once.
func (r *Registry) AddWebhook(ctx context.Context, a Actor, name, endpoint string) (string, error) {
	if err := a.require(RoleAdmin); err != nil {
		return "", err
	}
	name = nfc(name)
	// "recipient:NAME" is the name of recipient NAME's endpoint: an office endpoint so named,
	// which hears every event, would be taken for it, and another case of the prefix reads
	// as it. Until the fifty-seventh session such a name made an office endpoint, which an
	// admin putting back a recipient's endpoint gave every event of the office; then it was
	// refused, and a recipient's endpoint, once removed, could never be given again.
	recipient, ok := strings.CutPrefix(name, recipientWebhookPrefix)
	if !ok && strings.HasPrefix(strings.ToLower(name), recipientWebhookPrefix) || ok && recipient == "" {
		return "", i18n.Errorf(ErrInvalid, "webhook name %q: names beginning with \"recipient:\" are those of recipients' endpoints, which 'chancery recipient add --webhook' adds", name)
	}
	// A recipient's endpoint is named as 'recipient add --webhook' names it: the prefix and a
	// recipient's name, which may have 64 characters itself.
	if ok {
		if err := checkName("recipient name", recipient); err != nil {
			return "", err
		}
	} else if err := checkName("webhook name", name); err != nil {
		return "", err
	}
	if err := CheckWebhookURL(endpoint, r.dispatchSettings().AllowPrivateWebhooks); err != nil {
		return "", err
	}
	secret := NewWebhookSecret()
	err := r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		if err := stillActs(ctx, tx, a); err != nil {
			return err
		}
		e := &store.WebhookEndpoint{Name: name, URL: endpoint, Secret: secret, CreatedAt: r.now()}
		if ok {
			rec, err := activeRecipient(ctx, tx, recipient)
			if err != nil {
				return err
			}
			e.Name, e.RecipientID = recipientWebhookPrefix+rec.Name, rec.ID
		}
		if err := tx.AddWebhookEndpoint(ctx, e); err != nil {
			return err
		}
		return r.audit(ctx, tx, a, "webhook.add", "", e.Name+" "+endpoint)
	})
	if err != nil {
		return "", wrapOnce("add webhook endpoint "+name, err)
	}
	return secret, nil
}

// RemoveWebhook removes the endpoint name (admins), a recipient's ("recipient:NAME") or the
// office's, with its deliveries, sent or waiting: an endpoint whose domain lapsed, or whose
// address leaked, would otherwise hear every event, recipient names included.
func (r *Registry) RemoveWebhook(ctx context.Context, a Actor, name string) error {
	return r.changeWebhook(ctx, a, name, "webhook.remove", "remove webhook endpoint", func(tx *store.Tx, name string) (bool, error) {
		return tx.RemoveWebhookEndpoint(ctx, name)
	})
}

// DefaultWebhookOverlap is how long, by default, an endpoint given a new secret keeps its
// previous one (RekeyWebhook); MaxWebhookOverlap is the longest it may.
const (
	DefaultWebhookOverlap = 24 * time.Hour
	MaxWebhookOverlap     = 30 * 24 * time.Hour
)

// RekeyWebhook gives the endpoint name a new signing secret (admins), returned once with the
// time until which the previous one still signs. For overlap, the previous secret signs the
// endpoint's deliveries beside the new one (Standard Webhooks' several signatures in
// webhook-signature, the new first), so that its receiver moves to the new one without
// refusing any; then, or at once with overlap 0 (a leaked secret the receiver drops at once),
// it signs nothing any more. Deliveries still waiting are signed with the new one.
func (r *Registry) RekeyWebhook(ctx context.Context, a Actor, name string, overlap time.Duration) (string, time.Time, error) {
	if overlap < 0 || overlap > MaxWebhookOverlap {
		return "", time.Time{}, i18n.Errorf(ErrInvalid, "the previous secret may sign for 0 to 720 hours (%s asked)", overlap.String())
	}
	secret := NewWebhookSecret()
	var until time.Time
	if overlap > 0 {
		until = r.now().Add(overlap)
	}
	// The trail says how long the replaced secret still signs: after a leak, an auditor
	// tells a secret cut off at once from one left signing for the overlap.
	kept := ", the previous secret signing no more"
	if !until.IsZero() {
		kept = ", the previous secret signing beside the new one until " + until.UTC().Format(time.RFC3339)
	}
	err := r.changeWebhookAudited(ctx, a, name, "webhook.rekey", kept, "new secret of webhook endpoint", func(tx *store.Tx, name string) (bool, error) {
		return tx.SetWebhookSecret(ctx, name, secret, until)
	})
	if err != nil {
		return "", time.Time{}, err
	}
	return secret, until, nil
}

// RetryWebhook queues again the failed deliveries to the endpoint name (admins), each posted
// again from its first attempt with its webhook-id: after an endpoint's outage outlasted the
// attempts, so that the events it missed, withdrawals among them, still reach it. It returns
// how many were queued again, and refuses an endpoint with none.
func (r *Registry) RetryWebhook(ctx context.Context, a Actor, name string) (int, error) {
	defer r.wakeDispatch()
	var n int
	err := r.changeWebhook(ctx, a, name, "webhook.retry", "retry the failed deliveries to webhook endpoint", func(tx *store.Tx, name string) (bool, error) {
		ok, q, err := tx.RequeueWebhookDeliveries(ctx, name, r.now())
		if err == nil && ok && q == 0 {
			err = i18n.Errorf(ErrConflict, "no delivery to %s has failed", name)
		}
		n = q
		return ok, err
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// changeWebhook applies change, which reports whether the endpoint name exists, to it in one
// transaction audited as action (admins); what names the change in its errors.
func (r *Registry) changeWebhook(ctx context.Context, a Actor, name, action, what string, change func(tx *store.Tx, name string) (bool, error)) error {
	return r.changeWebhookAudited(ctx, a, name, action, "", what, change)
}

// changeWebhookAudited is changeWebhook with more, after the endpoint's name, in the audit
// record's detail.
func (r *Registry) changeWebhookAudited(ctx context.Context, a Actor, name, action, more, what string, change func(tx *store.Tx, name string) (bool, error)) error {
	if err := a.require(RoleAdmin); err != nil {
		return err
	}
	name = nfc(name)
	err := r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		if err := stillActs(ctx, tx, a); err != nil {
			return err
		}
		ok, err := change(tx, name)
		if err != nil {
			return err
		}
		if !ok {
			return ErrNotFound
		}
		return r.audit(ctx, tx, a, action, "", name+more)
	})
	if err != nil {
		return wrapOnce(what+" "+name, err)
	}
	return nil
}

// Webhooks lists the endpoints (admins).
func (r *Registry) Webhooks(ctx context.Context, a Actor) ([]WebhookView, error) {
	if err := a.require(RoleAdmin); err != nil {
		return nil, err
	}
	out := []WebhookView{}
	now := r.now()
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		eps, err := tx.WebhookEndpoints(ctx)
		if err != nil {
			return err
		}
		for _, e := range eps {
			v := WebhookView{Name: e.Name, URL: e.URL, CreatedAt: e.CreatedAt, PlainHTTP: PlainHTTPWebhook(e.URL)}
			if e.PreviousSecret != "" && now.Before(e.PreviousUntil) {
				v.PreviousSecretUntil = timePtr(e.PreviousUntil)
			}
			if e.RecipientID != 0 {
				v.Recipient = strings.TrimPrefix(e.Name, "recipient:")
				rec, err := tx.RecipientByID(ctx, e.RecipientID)
				if err != nil {
					return fmt.Errorf("endpoint %s: %w", e.Name, err)
				}
				v.RecipientRetired = !rec.RetiredAt.IsZero()
			} else {
				v.OfficeNamedAsRecipient = strings.HasPrefix(strings.ToLower(e.Name), recipientWebhookPrefix)
			}
			out = append(out, v)
		}
		return nil
	})
	return out, err
}

// WebhookDeliveryView is one entry of the delivery log.
type WebhookDeliveryView struct {
	Endpoint  string     `json:"endpoint"`
	Event     string     `json:"event"`
	WebhookID string     `json:"webhook_id"`
	Status    string     `json:"status"`
	Attempts  int        `json:"attempts"`
	Reply     string     `json:"reply"`
	CreatedAt time.Time  `json:"created_at"`
	SentAt    *time.Time `json:"sent_at"`
}

// WebhookLog returns the latest deliveries, newest first (admins).
func (r *Registry) WebhookLog(ctx context.Context, a Actor, limit int) ([]WebhookDeliveryView, error) {
	if err := a.require(RoleAdmin); err != nil {
		return nil, err
	}
	out := []WebhookDeliveryView{}
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		ds, err := tx.WebhookDeliveries(ctx, limit)
		for _, d := range ds {
			out = append(out, WebhookDeliveryView{Endpoint: d.Endpoint.Name, Event: d.Event, WebhookID: d.WebhookID, Status: d.Status,
				Attempts: d.Attempts, Reply: d.Reply, CreatedAt: d.CreatedAt, SentAt: timePtr(d.SentAt)})
		}
		return err
	})
	return out, err
}

// ForgetLapsedWebhookSecrets deletes the previous secrets whose overlap has ended
// (RekeyWebhook) and returns how many: they sign nothing any more, and kept until the
// endpoint's next rekey they went on into every backup and copy of the database. The
// dispatcher calls it; it writes only when one has lapsed.
func (r *Registry) ForgetLapsedWebhookSecrets(ctx context.Context) (int, error) {
	var lapsed map[int64]time.Time
	now := r.now()
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		all, err := tx.PreviousWebhookSecretsUntil(ctx)
		for id, until := range all {
			if !now.Before(until) {
				if lapsed == nil {
					lapsed = map[int64]time.Time{}
				}
				lapsed[id] = until
			}
		}
		return err
	})
	if err != nil || len(lapsed) == 0 {
		return 0, err
	}
	n := 0
	err = r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		n = 0
		for id, until := range lapsed {
			gone, err := tx.ForgetPreviousWebhookSecret(ctx, id, until)
			if err != nil {
				return err
			}
			if gone {
				n++
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("forget the lapsed previous webhook secrets: %w", err)
	}
	return n, nil
}

// DueWebhooks returns webhook deliveries whose time has come, one per endpoint, to up to limit
// endpoints not busy (store.Tx.DueWebhookDeliveries), claimed for claim on PostgreSQL as
// DueMessages claims messages.
//
// An endpoint's previous secret is given with its deliveries only while it still signs them
// (RekeyWebhook): the dispatcher signs with every secret it is given.
func (r *Registry) DueWebhooks(ctx context.Context, limit int, claim time.Duration, busy ...int64) ([]store.WebhookDelivery, error) {
	ds, err := dueClaimed(ctx, r, func(tx *store.Tx, now time.Time) ([]store.WebhookDelivery, error) {
		return tx.DueWebhookDeliveries(ctx, now, limit, busy...)
	}, func(tx *store.Tx, now time.Time) ([]store.WebhookDelivery, error) {
		return tx.ClaimDueWebhookDeliveries(ctx, now, limit, now.Add(claim), busy...)
	})
	now := r.now()
	for i := range ds {
		if e := &ds[i].Endpoint; !now.Before(e.PreviousUntil) {
			e.PreviousSecret, e.PreviousUntil = "", time.Time{}
		}
	}
	return ds, err
}

// WebhookAttempt records an attempt at a delivery: sent, deferred until next, or failed.
func (r *Registry) WebhookAttempt(ctx context.Context, id int64, status, reply string, next time.Time) error {
	return r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		return tx.MarkWebhook(ctx, id, status, reply, next, r.cfg.Now().UTC())
	})
}

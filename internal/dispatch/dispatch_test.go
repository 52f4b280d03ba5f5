package dispatch

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/store"
)

var receiptLink = regexp.MustCompile(`https://tfn\.example/receipt/(rct_[A-Za-z0-9_-]+)`)

// byTo returns the messages Mailpit holds for addr whose subject contains word.
func byTo(t *testing.T, mp *mailpit, addr, word string) []mpSummary {
	var out []mpSummary
	for _, m := range mp.messages(t) {
		for _, to := range m.To {
			if to.Address == addr && strings.Contains(m.Subject, word) {
				out = append(out, m)
			}
		}
	}
	return out
}

// TestFoundingStoryByMail: the coordination copy mailed to the liaison cell is marked and
// verifies as a draft; the released letter mailed to the ministry verifies valid with its
// attached seal; the ministry's receipt is recorded; the retraction reaches both, with the
// reason.
func TestFoundingStoryByMail(t *testing.T) {
	ctx := context.Background()
	mp := startMailpit(t)
	o := newOffice(t)
	o.deliver(t, mp, 3)
	o.recipient(t, "liaison", "cell@liaison.example")
	o.recipient(t, "ministry", "registry@mod.freedonia.example")

	ref := o.draft(t, "The brigade moves north on 3 March.")
	if _, err := o.r.SendDraft(ctx, o.drafter, ref, "liaison"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the draft copy", func() bool { return len(byTo(t, mp, "cell@liaison.example", "draft")) == 1 })
	msg := mp.message(t, byTo(t, mp, "cell@liaison.example", "draft")[0].ID)
	if len(msg.Attachments) != 1 || msg.Attachments[0].ContentType != "application/pdf" {
		t.Fatalf("draft copy attachments: %+v", msg.Attachments)
	}
	copyBytes := mp.part(t, msg.ID, msg.Attachments[0].PartID)
	st, err := o.r.VerifyDigest(ctx, o.officer, seal.DigestOf(copyBytes))
	if err != nil {
		t.Fatal(err)
	}
	if st.Outcome != "draft" {
		t.Fatalf("the mailed coordination copy verifies %q, want draft", st.Outcome)
	}

	o.approveAndSign(t, ref)
	if _, err := o.r.Release(ctx, o.officer, ref); err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.Dispatch(ctx, o.officer, ref, []string{"ministry"}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the letter", func() bool { return len(byTo(t, mp, "registry@mod.freedonia.example", "official letter")) == 1 })
	sum := byTo(t, mp, "registry@mod.freedonia.example", "official letter")[0]
	msg = mp.message(t, sum.ID)
	var file, sealBytes []byte
	for _, a := range msg.Attachments {
		data := mp.part(t, msg.ID, a.PartID)
		if strings.HasSuffix(a.FileName, ".seal") {
			sealBytes = data
		} else {
			file = data
		}
	}
	if file == nil || sealBytes == nil {
		t.Fatalf("the letter's attachments: %+v", msg.Attachments)
	}
	s, err := seal.Parse(sealBytes)
	if err != nil {
		t.Fatal(err)
	}
	res, err := o.verifier.VerifyBytes(s, file)
	if err != nil {
		t.Fatalf("the mailed letter does not verify with its mailed seal: %v", err)
	}
	if res.Statement.Reference != ref {
		t.Fatalf("the seal is for %s, not %s", res.Statement.Reference, ref)
	}
	if h := mp.headers(t, msg.ID); !strings.Contains(strings.Join(h["Message-Id"], ""), sum.MessageID) || sum.MessageID != o.status(t, ref)[1].MessageID {
		t.Fatalf("Message-ID %q, headers %v, outbox %+v", sum.MessageID, h["Message-Id"], o.status(t, ref))
	}

	// The receipt: opening the link records nothing; confirming does, once.
	m := receiptLink.FindStringSubmatch(msg.Text)
	if m == nil {
		t.Fatalf("no receipt link in:\n%s", msg.Text)
	}
	if _, err := o.r.Receipt(ctx, m[1]); err != nil {
		t.Fatal(err)
	}
	if v := o.status(t, ref)[1]; v.ReceivedAt != nil {
		t.Fatal("opening the receipt page recorded a receipt")
	}
	if _, err := o.r.Acknowledge(ctx, m[1], "192.0.2.7"); err != nil {
		t.Fatal(err)
	}
	if v := o.status(t, ref)[1]; v.Kind != "letter" || v.ReceivedAt == nil {
		t.Fatalf("after the receipt: %+v", v)
	}
	audit, _ := o.r.Audit(ctx, o.officer, ref)
	if !hasAction(audit, "letter.received") {
		t.Fatalf("the audit trail lacks the receipt: %+v", audit)
	}

	const reason = "Sent before coordination ended"
	o.withdraw(t, ref, "", reason)
	for _, addr := range []string{"cell@liaison.example", "registry@mod.freedonia.example"} {
		waitFor(t, "the notice to "+addr, func() bool { return len(byTo(t, mp, addr, "retracted")) == 1 })
		n := mp.message(t, byTo(t, mp, addr, "retracted")[0].ID)
		if !strings.Contains(n.Text, reason) || !strings.Contains(n.Text, "https://tfn.example/v/"+ref) || len(n.Attachments) != 0 {
			t.Fatalf("notice to %s:\n%s", addr, n.Text)
		}
	}
	waitFor(t, "every message settled", func() bool { return o.settled(t, ref, 4) })
	kinds := map[string]int{}
	for _, v := range o.status(t, ref) {
		if v.Status != "sent" {
			t.Errorf("%s to %s: %s (%s)", v.Kind, v.Email, v.Status, v.Reply)
		}
		kinds[v.Kind]++
	}
	if kinds["letter"] != 1 || kinds["draft-copy"] != 1 || kinds["notice"] != 2 {
		t.Fatalf("messages by kind: %v", kinds)
	}
}

func hasAction(evs []store.AuditEvent, action string) bool {
	for _, e := range evs {
		if e.Action == action {
			return true
		}
	}
	return false
}

// TestDispatchRefusals: a draft, an unapproved letter, a retracted letter, an unknown
// recipient, and a registry without mail are refused by the dispatcher itself, and nothing is
// queued.
func TestDispatchRefusals(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	o.recipient(t, "ministry", "registry@mod.freedonia.example")
	if _, err := o.r.Dispatch(ctx, o.officer, o.release(t, "Without mail."), []string{"ministry"}); !errors.Is(err, registry.ErrNoMail) {
		t.Fatalf("dispatch without an SMTP server: %v", err)
	}
	o.r.SetDispatch(registry.DispatchSettings{Mail: true})
	draft := o.draft(t, "A draft.")
	unapproved := o.draft(t, "Signed, not approved.")
	retracted := o.release(t, "Released, then retracted.")
	o.withdraw(t, retracted, "", "wrong dates")
	for _, c := range []struct{ name, ref, want string }{
		{"draft", draft, "not released"},
		{"unapproved", unapproved, "not released"},
		{"retracted", retracted, "withdrawn"},
	} {
		_, err := o.r.Dispatch(ctx, o.officer, c.ref, []string{"ministry"})
		if !errors.Is(err, registry.ErrConflict) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want a conflict saying %q", c.name, err, c.want)
		}
		if n := len(o.status(t, c.ref)); n != 0 {
			t.Errorf("%s: %d messages queued", c.name, n)
		}
	}
	released := o.release(t, "In force.")
	if _, err := o.r.Dispatch(ctx, o.officer, released, []string{"ministry", "nobody"}); !errors.Is(err, registry.ErrNotFound) {
		t.Errorf("unknown recipient: %v", err)
	}
	if _, err := o.r.Dispatch(ctx, o.drafter, released, []string{"ministry"}); !errors.Is(err, registry.ErrForbidden) {
		t.Errorf("a drafter dispatching: %v", err)
	}
	if n := len(o.status(t, released)); n != 0 {
		t.Errorf("%d messages queued by refused dispatches", n)
	}
	if _, err := o.r.SendDraft(ctx, o.drafter, released, "ministry"); !errors.Is(err, registry.ErrConflict) {
		t.Errorf("a draft copy of a released letter: %v", err)
	}
}

// TestRejectedAndDeferred: the SMTP server rejects one address (Mailpit's allowed-recipients
// rule): after the retries it is failed with the server's reply, and the other address of the
// same recipient is sent. A server that defers everyone (Mailpit's chaos, 451) leaves messages
// deferred with its reply, and they are sent once it accepts again.
func TestRejectedAndDeferred(t *testing.T) {
	ctx := context.Background()
	mp := startMailpit(t, "--smtp-allowed-recipients", `@(ok|liaison)\.example$`)
	o := newOffice(t)
	serverLog := o.deliverLogged(t, mp, 4, 250*time.Millisecond)
	o.recipient(t, "ministry", "registry@ok.example", "closed@rejected.example")
	ref := o.release(t, "To a ministry with a closed mailbox.")
	if _, err := o.r.Dispatch(ctx, o.officer, ref, []string{"ministry"}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "both settled", func() bool { return o.settled(t, ref, 2) })
	for _, v := range o.status(t, ref) {
		switch v.Email {
		case "registry@ok.example":
			if v.Status != "sent" || v.Attempts != 1 {
				t.Errorf("the accepted address: %+v", v)
			}
		case "closed@rejected.example":
			if v.Status != "failed" || v.Attempts != 4 || !strings.Contains(v.Reply, "550") {
				t.Errorf("the rejected address: %+v", v)
			}
		}
	}
	audit, _ := o.r.Audit(ctx, o.officer, ref)
	if !hasAction(audit, "dispatch.failed") {
		t.Error("the failure is not in the audit trail")
	}
	// The server's log, kept apart and beyond erasure's reach, names the message by its ID
	// only: neither its address (which the SMTP reply quotes too) nor its letter.
	if l := serverLog.String(); !strings.Contains(l, "dispatch: message failed") || !strings.Contains(l, "smtp_code=550") ||
		strings.Contains(l, "rejected.example") || strings.Contains(l, ref) {
		t.Errorf("the server's log of the failure:\n%s", l)
	}

	mp.chaos(t, 451)
	o.recipient(t, "liaison", "cell@liaison.example")
	other := o.release(t, "Sent while the server defers.")
	if _, err := o.r.Dispatch(ctx, o.officer, other, []string{"liaison"}); err != nil {
		t.Fatal(err)
	}
	// While a retry is being made, its reply says so (store.ReplySending) in place of the
	// deferral's: wait for the deferral's own.
	var v registry.DispatchView
	waitFor(t, "a deferral", func() bool {
		v = o.status(t, other)[0]
		return v.Status == "deferred" && strings.Contains(v.Reply, "451") || v.Status == "failed"
	})
	if v.Status != "deferred" {
		t.Fatalf("while the server defers: %+v", v)
	}
	mp.chaos(t, 0)
	waitFor(t, "the deferred message sent", func() bool { return o.settled(t, other, 1) })
	if v := o.status(t, other)[0]; v.Status != "sent" || v.Attempts < 2 {
		t.Fatalf("after the server accepts again: %+v", v)
	}
}

// TestReceiptLinks: a receipt link works once; a wrong, used or expired one gets the same
// refusal, which names no letter; the web page's GET records nothing.
func TestReceiptLinks(t *testing.T) {
	ctx := context.Background()
	mp := startMailpit(t)
	o := newOffice(t)
	o.deliver(t, mp, 3)
	o.recipient(t, "ministry", "a@mod.example", "b@mod.example")
	ref := o.release(t, "Please acknowledge.")
	if _, err := o.r.Dispatch(ctx, o.officer, ref, []string{"ministry"}); err != nil {
		t.Fatal(err)
	}
	// A receipt is taken for a message recorded sent: the SMTP server may hold it a moment
	// before the dispatcher records its acceptance.
	waitFor(t, "two letters sent", func() bool { return len(mp.messages(t)) == 2 && o.settled(t, ref, 2) })
	tokens := map[string]string{}
	for _, s := range mp.messages(t) {
		m := receiptLink.FindStringSubmatch(mp.message(t, s.ID).Text)
		if m == nil {
			t.Fatal("no receipt link")
		}
		tokens[s.To[0].Address] = m[1]
	}
	if tokens["a@mod.example"] == tokens["b@mod.example"] {
		t.Fatal("two messages share a receipt token")
	}
	refused := func(what, tok string) {
		t.Helper()
		_, err := o.r.Acknowledge(ctx, tok, "test")
		if !errors.Is(err, registry.ErrBadReceipt) {
			t.Fatalf("%s: %v", what, err)
		}
		if strings.Contains(err.Error(), ref) {
			t.Fatalf("%s: the refusal names the letter: %v", what, err)
		}
		if _, err := o.r.Receipt(ctx, tok); !errors.Is(err, registry.ErrBadReceipt) {
			t.Fatalf("%s: the page answers %v", what, err)
		}
	}
	a := tokens["a@mod.example"]
	refused("wrong token", a[:len(a)-2]+"xx")
	refused("no prefix", strings.TrimPrefix(a, "rct_"))
	if _, err := o.r.Acknowledge(ctx, a, "test"); err != nil {
		t.Fatal(err)
	}
	refused("used token", a)
	o.advance(registry.DefaultReceiptTTL + time.Hour)
	refused("expired token", tokens["b@mod.example"])
	var received int
	for _, v := range o.status(t, ref) {
		if v.ReceivedAt != nil {
			received++
		}
	}
	if received != 1 {
		t.Fatalf("%d receipts recorded, want 1", received)
	}
}

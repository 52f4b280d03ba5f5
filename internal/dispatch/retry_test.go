package dispatch

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/store"
)

// TestRetryAfterTheLastAttempt: a mail outage longer than the attempts last (about eight hours
// with the defaults) failed a letter's copy and its retraction notice for good, and nothing
// could queue them again: dispatch said "already dispatched", a second withdrawal "already
// withdrawn", and the recipient holding a retracted letter never heard (audit, forty-eighth
// session). RetryDispatch queues the failed messages again, the letter's copies only while it
// is in force, notices whatever the state.
func TestRetryAfterTheLastAttempt(t *testing.T) { onBothStores(t, retryAfterTheLastAttempt) }

func retryAfterTheLastAttempt(t *testing.T, o *office) {
	ctx := context.Background()
	o.r.SetDispatch(registry.DispatchSettings{Mail: true})
	o.recipient(t, "ministry", "registry@mod.freedonia.example")
	o.recipient(t, "liaison", "cell@liaison.example")
	d := &Dispatcher{cfg: Config{Registry: o.r, MaxAttempts: 3, Backoff: time.Millisecond, MaxBackoff: time.Millisecond,
		Logger: slog.New(slog.DiscardHandler)}}
	outage := errors.New("connect to smtp://mail.example:25: dial tcp: connection refused")
	failAll := func(ref, kind string) {
		t.Helper()
		for {
			failed := true
			for _, v := range o.status(t, ref) {
				if v.Kind == kind && v.Status != store.StatusFailed && v.Status != store.StatusSent {
					failed = false
				}
			}
			if failed {
				return
			}
			d.record(ctx, takeAgain(t, o), outage)
		}
	}

	// A letter in force whose copy failed is sent again.
	inForce := o.release(t, "First letter.")
	if _, err := o.r.Dispatch(ctx, o.officer, inForce, []string{"liaison"}); err != nil {
		t.Fatal(err)
	}
	failAll(inForce, store.KindLetter)
	if _, err := o.r.RetryDispatch(ctx, o.drafter, inForce); !errors.Is(err, registry.ErrForbidden) {
		t.Errorf("a drafter retries: %v, want ErrForbidden", err)
	}
	again, err := o.r.RetryDispatch(ctx, o.officer, inForce)
	if err != nil || len(again) != 1 || again[0].Status != store.StatusQueued || again[0].Attempts != 0 {
		t.Fatalf("retry of the failed letter: %+v, %v", again, err)
	}
	m := takeAgain(t, o)
	if err := o.r.Delivered(ctx, registry.Delivery{Message: m, Reply: "250 ok"}); err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.RetryDispatch(ctx, o.officer, inForce); !errors.Is(err, registry.ErrConflict) {
		t.Errorf("retry with nothing failed: %v, want ErrConflict", err)
	}

	// A retracted letter: its failed notice is sent again, its failed copy is not.
	ref := o.release(t, "The brigade moves north on 3 March.")
	if _, err := o.r.Dispatch(ctx, o.officer, ref, []string{"ministry"}); err != nil {
		t.Fatal(err)
	}
	if err := o.r.Delivered(ctx, registry.Delivery{Message: takeAgain(t, o), Reply: "250 ok"}); err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.Dispatch(ctx, o.officer, ref, []string{"liaison"}); err != nil {
		t.Fatal(err)
	}
	failAll(ref, store.KindLetter)
	o.withdraw(t, ref, "", "Sent in error.")
	failAll(ref, store.KindNotice)
	again, err = o.r.RetryDispatch(ctx, o.officer, ref)
	if err != nil || len(again) != 1 || again[0].Kind != store.KindNotice || again[0].Email != "registry@mod.freedonia.example" {
		t.Fatalf("retry after the retraction: %+v, %v; want the notice to the ministry alone", again, err)
	}
	due, err := o.r.DueMessages(ctx, 10, time.Second)
	if err != nil || len(due) != 1 || due[0].Kind != store.KindNotice {
		t.Fatalf("due after the retry: %+v, %v", due, err)
	}
}

// TestDispatchNamesEachOnce: the names a dispatch is given are taken as recipient names are
// stored, each once, and at most registry.MaxDispatchRecipients of them (audit, forty-eighth
// session): a name typed decomposed queued the letter but answered nothing, and one name
// repeated 250,000 times (1 MiB of JSON) held the write transaction, which every release
// waits for, for a minute.
func TestDispatchNamesEachOnce(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	o.r.SetDispatch(registry.DispatchSettings{Mail: true})
	o.recipient(t, "Renée", "renee@ministry.example")
	ref := o.release(t, "First letter.")
	many := make([]string, 10000)
	for i := range many {
		many[i] = "Rene\u0301e"
	}
	out, err := o.r.Dispatch(ctx, o.officer, ref, many)
	if err != nil || len(out) != 1 || out[0].Recipient != "Renée" {
		t.Fatalf("dispatch to Renée typed decomposed, 10,000 times: %+v, %v; want the one message", out, err)
	}
	distinct := make([]string, registry.MaxDispatchRecipients+1)
	for i := range distinct {
		distinct[i] = "recipient " + string(rune('a'+i%26)) + string(rune('a'+i/26%26)) + string(rune('a'+i/676))
	}
	if _, err := o.r.Dispatch(ctx, o.officer, ref, distinct); !errors.Is(err, registry.ErrInvalid) {
		t.Errorf("dispatch to %d names: %v, want ErrInvalid", len(distinct), err)
	}
}

// TestRecipientAddressesCorrected: a mistyped address stayed in the directory for good, and
// every letter dispatched to its name went to it (the name taken, its look-alikes refused)
// (audit, forty-eighth session). An admin replaces the addresses; what was sent keeps its
// address, and the notice of its retraction goes there too.
func TestRecipientAddressesCorrected(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	o.r.SetDispatch(registry.DispatchSettings{Mail: true})
	const typo, right = "registry@mod.freedonia.exmaple", "registry@mod.freedonia.example"
	o.recipient(t, "ministry", typo)
	first := o.release(t, "First letter.")
	if _, err := o.r.Dispatch(ctx, o.officer, first, []string{"ministry"}); err != nil {
		t.Fatal(err)
	}
	if err := o.r.Delivered(ctx, registry.Delivery{Message: takeAgain(t, o), Reply: "250 ok"}); err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.SetRecipientEmails(ctx, o.officer, "ministry", []string{right}); !errors.Is(err, registry.ErrForbidden) {
		t.Errorf("a release officer sets the addresses: %v, want ErrForbidden", err)
	}
	v, err := o.r.SetRecipientEmails(ctx, o.admin, "ministry", []string{right, right})
	if err != nil || len(v.Emails) != 1 || v.Emails[0] != right {
		t.Fatalf("set the addresses: %+v, %v", v, err)
	}
	if _, err := o.r.SetRecipientEmails(ctx, o.admin, "ministry", []string{right}); !errors.Is(err, registry.ErrConflict) {
		t.Errorf("the same addresses again: %v, want ErrConflict", err)
	}
	if _, err := o.r.SetRecipientEmails(ctx, o.admin, "ministry", []string{"not an address"}); !errors.Is(err, registry.ErrInvalid) {
		t.Errorf("a malformed address: %v, want ErrInvalid", err)
	}
	second := o.release(t, "Second letter.")
	out, err := o.r.Dispatch(ctx, o.officer, second, []string{"ministry"})
	if err != nil || len(out) != 1 || out[0].Email != right {
		t.Fatalf("dispatch after the correction: %+v, %v; want one message to %s", out, err, right)
	}
	o.withdraw(t, first, "", "Sent in error.")
	var notice string
	for _, m := range o.status(t, first) {
		if m.Kind == store.KindNotice {
			notice = m.Email
		}
	}
	if notice != typo {
		t.Errorf("the retraction notice goes to %q, want %q, where the letter went", notice, typo)
	}
}

// TestFailureOfASentMessageIsNotAudited: a worker whose claim on a message lapsed records its
// failure after another server's worker recorded the message sent; nothing changes, and the
// audit trail said "could not deliver" of a delivered letter (audit, forty-eighth session).
func TestFailureOfASentMessageIsNotAudited(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	o.r.SetDispatch(registry.DispatchSettings{Mail: true})
	o.recipient(t, "ministry", "registry@mod.freedonia.example")
	ref := o.release(t, "First letter.")
	if _, err := o.r.Dispatch(ctx, o.officer, ref, []string{"ministry"}); err != nil {
		t.Fatal(err)
	}
	m := takeAgain(t, o)
	if err := o.r.Delivered(ctx, registry.Delivery{Message: m, Reply: "250 ok"}); err != nil {
		t.Fatal(err)
	}
	if err := o.r.Failed(ctx, m, "421 try again later"); err != nil {
		t.Fatal(err)
	}
	events, err := o.r.Audit(ctx, o.officer, ref)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range events {
		if e.Action == "dispatch.failed" {
			t.Errorf("the trail says the delivered letter failed: %+v", e)
		}
	}
	if st := o.status(t, ref); len(st) != 1 || st[0].Status != store.StatusSent {
		t.Errorf("status: %+v, want sent", st)
	}
}

// TestWebhookRemovedAndRekeyed: an endpoint could not be removed nor given a new secret, and
// one whose domain lapsed, or whose secret leaked, kept hearing every event, recipient names
// included (audit, forty-eighth session). An admin removes it, its deliveries with it, or
// gives it a new secret.
func TestWebhookRemovedAndRekeyed(t *testing.T) { onBothStores(t, webhookRemovedAndRekeyed) }

func webhookRemovedAndRekeyed(t *testing.T, o *office) {
	ctx := context.Background()
	o.r.SetDispatch(registry.DispatchSettings{Mail: true, AllowPrivateWebhooks: true})
	first, err := o.r.AddWebhook(ctx, o.admin, "records", "http://127.0.0.1:9/records")
	if err != nil {
		t.Fatal(err)
	}
	o.release(t, "First letter.")
	log, err := o.r.WebhookLog(ctx, o.admin, 100)
	if err != nil || len(log) == 0 {
		t.Fatalf("deliveries to the endpoint: %+v, %v", log, err)
	}
	if _, _, err := o.r.RekeyWebhook(ctx, o.officer, "records", 0); !errors.Is(err, registry.ErrForbidden) {
		t.Errorf("a release officer rekeys: %v, want ErrForbidden", err)
	}
	second, _, err := o.r.RekeyWebhook(ctx, o.admin, "records", registry.DefaultWebhookOverlap)
	if err != nil || second == "" || second == first {
		t.Fatalf("rekey: %q, %v (the first secret %q)", second, err, first)
	}
	if err := o.r.RemoveWebhook(ctx, o.officer, "records"); !errors.Is(err, registry.ErrForbidden) {
		t.Errorf("a release officer removes: %v, want ErrForbidden", err)
	}
	if err := o.r.RemoveWebhook(ctx, o.admin, "records"); err != nil {
		t.Fatal(err)
	}
	if err := o.r.RemoveWebhook(ctx, o.admin, "records"); !errors.Is(err, registry.ErrNotFound) {
		t.Errorf("removed twice: %v, want ErrNotFound", err)
	}
	o.release(t, "Second letter.")
	if log, err := o.r.WebhookLog(ctx, o.admin, 100); err != nil || len(log) != 0 {
		t.Errorf("deliveries after the removal: %+v, %v", log, err)
	}
	if ws, err := o.r.Webhooks(ctx, o.admin); err != nil || len(ws) != 0 {
		t.Errorf("endpoints after the removal: %+v, %v", ws, err)
	}
	if due, err := o.r.DueWebhooks(ctx, 10, time.Minute); err != nil || len(due) != 0 {
		t.Errorf("due deliveries after the removal: %+v, %v", due, err)
	}
}

// TestRecipientRetired: a recipient could not be taken out of the directory (audit,
// forty-eighth session). Retired, they are no longer listed, dispatch and draft send refuse
// them, their webhook endpoint is removed, and the notice of a retraction of what they were
// sent still goes out; the name stays taken.
func TestRecipientRetired(t *testing.T) { onBothStores(t, recipientRetired) }

func recipientRetired(t *testing.T, o *office) {
	ctx := context.Background()
	o.r.SetDispatch(registry.DispatchSettings{Mail: true, AllowPrivateWebhooks: true})
	if _, _, err := o.r.AddRecipient(ctx, o.admin, registry.NewRecipient{Name: "liaison", Emails: []string{"cell@liaison.example"},
		Webhook: "http://127.0.0.1:9/hook"}); err != nil {
		t.Fatal(err)
	}
	ref := o.release(t, "First letter.")
	if _, err := o.r.Dispatch(ctx, o.officer, ref, []string{"liaison"}); err != nil {
		t.Fatal(err)
	}
	if err := o.r.Delivered(ctx, registry.Delivery{Message: takeAgain(t, o), Reply: "250 ok"}); err != nil {
		t.Fatal(err)
	}
	if err := o.r.RetireRecipient(ctx, o.officer, "liaison"); !errors.Is(err, registry.ErrForbidden) {
		t.Errorf("a release officer retires: %v, want ErrForbidden", err)
	}
	if err := o.r.RetireRecipient(ctx, o.admin, "liaison"); err != nil {
		t.Fatal(err)
	}
	if err := o.r.RetireRecipient(ctx, o.admin, "liaison"); !errors.Is(err, registry.ErrConflict) {
		t.Errorf("retired twice: %v, want ErrConflict", err)
	}
	if rs, err := o.r.Recipients(ctx, o.officer); err != nil || len(rs) != 0 {
		t.Errorf("the directory after the retirement: %+v, %v", rs, err)
	}
	if ws, err := o.r.Webhooks(ctx, o.admin); err != nil || len(ws) != 0 {
		t.Errorf("endpoints after the retirement: %+v, %v", ws, err)
	}
	second := o.release(t, "Second letter.")
	if _, err := o.r.Dispatch(ctx, o.officer, second, []string{"liaison"}); !errors.Is(err, registry.ErrConflict) {
		t.Errorf("dispatch to a retired recipient: %v, want ErrConflict", err)
	}
	if _, _, err := o.r.AddRecipient(ctx, o.admin, registry.NewRecipient{Name: "liaison", Emails: []string{"other@liaison.example"}}); !errors.Is(err, registry.ErrConflict) {
		t.Errorf("a new recipient under the retired name: %v, want ErrConflict", err)
	}
	o.withdraw(t, ref, "", "Sent in error.")
	var notice string
	for _, m := range o.status(t, ref) {
		if m.Kind == store.KindNotice {
			notice = m.Email
		}
	}
	if notice != "cell@liaison.example" {
		t.Errorf("the retraction notice goes to %q, want the address the letter went to", notice)
	}
}

// TestRetryDeliversThroughMailpit: end to end, a retraction notice fails against a mail
// server that is down, is queued again by RetryDispatch once a real one (Mailpit) is up, and
// reaches it.
func TestRetryDeliversThroughMailpit(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	o.r.SetDispatch(registry.DispatchSettings{Mail: true})
	mp := startMailpit(t)
	o.recipient(t, "ministry", "registry@mod.freedonia.example")
	ref := o.release(t, "The brigade moves north on 3 March.")
	if _, err := o.r.Dispatch(ctx, o.officer, ref, []string{"ministry"}); err != nil {
		t.Fatal(err)
	}
	up := o.dispatcher(t, mp, 3)
	upCtx, stopUp := context.WithCancel(ctx)
	upDone := make(chan struct{})
	go func() { defer close(upDone); up.Run(upCtx) }()
	waitFor(t, "the letter delivered", func() bool { return mp.count(t) == 1 })
	stopUp()
	<-upDone

	// The mail server goes down (a port nothing listens on); the notice fails for good.
	down, err := ParseSMTP("smtp://127.0.0.1:1")
	if err != nil {
		t.Fatal(err)
	}
	d, err := New(Config{Registry: o.r, SMTP: down, From: "registry@tfn.example", MaxAttempts: 2, Backoff: 5 * time.Millisecond,
		MaxBackoff: 20 * time.Millisecond, Poll: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	downCtx, stopDown := context.WithCancel(ctx)
	downDone := make(chan struct{})
	go func() { defer close(downDone); d.Run(downCtx) }()
	o.withdraw(t, ref, "", "Sent in error.")
	notice := func() registry.DispatchView {
		for _, v := range o.status(t, ref) {
			if v.Kind == store.KindNotice {
				return v
			}
		}
		return registry.DispatchView{}
	}
	waitFor(t, "the notice failed", func() bool { return notice().Status == store.StatusFailed })
	stopDown()
	<-downDone

	if _, err := o.r.RetryDispatch(ctx, o.officer, ref); err != nil {
		t.Fatal(err)
	}
	runDispatcher(t, o.dispatcher(t, mp, 3))
	waitFor(t, "the notice delivered", func() bool { return mp.count(t) == 2 && notice().Status == store.StatusSent })
}

// TestWebhookRetried: deliveries to an endpoint that failed after the last attempt could not
// be posted again (audit, forty-eighth session): an endpoint down for longer than the
// attempts never heard of the letters released meanwhile, withdrawals included. An admin's
// retry posts them again, with their webhook-id; an endpoint with none failed is refused.
func TestWebhookRetried(t *testing.T) { onBothStores(t, webhookRetried) }

func webhookRetried(t *testing.T, o *office) {
	ctx := context.Background()
	var down atomic.Bool
	down.Store(true)
	var mu sync.Mutex
	ids := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if down.Load() {
			http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
			return
		}
		mu.Lock()
		ids[r.Header.Get("webhook-id")]++
		mu.Unlock()
	}))
	defer srv.Close()
	d, err := New(Config{Registry: o.r, MaxAttempts: 2, Backoff: time.Millisecond, MaxBackoff: time.Millisecond, Poll: 20 * time.Millisecond,
		AllowPrivateWebhooks: true})
	if err != nil {
		t.Fatal(err)
	}
	runDispatcher(t, d)
	if _, err := o.r.AddWebhook(ctx, o.admin, "records", srv.URL); err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.RetryWebhook(ctx, o.admin, "records"); !errors.Is(err, registry.ErrConflict) {
		t.Errorf("a retry with nothing failed: %v, want ErrConflict", err)
	}
	o.release(t, "Released while the endpoint was down.")
	failed := func() []registry.WebhookDeliveryView {
		log, err := o.r.WebhookLog(ctx, o.admin, 100)
		if err != nil {
			t.Fatal(err)
		}
		var out []registry.WebhookDeliveryView
		for _, e := range log {
			if e.Status == "failed" {
				out = append(out, e)
			}
		}
		return out
	}
	waitFor(t, "the failed delivery", func() bool { return len(failed()) == 1 })
	id := failed()[0].WebhookID
	down.Store(false)
	if _, err := o.r.RetryWebhook(ctx, o.officer, "records"); !errors.Is(err, registry.ErrForbidden) {
		t.Errorf("a release officer retries: %v, want ErrForbidden", err)
	}
	if _, err := o.r.RetryWebhook(ctx, o.admin, "archive"); !errors.Is(err, registry.ErrNotFound) {
		t.Errorf("a retry to no endpoint: %v, want ErrNotFound", err)
	}
	n, err := o.r.RetryWebhook(ctx, o.admin, "records")
	if err != nil || n != 1 {
		t.Fatalf("retry: %d, %v, want 1 queued again", n, err)
	}
	waitFor(t, "the delivery posted again", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return ids[id] == 1
	})
	waitFor(t, "the delivery recorded sent", func() bool {
		log, _ := o.r.WebhookLog(ctx, o.admin, 100)
		return len(log) == 1 && log[0].Status == "sent" && log[0].Attempts == 1 && log[0].WebhookID == id
	})
	if _, err := o.r.RetryWebhook(ctx, o.admin, "records"); !errors.Is(err, registry.ErrConflict) {
		t.Errorf("a second retry: %v, want ErrConflict", err)
	}
}

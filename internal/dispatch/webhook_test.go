package dispatch

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/registry"
)

// checkStandardWebhook verifies a delivery as a receiver would, written from the Standard
// Webhooks specification rather than from Sign: the signed content is
// "{webhook-id}.{webhook-timestamp}.{body}", the key is the base64 after "whsec_", the header
// holds space-separated "v1,{base64 HMAC-SHA256}" signatures, and a timestamp more than five
// minutes away is refused.
func checkStandardWebhook(secret string, h http.Header, body []byte, now time.Time) error {
	id, stamp, sigs := h.Get("webhook-id"), h.Get("webhook-timestamp"), h.Get("webhook-signature")
	if id == "" || stamp == "" || sigs == "" {
		return errors.New("missing webhook-id, webhook-timestamp or webhook-signature")
	}
	sec, err := strconv.ParseInt(stamp, 10, 64)
	if err != nil {
		return errors.New("bad timestamp")
	}
	if d := now.Sub(time.Unix(sec, 0)); d > 5*time.Minute || d < -5*time.Minute {
		return errors.New("timestamp out of tolerance")
	}
	key, err := base64.StdEncoding.DecodeString(secret[len("whsec_"):])
	if err != nil {
		return err
	}
	var content []byte
	content = append(content, id...)
	content = append(content, '.')
	content = append(content, stamp...)
	content = append(content, '.')
	content = append(content, body...)
	mac := hmac.New(sha256.New, key)
	mac.Write(content)
	want := mac.Sum(nil)
	for _, s := range strings.Split(sigs, " ") {
		version, b64, ok := strings.Cut(s, ",")
		if !ok || version != "v1" {
			continue
		}
		got, err := base64.StdEncoding.DecodeString(b64)
		if err == nil && hmac.Equal(got, want) {
			return nil
		}
	}
	return errors.New("no matching signature")
}

type hookEvent struct {
	Type string         `json:"type"`
	Data map[string]any `json:"data"`
}

// receiver is a webhook endpoint that keeps the events whose signature checks out.
type receiver struct {
	srv    *httptest.Server
	secret string
	mu     sync.Mutex
	events []hookEvent
	bad    []string
	ids    map[string]int
}

func newReceiver(t *testing.T) *receiver {
	rc := &receiver{ids: map[string]int{}}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		defer rc.mu.Unlock()
		if err := checkStandardWebhook(rc.secret, r.Header, body, time.Now()); err != nil {
			rc.bad = append(rc.bad, err.Error())
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		var e hookEvent
		if err := json.Unmarshal(body, &e); err != nil {
			rc.bad = append(rc.bad, err.Error())
		}
		rc.ids[r.Header.Get("webhook-id")]++
		rc.events = append(rc.events, e)
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) got(typ string) []hookEvent {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	var out []hookEvent
	for _, e := range rc.events {
		if e.Type == typ {
			out = append(out, e)
		}
	}
	return out
}

// TestWebhooks: the office's endpoint hears every event with identifiers only; a recipient's
// endpoint hears only about the letters sent to it, with the reason the notice gives; an
// outsider's endpoint hears nothing; every delivery carries a signature that an independent
// check accepts; a failing endpoint is retried and then logged as failed.
func TestWebhooks(t *testing.T) {
	ctx := context.Background()
	mp := startMailpit(t)
	o := newOffice(t)
	serverLog := o.deliverLogged(t, mp, 3, 0)
	records, ministry, outsider := newReceiver(t), newReceiver(t), newReceiver(t)
	var err error
	if records.secret, err = o.r.AddWebhook(ctx, o.admin, "records", records.srv.URL); err != nil {
		t.Fatal(err)
	}
	broken := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
	}))
	defer broken.Close()
	if _, err := o.r.AddWebhook(ctx, o.admin, "broken", broken.URL); err != nil {
		t.Fatal(err)
	}
	// The ministry's organisation is the letters' addressee: the superseding letter is meant for it.
	for _, rc := range []struct {
		name, org string
		r         *receiver
	}{{"ministry", "Ministry of Defence of Freedonia", ministry}, {"outsider", "", outsider}} {
		_, secret, err := o.r.AddRecipient(ctx, o.admin, registry.NewRecipient{Name: rc.name, Organization: rc.org, Emails: []string{rc.name + "@example.org"}, Webhook: rc.r.srv.URL})
		if err != nil {
			t.Fatal(err)
		}
		rc.r.secret = secret
	}

	ref := o.release(t, "Hooked letter.")
	if _, err := o.r.Dispatch(ctx, o.officer, ref, []string{"ministry"}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the dispatch event", func() bool { return len(ministry.got("letter.dispatched")) == 1 })
	var token string
	for _, s := range mp.messages(t) {
		if m := receiptLink.FindStringSubmatch(mp.message(t, s.ID).Text); m != nil {
			token = m[1]
		}
	}
	if _, err := o.r.Acknowledge(ctx, token, "test"); err != nil {
		t.Fatal(err)
	}
	const reason = "Superseded by the corrected order"
	newer := o.release(t, "Corrected letter.")
	o.withdraw(t, ref, newer, reason)
	waitFor(t, "the supersession events", func() bool {
		return len(ministry.got("letter.superseded")) == 1 && len(records.got("letter.superseded")) == 1
	})

	for _, typ := range []string{"letter.released", "letter.dispatched", "letter.received", "letter.superseded"} {
		if len(records.got(typ)) == 0 {
			t.Errorf("the office's endpoint did not get %s", typ)
		}
	}
	if n := len(records.got("letter.released")); n != 2 {
		t.Errorf("the office's endpoint got %d releases, want 2", n)
	}
	if e := records.got("letter.superseded")[0]; e.Data["reason"] != nil || e.Data["superseded_by"] != newer {
		t.Errorf("the office's supersession event: %v", e.Data)
	}
	if e := ministry.got("letter.superseded")[0]; e.Data["reason"] != reason || e.Data["reference"] != ref {
		t.Errorf("the ministry's supersession event: %v", e.Data)
	}
	if len(ministry.got("letter.released")) != 0 || len(ministry.got("letter.received")) != 1 {
		t.Errorf("the ministry heard: %+v", ministry.events)
	}
	outsider.mu.Lock()
	if len(outsider.events) != 0 {
		t.Errorf("an outsider's endpoint heard %+v", outsider.events)
	}
	outsider.mu.Unlock()
	for _, rc := range []*receiver{records, ministry} {
		rc.mu.Lock()
		if len(rc.bad) != 0 {
			t.Errorf("deliveries refused by the independent check: %v", rc.bad)
		}
		for id, n := range rc.ids {
			if n != 1 {
				t.Errorf("webhook-id %s delivered %d times", id, n)
			}
		}
		rc.mu.Unlock()
	}

	// The failing endpoint: retried, then failed with its answer in the log.
	waitFor(t, "the broken endpoint's failures", func() bool {
		log, _ := o.r.WebhookLog(ctx, o.admin, 1000)
		for _, d := range log {
			if d.Endpoint == "broken" && d.Status != "failed" {
				return false
			}
		}
		return true
	})
	log, _ := o.r.WebhookLog(ctx, o.admin, 1000)
	for _, d := range log {
		if d.Endpoint == "broken" && (d.Attempts != 3 || !strings.Contains(d.Reply, "503")) {
			t.Errorf("broken endpoint delivery: %+v", d)
		}
	}
	// The server's log names the endpoint by its ID only: a recipient's endpoint bears the
	// recipient's name, and an error posting to it quotes its address.
	if l := serverLog.String(); !strings.Contains(l, "dispatch: webhook failed") || strings.Contains(l, "broken") ||
		strings.Contains(l, broken.URL) || strings.Contains(l, "maintenance") {
		t.Errorf("the server's log of the failures:\n%s", l)
	}
}

// TestWebhookSignatureCheckFails keeps the independent check honest: it refuses a changed body,
// another secret and an old timestamp.
func TestWebhookSignatureCheckFails(t *testing.T) {
	secret := registry.NewWebhookSecret()
	now := time.Now()
	body := []byte(`{"type":"letter.released"}`)
	sig, err := Sign(secret, "msg_1", now.Unix(), body)
	if err != nil {
		t.Fatal(err)
	}
	h := http.Header{"Webhook-Id": {"msg_1"}, "Webhook-Timestamp": {strconv.FormatInt(now.Unix(), 10)}, "Webhook-Signature": {"v1,bm90IGl0 " + sig}}
	if err := checkStandardWebhook(secret, h, body, now); err != nil {
		t.Fatalf("a good delivery is refused: %v", err)
	}
	if checkStandardWebhook(secret, h, []byte(`{"type":"letter.retracted"}`), now) == nil {
		t.Error("a changed body passes")
	}
	if checkStandardWebhook(registry.NewWebhookSecret(), h, body, now) == nil {
		t.Error("another secret passes")
	}
	if checkStandardWebhook(secret, h, body, now.Add(10*time.Minute)) == nil {
		t.Error("an old timestamp passes")
	}
}

// TestWebhookSSRF: endpoints on loopback, link-local or private addresses are refused when
// registered, and a host name that resolves to one is refused when connecting.
func TestWebhookSSRF(t *testing.T) {
	for _, u := range []string{"http://127.0.0.1:8080/x", "http://localhost/x", "http://[::1]/", "http://169.254.169.254/latest/meta-data",
		"http://10.0.0.5/", "http://192.168.1.1/", "http://[fd00::1]/", "http://0.0.0.0/", "ftp://example.org/", "http://user:pw@example.org/"} {
		if err := registry.CheckWebhookURL(u, false); !errors.Is(err, registry.ErrInvalid) {
			t.Errorf("%s accepted: %v", u, err)
		}
	}
	if err := registry.CheckWebhookURL("https://records.example.org/hook", false); err != nil {
		t.Errorf("a public endpoint refused: %v", err)
	}
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	// localhost passes no registration check here: the dial-time check must refuse it.
	u := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	_, err := post(context.Background(), WebhookClient(false, 5*time.Second), u, []string{registry.NewWebhookSecret()}, "msg_x", []byte("{}"), time.Now())
	if !errors.Is(err, errPrivate) || hits.Load() != 0 {
		t.Fatalf("posting to %s: %v (%d requests arrived)", u, err, hits.Load())
	}
	if _, err := post(context.Background(), WebhookClient(true, 5*time.Second), u, []string{registry.NewWebhookSecret()}, "msg_y", []byte("{}"), time.Now()); err != nil || hits.Load() != 1 {
		t.Fatalf("with private endpoints allowed: %v", err)
	}
}

// TestWebhooksWithoutMail: a server without an SMTP server ran no worker at all, so the
// office's webhook endpoints heard nothing (audit, forty-eighth session). Without mail the
// dispatcher posts webhook events, and the registry still refuses to mail.
func TestWebhooksWithoutMail(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	d, err := New(Config{Registry: o.r, Poll: 20 * time.Millisecond, AllowPrivateWebhooks: true})
	if err != nil {
		t.Fatal(err)
	}
	runDispatcher(t, d)
	records := newReceiver(t)
	if records.secret, err = o.r.AddWebhook(ctx, o.admin, "records", records.srv.URL); err != nil {
		t.Fatal(err)
	}
	if _, _, err := o.r.AddRecipient(ctx, o.admin, registry.NewRecipient{Name: "ministry", Emails: []string{"registry@ministry.example"}}); err != nil {
		t.Fatal(err)
	}
	ref := o.release(t, "Hooked letter, no mail.")
	waitFor(t, "the release event", func() bool { return len(records.got("letter.released")) == 1 })
	if e := records.got("letter.released")[0]; e.Data["reference"] != ref {
		t.Errorf("the release event: %v", e.Data)
	}
	if _, err := o.r.Dispatch(ctx, o.officer, ref, []string{"ministry"}); !errors.Is(err, registry.ErrNoMail) {
		t.Errorf("a dispatch without a mail server: %v, want %v", err, registry.ErrNoMail)
	}
}

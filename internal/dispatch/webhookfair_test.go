package dispatch

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/store"
)

// TestHangingEndpointHoldsNoOther: the office's webhook endpoint takes requests and never
// answers (its handler waits until the test lets it go), with several events due to it. A
// recipient's endpoint must get its letter.retracted while the hanging endpoint still holds
// its first request, and no second request reaches the hanging one meanwhile (on PostgreSQL
// also: the deliveries waiting for it are not claimed, to wait for the claim to lapse after).
// Before the fix one worker posted every delivery in turn, and it waited for the hanging
// endpoint's answer (up to the post's timeout, for each attempt at each event) before posting
// to anyone else.
func TestHangingEndpointHoldsNoOther(t *testing.T) { onBothStores(t, testHangingEndpointHoldsNoOther) }

func testHangingEndpointHoldsNoOther(t *testing.T, o *office) {
	ctx := context.Background()
	mp := startMailpit(t)
	d := o.dispatcher(t, mp, 3)
	d.cfg.WebhookTimeout = 5 * time.Minute // the hanging endpoint is let go by the test alone
	d.cfg.Claim = 10 * time.Minute         // a delivery claimed and not posted would wait as long
	runDispatcher(t, d)

	let := make(chan struct{})
	var once sync.Once
	letGo := func() { once.Do(func() { close(let) }) }
	var held, posted atomic.Int32
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		posted.Add(1)
		held.Add(1)
		defer held.Add(-1)
		select {
		case <-let:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(hang.Close)
	t.Cleanup(letGo) // runs first: the server's Close waits for its handlers
	if _, err := o.r.AddWebhook(ctx, o.admin, "records", hang.URL); err != nil {
		t.Fatal(err)
	}
	ministry := newReceiver(t)
	const addr = "registry@mod.freedonia.example"
	_, secret, err := o.r.AddRecipient(ctx, o.admin, registry.NewRecipient{Name: "ministry", Emails: []string{addr}, Webhook: ministry.srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	ministry.secret = secret

	ref := o.release(t, "The brigade moves north on 3 March.")
	o.release(t, "Second letter.")
	o.release(t, "Third letter.")
	waitFor(t, "the hanging endpoint holding a request", func() bool { return held.Load() == 1 })
	if _, err := o.r.Dispatch(ctx, o.officer, ref, []string{"ministry"}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the letter sent", func() bool { return o.status(t, ref)[0].Status == store.StatusSent })
	o.withdraw(t, ref, "", "Sent in error.")

	within(t, time.Minute, "the ministry's endpoint getting letter.retracted while another endpoint hangs", func() bool {
		return len(ministry.got("letter.retracted")) == 1
	})
	if n := posted.Load(); n != 1 || held.Load() != 1 {
		t.Fatalf("the hanging endpoint was posted %d requests and holds %d, want its first, held, and no other at once", n, held.Load())
	}
	// Let go, the hanging endpoint gets its other events, one at a time.
	letGo()
	within(t, time.Minute, "every delivery to the office's endpoint made", func() bool {
		log, err := o.r.WebhookLog(ctx, o.admin, 1000)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range log {
			if d.Endpoint == "records" && d.Status != store.StatusSent {
				return false
			}
		}
		return true
	})
	if n := posted.Load(); n < 5 {
		t.Errorf("the office's endpoint was posted %d requests, want its 5 events (3 releases, the dispatch, the retraction)", n)
	}
}

// within waits until cond holds, for at most d: long enough on a busy machine for what comes
// at once, far shorter than a post's timeout or a claim in these tests.
func within(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, d)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

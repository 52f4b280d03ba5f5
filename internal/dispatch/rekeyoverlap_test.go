package dispatch

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/registry"
)

// signedPost is one post an endpoint received: its headers and body.
type signedPost struct {
	h    http.Header
	body []byte
}

// TestWebhookRekeyOverlap: 'webhook rekey' replaced the secret at once, so a receiver failed
// every delivery until it had the new one (fifty-seventh session's list). The previous secret
// now signs beside the new one for the overlap (24 hours by default): a receiver that knows only
// the old secret and one that knows only the new both accept the deliveries of the window,
// the new signature first; after it, the old secret is refused. --overlap 0 replaces the
// secret at once, as before.
func TestWebhookRekeyOverlap(t *testing.T) { onBothStores(t, webhookRekeyOverlap) }

func webhookRekeyOverlap(t *testing.T, o *office) {
	ctx := context.Background()
	var mu sync.Mutex
	var posts []signedPost
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		posts = append(posts, signedPost{r.Header.Clone(), body})
		mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	d, err := New(Config{Registry: o.r, Poll: 20 * time.Millisecond, AllowPrivateWebhooks: true})
	if err != nil {
		t.Fatal(err)
	}
	runDispatcher(t, d)
	// received waits for the endpoint's n-th post and returns it.
	received := func(n int) signedPost {
		t.Helper()
		waitFor(t, "a post to the endpoint", func() bool { mu.Lock(); defer mu.Unlock(); return len(posts) >= n })
		mu.Lock()
		defer mu.Unlock()
		if len(posts) != n {
			t.Fatalf("%d posts to the endpoint, want %d", len(posts), n)
		}
		return posts[n-1]
	}
	first, err := o.r.AddWebhook(ctx, o.admin, "records", srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []time.Duration{-time.Second, registry.MaxWebhookOverlap + time.Second} {
		if _, _, err := o.r.RekeyWebhook(ctx, o.admin, "records", bad); !errors.Is(err, registry.ErrInvalid) {
			t.Errorf("rekey with an overlap of %s: %v, want ErrInvalid", bad, err)
		}
	}
	second, until, err := o.r.RekeyWebhook(ctx, o.admin, "records", registry.DefaultWebhookOverlap)
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Until(until); d < 23*time.Hour || d > 25*time.Hour {
		t.Errorf("the previous secret signs until %s, want in 24 hours", until)
	}
	if ws, err := o.r.Webhooks(ctx, o.admin); err != nil || len(ws) != 1 || ws[0].PreviousSecretUntil == nil || !ws[0].PreviousSecretUntil.Equal(until) {
		t.Errorf("the endpoint listed: %+v, %v; want its previous secret signing until %s", ws, err, until)
	}

	// In the window: each receiver, knowing one secret, accepts; the new signature is first.
	o.release(t, "A letter in the window.")
	p := received(1)
	for what, secret := range map[string]string{"the old": first, "the new": second} {
		if err := checkStandardWebhook(secret, p.h, p.body, time.Now()); err != nil {
			t.Errorf("a receiver that knows %s secret only, in the window: %v", what, err)
		}
	}
	sigs := strings.Fields(p.h.Get("webhook-signature"))
	if len(sigs) != 2 {
		t.Fatalf("webhook-signature %q in the window: want two signatures", p.h.Get("webhook-signature"))
	}
	if err := checkStandardWebhook(second, http.Header{"Webhook-Id": p.h["Webhook-Id"], "Webhook-Timestamp": p.h["Webhook-Timestamp"],
		"Webhook-Signature": {sigs[0]}}, p.body, time.Now()); err != nil {
		t.Errorf("the first signature is not the new secret's: %v", err)
	}

	// After the window: the old secret is refused, the new accepted. The window is one that
	// ended (a rekey a day and a minute ago), not a clock moved on, which the deliveries'
	// times on PostgreSQL, read on the database's clock, would not follow.
	o.advance(-registry.DefaultWebhookOverlap - time.Minute)
	third, _, err := o.r.RekeyWebhook(ctx, o.admin, "records", registry.DefaultWebhookOverlap)
	o.advance(registry.DefaultWebhookOverlap + time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	o.release(t, "A letter after the window.")
	p = received(2)
	if err := checkStandardWebhook(second, p.h, p.body, time.Now()); err == nil {
		t.Error("a receiver that knows the old secret only accepts a delivery after the window")
	}
	if err := checkStandardWebhook(third, p.h, p.body, time.Now()); err != nil {
		t.Errorf("a receiver that knows the new secret, after the window: %v", err)
	}
	if n := len(strings.Fields(p.h.Get("webhook-signature"))); n != 1 {
		t.Errorf("%d signatures after the window, want 1", n)
	}
	if ws, err := o.r.Webhooks(ctx, o.admin); err != nil || len(ws) != 1 || ws[0].PreviousSecretUntil != nil {
		t.Errorf("the endpoint listed after the window: %+v, %v; want no previous secret", ws, err)
	}

	// An overlap of 0 replaces the secret at once.
	fourth, until, err := o.r.RekeyWebhook(ctx, o.admin, "records", 0)
	if err != nil || !until.IsZero() {
		t.Fatalf("rekey with no overlap: %v, until %s", err, until)
	}
	o.release(t, "A letter after a rekey without overlap.")
	p = received(3)
	if err := checkStandardWebhook(third, p.h, p.body, time.Now()); err == nil {
		t.Error("the replaced secret still signs after a rekey without overlap")
	}
	if err := checkStandardWebhook(fourth, p.h, p.body, time.Now()); err != nil {
		t.Errorf("the new secret, after a rekey without overlap: %v", err)
	}
}

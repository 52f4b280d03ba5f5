package oidc

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestProviderKeysStallDoesNotStopSignIns: go-oidc fetches the provider's keys in the
// background, with the client given at discovery and no deadline of the sign-in that needs
// them, and every sign-in with a key it has not seen waits for that one fetch. With
// http.DefaultClient (no timeout), a key set that never came stopped every such sign-in
// until the server restarted, though the provider answered again.
func TestProviderKeysStallDoesNotStopSignIns(t *testing.T) {
	defer func(d, r time.Duration) { timeout, minKeyRefresh = d, r }(timeout, minKeyRefresh)
	timeout, minKeyRefresh = 200*time.Millisecond, 100*time.Millisecond
	lp := newLocalProvider(t)
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	var stalled atomic.Bool
	stall := func(w http.ResponseWriter, r *http.Request) bool {
		if stalled.Swap(true) {
			return false // the provider answers again
		}
		select {
		case <-release:
		case <-r.Context().Done():
		}
		return true
	}
	lp.keys.Store(&stall)
	p := lp.provider(RoleMap{"chancery-signers": {"signer"}})
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if _, err := p.Redeem(ctx, lp.token(nil), ""); err == nil {
		t.Fatal("signed in while the key set did not come")
	}
	ctx, cancel = context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if _, err := p.Redeem(ctx, lp.token(nil), ""); err != nil {
		t.Errorf("sign-in once the provider answers again: %v", err)
	}
}

// TestProviderAnswersAreBounded: go-oidc reads the provider's answers (discovery, key set,
// userinfo) whole, so a provider, or whoever answers for it, could make the server hold any
// number of bytes for one sign-in. An answer larger than MaxResponseSize is refused, and read
// no further.
func TestProviderAnswersAreBounded(t *testing.T) {
	lp := newLocalProvider(t)
	var sent atomic.Int64
	huge := func(w http.ResponseWriter, r *http.Request) bool {
		// 64 MiB of white space before a valid key set: JSON all the same.
		w.Header().Set("Content-Type", "application/json")
		chunk := bytes.Repeat([]byte(" "), 64<<10)
		for range 1024 {
			n, err := w.Write(chunk)
			sent.Add(int64(n))
			if err != nil {
				return true
			}
		}
		return false
	}
	lp.keys.Store(&huge)
	p := lp.provider(RoleMap{"chancery-signers": {"signer"}})
	if _, err := p.Redeem(context.Background(), lp.token(nil), ""); err == nil {
		t.Error("a key set of 64 MiB was read")
	}
	if n := sent.Load(); n > 16<<20 {
		t.Errorf("the provider sent %d bytes before the answer was refused, want at most 16 MiB", n)
	}
}

// TestCallbackErrorNeedsTheState: the callback's error parameters were read before its
// state, so anyone could have the server log "the provider answered …" with any text of any
// length (a URL of a megabyte) by calling the callback with a flow cookie of their own. A
// provider's error comes back with the sign-in's state (RFC 6749, 4.1.2.1); what it says is
// logged cut short and quoted.
func TestCallbackErrorNeedsTheState(t *testing.T) {
	lp := newLocalProvider(t)
	p := lp.provider(RoleMap{"chancery-signers": {"signer"}})
	f := Flow{State: "s1", Nonce: "n1", Verifier: "v1"}
	long := strings.Repeat("the provider is down; call 555-0100\n", 10000)
	for _, tc := range []struct {
		name  string
		q     url.Values
		where string
	}{
		{"forged", url.Values{"error": {"access_denied"}, "error_description": {long}}, "state"},
		{"wrong state", url.Values{"state": {"s2"}, "error": {"access_denied"}, "error_description": {long}}, "state"},
		{"provider's", url.Values{"state": {"s1"}, "error": {long}, "error_description": {long}}, "provider answered"},
	} {
		_, err := p.Finish(context.Background(), lp.srv.URL+"/callback", f, tc.q)
		if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), tc.where) || len(err.Error()) > 1024 || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: %d bytes: %.300q; want a refusal about the %s, under 1 KiB, on one line", tc.name, len(err.Error()), err, tc.where)
		}
	}
}

// TestUnknownKeyIDsDoNotRefetchEachTime: go-oidc fetched the provider's key set again for
// every token naming a key it did not hold, so that each forged token sent to
// /api/v1/oidc/token cost a request to the provider. Fetches are at most one every
// minKeyRefresh, and a key the provider rotated to is still taken, the token waiting for
// the next fetch.
func TestUnknownKeyIDsDoNotRefetchEachTime(t *testing.T) {
	defer func(d time.Duration) { minKeyRefresh = d }(minKeyRefresh)
	minKeyRefresh = 500 * time.Millisecond
	lp := newLocalProvider(t)
	var fetches atomic.Int64
	count := func(w http.ResponseWriter, r *http.Request) bool {
		fetches.Add(1)
		return false
	}
	lp.keys.Store(&count)
	p := lp.provider(RoleMap{"chancery-signers": {"signer"}})
	ctx := context.Background()
	if _, err := p.Redeem(ctx, lp.token(nil), ""); err != nil {
		t.Fatal(err)
	}
	good := lp.token(nil)
	start := time.Now()
	for i := range 20 {
		forged := lp.tokenWithKeyID(fmt.Sprintf("k%d", i+2), nil)
		cctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
		if _, err := p.Redeem(cctx, forged, ""); err == nil {
			t.Fatal("a token with an unknown key ID was taken")
		}
		cancel()
		if _, err := p.Redeem(ctx, good, ""); err != nil {
			t.Fatalf("a token with the known key: %v", err)
		}
	}
	if n, most := fetches.Load(), int64(2+time.Since(start)/minKeyRefresh); n > most {
		t.Errorf("%d fetches of the key set for 20 tokens with unknown key IDs in %v, want at most %d", n, time.Since(start), most)
	}
	// The provider rotates to k9 just after a fetch: a token signed with it waits for the next.
	if _, err := p.Redeem(ctx, lp.tokenWithKeyID("k8", nil), ""); err == nil {
		t.Fatal("a token with an unknown key ID was taken")
	}
	lp.kid.Store("k9")
	if _, err := p.Redeem(ctx, lp.tokenWithKeyID("k9", nil), ""); err != nil {
		t.Errorf("a token signed with the key the provider rotated to: %v", err)
	}
}

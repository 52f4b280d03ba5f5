package oidc

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestKeySetTooOldFetchedOnceForTokensArrivingMeanwhile: tokens that find the key set older
// than maxKeyAge, arriving while the fetch it led to is under way, are verified with that
// fetch's set, which began less than maxKeyAge before they arrived: they do not wait
// minKeyRefresh for a second fetch.
func TestKeySetTooOldFetchedOnceForTokensArrivingMeanwhile(t *testing.T) {
	defer func(d, a time.Duration) { minKeyRefresh, maxKeyAge = d, a }(minKeyRefresh, maxKeyAge)
	minKeyRefresh, maxKeyAge = 2*time.Second, 300*time.Millisecond
	lp := newLocalProvider(t)
	var fetches atomic.Int32
	slow := func(w http.ResponseWriter, r *http.Request) bool {
		fetches.Add(1)
		time.Sleep(200 * time.Millisecond)
		return false
	}
	lp.keys.Store(&slow)
	p := lp.provider(RoleMap{"chancery-signers": {"signer"}})
	ctx := context.Background()
	if _, err := p.Redeem(ctx, lp.token(nil), ""); err != nil {
		t.Fatal(err)
	}
	time.Sleep(minKeyRefresh)
	fetches.Store(0)
	var wg sync.WaitGroup
	waits := make([]time.Duration, 10)
	for i := range waits {
		wg.Add(1)
		go func() {
			defer wg.Done()
			time.Sleep(time.Duration(i) * 15 * time.Millisecond)
			start := time.Now()
			if _, err := p.Redeem(ctx, lp.token(nil), ""); err != nil {
				t.Error(err)
			}
			waits[i] = time.Since(start)
		}()
	}
	wg.Wait()
	if n := fetches.Load(); n != 1 {
		t.Errorf("%d fetches of the key set, want 1", n)
	}
	for i, w := range waits {
		if w >= minKeyRefresh {
			t.Errorf("token %d waited %v", i, w)
		}
	}
}

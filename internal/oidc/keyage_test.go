package oidc

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"
)

// TestKeyWithdrawnByProviderStopsVerifying: the key set was fetched again only for a token
// naming a key not held, so a key the provider withdrew from its set (after it leaked) went
// on verifying tokens for as long as the server ran, whoever signed them. A set older than
// maxKeyAge is fetched again before a token is taken.
func TestKeyWithdrawnByProviderStopsVerifying(t *testing.T) {
	defer func(d, a time.Duration) { minKeyRefresh, maxKeyAge = d, a }(minKeyRefresh, maxKeyAge)
	minKeyRefresh, maxKeyAge = 50*time.Millisecond, 300*time.Millisecond
	lp := newLocalProvider(t)
	p := lp.provider(RoleMap{"chancery-signers": {"signer"}})
	ctx := context.Background()
	if _, err := p.Redeem(ctx, lp.token(nil), ""); err != nil {
		t.Fatal(err)
	}
	// The provider withdraws k1: its set now holds no key.
	empty := func(w http.ResponseWriter, r *http.Request) bool {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"keys": []any{}})
		return true
	}
	lp.keys.Store(&empty)
	time.Sleep(2 * maxKeyAge)
	if _, err := p.Redeem(ctx, lp.token(nil), ""); err == nil {
		t.Fatalf("a token signed with a key the provider withdrew %v ago was taken", 2*maxKeyAge)
	}
}

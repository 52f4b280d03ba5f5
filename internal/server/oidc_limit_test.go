package server

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/chancery/chancery/internal/oidc"
)

// TestOIDCCallbackIsLimited: the browser's return from the provider needs no secret the
// server keeps: its state is compared with the flow cookie the same client sends, so anyone
// can make one that passes, and each had the registry post its code to the provider's token
// endpoint. The callback is public work, limited per client like the others: past the burst,
// no request reaches the provider.
func TestOIDCCallbackIsLimited(t *testing.T) {
	var exchanges atomic.Int64
	var op *httptest.Server
	op = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/.well-known/openid-configuration":
			json.NewEncoder(w).Encode(map[string]any{"issuer": op.URL, "authorization_endpoint": op.URL + "/authorize",
				"token_endpoint": op.URL + "/token", "jwks_uri": op.URL + "/keys", "id_token_signing_alg_values_supported": []string{"RS256"}})
		case "/token":
			exchanges.Add(1)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			w.Write([]byte(`{"error":"invalid_grant"}`))
		default:
			http.NotFound(w, r)
		}
	}))
	defer op.Close()
	provider, err := oidc.New(context.Background(), oidc.Config{Issuer: op.URL, ClientID: "chancery", ClientSecret: "s3cret",
		RolesClaim: "groups", RoleMap: oidc.RoleMap{"staff": {"drafter"}}})
	if err != nil {
		t.Fatal(err)
	}
	cfg := newRegistryConfig(t)
	cfg.Web.OIDC = provider
	cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	noRefill(&cfg)
	s := New(cfg)
	const tries = DefaultRateBurst + 20
	var per int64 // exchanges a callback makes (oauth2 tries a second way after a refusal)
	for i := range tries {
		if i == 1 {
			per = exchanges.Load()
		}
		r := httptest.NewRequest("GET", "/signin/oidc/callback?state=s&code=c", nil)
		r.RemoteAddr = "203.0.113.7:40000"
		r.AddCookie(&http.Cookie{Name: "chancery_oidc", Value: "s.n.v.Lw"})
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		if w.Code != http.StatusUnauthorized && w.Code != http.StatusTooManyRequests {
			t.Fatalf("callback: %d", w.Code)
		}
	}
	if n := exchanges.Load(); per == 0 || n > per*DefaultRateBurst {
		t.Errorf("%d forged callbacks from one address had the registry post %d codes to the provider, %d a callback; want at most %d", tries, n, per, per*DefaultRateBurst)
	}
}

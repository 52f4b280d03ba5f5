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
	"time"

	"github.com/chancery/chancery/internal/oidc"
	"github.com/chancery/chancery/internal/registry"
)

// TestOIDCCallbackIsLimited: the browser's return from the provider needs no secret the
// server keeps: its state is compared with the flow cookie the same client sends, so anyone
// can make one that passes, and each had the registry post its code to the provider's token
// endpoint. The callback is public work, limited per client like the others: past the burst,
// no request reaches the provider. So it is for a signed-in member, whom the other public
// routes do not limit: with their session cookie, forged callbacks went to the provider
// without end (a member has no callback to make but the one their sign-in brings back).
func TestOIDCCallbackIsLimited(t *testing.T) {
	for _, signedIn := range []bool{false, true} {
		forgedCallbacksLimited(t, signedIn)
	}
}

// forgedCallbacksLimited sends forged callbacks from one address, with the cookie of a
// member's session when signedIn, and checks that past the burst none reaches the provider.
func forgedCallbacksLimited(t *testing.T, signedIn bool) {
	t.Helper()
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
	who := "anyone"
	var session *http.Cookie
	if signedIn {
		who = "a signed-in member"
		ctx := context.Background()
		tok, err := cfg.Registry.Bootstrap(ctx, "root")
		if err != nil {
			t.Fatal(err)
		}
		m, err := cfg.Registry.Authenticate(ctx, tok)
		if err != nil {
			t.Fatal(err)
		}
		id, err := cfg.Registry.StartSession(ctx, m, "203.0.113.7:40000", registry.SessionTimes{Lifetime: time.Hour, Idle: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		session = &http.Cookie{Name: "chancery_session", Value: id}
	}
	const tries = DefaultRateBurst + 20
	var per int64 // exchanges a callback makes (oauth2 tries a second way after a refusal)
	for i := range tries {
		if i == 1 {
			per = exchanges.Load()
		}
		r := httptest.NewRequest("GET", "/signin/oidc/callback?state=s&code=c", nil)
		r.RemoteAddr = "203.0.113.7:40000"
		r.AddCookie(&http.Cookie{Name: "chancery_oidc", Value: "s.n.v.Lw"})
		if session != nil {
			r.AddCookie(session)
		}
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		if w.Code != http.StatusUnauthorized && w.Code != http.StatusTooManyRequests {
			t.Fatalf("%s's callback: %d", who, w.Code)
		}
	}
	if n := exchanges.Load(); per == 0 || n > per*DefaultRateBurst {
		t.Errorf("%d forged callbacks from one address, by %s, had the registry post %d codes to the provider, %d a callback; want at most %d", tries, who, n, per, per*DefaultRateBurst)
	}
}

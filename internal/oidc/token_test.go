package oidc

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/big"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync/atomic"
	"testing"
	"time"
)

// localProvider is an OpenID provider in the test: a discovery document and the key that
// signs the ID tokens the test makes, so that a test can give a token any claims.
type localProvider struct {
	t   *testing.T
	srv *httptest.Server
	key *rsa.PrivateKey
	// keys, if set, answers a request for the key set instead, when it returns true.
	keys atomic.Pointer[func(w http.ResponseWriter, r *http.Request) bool]
	// kid, if set, is the key ID the key set gives the key ("k1" if not).
	kid atomic.Value
	// userinfo, if set, is what the userinfo endpoint answers (the subject alone if not).
	userinfo atomic.Pointer[map[string]any]
	// endSession, if set, is the discovery document's end_session_endpoint.
	endSession atomic.Value
}

func newLocalProvider(t *testing.T) *localProvider {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	lp := &localProvider{t: t, key: key}
	mux := http.NewServeMux()
	lp.srv = httptest.NewServer(mux)
	t.Cleanup(lp.srv.Close)
	answer := func(w http.ResponseWriter, v any) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(v)
	}
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		doc := map[string]any{"issuer": lp.srv.URL, "authorization_endpoint": lp.srv.URL + "/authorize",
			"token_endpoint": lp.srv.URL + "/token", "jwks_uri": lp.srv.URL + "/keys", "userinfo_endpoint": lp.srv.URL + "/userinfo",
			"id_token_signing_alg_values_supported": []string{"RS256"}}
		if e, _ := lp.endSession.Load().(string); e != "" {
			doc["end_session_endpoint"] = e
		}
		answer(w, doc)
	})
	mux.HandleFunc("GET /userinfo", func(w http.ResponseWriter, r *http.Request) {
		if ui := lp.userinfo.Load(); ui != nil {
			answer(w, *ui)
			return
		}
		answer(w, map[string]any{"sub": "olga-1"})
	})
	b64 := base64.RawURLEncoding.EncodeToString
	mux.HandleFunc("GET /keys", func(w http.ResponseWriter, r *http.Request) {
		if h := lp.keys.Load(); h != nil && (*h)(w, r) {
			return
		}
		kid, _ := lp.kid.Load().(string)
		if kid == "" {
			kid = "k1"
		}
		answer(w, map[string]any{"keys": []map[string]string{{"kty": "RSA", "kid": kid, "alg": "RS256", "use": "sig",
			"n": b64(key.N.Bytes()), "e": b64(big.NewInt(int64(key.E)).Bytes())}}})
	})
	return lp
}

// provider configures the sign-in with the local provider, for the web client "chancery" and
// the command line's "chancery-cli".
func (lp *localProvider) provider(rm RoleMap) *Provider {
	lp.t.Helper()
	p, err := New(context.Background(), Config{Issuer: lp.srv.URL, ClientID: "chancery", ClientSecret: "s3cret",
		CLIClientID: "chancery-cli", RolesClaim: "groups", RoleMap: rm})
	if err != nil {
		lp.t.Fatal(err)
	}
	return p
}

// token signs an ID token for olga with the claims given, over valid defaults.
func (lp *localProvider) token(claims map[string]any) string {
	lp.t.Helper()
	return lp.tokenWithKeyID("k1", claims)
}

// tokenWithKeyID is token with the key ID kid in its header.
func (lp *localProvider) tokenWithKeyID(kid string, claims map[string]any) string {
	lp.t.Helper()
	now := time.Now()
	c := map[string]any{"iss": lp.srv.URL, "sub": "olga-1", "aud": "chancery-cli", "iat": now.Unix(),
		"exp": now.Add(time.Hour).Unix(), "preferred_username": "olga", "groups": []string{"chancery-signers"}}
	for k, v := range claims {
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
	}
	head, _ := json.Marshal(map[string]string{"alg": "RS256", "kid": kid, "typ": "JWT"})
	body, _ := json.Marshal(c)
	b64 := base64.RawURLEncoding.EncodeToString
	signed := b64(head) + "." + b64(body)
	h := sha256.Sum256([]byte(signed))
	sig, err := rsa.SignPKCS1v15(rand.Reader, lp.key, crypto.SHA256, h[:])
	if err != nil {
		lp.t.Fatal(err)
	}
	return signed + "." + b64(sig)
}

// TestIDTokenForAnotherPartyRefused: go-oidc checks that an ID token's audience includes the
// client, not its authorized party (azp), so a token issued to another client of the
// provider whose audience also named Chancery's signed its user in (OpenID Connect Core 1.0,
// 3.1.3.7, rules 4 and 5). The command line's tokens, which /api/v1/oidc/token takes
// without a nonce, are the ones any other client could bring.
func TestIDTokenForAnotherPartyRefused(t *testing.T) {
	lp := newLocalProvider(t)
	p := lp.provider(RoleMap{"chancery-signers": {"signer"}})
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		claims map[string]any
		ok     bool
	}{
		{"one audience, no azp", map[string]any{}, true},
		{"one audience, azp ours", map[string]any{"azp": "chancery-cli"}, true},
		{"several audiences, azp ours", map[string]any{"aud": []string{"chancery-cli", "reports"}, "azp": "chancery-cli"}, true},
		{"several audiences, no azp", map[string]any{"aud": []string{"reports", "chancery-cli"}}, false},
		{"several audiences, azp another", map[string]any{"aud": []string{"reports", "chancery-cli"}, "azp": "reports"}, false},
		{"one audience, azp another", map[string]any{"azp": "reports"}, false},
		{"azp empty", map[string]any{"aud": []string{"reports", "chancery-cli"}, "azp": ""}, false},
		{"azp not a string", map[string]any{"azp": []string{"chancery-cli"}}, false},
		{"audience another", map[string]any{"aud": "reports", "azp": "chancery-cli"}, false},
	} {
		id, err := p.Redeem(ctx, lp.token(tc.claims), "")
		switch {
		case tc.ok && (err != nil || !slices.Equal(id.Roles, []string{"signer"})):
			t.Errorf("%s: %v, %+v; want signed in as a signer", tc.name, err, id)
		case !tc.ok && !errors.Is(err, ErrRefused):
			t.Errorf("%s: %v, %+v; want ErrRefused", tc.name, err, id)
		}
	}
	// The web client's tokens are held to the web client's ID.
	if _, err := verify(ctx, p.verifier, "chancery", lp.token(map[string]any{"aud": []string{"chancery", "chancery-cli"}, "azp": "chancery-cli"})); !errors.Is(err, ErrRefused) {
		t.Errorf("a token for the command line's client at the web client: %v, want ErrRefused", err)
	}
	if _, err := verify(ctx, p.verifier, "chancery", lp.token(map[string]any{"aud": []string{"chancery", "chancery-cli"}, "azp": "chancery"})); err != nil {
		t.Errorf("a token for the web client, also for the command line's: %v", err)
	}
}

// TestRolesClaimStringIsOneValue: a roles claim sent as one string was split on spaces and
// commas, so that where users may name groups (or put themselves in groups others name), a
// group named "x, chancery-admins" gave the admins' role. A string is one value.
func TestRolesClaimStringIsOneValue(t *testing.T) {
	lp := newLocalProvider(t)
	p := lp.provider(RoleMap{"chancery-admins": {"admin"}, "chancery-signers": {"signer"}, "x": {"drafter"}})
	ctx := context.Background()
	for _, tc := range []struct {
		groups any
		roles  []string
	}{
		{"chancery-admins", []string{"admin"}},
		{"x, chancery-admins", nil},
		{"x,chancery-admins", nil},
		{"x chancery-admins", nil},
		{"chancery-signers chancery-admins", nil},
		{[]string{"x, chancery-admins", "chancery-signers"}, []string{"signer"}},
		{[]string{"x", "chancery-admins"}, []string{"admin", "drafter"}},
	} {
		id, err := p.Redeem(ctx, lp.token(map[string]any{"groups": tc.groups}), "")
		if err != nil {
			t.Fatalf("groups %q: %v", tc.groups, err)
		}
		if !slices.Equal(id.Roles, tc.roles) {
			t.Errorf("groups %q: roles %q, want %q", tc.groups, id.Roles, tc.roles)
		}
		if s, ok := tc.groups.(string); ok && !slices.Equal(id.Values, []string{s}) {
			t.Errorf("groups %q: values %q, want the string as one value", s, id.Values)
		}
	}
}

// TestEmailVerifiedIsOfTheEmailItCameWith: with the e-mail address naming members, an ID
// token that carried an address but no email_verified took email_verified from the userinfo,
// which speaks of the address the userinfo gives: an address the user typed into the token's
// claims was taken as verified because another address of theirs was. And the other way round,
// an ID token that carried email_verified but no address had it stand for the address the
// userinfo gives, even where the userinfo says that address is not verified.
func TestEmailVerifiedIsOfTheEmailItCameWith(t *testing.T) {
	lp := newLocalProvider(t)
	p, err := New(context.Background(), Config{Issuer: lp.srv.URL, ClientID: "chancery", CLIClientID: "chancery-cli",
		RolesClaim: "groups", RoleMap: RoleMap{"chancery-signers": {"signer"}}, NameClaim: "email"})
	if err != nil {
		t.Fatal(err)
	}
	withAddress, verifiedOnly := map[string]any{"email": "rita@tfn.example"}, map[string]any{"email_verified": true}
	for _, tc := range []struct {
		name     string
		claims   map[string]any // the ID token's
		userinfo map[string]any
		ok       bool
	}{
		{"another address verified", withAddress, map[string]any{"sub": "olga-1", "email": "olga@tfn.example", "email_verified": true}, false},
		{"no address", withAddress, map[string]any{"sub": "olga-1", "email_verified": true}, false},
		{"the same address verified", withAddress, map[string]any{"sub": "olga-1", "email": "rita@tfn.example", "email_verified": true}, true},
		{"the same address unverified", withAddress, map[string]any{"sub": "olga-1", "email": "rita@tfn.example", "email_verified": false}, false},
		{"verified without an address, the userinfo's unverified", verifiedOnly, map[string]any{"sub": "olga-1", "email": "rita@tfn.example", "email_verified": false}, false},
		{"verified without an address, the userinfo's without email_verified", verifiedOnly, map[string]any{"sub": "olga-1", "email": "rita@tfn.example"}, false},
		{"verified without an address, the userinfo's verified", verifiedOnly, map[string]any{"sub": "olga-1", "email": "rita@tfn.example", "email_verified": true}, true},
	} {
		lp.userinfo.Store(&tc.userinfo)
		id, err := p.Redeem(context.Background(), lp.token(tc.claims), "at")
		switch {
		case tc.ok && (err != nil || id.Name != "rita@tfn.example"):
			t.Errorf("%s: %+v, %v; want signed in as rita@tfn.example", tc.name, id, err)
		case !tc.ok && !errors.Is(err, ErrRefused):
			t.Errorf("%s: %+v, %v; want ErrRefused", tc.name, id, err)
		}
	}
}

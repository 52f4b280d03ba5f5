package server

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// noRefill keeps the default burst of requests but refills it about once in thirty years:
// the tests below count the requests past the burst, and at the default rate (two a second)
// a slow run (the race detector, a busy machine) had tokens come back while they counted.
func noRefill(c *Config) { c.RateLimit = 1e-9 }

// TestMembersNotRateLimited: the public verify API is limited per address, a member's token
// is not (an office verifies its own folders), and a wrong token is limited like the public.
func TestMembersNotRateLimited(t *testing.T) {
	e := newAPIEnv(t, 0, noRefill)
	const digest = `{"digest":"sha256:0000000000000000000000000000000000000000000000000000000000000000"}`
	verify := func(token string) int {
		r, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/verify", strings.NewReader(digest))
		r.Header.Set("Content-Type", "application/json")
		if token != "" {
			r.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	limited := false
	for range DefaultRateBurst + 10 {
		if verify("") == http.StatusTooManyRequests {
			limited = true
			break
		}
	}
	if !limited {
		t.Fatalf("%d public requests at once were not limited", DefaultRateBurst+10)
	}
	for i := range DefaultRateBurst + 10 {
		if got := verify(e.tokens["reviewer"]); got != http.StatusOK {
			t.Fatalf("member request %d: status %d, want 200", i, got)
		}
	}
	if got := verify("chy_not-a-token"); got != http.StatusTooManyRequests {
		t.Fatalf("a wrong token over the limit: status %d, want 429", got)
	}
}

// TestMembersDoNotSpendThePublicsTokens: a member's requests to the public endpoints do not
// spend the tokens of their address, so that the public behind the same address (an office's
// NAT) still has its own; a wrong token spends them like the public. Before, a member's
// requests took the address's tokens until none were left, and only then went unlimited.
func TestMembersDoNotSpendThePublicsTokens(t *testing.T) {
	e := newAPIEnv(t, 0, noRefill)
	const digest = `{"digest":"sha256:0000000000000000000000000000000000000000000000000000000000000000"}`
	verify := func(token string) int {
		r, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/verify", strings.NewReader(digest))
		r.Header.Set("Content-Type", "application/json")
		if token != "" {
			r.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for i := range 2 * DefaultRateBurst {
		if got := verify(e.tokens["reviewer"]); got != http.StatusOK {
			t.Fatalf("member request %d: status %d, want 200", i, got)
		}
	}
	if got := verify(""); got != http.StatusOK {
		t.Fatalf("a public request after %d of a member's from its address: status %d, want 200", 2*DefaultRateBurst, got)
	}
	limited := false
	for range DefaultRateBurst + 10 {
		if verify("chy_not-a-token") == http.StatusTooManyRequests {
			limited = true
			break
		}
	}
	if !limited {
		t.Fatalf("%d requests with a wrong token were not limited", DefaultRateBurst+10)
	}
	if got := verify(""); got != http.StatusTooManyRequests {
		t.Fatalf("a public request once wrong tokens spent the address's: status %d, want 429", got)
	}
}

// TestRateLimitCoversAnIPv6Network: a client on IPv6 holds a whole /64 (a home line, a cloud
// server), and takes a new address in it for each request as easily as it picks a port. The
// public limit must hold it all the same.
func TestRateLimitCoversAnIPv6Network(t *testing.T) {
	s := New(newRegistryConfig(t))
	const digest = `{"digest":"sha256:0000000000000000000000000000000000000000000000000000000000000000"}`
	for i := range DefaultRateBurst + 10 {
		r := httptest.NewRequest("POST", "/api/v1/verify", strings.NewReader(digest))
		r.Header.Set("Content-Type", "application/json")
		r.RemoteAddr = fmt.Sprintf("[2001:db8:5:6:%x::1]:40000", i)
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		if w.Code == http.StatusTooManyRequests {
			return
		}
	}
	t.Fatalf("%d requests at once from one /64 were not limited", DefaultRateBurst+10)
}

// TestPublicWorkIsLimited: every endpoint anyone may call that does work per request is
// limited per client: the seal by digest (a verify answer and a seal written out), the
// trade of a provider's tokens for a 'chancery login' token (each token with a key the
// registry has not seen has it fetch the provider's keys again), and the API's answers for a
// reference, as the web's /v/ pages are (a store read each, a seal built for the right code;
// without a limit, a program could ask for every reference in turn).
func TestPublicWorkIsLimited(t *testing.T) {
	s := New(newRegistryConfig(t))
	for i, c := range []struct{ method, path, body string }{
		{"GET", "/verify/seal?digest=sha256:0000000000000000000000000000000000000000000000000000000000000000", ""},
		{"POST", "/verify/seal", "digest=sha256:0000000000000000000000000000000000000000000000000000000000000000"},
		{"POST", "/verify", "digest=sha256:0000000000000000000000000000000000000000000000000000000000000000"},
		{"POST", "/api/v1/oidc/token", `{"id_token": "x", "access_token": "y"}`},
		{"GET", "/api/v1/letters/API-2026-000001/status", ""},
		{"GET", "/api/v1/letters/API-2026-000002/file", ""},
		{"GET", "/api/v1/letters/API-2026-000003/seal", ""},
	} {
		limited := false
		for n := range DefaultRateBurst + 10 {
			r := httptest.NewRequest(c.method, c.path, strings.NewReader(c.body))
			r.RemoteAddr = fmt.Sprintf("192.0.2.%d:40000", 10+i)
			w := httptest.NewRecorder()
			s.ServeHTTP(w, r)
			if w.Code == http.StatusTooManyRequests {
				limited = n > 0
				break
			}
		}
		if !limited {
			t.Errorf("%s %s: %d requests at once from one address were not limited", c.method, c.path, DefaultRateBurst+10)
		}
	}
}

// TestReceiptLinksAreLimited: /receipt/{token} is public work like verification: anyone may
// open or post a link, and each post of one was a write transaction, in the committer's
// group with the log's batches. Without a limit, one client could post wrong tokens as fast as
// it liked.
func TestReceiptLinksAreLimited(t *testing.T) {
	s := New(newRegistryConfig(t))
	for i, method := range []string{"GET", "POST"} {
		limited := false
		for n := range DefaultRateBurst + 10 {
			r := httptest.NewRequest(method, "/receipt/rct_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", strings.NewReader("confirm=received"))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			r.RemoteAddr = fmt.Sprintf("198.51.100.%d:40000", 10+i)
			w := httptest.NewRecorder()
			s.ServeHTTP(w, r)
			if w.Code == http.StatusTooManyRequests {
				limited = n > 0
				break
			}
			if w.Code != http.StatusNotFound {
				t.Fatalf("%s of a wrong receipt link: %d", method, w.Code)
			}
		}
		if !limited {
			t.Errorf("%s /receipt/…: %d requests at once from one address were not limited", method, DefaultRateBurst+10)
		}
	}
}

// TestEscapedReferencesAreLimited: the mux matches {ref} in the path as sent, where "%2F" is
// part of a segment, so /api/v1/letters/X%2FY/status is the status route; the limit read
// the unescaped path, cut it at "X/", and let such requests through without end.
func TestEscapedReferencesAreLimited(t *testing.T) {
	// A token every 1,000 s: none comes back while the test runs, however slow the machine.
	e := newAPIEnv(t, 0, func(c *Config) { c.RateLimit, c.RateBurst = 0.001, 5 })
	get := func(p string) int {
		resp, err := http.Get(e.srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for range 6 {
		get("/api/v1/letters/API-2026-000001/status")
	}
	for _, p := range []string{
		"/api/v1/letters/API-2026-000001/status",
		"/api/v1/letters/X%2FY/status",
		"/api/v1/letters/X%2fY%2F/status",
		"/api/v1/letters/API-2026-000001/stat%75s",
		"/api/v1/lett%65rs/X%2FY/status",
		"/api/v1/letters/X%2FY/file",
		"/api/v1/letters/%2F/seal",
	} {
		if got := get(p); got != http.StatusTooManyRequests {
			t.Errorf("GET %s over the limit: %d, want 429", p, got)
		}
	}
}

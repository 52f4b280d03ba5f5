package server

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestHostOtherThanBaseURLRefused: a DNS rebinding page reaches the registry under its own
// name, which the request's Host carries: the log, the verify pages, the API and the sign-in
// form are refused to it (421), while the base URL's name, IP addresses, localhost and
// short intranet names, which no rebinding page can have, are served, and health checks
// answer whatever the name.
func TestHostOtherThanBaseURLRefused(t *testing.T) {
	cfg := newRegistryConfig(t)
	cfg.BaseURL = "https://letters.example.org"
	srv := httptest.NewServer(New(cfg))
	t.Cleanup(srv.Close)
	get := func(method, host, path string) int {
		t.Helper()
		var body io.Reader
		if method == http.MethodPost {
			body = strings.NewReader("name=dana&password=x")
		}
		req, _ := http.NewRequest(method, srv.URL+path, body)
		req.Host = host
		if body != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	for _, host := range []string{"rebind.attacker.example", "rebind.attacker.example:8080", "letters.example.org.attacker.example", "attacker.example."} {
		for _, p := range []struct{ method, path string }{{"GET", "/"}, {"GET", "/log/checkpoint"}, {"GET", "/verify?ref=API-2026-000001"},
			{"GET", "/api/v1/oidc"}, {"POST", "/signin"}} {
			if got := get(p.method, host, p.path); got != http.StatusMisdirectedRequest {
				t.Errorf("%s %s with Host %s: %d, want 421", p.method, p.path, host, got)
			}
		}
		if got := get("GET", host, "/healthz"); got != http.StatusOK {
			t.Errorf("/healthz with Host %s: %d", host, got)
		}
	}
	for _, host := range []string{"letters.example.org", "LETTERS.example.org:443", "letters.example.org.", "127.0.0.1:8080", "[::1]:8080", "10.1.2.3",
		"localhost:8080", "chancery", "registry.localhost"} {
		if got := get("GET", host, "/log/checkpoint"); got != http.StatusOK {
			t.Errorf("/log/checkpoint with Host %s: %d, want 200", host, got)
		}
	}
}

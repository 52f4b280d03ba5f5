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

// TestLocalNamesAnswersTheNamesGiven: an operator's listener answers the names with a dot it
// is given (the office's own, the one it listens on), in any case, with a port or a final
// dot, besides addresses and names without a dot; any other name is answered 421.
func TestLocalNamesAnswersTheNamesGiven(t *testing.T) {
	h := LocalNames(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}), "letters.example.org", "node-a.internal:9090", "")
	for host, want := range map[string]int{
		"letters.example.org": 200, "LETTERS.example.org.:9090": 200, "node-a.internal:9090": 200, "node-a.internal": 200,
		"127.0.0.1:9090": 200, "localhost:9090": 200, "prometheus": 200, "metrics.localhost": 200,
		"rebind.attacker.example:9090": 421, "letters.example.org.attacker.example": 421, "node-b.internal": 421,
	} {
		req := httptest.NewRequest("GET", "/metrics", nil)
		req.Host = host
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != want {
			t.Errorf("Host %s: %d, want %d", host, rec.Code, want)
		}
		if want == 421 && !strings.Contains(rec.Body.String(), "letters.example.org, node-a.internal") {
			t.Errorf("Host %s: the answer does not name the names answered: %q", host, rec.Body)
		}
	}
}

package server

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestAPIErrorsAreJSONForAnyMethod: a method an API route does not take is 405 with an Allow
// header, a path no API route takes is 404 whatever the method, and both are the API's JSON
// error object, as a route's own refusals are.
func TestAPIErrorsAreJSONForAnyMethod(t *testing.T) {
	e := newAPIEnv(t, 1<<20)
	for _, c := range []struct {
		method, path string
		want         int
		allow        string
	}{
		{"DELETE", "/api/v1/letters", http.StatusMethodNotAllowed, "GET, HEAD, POST"},
		{"PUT", "/api/v1/members", http.StatusMethodNotAllowed, "GET, HEAD, POST"},
		{"GET", "/api/v1/verify", http.StatusMethodNotAllowed, "POST"},
		{"POST", "/api/v1/letters/X-1/status", http.StatusMethodNotAllowed, "GET, HEAD"},
		{"POST", "/api/v1/letters/X-1/retract", http.StatusNotFound, ""},
		{"POST", "/api/v1/nothing", http.StatusNotFound, ""},
		{"PATCH", "/api/v2/letters", http.StatusNotFound, ""},
		{"GET", "/api/v1/nothing", http.StatusNotFound, ""},
		{"GET", "/api", http.StatusNotFound, ""},
		{"POST", "/api", http.StatusNotFound, ""},
	} {
		for _, who := range []string{"", "admin"} {
			resp, b := e.send(t, who, c.method, c.path, "application/json", strings.NewReader(`{}`))
			var answer struct{ Error string }
			if resp.StatusCode != c.want || resp.Header.Get("Allow") != c.allow ||
				resp.Header.Get("Content-Type") != "application/json" || json.Unmarshal(b, &answer) != nil || answer.Error == "" {
				t.Errorf("%s %s as %q: %d %q, Allow %q, %s; want %d, Allow %q, a JSON error", c.method, c.path, who,
					resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Allow"), b, c.want, c.allow)
			}
		}
	}
}

// TestAPIRateLimitAnswersJSON: the public rate limit's 429 on an API path is the API's JSON
// error object, with its Retry-After; the web's pages keep their plain answer.
func TestAPIRateLimitAnswersJSON(t *testing.T) {
	e := newAPIEnv(t, 1<<20, func(c *Config) { c.RateLimit, c.RateBurst = 1.0/60, 1 })
	var resp *http.Response
	var b []byte
	deadline := time.Now().Add(10 * time.Second)
	for resp == nil || resp.StatusCode != http.StatusTooManyRequests {
		if time.Now().After(deadline) {
			t.Fatal("no 429 from the public endpoint")
		}
		resp, b = e.send(t, "", "GET", "/api/v1/letters/X-1/status", "", nil)
	}
	var answer struct{ Error string }
	if resp.Header.Get("Content-Type") != "application/json" || json.Unmarshal(b, &answer) != nil || answer.Error == "" || resp.Header.Get("Retry-After") == "" {
		t.Errorf("429 on the API: %q, Retry-After %q, %s; want a JSON error and Retry-After", resp.Header.Get("Content-Type"), resp.Header.Get("Retry-After"), b)
	}
	resp, _ = e.send(t, "", "GET", "/v/X-1", "", nil)
	if resp.StatusCode != http.StatusTooManyRequests || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		t.Errorf("429 on a page: %d %q, want 429 in plain text", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

package server

import (
	"net/http"
	"testing"
)

// TestListQueriesRefuseWhatTheyDoNotRead: the letters list and the webhook delivery log refuse
// a query parameter they do not read, one given twice and a limit that is not one they give,
// rather than answer as if it had not been given; what they read still answers.
func TestListQueriesRefuseWhatTheyDoNotRead(t *testing.T) {
	e := newAPIEnv(t, 1<<20)
	body, ct := letterForm(t, 100)
	e.do(t, "drafter", "POST", "/api/v1/letters", ct, body, http.StatusCreated, nil)
	for _, c := range []struct {
		who, path string
		want      int
	}{
		{"drafter", "/api/v1/letters?search=nothing-matches", http.StatusBadRequest},
		{"drafter", "/api/v1/letters?State=released", http.StatusBadRequest},
		{"drafter", "/api/v1/letters?state=released&state=draft", http.StatusBadRequest},
		{"drafter", "/api/v1/letters?limit=1&limit=1000", http.StatusBadRequest},
		{"drafter", "/api/v1/letters?q=%zz", http.StatusBadRequest},
		{"drafter", "/api/v1/letters?state=draft&class=internal&q=subject&limit=5", http.StatusOK},
		{"drafter", "/api/v1/letters", http.StatusOK},
		{"admin", "/api/v1/webhooks/deliveries?limit=abc", http.StatusBadRequest},
		{"admin", "/api/v1/webhooks/deliveries?limit=-5", http.StatusBadRequest},
		{"admin", "/api/v1/webhooks/deliveries?limit=5000", http.StatusBadRequest},
		{"admin", "/api/v1/webhooks/deliveries?webhook=x", http.StatusBadRequest},
		{"admin", "/api/v1/webhooks/deliveries?limit=10", http.StatusOK},
		{"admin", "/api/v1/webhooks/deliveries", http.StatusOK},
	} {
		if resp, b := e.send(t, c.who, "GET", c.path, "", nil); resp.StatusCode != c.want {
			t.Errorf("GET %s: %d %.200s, want %d", c.path, resp.StatusCode, b, c.want)
		}
	}
}

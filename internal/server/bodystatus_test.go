package server

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestBodyRefusalsSayWhy: a JSON body over the bound is 413, a body of another media type
// than the route reads (a JSON route sent a form or text, a file route sent JSON) is 415, and
// a body of the right type that is malformed is 400; each a JSON error object.
func TestBodyRefusalsSayWhy(t *testing.T) {
	e := newAPIEnv(t, 1<<20)
	huge := `{"name":"` + strings.Repeat("a", maxJSONBody) + `"}`
	for _, c := range []struct {
		who, method, path, ctype, body string
		want                           int
	}{
		{"admin", "POST", "/api/v1/members", "application/json", huge, http.StatusRequestEntityTooLarge},
		{"", "POST", "/api/v1/verify", "application/json", `{"digest":"` + strings.Repeat("0", maxJSONBody) + `"}`, http.StatusRequestEntityTooLarge},
		{"admin", "POST", "/api/v1/members", "text/plain", `{"name":"x","roles":["drafter"]}`, http.StatusUnsupportedMediaType},
		{"admin", "POST", "/api/v1/members", "application/x-www-form-urlencoded", `name=x&roles=drafter`, http.StatusUnsupportedMediaType},
		{"admin", "POST", "/api/v1/members", "application/json; charset=latin1", `{"name":"x","roles":["drafter"]}`, http.StatusUnsupportedMediaType},
		{"", "POST", "/api/v1/identify", "text/html", `<p>text</p>`, http.StatusUnsupportedMediaType},
		{"drafter", "POST", "/api/v1/letters", "application/json", `{"subject":"S"}`, http.StatusUnsupportedMediaType},
		{"drafter", "POST", "/api/v1/letters", "multipart/form-data", `--x--`, http.StatusBadRequest},
		{"admin", "POST", "/api/v1/members", "application/json", `{"name":"x"`, http.StatusBadRequest},
	} {
		resp, b := e.send(t, c.who, c.method, c.path, c.ctype, strings.NewReader(c.body))
		var answer struct{ Error string }
		if resp.StatusCode != c.want || json.Unmarshal(b, &answer) != nil || answer.Error == "" {
			t.Errorf("%s %s (%s): %d %.200s, want %d and a JSON error", c.method, c.path, c.ctype, resp.StatusCode, b, c.want)
		}
	}
}

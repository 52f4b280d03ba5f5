package server

import (
	"net/http"
	"testing"
)

// TestBearerSchemeInAnyCase: the Authorization header's scheme is read in any case, as HTTP
// reads it ("bearer TOKEN" is a member's request, not refused); another scheme is refused 401
// with the WWW-Authenticate challenge a 401 carries.
func TestBearerSchemeInAnyCase(t *testing.T) {
	e := newAPIEnv(t, 1<<20)
	ask := func(header string) *http.Response {
		r, err := http.NewRequest("GET", e.srv.URL+"/api/v1/letters", nil)
		if err != nil {
			t.Fatal(err)
		}
		r.Header.Set("Authorization", header)
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	for _, scheme := range []string{"Bearer", "bearer", "BEARER"} {
		if resp := ask(scheme + " " + e.tokens["drafter"]); resp.StatusCode != http.StatusOK {
			t.Errorf("%s TOKEN: %d, want 200", scheme, resp.StatusCode)
		}
	}
	for _, header := range []string{"Basic ZHJhZnRlcjp4", "Bearer", "Token " + e.tokens["drafter"]} {
		if resp := ask(header); resp.StatusCode != http.StatusUnauthorized || resp.Header.Get("WWW-Authenticate") == "" {
			t.Errorf("%q: %d, WWW-Authenticate %q; want 401 with the challenge", header, resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
		}
	}
}

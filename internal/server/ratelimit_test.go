package server

import (
	"net/http"
	"strings"
	"testing"
)

// TestMembersNotRateLimited: the public verify API is limited per address, a member's token
// is not (an office verifies its own folders), and a wrong token is limited like the public.
func TestMembersNotRateLimited(t *testing.T) {
	e := newAPIEnv(t, 0)
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

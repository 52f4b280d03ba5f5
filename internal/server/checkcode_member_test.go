package server

import (
	"net/http"
	"strings"
	"testing"
)

// TestMembersCodesAreNotJudged: a member with a role is answered without a check code, so
// the code they send is never judged: wrong codes, for a released letter or a reference
// that does not exist, neither cost their address its check codes (the holder beside them,
// at the same address, keeps theirs) nor get the member refused 429.
func TestMembersCodesAreNotJudged(t *testing.T) {
	// The public limit, which members' requests spend too, is set aside: the check codes' is
	// under test.
	e := newAPIEnv(t, 1<<20, func(c *Config) { c.RateLimit, c.RateBurst = 1000, 1000 })
	ref, _, _ := e.signedLetter(t, "Codes", "Sir, the codes.")
	var rel struct {
		CheckCode string `json:"check_code"`
	}
	e.do(t, "release", "POST", "/api/v1/letters/"+ref+"/release", "", nil, http.StatusCreated, &rel)
	wrong := strings.Repeat("a", len(rel.CheckCode))
	for _, r := range []string{ref, "API-2099-999999"} {
		for _, p := range []string{"/file", "/seal", "/status"} {
			for i := 0; i <= CodeBurst; i++ {
				if resp, b := e.send(t, "signer", "GET", "/api/v1/letters/"+r+p+"?code="+wrong, "", nil); resp.StatusCode == http.StatusTooManyRequests {
					t.Fatalf("GET %s%s with a wrong code as a member, %d times: %d %s", r, p, i+1, resp.StatusCode, b)
				}
			}
		}
	}
	e.do(t, "", "GET", "/api/v1/letters/"+ref+"/file?code="+rel.CheckCode, "", nil, http.StatusOK, nil)
	// Anyone else's wrong codes still count.
	for i := 0; i < CodeBurst; i++ {
		e.do(t, "", "GET", "/api/v1/letters/"+ref+"/file?code="+wrong, "", nil, http.StatusNotFound, nil)
	}
	e.do(t, "", "GET", "/api/v1/letters/"+ref+"/file?code="+rel.CheckCode, "", nil, http.StatusTooManyRequests, nil)
}

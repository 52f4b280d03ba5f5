package server

import (
	"net/http"
	"strings"
	"testing"
)

// TestChangesOnlyForAdmins: under two_admins a proposal is answered 202 with the change's
// address; the changes, which name members, roles and policies, are answered to admins
// only, and a request without a token or by another member gets the same answer for a
// change that exists as for one that does not.
func TestChangesOnlyForAdmins(t *testing.T) {
	e := newAPIEnv(t, 1<<20)
	var added struct{ Token string }
	e.do(t, "admin", "POST", "/api/v1/members", "application/json", strings.NewReader(`{"name":"ada","roles":["admin"]}`), http.StatusCreated, &added)
	const pol = "two_admins: true\nversion: 1\nname: two\nrules:\n  - name: d\n    default: true\n    require:\n      approvals: [{role: reviewer}]\n      signatures: [{role: signer}]\n"
	e.do(t, "admin", "POST", "/api/v1/policy", "application/yaml", strings.NewReader(pol), http.StatusCreated, nil)
	resp := e.do(t, "admin", "POST", "/api/v1/members", "application/json", strings.NewReader(`{"name":"mallory","roles":["signer"]}`), http.StatusAccepted, nil)
	if loc := resp.Header.Get("Location"); loc != "/api/v1/changes/1" {
		t.Fatalf("a proposal's Location: %q", loc)
	}
	answer := func(who, method, path string, want int) string {
		t.Helper()
		resp, b := e.send(t, who, method, path, "", nil)
		if resp.StatusCode != want {
			t.Errorf("%s %s as %q: %d %s, want %d", method, path, who, resp.StatusCode, b, want)
		}
		if strings.Contains(string(b), "mallory") {
			t.Errorf("%s %s as %q names the proposed member: %s", method, path, who, b)
		}
		return string(b)
	}
	for _, c := range []struct {
		who  string
		want int
	}{{"", http.StatusUnauthorized}, {"signer", http.StatusForbidden}} {
		answer(c.who, "GET", "/api/v1/changes", c.want)
		for _, p := range []struct{ method, suffix string }{{"GET", ""}, {"POST", "/approve"}, {"POST", "/refuse"}} {
			exists := answer(c.who, p.method, "/api/v1/changes/1"+p.suffix, c.want)
			none := answer(c.who, p.method, "/api/v1/changes/999"+p.suffix, c.want)
			if exists != none {
				t.Errorf("%s /api/v1/changes/{id}%s as %q tells an existing change from none:\n%s\nversus\n%s", p.method, p.suffix, c.who, exists, none)
			}
		}
	}
}

package oidc

import (
	"context"
	"net/url"
	"testing"
)

// TestEndSessionURL: the logout request carries the ID token as id_token_hint, the client's
// ID, the address to come back to and the state, beside the endpoint's own query; without an
// end_session_endpoint, or without an ID token, there is none. The endpoint's origin, which
// goes into the site's Content-Security-Policy, must be a plain host: one that would add
// directives to the policy stops the start.
func TestEndSessionURL(t *testing.T) {
	lp := newLocalProvider(t)
	p := lp.provider(RoleMap{"chancery-reviewers": {"reviewer"}})
	if got := p.EndSessionURL("tok", "https://letters.example/signout/done", "st"); got != "" || p.EndSessionOrigin() != "" {
		t.Errorf("without an end_session_endpoint: %q, origin %q", got, p.EndSessionOrigin())
	}
	lp.endSession.Store("https://login.example:8443/realms/office/logout?ui=1")
	p = lp.provider(RoleMap{"chancery-reviewers": {"reviewer"}})
	if o := p.EndSessionOrigin(); o != "https://login.example:8443" {
		t.Errorf("origin %q", o)
	}
	if got := p.EndSessionURL("", "https://letters.example/signout/done", "st"); got != "" {
		t.Errorf("without an ID token: %q", got)
	}
	u, err := url.Parse(p.EndSessionURL("tok", "https://letters.example/signout/done", "st"))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if u.Host != "login.example:8443" || u.Path != "/realms/office/logout" || q.Get("ui") != "1" || q.Get("id_token_hint") != "tok" ||
		q.Get("client_id") != "chancery" || q.Get("post_logout_redirect_uri") != "https://letters.example/signout/done" || q.Get("state") != "st" {
		t.Errorf("logout request %s", u)
	}
	for _, bad := range []string{"https://a.example;script-src:*/logout", "javascript:alert(1)", "/logout", "https://a.example%20x/"} {
		lp.endSession.Store(bad)
		if _, err := New(context.Background(), Config{Issuer: lp.srv.URL, ClientID: "chancery", RolesClaim: "groups",
			RoleMap: RoleMap{"g": {"reviewer"}}}); err == nil {
			t.Errorf("end_session_endpoint %q taken", bad)
		}
	}
}

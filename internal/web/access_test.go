package web_test

import (
	"context"
	"errors"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/server"
)

func TestAnonymousGetsOnlyPublicPages(t *testing.T) {
	o := newOffice(t, server.Config{})
	ref := o.letter("Repositioning of forces", "# Draft\n\nUnits will leave.\n")
	c := o.client()
	for _, p := range []string{"/", "/verify", "/log", "/v/" + ref, "/verify?q=" + ref, "/signin", "/static/verify.js"} {
		resp, body := c.get(p)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %s", p, resp.Status)
		}
		if strings.Contains(body, "Repositioning") {
			t.Errorf("GET %s shows the draft's subject to the public", p)
		}
	}
	for _, p := range []string{"/inbox", "/letters/" + ref} {
		resp, _ := c.get(p)
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/signin?next=") {
			t.Errorf("GET %s: %s to %q, want a redirect to sign in", p, resp.Status, resp.Header.Get("Location"))
		}
	}
	for _, p := range []string{"/letters", "/letters/" + ref + "/approve", "/letters/" + ref + "/release", "/letters/" + ref + "/export", "/signout"} {
		resp, _ := c.post(p, url.Values{"csrf": {"x"}, "recipient": {"a"}})
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("POST %s: %s, want 401", p, resp.Status)
		}
	}
	// The public verify page for a draft's reference says nothing of the draft.
	_, body := c.get("/v/" + ref)
	if !strings.Contains(body, "Unknown to this registry") {
		t.Errorf("/v/ of a draft, for the public: want unknown")
	}
}

func TestSecurityHeaders(t *testing.T) {
	o := newOffice(t, server.Config{})
	resp, _ := o.client().get("/verify")
	for k, want := range map[string]string{
		"Content-Security-Policy": "script-src 'self'",
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "same-origin",
	} {
		if got := resp.Header.Get(k); !strings.Contains(got, want) {
			t.Errorf("%s: %q, want %q in it", k, got, want)
		}
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP %q", csp)
	}
}

func TestReviewerCannotRelease(t *testing.T) {
	o := newOffice(t, server.Config{})
	ref := o.letter("Coordination", "Sir, ...\n")
	// Everything but the release is done.
	if err := o.reg.Approve(context.Background(), o.actors["rita"], ref, "", ""); err != nil {
		t.Fatal(err)
	}
	o.sign(ref)
	c := o.client()
	tok := c.signIn("rita")
	resp, _ := c.post("/letters/"+ref+"/release", url.Values{"csrf": {tok}})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("a reviewer's release: %s, want 403", resp.Status)
	}
	if st, _ := o.reg.StatusOf(context.Background(), ref); st.Outcome != registry.Unknown {
		t.Errorf("after a reviewer's release attempt the letter is %s", st.Outcome)
	}
	// The release officer can.
	c2 := o.client()
	tok2 := c2.signIn("otto")
	if resp, body := c2.post("/letters/"+ref+"/release", url.Values{"csrf": {tok2}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("release by the release officer: %s\n%s", resp.Status, body)
	}
	if st, _ := o.reg.StatusOf(context.Background(), ref); st.Outcome != registry.Valid {
		t.Errorf("after release: %s", st.Outcome)
	}
}

func TestCSRF(t *testing.T) {
	o := newOffice(t, server.Config{})
	ref := o.letter("Coordination", "Sir, ...\n")
	c := o.client()
	tok := c.signIn("rita")
	approvals := func() int {
		v, err := o.reg.Letter(context.Background(), o.actors["rita"], ref)
		if err != nil {
			t.Fatal(err)
		}
		return len(v.Approvals)
	}
	for _, tc := range []struct {
		name string
		form url.Values
		hdr  map[string]string
	}{
		{"no token", url.Values{}, map[string]string{"Origin": o.srv.URL}},
		{"wrong token", url.Values{"csrf": {tok + "x"}}, map[string]string{"Origin": o.srv.URL}},
		{"foreign Origin", url.Values{"csrf": {tok}}, map[string]string{"Origin": "https://evil.example"}},
		{"cross-site fetch", url.Values{"csrf": {tok}}, map[string]string{"Sec-Fetch-Site": "cross-site"}},
	} {
		resp, _ := c.do("POST", "/letters/"+ref+"/approve", tc.form, tc.hdr)
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s: %s, want 403", tc.name, resp.Status)
		}
	}
	if n := approvals(); n != 0 {
		t.Fatalf("%d approvals after refused posts", n)
	}
	// Sign-in from another site is refused too.
	resp, _ := o.client().do("POST", "/signin", url.Values{"name": {"rita"}, "password": {password("rita")}}, map[string]string{"Origin": "https://evil.example"})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site sign-in: %s", resp.Status)
	}
	// A token of another session does not work.
	other := o.client().signIn("rita")
	if resp, _ := c.post("/letters/"+ref+"/approve", url.Values{"csrf": {other}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("another session's token: %s", resp.Status)
	}
	if resp, body := c.post("/letters/"+ref+"/approve", url.Values{"csrf": {tok}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the right token: %s\n%s", resp.Status, body)
	}
	if n := approvals(); n != 1 {
		t.Errorf("%d approvals, want 1", n)
	}
}

func TestSessionCookie(t *testing.T) {
	for _, secure := range []bool{false, true} {
		o := newOffice(t, server.Config{Secure: secure})
		// With Secure set, the site is served over https (behind a proxy here).
		origin := strings.Replace(o.srv.URL, "http://", map[bool]string{false: "http://", true: "https://"}[secure], 1)
		resp, _ := o.client().do("POST", "/signin", url.Values{"name": {"rita"}, "password": {password("rita")}}, map[string]string{"Origin": origin})
		cs := resp.Cookies()
		if len(cs) != 1 {
			t.Fatalf("secure=%v: cookies %v", secure, cs)
		}
		ck := cs[0]
		if !ck.HttpOnly || (ck.SameSite != http.SameSiteLaxMode && ck.SameSite != http.SameSiteStrictMode) || ck.Path != "/" {
			t.Errorf("secure=%v: cookie %v", secure, ck)
		}
		if ck.Secure != secure || strings.HasPrefix(ck.Name, "__Host-") != secure {
			t.Errorf("secure=%v: cookie %s Secure=%v", secure, ck.Name, ck.Secure)
		}
		if !strings.HasPrefix(ck.Value, "chs_") || len(ck.Value) < 40 {
			t.Errorf("session ID %q", ck.Value)
		}
		// The language cookie follows the same setting, not only whether the request itself
		// came over TLS (behind a proxy it does not).
		resp, _ = o.client().getLang("/lang/fr?next=/", "")
		if cs := resp.Cookies(); len(cs) != 1 || cs[0].Secure != secure {
			t.Errorf("secure=%v: language cookie %v", secure, cs)
		}
	}
}

// TestWrongPassword: a wrong password and an unknown name get the same answer. That both cost
// the same argon2id work is checked where the hashes are (registry TestDummyHashCostsTheSame),
// not by timing requests on a shared machine.
func TestWrongPassword(t *testing.T) {
	o := newOffice(t, server.Config{})
	c := o.client()
	try := func(name, pw string) string {
		resp, body := c.post("/signin", url.Values{"name": {name}, "password": {pw}})
		if resp.StatusCode != http.StatusUnauthorized || len(resp.Cookies()) != 0 {
			t.Errorf("sign-in as %q with a wrong password: %s, cookies %v", name, resp.Status, resp.Cookies())
		}
		return body
	}
	msg := "The name or the password is wrong."
	if !strings.Contains(try("rita", "wrong password!"), msg) || !strings.Contains(try("nobody-at-all", "wrong password!"), msg) {
		t.Errorf("want the same generic message for both")
	}
}

func TestSignOutEndsSessionOnServer(t *testing.T) {
	o := newOffice(t, server.Config{})
	c := o.client()
	tok := c.signIn("rita")
	u, _ := url.Parse(o.srv.URL)
	cookie := c.hc.Jar.Cookies(u)[0]
	if resp, _ := c.post("/signout", url.Values{"csrf": {tok}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-out: %s", resp.Status)
	}
	// Replaying the old cookie does not work: the session is gone on the server.
	replay := o.client()
	replay.hc.Jar.SetCookies(u, []*http.Cookie{{Name: cookie.Name, Value: cookie.Value}})
	if resp, _ := replay.get("/inbox"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the old session cookie after sign-out: %s, want a redirect to sign in", resp.Status)
	}
}

func TestRateLimit(t *testing.T) {
	o := newOffice(t, server.Config{RateLimit: 1, RateBurst: 3})
	c := o.client()
	var last *http.Response
	for range 4 {
		last, _ = c.get("/verify?q=TFN-2020-000001")
	}
	if last.StatusCode != http.StatusTooManyRequests || last.Header.Get("Retry-After") == "" {
		t.Errorf("4th request in a burst of 3: %s, Retry-After %q", last.Status, last.Header.Get("Retry-After"))
	}
	if resp, _ := c.get("/log"); resp.StatusCode != http.StatusOK {
		t.Errorf("a page that is not limited: %s", resp.Status)
	}
	// Disabled for benchmarks.
	o2 := newOffice(t, server.Config{RateLimit: -1})
	c2 := o2.client()
	for i := range 50 {
		if resp, _ := c2.get("/v/TFN-2020-000001"); resp.StatusCode != http.StatusOK {
			t.Fatalf("request %d with the limit disabled: %s", i, resp.Status)
		}
	}
}

// TestSignedInMembersDoNotSpendThePublicsTokens: a signed-in member's visits to the public
// pages do not spend their address's public tokens, so that the public behind the same
// address (an office's NAT) still has its own; a stale session cookie is counted like the
// public. Before, each visit of a member took one, and the public at that address got 429.
func TestSignedInMembersDoNotSpendThePublicsTokens(t *testing.T) {
	o := newOffice(t, server.Config{RateLimit: 1, RateBurst: 3})
	dana := o.client()
	dana.signIn("dana")
	for i := range 10 {
		if resp, _ := dana.get("/verify?q=TFN-2020-000001"); resp.StatusCode != http.StatusOK {
			t.Fatalf("dana's visit %d: %s", i, resp.Status)
		}
	}
	if resp, _ := o.client().get("/v/TFN-2020-000001"); resp.StatusCode != http.StatusOK {
		t.Errorf("the public after 10 of a member's visits from its address: %s, want 200", resp.Status)
	}
	stale := map[string]string{"Cookie": "chancery_session=chs_" + strings.Repeat("A", 43)}
	for range 10 {
		if resp, _ := o.client().do("GET", "/verify?q=TFN-2020-000001", nil, stale); resp.StatusCode == http.StatusTooManyRequests {
			return
		}
	}
	t.Error("10 visits with a stale session cookie in a burst of 3 were not limited")
}

func TestPasswordAPI(t *testing.T) {
	o := newOffice(t, server.Config{})
	ctx := context.Background()
	tok, err := o.reg.AddMember(ctx, o.actors["root"], "lena", []string{registry.RoleReviewer})
	if err != nil {
		t.Fatal(err)
	}
	set := func(tok, body string) int {
		req, _ := http.NewRequest("POST", o.srv.URL+"/api/v1/password", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if s := set(tok, `{"password": "lena's long password"}`); s != http.StatusNoContent {
		t.Fatalf("set own password: %d", s)
	}
	if _, err := o.reg.CheckPassword(ctx, "lena", "lena's long password"); err != nil {
		t.Errorf("the password set through the API does not check: %v", err)
	}
	if s := set(tok, `{"member": "otto", "password": "lena's long password"}`); s != http.StatusForbidden {
		t.Errorf("a reviewer setting another's password: %d", s)
	}
	if s := set(tok, `{"password": "short"}`); s != http.StatusBadRequest {
		t.Errorf("a short password: %d", s)
	}
	if s := set("chy_nope", `{"password": "lena's long password"}`); s != http.StatusUnauthorized {
		t.Errorf("a bad token: %d", s)
	}
	// One body, one reading (jsonbody): a member named twice, in another case, or data after
	// the object, are refused, not read as the last name or the first object.
	for _, body := range []string{
		`{"member": "otto", "member": "lena", "password": "lena's new long password"}`,
		`{"Member": "lena", "password": "lena's new long password"}`,
		`{"password": "lena's new long password"} {"member": "otto"}`,
	} {
		if s := set(tok, body); s != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", body, s)
		}
	}
}

// TestMemberWithNoRoleIsRefused: a member whose provider took their last role away, and who
// signs in anyway (an admin gave them a password, or their token predates the change), is
// refused the member pages and the API's letters with a clear 403, not a page of drafts nor
// a 500.
func TestMemberWithNoRoleIsRefused(t *testing.T) {
	o := newOffice(t, server.Config{})
	ctx := context.Background()
	ref := o.letter("Coordination", "Sir, ...\n")
	in := registry.ExternalSignIn{Source: "https://idp.example", Subject: "sub-eve", Name: "eve",
		Roles: []string{registry.RoleReviewer}, Managed: []string{registry.RoleReviewer}, Remote: "test"}
	if _, err := o.reg.SignInExternal(ctx, in); err != nil {
		t.Fatal(err)
	}
	in.Roles = nil
	if _, err := o.reg.SignInExternal(ctx, in); err == nil {
		t.Fatal("a sign-in whose claim gives no role was accepted")
	}
	tok, err := o.reg.IssueToken(ctx, o.actors["root"], "eve")
	if err != nil {
		t.Fatal(err)
	}
	if err := o.reg.SetPassword(ctx, o.actors["root"], "eve", password("eve")); err != nil {
		t.Fatal(err)
	}
	c := o.client()
	if resp, _ := c.post("/signin", url.Values{"name": {"eve"}, "password": {password("eve")}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("eve's sign-in: %s", resp.Status)
	}
	for _, path := range []string{"/inbox", "/letters", "/letters/" + ref} {
		if resp, body := c.get(path); resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "eve has no role") {
			t.Errorf("%s for a member with no role: %s", path, resp.Status)
		}
	}
	for _, path := range []string{"/api/v1/letters", "/api/v1/letters/" + ref, "/api/v1/letters/" + ref + "/audit"} {
		req, _ := http.NewRequest("GET", o.srv.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s for a member with no role: %s", path, resp.Status)
		}
	}
}

// TestNewTokenEndsWhatTheOldOneGave: a thief holding a member's leaked token sets the member a
// password through the API and signs in with it. The admin's answer to a leaked token is a
// new token (the web's "New token", `chancery member token`), or disabling the member and
// enabling them again: afterwards nothing the old token gave may still work, neither the
// browser session it led to, nor the password it set.
func TestNewTokenEndsWhatTheOldOneGave(t *testing.T) {
	for _, how := range []string{"new token", "disable and enable"} {
		t.Run(how, func(t *testing.T) {
			o := newOffice(t, server.Config{})
			ctx := context.Background()
			leaked, err := o.reg.AddMember(ctx, o.actors["root"], "lena", []string{registry.RoleReviewer})
			if err != nil {
				t.Fatal(err)
			}
			const thiefs = "the thief's own password"
			req, _ := http.NewRequest("POST", o.srv.URL+"/api/v1/password", strings.NewReader(`{"password": "`+thiefs+`"}`))
			req.Header.Set("Authorization", "Bearer "+leaked)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusNoContent {
				t.Fatalf("password set with the leaked token: %s", resp.Status)
			}
			thief := o.client()
			if resp, _ := thief.post("/signin", url.Values{"name": {"lena"}, "password": {thiefs}}); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("the thief's sign-in: %s", resp.Status)
			}
			if resp, _ := thief.get("/inbox"); resp.StatusCode != http.StatusOK {
				t.Fatalf("the thief's inbox: %s", resp.Status)
			}

			if how == "new token" {
				_, err = o.reg.IssueToken(ctx, o.actors["root"], "lena")
			} else if _, err = o.reg.DisableMember(ctx, o.actors["root"], "lena"); err == nil {
				_, err = o.reg.EnableMember(ctx, o.actors["root"], "lena")
			}
			if err != nil {
				t.Fatal(err)
			}
			if _, err := o.reg.Authenticate(ctx, leaked); !errors.Is(err, registry.ErrUnauthenticated) {
				t.Errorf("the leaked token still authenticates: %v", err)
			}
			if resp, _ := thief.get("/inbox"); resp.StatusCode == http.StatusOK {
				t.Errorf("the thief's session still opens the inbox after the %s", how)
			}
			again := o.client()
			if resp, _ := again.post("/signin", url.Values{"name": {"lena"}, "password": {thiefs}}); resp.StatusCode == http.StatusSeeOther {
				t.Errorf("the password the thief set still signs in after the %s", how)
			}
		})
	}
}

// TestMemberSealLinkWorks: the answer a signed-in member gets for a released letter's
// reference links to its seal; the link works in the member's browser, which holds a session
// and no bearer token.
func TestMemberSealLinkWorks(t *testing.T) {
	o := newOffice(t, server.Config{})
	ref := o.letter("Coordination", "Sir, ...\n")
	o.release(ref)
	c := o.client()
	c.signIn("rita")
	_, page := c.get("/v/" + ref)
	m := regexp.MustCompile(`href="([^"]*seal[^"]*)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("the member's answer for %s has no seal link:\n%s", ref, page)
	}
	resp, body := c.get(html.UnescapeString(m[1]))
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `"checkpoint"`) {
		t.Errorf("the seal link %s: %s %.200s", m[1], resp.Status, body)
	}
}

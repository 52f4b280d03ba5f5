package web_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/oidc"
	"github.com/chromedp/chromedp"
)

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// signOut signs the flow client's member out with the navigation's button, and follows the
// answer as a browser would, through the provider if it is sent there. It returns the last
// answer's status, its Location and its body.
func (c *flowClient) signOut() (int, string, string) {
	c.t.Helper()
	_, page := c.get("/inbox")
	m := csrfField.FindStringSubmatch(page)
	if m == nil {
		c.t.Fatal("the inbox has no sign-out form")
	}
	req, _ := http.NewRequest(http.MethodPost, c.o.srv.URL+"/signout", strings.NewReader(url.Values{"csrf": {m[1]}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", c.o.srv.URL)
	resp, err := c.hc.Do(req)
	for {
		if err != nil {
			c.t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		to, lerr := resp.Location()
		if lerr != nil || to.Path == "/" {
			return resp.StatusCode, resp.Header.Get("Location"), string(body)
		}
		if !strings.HasPrefix(to.String(), "http") {
			to = resp.Request.URL.ResolveReference(to)
		}
		resp, err = c.hc.Get(to.String())
	}
}

// asksAgain starts a new sign-in through the provider in the same browser and reports
// whether the provider shows its login form, rather than sending the browser straight back
// to the registry's callback, signed in as the provider's user.
func (c *flowClient) asksAgain() bool {
	c.t.Helper()
	resp := c.start("same-origin", "")
	to, err := resp.Location()
	if err != nil {
		c.t.Fatalf("/signin/oidc: %s, no redirect", resp.Status)
	}
	resp, body := c.toProvider(c.hc.Get(to.String()))
	if cb, err := resp.Location(); err == nil && cb.Path == "/signin/oidc/callback" {
		return false
	}
	return loginID.MatchString(body)
}

// TestOIDCSignOutEndsProviderSession: signing out of a member who signed in through the
// provider ends the provider's session in the browser too (RP-initiated logout, with the
// sign-in's ID token as id_token_hint), so that the next person at a shared computer who
// chooses "Sign in with your organisation account" is asked for a password rather than
// signed in as the member. Before, the registry's session ended and the provider's stayed
// open: the next sign-in came straight back as the member. The browser keeps no ID token:
// no cookie of the registry's holds it.
func TestOIDCSignOutEndsProviderSession(t *testing.T) {
	p := startProvider(t, map[string][]string{"olga": {"chancery-reviewers"}})
	o := p.office()
	c := newFlowClient(t, o)
	if status, loc := c.callback(c.login("olga")); status != http.StatusSeeOther {
		t.Fatalf("the sign-in: %d to %q", status, loc)
	}
	u, _ := url.Parse(o.srv.URL)
	for _, ck := range c.hc.Jar.Cookies(u) {
		if strings.Count(ck.Value, ".") == 2 && strings.HasPrefix(ck.Value, "ey") {
			t.Errorf("the cookie %s holds a token: %.40s…", ck.Name, ck.Value)
		}
	}
	// Without signing out, the provider's session signs the browser in again at once: the
	// session this test ends.
	probe := newFlowClient(t, o)
	probe.callback(probe.login("olga"))
	if probe.asksAgain() {
		t.Fatal("the provider keeps no session in the browser: this test proves nothing")
	}

	status, loc, body := c.signOut()
	if status != http.StatusSeeOther || loc != "/" {
		t.Errorf("the sign-out ends with %d to %q:\n%.300s", status, loc, body)
	}
	if _, inbox := c.get("/inbox"); strings.Contains(inbox, "Sign out olga") {
		t.Fatal("the browser is still signed in to the registry")
	}
	if !c.asksAgain() {
		t.Error("after signing out, a new sign-in through the provider was not asked for a password: the provider's session is still open")
	}
}

// TestOIDCSignOutWithoutEndSession: with a provider whose discovery document states no
// end_session_endpoint, signing out ends the registry's session and the page says that the
// organisation account may still be signed in, in the member's language; a member who signed
// in with a password is not told so.
func TestOIDCSignOutWithoutEndSession(t *testing.T) {
	p := startProvider(t, map[string][]string{"olga": {"chancery-reviewers"}})
	o := p.officeWith(oidc.Config{HTTPClient: &http.Client{Transport: noEndSession{http.DefaultTransport}}})
	c := newFlowClient(t, o)
	if status, loc := c.callback(c.login("olga")); status != http.StatusSeeOther {
		t.Fatalf("the sign-in: %d to %q", status, loc)
	}
	status, loc, body := c.signOut()
	if status != http.StatusOK || !strings.Contains(body, "may still be signed in") {
		t.Errorf("the sign-out ends with %d to %q, without saying the provider's session may be open:\n%.300s", status, loc, body)
	}
	if _, inbox := c.get("/inbox"); strings.Contains(inbox, "Sign out olga") {
		t.Error("the browser is still signed in to the registry")
	}
	if c.asksAgain() {
		t.Error("the provider asked again: its session was ended though it has no end_session_endpoint")
	}
	// A state that is not this browser's sign-out's does not say the provider ended its session.
	if resp, body := c.get("/signout/done?state=x"); resp.StatusCode != http.StatusOK || !strings.Contains(body, "may still be signed in") {
		t.Errorf("/signout/done with another state: %s", resp.Status)
	}
	for lang, want := range map[string]string{"fr": "est peut-être encore connecté", "ar": "قد يظل حساب مؤسستك"} {
		req, _ := http.NewRequest(http.MethodGet, o.srv.URL+"/signout/done", nil)
		req.Header.Set("Accept-Language", lang)
		resp, err := c.hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(b), want) {
			t.Errorf("the notice in %s lacks %q", lang, want)
		}
	}
	// A member who signed in with a password has no provider session to be told of; nor is a
	// member still signed in told that they are signed out.
	d := newFlowClient(t, o)
	resp, err := d.hc.PostForm(o.srv.URL+"/signin", url.Values{"name": {"dana"}, "password": {password("dana")}, "next": {"/inbox"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp, body := d.get("/signout/done?state=x"); resp.StatusCode != http.StatusSeeOther || strings.Contains(body, "may still be signed in") {
		t.Errorf("/signout/done while signed in: %s", resp.Status)
	}
	if status, loc, body := d.signOut(); status != http.StatusSeeOther || loc != "/" {
		t.Errorf("a password member's sign-out ends with %d to %q:\n%.300s", status, loc, body)
	}
}

// noEndSession takes end_session_endpoint out of the provider's discovery document.
type noEndSession struct{ base http.RoundTripper }

func (t noEndSession) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(r)
	if err != nil || !strings.HasSuffix(r.URL.Path, "/.well-known/openid-configuration") {
		return resp, err
	}
	defer resp.Body.Close()
	var doc map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		return nil, err
	}
	delete(doc, "end_session_endpoint")
	b, _ := json.Marshal(doc)
	resp.Body = io.NopCloser(bytes.NewReader(b))
	resp.ContentLength = int64(len(b))
	resp.Header.Del("Content-Length")
	return resp, nil
}

// TestOIDCSignOutBrowser: in Chromium, a member who signed in through the provider's form
// signs out with the navigation's button (its form's answer leads to the provider, which the
// page's Content-Security-Policy allows), lands on the home page, and the next "Sign in with
// your organisation account" shows the provider's form again.
func TestOIDCSignOutBrowser(t *testing.T) {
	ctx := browser(t)
	p := startProvider(t, map[string][]string{"olga": {"chancery-reviewers"}})
	o := p.office()
	b := &tab{t: t, ctx: ctx, o: o}
	b.open("/signin", "#oidc-signin")
	b.do(chromedp.Click(chromedp.CSS("#oidc-signin")), chromedp.WaitVisible(chromedp.CSS("#username")),
		chromedp.SendKeys(chromedp.CSS("#username"), "olga"), chromedp.SendKeys(chromedp.CSS("#password"), opPassword),
		chromedp.Click(chromedp.CSS("button[type=submit]")), chromedp.WaitVisible(chromedp.CSS("#waiting")))
	b.signOut()
	b.open("/signin", "#oidc-signin")
	b.do(chromedp.Click(chromedp.CSS("#oidc-signin")), chromedp.WaitVisible(chromedp.CSS("#username, #waiting")))
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	if strings.HasPrefix(loc, o.srv.URL) {
		t.Errorf("after signing out, the sign-in through the provider came back signed in, without a password, at %s", loc)
	}
}

package web_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/oidc"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/server"
	"github.com/chancery/chancery/internal/web"
	"github.com/chromedp/chromedp"
)

// provider is a real OpenID provider process (internal/testbin/oidcop: zitadel's example
// provider, with its own login form) whose users' groups the test can change.
type provider struct {
	t      *testing.T
	issuer string
	groups string // the groups file, read by the provider at every request
}

const opPassword = "correct horse battery staple"

// startProvider builds and starts the provider with the users named, each in the groups
// given, with verified e-mail addresses NAME@tfn.example.
func startProvider(t *testing.T, groups map[string][]string) *provider {
	t.Helper()
	users := map[string]map[string]any{}
	for name := range groups {
		users[name] = map[string]any{"Email": name + "@tfn.example", "EmailVerified": true}
	}
	return startProviderUsers(t, users, groups)
}

// startProviderUsers is startProvider with the users' records given (zitadel's example
// format: the fields given replace the defaults), so that a test can choose their e-mail
// addresses and whether they are verified.
func startProviderUsers(t *testing.T, users map[string]map[string]any, groups map[string][]string) *provider {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("no go command to build the OpenID provider with: %v", err)
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "oidcop")
	build := exec.Command(goTool, "build", "-o", bin, ".")
	build.Dir = filepath.Join("..", "testbin", "oidcop")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build the OpenID provider: %v\n%s", err, out)
	}
	all := map[string]any{}
	for id, u := range users {
		rec := map[string]any{"ID": id, "Username": id, "Password": opPassword, "FirstName": id,
			"LastName": "Example", "PreferredLanguage": "en"}
		for k, v := range u {
			rec[k] = v
		}
		all[id] = rec
	}
	p := &provider{t: t, groups: filepath.Join(dir, "groups.json")}
	b, _ := json.Marshal(all)
	if err := os.WriteFile(filepath.Join(dir, "users.json"), b, 0o600); err != nil {
		t.Fatal(err)
	}
	p.setGroups(groups)
	cmd := exec.Command(bin, "-users", filepath.Join(dir, "users.json"), "-groups", p.groups,
		"-client", "chancery", "-secret", "s3cret", "-redirect", "http://127.0.0.1:*/signin/oidc/callback",
		"-post-logout", "http://127.0.0.1:*/signout/done")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("the provider printed no issuer: %v", err)
	}
	p.issuer = strings.TrimSpace(line)
	return p
}

func (p *provider) setGroups(groups map[string][]string) {
	b, _ := json.Marshal(groups)
	if err := os.WriteFile(p.groups, b, 0o600); err != nil {
		p.t.Fatal(err)
	}
}

// office returns an office whose web pages sign in through the provider, with the role map
// chancery-reviewers=reviewer, chancery-signers=signer.
func (p *provider) office() *office {
	p.t.Helper()
	return p.officeNamedBy("")
}

// officeNamedBy is office with the members named by the claim nameClaim (the default if
// empty).
func (p *provider) officeNamedBy(nameClaim string) *office {
	p.t.Helper()
	return p.officeWith(oidc.Config{NameClaim: nameClaim})
}

// officeWith is office with the name claim and HTTP client of cfg.
func (p *provider) officeWith(cfg oidc.Config) *office {
	p.t.Helper()
	rm, err := oidc.ParseRoleMap("chancery-reviewers=reviewer,chancery-signers=signer")
	if err != nil {
		p.t.Fatal(err)
	}
	op, err := oidc.New(context.Background(), oidc.Config{Issuer: p.issuer, ClientID: "chancery", ClientSecret: "s3cret",
		CLIClientID: "chancery-cli", RolesClaim: "groups", RoleMap: rm, NameClaim: cfg.NameClaim, HTTPClient: cfg.HTTPClient})
	if err != nil {
		p.t.Fatal(err)
	}
	return newOffice(p.t, server.Config{RateLimit: -1, Web: web.Config{OIDC: op}})
}

func roles(t *testing.T, o *office, name string) []string {
	t.Helper()
	m, err := o.reg.Member(context.Background(), o.actors["root"], name)
	if errors.Is(err, registry.ErrNotFound) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return m.Roles
}

// TestOIDCBrowser signs in through the provider's own login form in Chromium: a member is
// created with the mapped roles and lands in the inbox; at the next sign-in, a group the
// provider no longer lists takes its role away; a user with no mapped group gets nothing.
func TestOIDCBrowser(t *testing.T) {
	ctx := browser(t)
	p := startProvider(t, map[string][]string{"olga": {"chancery-reviewers", "chancery-signers", "canteen"}, "ivan": {"canteen"}})
	o := p.office()
	b := &tab{t: t, ctx: ctx, o: o}
	signIn := func(name, waitFor string) {
		b.open("/signin", "#oidc-signin")
		b.do(chromedp.Click(chromedp.CSS("#oidc-signin")), chromedp.WaitVisible(chromedp.CSS("#username")),
			chromedp.SendKeys(chromedp.CSS("#username"), name), chromedp.SendKeys(chromedp.CSS("#password"), opPassword),
			chromedp.Click(chromedp.CSS("button[type=submit]")), chromedp.WaitVisible(chromedp.CSS(waitFor)))
	}

	signIn("olga", "#waiting")
	if loc, _ := chromedp.Run(ctx, chromedp.Location()); loc != o.srv.URL+"/inbox" {
		t.Errorf("after signing in through the provider the browser is at %s", loc)
	}
	if got := b.text("nav"); !strings.Contains(got, "Sign out olga") {
		t.Errorf("the navigation says %q", got)
	}
	if got := roles(t, o, "olga"); !slices.Equal(got, []string{"reviewer", "signer"}) {
		t.Errorf("olga's roles after her first sign-in: %v", got)
	}
	b.signOut()

	// An admin gives olga a role the map does not manage: the provider leaves it alone.
	if _, err := o.reg.SetRoles(context.Background(), o.actors["root"], "olga", []string{"drafter"}, nil); err != nil {
		t.Fatal(err)
	}
	p.setGroups(map[string][]string{"olga": {"chancery-reviewers"}, "ivan": {"canteen"}})
	signIn("olga", "#waiting")
	if got := roles(t, o, "olga"); !slices.Equal(got, []string{"reviewer", "drafter"}) {
		t.Errorf("olga's roles after her signers group was removed: %v", got)
	}
	b.signOut()

	signIn("ivan", ".error")
	if got := b.text(".error"); !strings.Contains(got, "did not succeed") {
		t.Errorf("a user without a mapped group sees %q", got)
	}
	if got := roles(t, o, "ivan"); got != nil {
		t.Errorf("a user without a mapped group became a member with roles %v", got)
	}
	// Local accounts keep their password sign-in.
	b.open("/signin", "#password")
	b.signIn("dana", "#waiting")
}

// flowClient walks through the provider's login as a browser would, without following the
// redirect back to Chancery: it returns the callback URL, with the flow cookie in its jar.
type flowClient struct {
	t  *testing.T
	o  *office
	hc *http.Client
}

func newFlowClient(t *testing.T, o *office) *flowClient {
	jar, _ := cookiejar.New(nil)
	return &flowClient{t: t, o: o, hc: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

var loginID = regexp.MustCompile(`name="id" value="([^"]+)"`)

// toProvider follows redirects within the provider, and returns the last response with its
// body, or the first redirect back to Chancery.
func (c *flowClient) toProvider(resp *http.Response, err error) (*http.Response, string) {
	c.t.Helper()
	for {
		if err != nil {
			c.t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		to, lerr := resp.Location()
		if lerr != nil || strings.HasPrefix(to.String(), c.o.srv.URL) {
			return resp, string(body)
		}
		resp, err = c.hc.Get(to.String())
	}
}

func (c *flowClient) login(user string) *url.URL {
	c.t.Helper()
	resp := c.start("same-origin", "")
	to, err := resp.Location()
	if err != nil {
		c.t.Fatalf("/signin/oidc: %s, no redirect", resp.Status)
	}
	if q := to.Query(); q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" || q.Get("nonce") == "" || q.Get("state") == "" {
		c.t.Errorf("the authorization request lacks PKCE, nonce or state: %s", to)
	}
	resp, body := c.toProvider(c.hc.Get(to.String()))
	m := loginID.FindStringSubmatch(body)
	if m == nil {
		c.t.Fatalf("the provider's login form has no request ID (%s):\n%s", resp.Status, body)
	}
	resp, _ = c.toProvider(c.hc.PostForm(resp.Request.URL.Scheme+"://"+resp.Request.URL.Host+"/login/username",
		url.Values{"id": {m[1]}, "username": {user}, "password": {opPassword}}))
	cb, err := resp.Location()
	if err != nil || cb.Path != "/signin/oidc/callback" {
		c.t.Fatalf("after the provider's login: %s, %v", resp.Status, cb)
	}
	return cb
}

// start asks for /signin/oidc with the Sec-Fetch-Site and Referer given (none if empty), as
// the member's browser would, and returns the answer, read and closed.
func (c *flowClient) start(site, referer string) *http.Response {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.o.srv.URL+"/signin/oidc?next=/inbox", nil)
	if site != "" {
		req.Header.Set("Sec-Fetch-Site", site)
	}
	if referer != "" {
		req.Header.Set("Referer", referer)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// TestOIDCSignInStartsOnlyFromSite: a link or image on another site that leads to
// /signin/oidc does not send the browser to the provider (which would bring a member still
// signed in there back signed in here, a login CSRF): it gets the sign-in page, and no flow
// cookie. The site's own link (same-origin, or its Referer over plain HTTP) and a typed
// address do start the sign-in.
func TestOIDCSignInStartsOnlyFromSite(t *testing.T) {
	p := startProvider(t, map[string][]string{"olga": {"chancery-reviewers"}})
	o := p.office()
	for _, tc := range []struct {
		site, referer string
		starts        bool
	}{
		{"cross-site", "", false},
		{"same-site", "", false},
		{"", "http://elsewhere.example/page", false},
		{"", "", false},
		{"same-origin", "", true},
		{"none", "", true},
		{"", o.srv.URL + "/signin", true},
	} {
		c := newFlowClient(t, o)
		resp := c.start(tc.site, tc.referer)
		to, _ := resp.Location()
		started := to != nil && strings.HasPrefix(to.String(), p.issuer)
		u, _ := url.Parse(o.srv.URL)
		flow := false
		for _, ck := range c.hc.Jar.Cookies(u) {
			flow = flow || ck.Name == "chancery_oidc"
		}
		if started != tc.starts || flow != tc.starts {
			t.Errorf("Sec-Fetch-Site %q, Referer %q: %s to %v, flow cookie %v; want a sign-in started: %v", tc.site, tc.referer, resp.Status, to, flow, tc.starts)
		}
		if !tc.starts && resp.StatusCode != http.StatusOK {
			t.Errorf("Sec-Fetch-Site %q, Referer %q: %s, want the sign-in page", tc.site, tc.referer, resp.Status)
		}
	}
}

// callback follows the callback URL and reports where Chancery sends the browser, with the
// status.
func (c *flowClient) callback(cb *url.URL) (int, string) {
	c.t.Helper()
	resp, err := c.hc.Get(cb.String())
	if err != nil {
		c.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Location")
}

// setFlow rewrites part i (0 state, 1 nonce, 2 verifier) of the flow cookie.
func (c *flowClient) setFlow(i int, v string) {
	u, _ := url.Parse(c.o.srv.URL)
	for _, ck := range c.hc.Jar.Cookies(u) {
		if ck.Name == "chancery_oidc" {
			parts := strings.Split(ck.Value, ".")
			parts[i] = v
			c.hc.Jar.SetCookies(u, []*http.Cookie{{Name: ck.Name, Value: strings.Join(parts, "."), Path: "/"}})
			return
		}
	}
	c.t.Fatal("no flow cookie")
}

// TestOIDCTampering: a callback whose state, nonce or PKCE verifier is not the browser's own
// sign-in is refused, as is a replayed callback; the untouched flow signs in.
func TestOIDCTampering(t *testing.T) {
	p := startProvider(t, map[string][]string{"olga": {"chancery-reviewers"}})
	o := p.office()
	const forged = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	for _, tc := range []struct {
		name   string
		tamper func(c *flowClient, cb *url.URL) *url.URL
	}{
		{"state in the callback", func(c *flowClient, cb *url.URL) *url.URL {
			q := cb.Query()
			q.Set("state", forged)
			cb.RawQuery = q.Encode()
			return cb
		}},
		{"state in the cookie", func(c *flowClient, cb *url.URL) *url.URL { c.setFlow(0, forged); return cb }},
		{"nonce", func(c *flowClient, cb *url.URL) *url.URL { c.setFlow(1, forged); return cb }},
		{"PKCE verifier", func(c *flowClient, cb *url.URL) *url.URL { c.setFlow(2, forged+forged[:1]); return cb }},
		{"another browser", func(c *flowClient, cb *url.URL) *url.URL {
			jar, _ := cookiejar.New(nil)
			c.hc.Jar = jar
			return cb
		}},
	} {
		c := newFlowClient(t, o)
		cb := tc.tamper(c, c.login("olga"))
		if status, loc := c.callback(cb); status != http.StatusUnauthorized {
			t.Errorf("%s tampered: %d, to %q", tc.name, status, loc)
		}
		if _, body := c.get("/inbox"); strings.Contains(body, "Sign out olga") {
			t.Errorf("%s tampered: the browser is signed in", tc.name)
		}
	}

	c := newFlowClient(t, o)
	cb := c.login("olga")
	if status, loc := c.callback(cb); status != http.StatusSeeOther || loc != "/inbox" {
		t.Fatalf("an untouched sign-in: %d to %q", status, loc)
	}
	if _, body := c.get("/inbox"); !strings.Contains(body, "Sign out olga") {
		t.Error("after an untouched sign-in the browser is not signed in")
	}
	// The same callback again: the flow cookie is spent, and the code too.
	if status, _ := c.callback(cb); status != http.StatusUnauthorized {
		t.Errorf("a replayed callback: %d", status)
	}
}

func (c *flowClient) get(path string) (*http.Response, string) {
	c.t.Helper()
	resp, err := c.hc.Get(c.o.srv.URL + path)
	if err != nil {
		c.t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(b)
}

// TestOIDCDoesNotTakeOverLocalMember: a member the office created in Chancery (here the
// bootstrap admin root, who has a token and no password, as 'chancery init' leaves it) is
// not signed in by a provider user whose name claim is the same, whether the claim gives a
// Chancery role or none: the provider's users are matched on their subject, and never linked
// to a local member by name. root stays the office's only admin, with no provider role.
func TestOIDCDoesNotTakeOverLocalMember(t *testing.T) {
	p := startProvider(t, map[string][]string{"root": {"canteen"}})
	o := p.office()
	for _, groups := range [][]string{{"canteen"}, {"chancery-reviewers", "chancery-signers"}} {
		p.setGroups(map[string][]string{"root": groups})
		c := newFlowClient(t, o)
		if status, loc := c.callback(c.login("root")); status != http.StatusUnauthorized {
			resp, body := c.get("/admin/members")
			t.Errorf("a provider user named root, in the groups %v, signed in as the office's admin root (%d to %q); "+
				"/admin/members answers %d (members page: %v); root's roles now %v",
				groups, status, loc, resp.StatusCode, strings.Contains(body, "otto"), roles(t, o, "root"))
		}
		if got := roles(t, o, "root"); !slices.Equal(got, []string{"admin"}) {
			t.Errorf("root's roles changed to %v", got)
		}
	}
}

// TestOIDCRefusesUnverifiedEmail: with the name claim set to "email" (docs/identity.md), a
// provider user whose e-mail address is not verified (email_verified false) is refused even
// though the address reads as a colleague's: mallory, herself a reviewer, would otherwise
// create the member olga@tfn.example before olga does (then olga is refused as another user),
// and be one person under two members, who counts twice under the two-person rule.
func TestOIDCRefusesUnverifiedEmail(t *testing.T) {
	p := startProviderUsers(t, map[string]map[string]any{
		"olga":    {"Email": "olga@tfn.example", "EmailVerified": true},
		"mallory": {"Email": "olga@tfn.example", "EmailVerified": false},
	}, map[string][]string{"olga": {"chancery-reviewers"}, "mallory": {"chancery-reviewers"}})
	o := p.officeNamedBy("email")
	mallory := func() {
		t.Helper()
		m := newFlowClient(t, o)
		status, loc := m.callback(m.login("mallory"))
		if _, body := m.get("/inbox"); status != http.StatusUnauthorized || strings.Contains(body, "Sign out olga@tfn.example") {
			t.Errorf("a provider user with an unverified e-mail address (email_verified false) signed in as olga@tfn.example (%d to %q)", status, loc)
		}
	}
	mallory()
	if got := roles(t, o, "olga@tfn.example"); got != nil {
		t.Errorf("mallory's refused sign-in made the member olga@tfn.example, with roles %v", got)
	}
	c := newFlowClient(t, o)
	if status, loc := c.callback(c.login("olga")); status != http.StatusSeeOther {
		t.Fatalf("olga's own sign-in: %d to %q", status, loc)
	}
	if got := roles(t, o, "olga@tfn.example"); !slices.Equal(got, []string{"reviewer"}) {
		t.Fatalf("olga's roles: %v", got)
	}
	mallory()
}

// TestOIDCRefusalDoesNotRepeatTheCode: the page that refuses a return from the provider (a
// replayed callback, a tampered state, a query parameter given twice) does not carry the
// provider's code or the flow's state, in its language links or anywhere else; its links
// lead to the sign-in page. Before, the language links repeated the callback's address, code
// and state included.
func TestOIDCRefusalDoesNotRepeatTheCode(t *testing.T) {
	p := startProvider(t, map[string][]string{"olga": {"chancery-reviewers"}})
	o := p.office()
	c := newFlowClient(t, o)
	cb := c.login("olga")
	if status, loc := c.callback(cb); status != http.StatusSeeOther {
		t.Fatalf("the sign-in: %d to %q", status, loc)
	}
	twice := *cb
	twice.RawQuery += "&state=" + url.QueryEscape(cb.Query().Get("state"))
	tampered := *cb
	q := tampered.Query()
	q.Set("state", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
	tampered.RawQuery = q.Encode()
	for name, u := range map[string]*url.URL{"replayed": cb, "a parameter given twice": &twice, "tampered": &tampered} {
		c := newFlowClient(t, o)
		c.login("olga") // a flow in progress in this browser, which the callback does not match
		resp, body := c.get(u.RequestURI())
		if resp.StatusCode != http.StatusUnauthorized && resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s callback: %s, want a refusal", name, resp.Status)
		}
		for _, secret := range []string{u.Query().Get("code"), u.Query().Get("state"), url.QueryEscape(u.Query().Get("code"))} {
			if strings.Contains(body, secret) {
				t.Errorf("%s callback: the refusal (%s) carries %q", name, resp.Status, secret)
			}
		}
		if !strings.Contains(body, `href="/lang/fr?next=%2fsignin"`) {
			t.Errorf("%s callback: the refusal's language links do not lead to /signin", name)
		}
	}
}

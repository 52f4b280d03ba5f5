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
// given.
func startProvider(t *testing.T, groups map[string][]string) *provider {
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
	users := map[string]any{}
	for name := range groups {
		users[name] = map[string]any{"ID": name, "Username": name, "Password": opPassword, "FirstName": name,
			"LastName": "Example", "Email": name + "@tfn.example", "EmailVerified": true, "PreferredLanguage": "en"}
	}
	p := &provider{t: t, groups: filepath.Join(dir, "groups.json")}
	write := func(path string, v any) {
		b, _ := json.Marshal(v)
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(dir, "users.json"), users)
	p.setGroups(groups)
	cmd := exec.Command(bin, "-users", filepath.Join(dir, "users.json"), "-groups", p.groups,
		"-client", "chancery", "-secret", "s3cret", "-redirect", "http://127.0.0.1:*/signin/oidc/callback")
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
	rm, err := oidc.ParseRoleMap("chancery-reviewers=reviewer,chancery-signers=signer")
	if err != nil {
		p.t.Fatal(err)
	}
	op, err := oidc.New(context.Background(), oidc.Config{Issuer: p.issuer, ClientID: "chancery", ClientSecret: "s3cret",
		CLIClientID: "chancery-cli", RolesClaim: "groups", RoleMap: rm})
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
	resp, err := c.hc.Get(c.o.srv.URL + "/signin/oidc")
	if err != nil {
		c.t.Fatal(err)
	}
	resp.Body.Close()
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

package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/server"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/web"
)

// TestSigninNextStaysOnSite is issue 12 item 8: the page a sign-in returns to is a path on
// this site, or the inbox; browsers drop TAB, CR and LF and read a backslash as a slash, so
// none of them may turn the path into another host.
func TestSigninNextStaysOnSite(t *testing.T) {
	o := newOffice(t, server.Config{})
	c := o.client()
	c.signIn("rita")
	for _, tc := range []struct{ next, want string }{
		{"/inbox?x=1", "/inbox?x=1"},
		{"/letters/TFN-2026-000001", "/letters/TFN-2026-000001"},
		{"/verify?q=a%09b", "/verify?q=a%09b"},
		{"/\t/evil.example/x", "/inbox"},
		{"/\r/evil.example/x", "/inbox"},
		{"/\n/evil.example/x", "/inbox"},
		{"/ /evil.example/x", "/inbox"},
		{"/\x7f/evil.example", "/inbox"},
		{"/\u0085/evil.example", "/inbox"},
		{"/\u00a0/evil.example", "/inbox"},
		{"//evil", "/inbox"},
		{"///evil", "/inbox"},
		{"/\\evil", "/inbox"},
		{"\\\\evil", "/inbox"},
		{"https://evil", "/inbox"},
		{"http:/evil", "/inbox"},
		{"javascript:alert(1)", "/inbox"},
		{"evil.example", "/inbox"},
		{"", "/inbox"},
	} {
		resp, _ := c.get("/signin?next=" + url.QueryEscape(tc.next))
		if resp.StatusCode != http.StatusSeeOther {
			t.Errorf("next=%q: %s, want 303", tc.next, resp.Status)
			continue
		}
		if got := resp.Header.Get("Location"); got != tc.want {
			t.Errorf("next=%q: Location %q, want %q", tc.next, got, tc.want)
		}
	}
}

// TestApproveFormApprovesTheVersionShown is issue 12 item 12: the approval form carries the
// digest of the version the page showed; if another version became the latest since, the
// approval is refused rather than landing on text the reviewer did not see.
func TestApproveFormApprovesTheVersionShown(t *testing.T) {
	o := newOffice(t, server.Config{})
	ref := o.letter("Coordination", "Sir, ...\n")
	c := o.client()
	tok := c.signIn("rita")
	_, page := c.get("/letters/" + ref)
	const marker = `name="version" value="`
	i := strings.Index(page, marker)
	if i < 0 {
		t.Fatalf("the letter page has no version in its forms:\n%s", page)
	}
	shown := page[i+len(marker):]
	shown = shown[:strings.IndexByte(shown, '"')]
	if _, err := o.reg.Revise(context.Background(), o.actors["dana"], ref, registry.Upload{Name: "letter.md", Data: []byte("Sir, ... (amended)\n")}); err != nil {
		t.Fatal(err)
	}
	resp, body := c.post("/letters/"+ref+"/approve", url.Values{"csrf": {tok}, "version": {shown}})
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "not the latest version") {
		t.Errorf("approving the version shown before a revision: %s, want 409 saying it is not the latest", resp.Status)
	}
	v, err := o.reg.Letter(context.Background(), o.actors["rita"], ref)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Approvals) != 0 {
		t.Errorf("approvals after a stale approval: %+v", v.Approvals)
	}
}

// TestSigninLimited is issue 12 item 7: failed sign-ins are limited per account and per client
// address, answered 429 with a Retry-After of seconds (the lockout ends on its own), and
// refused before the password is checked.
func TestSigninLimited(t *testing.T) {
	o := newOffice(t, server.Config{})
	c := o.client()
	try := func(name, pw string) *http.Response {
		t.Helper()
		resp, _ := c.post("/signin", url.Values{"name": {name}, "password": {pw}})
		return resp
	}
	// failUntilLimited fails sign-ins (name(i) with a wrong password) until one is refused with
	// 429, at the latest one past limit; the buckets refill slowly, so a slow run may need
	// one or two more.
	failUntilLimited := func(what string, limit int, rate float64, name func(int) string) {
		t.Helper()
		start := time.Now()
		// The bucket refills while the attempts run (each costs an argon2 check, slow under
		// the race detector on a loaded machine): allow the attempts it regained meanwhile.
		for i := 0; i < limit+3+int(time.Since(start).Seconds()*rate); i++ {
			resp := try(name(i), "wrong")
			switch resp.StatusCode {
			case http.StatusUnauthorized:
				continue
			case http.StatusTooManyRequests:
				ra, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
				if i < limit || ra < 1 || ra > 60 {
					t.Errorf("%s: 429 after %d failures with Retry-After %q; want it after %d, for seconds", what, i, resp.Header.Get("Retry-After"), limit)
				}
				return
			default:
				t.Fatalf("%s: failure %d: %s", what, i+1, resp.Status)
			}
		}
		t.Fatalf("%s: no 429 after %d failures and %s", what, limit+3, time.Since(start))
	}
	failUntilLimited("one account", web.SigninAccountBurst, web.SigninAccountRate, func(int) string { return "rita" })
	// Refused before the password is checked: the right one is refused too.
	if resp := try("rita", password("rita")); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("the right password for a limited account: %s, want 429", resp.Status)
	}
	// Another account from the same address is not locked out by rita's.
	if resp := try("dana", password("dana")); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("another member's sign-in: %s, want 303", resp.Status)
	}
	// Failures spread over many names run out the address's attempts.
	failUntilLimited("one address", web.SigninAddressBurst-web.SigninAccountBurst, web.SigninAddressRate, func(i int) string { return "nobody" + strconv.Itoa(i) })
	if resp := try("sam", password("sam")); resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Errorf("a limited address: %s, want 429 with Retry-After", resp.Status)
	}
}

// slowAuthenticator refuses everyone, slowly, and counts the checks running at once.
type slowAuthenticator struct {
	mu        sync.Mutex
	now, most int
}

func (a *slowAuthenticator) Authenticate(*http.Request) (*store.Member, error) {
	a.mu.Lock()
	a.now++
	a.most = max(a.most, a.now)
	a.mu.Unlock()
	time.Sleep(20 * time.Millisecond)
	a.mu.Lock()
	a.now--
	a.mu.Unlock()
	return nil, registry.ErrUnauthenticated
}

// TestSigninBoundsPasswordChecks is issue 12 item 7: 60 parallel sign-ins run at most
// web.SigninChecks password checks (argon2id, 32 MiB each) at a time.
func TestSigninBoundsPasswordChecks(t *testing.T) {
	auth := &slowAuthenticator{}
	o := newOffice(t, server.Config{Web: web.Config{Authenticator: auth}})
	var wg sync.WaitGroup
	var mu sync.Mutex
	codes := map[int]int{}
	for i := range 60 {
		wg.Go(func() {
			resp, _ := o.client().post("/signin", url.Values{"name": {"m" + strconv.Itoa(i)}, "password": {"wrong"}})
			mu.Lock()
			codes[resp.StatusCode]++
			mu.Unlock()
		})
	}
	wg.Wait()
	if auth.most > web.SigninChecks {
		t.Errorf("%d password checks ran at once, want at most %d", auth.most, web.SigninChecks)
	}
	if codes[http.StatusUnauthorized]+codes[http.StatusTooManyRequests] != 60 || codes[http.StatusTooManyRequests] == 0 {
		t.Errorf("answers %v, want 401s then 429s", codes)
	}
}

// TestSigninWithADecomposedName checks that a member name typed with a combining accent signs
// in the member stored precomposed, and that its failures count against that one account
// however its accents are typed: keyed as typed, each spelling of "Renée" would have had
// its own attempts.
func TestSigninWithADecomposedName(t *testing.T) {
	o := newOffice(t, server.Config{})
	ctx := context.Background()
	const stored, typed = "Ren\u00e9e", "Rene\u0301e"
	if _, err := o.reg.AddMember(ctx, o.actors["root"], stored, []string{registry.RoleReviewer}); err != nil {
		t.Fatal(err)
	}
	if err := o.reg.SetPassword(ctx, o.actors["root"], stored, password(stored)); err != nil {
		t.Fatal(err)
	}
	c := o.client()
	if resp, _ := c.post("/signin", url.Values{"name": {typed}, "password": {password(stored)}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in as %+q: %s, want 303", typed, resp.Status)
	}
	c = o.client()
	for i := range web.SigninAccountBurst {
		name := []string{stored, typed}[i%2]
		if resp, _ := c.post("/signin", url.Values{"name": {name}, "password": {"wrong"}}); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failure %d: %s, want 401", i+1, resp.Status)
		}
	}
	if resp, _ := c.post("/signin", url.Values{"name": {typed}, "password": {password(stored)}}); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("after %d failures under both spellings: %s, want 429", web.SigninAccountBurst, resp.Status)
	}
}

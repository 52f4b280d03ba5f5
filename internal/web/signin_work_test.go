package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/server"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/web"
)

// knownAuthenticator signs in the office's member the form names, whatever the password: a
// sign-in that succeeds, without the argon2 work a real check costs.
type knownAuthenticator struct{ actors map[string]registry.Actor }

func (a *knownAuthenticator) Authenticate(r *http.Request) (*store.Member, error) {
	if m, ok := a.actors[r.PostFormValue("name")]; ok {
		return m.Member, nil
	}
	return nil, registry.ErrUnauthenticated
}

// TestOneMemberCannotHoldThePasswordChecks: the server runs at most web.SigninChecks
// password computations (argon2id, 32 MiB) at once, for every sign-in and password set of
// the office. Only failures were limited, so one member signing in again and again with
// their own password, or setting it again and again through POST /api/v1/password, took
// every turn, and everyone else's sign-in waited behind them (24 s with a hundred requests
// at once from one address). Each account now has web.SigninWorkBurst computations in a
// row, whatever their outcome, a password set charged to the member who asks; then 429
// with Retry-After, while other members sign in.
func TestOneMemberCannotHoldThePasswordChecks(t *testing.T) {
	// One computation an hour after the burst: with the race detector on a loaded machine a
	// password set took longer than the 3 s in which one comes back, and no 429 came.
	defer func(r float64) { *web.SigninWorkRateForTest = r }(*web.SigninWorkRateForTest)
	*web.SigninWorkRateForTest = 1.0 / 3600
	auth := &knownAuthenticator{}
	o := newOffice(t, server.Config{RateLimit: -1, Web: web.Config{Authenticator: auth}})
	auth.actors = o.actors
	ctx := context.Background()
	// workUntilLimited asks for computations until one is answered 429, at the latest a few
	// past the burst.
	workUntilLimited := func(what string, try func() *http.Response, ok int) {
		t.Helper()
		for i := 0; i < web.SigninWorkBurst+3; i++ {
			resp := try()
			switch resp.StatusCode {
			case ok:
				continue
			case http.StatusTooManyRequests:
				if ra, _ := strconv.Atoi(resp.Header.Get("Retry-After")); i < web.SigninWorkBurst || ra < 1 {
					t.Errorf("%s: 429 after %d with Retry-After %q; want it after %d, for seconds", what, i, resp.Header.Get("Retry-After"), web.SigninWorkBurst)
				}
				return
			default:
				t.Fatalf("%s: request %d: %s", what, i+1, resp.Status)
			}
		}
		t.Errorf("%s: no 429 after %d password computations", what, web.SigninWorkBurst+3)
	}
	c := o.client()
	workUntilLimited("rita's sign-ins", func() *http.Response {
		resp, _ := c.post("/signin", url.Values{"name": {"rita"}, "password": {"any"}})
		return resp
	}, http.StatusSeeOther)
	if resp, _ := o.client().post("/signin", url.Values{"name": {"dana"}, "password": {"any"}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("another member's sign-in while rita is limited: %s, want 303", resp.Status)
	}

	setPassword := func(tok string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest("POST", o.srv.URL+"/api/v1/password", strings.NewReader(`{"password": "a long enough password"}`))
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	// One budget per member: rita's sign-ins spent her password sets too.
	ritaTok, err := o.reg.IssueToken(ctx, o.actors["root"], "rita")
	if err != nil {
		t.Fatal(err)
	}
	if resp := setPassword(ritaTok); resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Errorf("rita's password set after her sign-ins: %s, want 429 with Retry-After", resp.Status)
	}
	// A member setting their password again and again is limited alike.
	lenaTok, err := o.reg.AddMember(ctx, o.actors["root"], "lena", []string{registry.RoleReviewer})
	if err != nil {
		t.Fatal(err)
	}
	workUntilLimited("lena's password sets", func() *http.Response { return setPassword(lenaTok) }, http.StatusNoContent)
}

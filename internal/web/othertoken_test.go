package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/server"
)

// TestAnotherMembersTokenAsksThePassword: an admin's browser session did not turn into a
// lasting admin token through another member's (audit, fifty-sixth session, live). The
// members page asked the password for the admin's own new token only: whoever held the
// session (a browser left open, a stolen cookie) was shown another member's new token, or
// their enabling's, at once, gave that member the admin role on the same page, and kept
// admin rights for good once the session ended; an admin's token needed one post. Under
// two_admins the token is proposed, shown to the approving admin alone, and asks nothing.
func TestAnotherMembersTokenAsksThePassword(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t, server.Config{})
	if err := o.reg.SetPassword(ctx, o.actors["root"], "root", password("root")); err != nil {
		t.Fatal(err)
	}
	if _, err := o.reg.DisableMember(ctx, o.actors["root"], "rita"); err != nil {
		t.Fatal(err)
	}
	admin := o.client()
	tok := admin.signIn("root")
	_, body := admin.get("/admin/members")
	for _, form := range []string{`action="/admin/members/otto/token"`, `action="/admin/members/rita/enable"`} {
		i := strings.Index(body, form)
		if i < 0 || !strings.Contains(body[i:i+strings.Index(body[i:], "</form>")], `name="password"`) {
			t.Errorf("the form %s asks for no password", form)
		}
	}
	issued := regexp.MustCompile(`<code id="issued-token">(chy_[A-Za-z0-9_-]+)</code>`)
	for _, path := range []string{"/admin/members/otto/token", "/admin/members/rita/enable"} {
		for _, form := range []url.Values{{"csrf": {tok}}, {"csrf": {tok}, "password": {"not the password"}}} {
			resp, body := admin.post(path, form)
			if resp.StatusCode != http.StatusForbidden || issued.MatchString(body) || !strings.Contains(body, "Your password is wrong: a new token needs it.") {
				t.Errorf("POST %s with password %q: %s, want 403 and no token", path, form.Get("password"), resp.Status)
			}
		}
	}
	if v, _ := o.reg.Member(ctx, o.actors["root"], "rita"); v.State == registry.MemberActive {
		t.Error("rita was enabled without the admin's password")
	}
	for _, path := range []string{"/admin/members/otto/token", "/admin/members/rita/enable"} {
		resp, body := admin.post(path, url.Values{"csrf": {tok}, "password": {password("root")}})
		if m := issued.FindStringSubmatch(body); resp.StatusCode != http.StatusOK || m == nil {
			t.Errorf("POST %s with the password: %s, no token", path, resp.Status)
		}
	}
}

package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/server"
)

// TestOwnTokenAsksThePassword: an admin's browser session (at most 12 hours, 30 minutes idle)
// did not turn into a lasting token without the admin's password. Before, the members page's
// New token on the admin's own row issued one at once, also under two_admins (an admin's own
// token is not proposed): whoever held the session, a browser left open or a stolen cookie,
// kept admin rights for good, and the token's issue ended the admin's other sessions and
// removed their password, locking them out of their own account.
func TestOwnTokenAsksThePassword(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t, server.Config{})
	if err := o.reg.SetPassword(ctx, o.actors["root"], "root", password("root")); err != nil {
		t.Fatal(err)
	}
	admin := o.client()
	tok := admin.signIn("root")
	_, body := admin.get("/admin/members")
	if !strings.Contains(body, `name="password" autocomplete="current-password"`) {
		t.Error("the admin's own New token form asks for no password")
	}
	issued := regexp.MustCompile(`<code id="issued-token">(chy_[A-Za-z0-9_-]+)</code>`)
	for _, form := range []url.Values{{"csrf": {tok}}, {"csrf": {tok}, "password": {"not the password"}}} {
		resp, body := admin.post("/admin/members/root/token", form)
		if resp.StatusCode != http.StatusForbidden || issued.MatchString(body) || !strings.Contains(body, "Your password is wrong") {
			t.Errorf("own token with password %q: %s, want 403 and no token", form.Get("password"), resp.Status)
		}
	}
	// Nothing was ended: the session and the password still work.
	if resp, _ := admin.get("/admin/members"); resp.StatusCode != http.StatusOK {
		t.Errorf("the admin's session after the refusals: %s", resp.Status)
	}
	if _, err := o.reg.CheckPassword(ctx, "root", password("root")); err != nil {
		t.Errorf("the admin's password after the refusals: %v", err)
	}

	// Another member's token asks for it too (TestAnotherMembersTokenAsksThePassword).
	if resp, body := admin.post("/admin/members/otto/token", url.Values{"csrf": {tok}, "password": {password("root")}}); resp.StatusCode != http.StatusOK || !issued.MatchString(body) {
		t.Errorf("otto's new token: %s", resp.Status)
	}
	resp, body := admin.post("/admin/members/root/token", url.Values{"csrf": {tok}, "password": {password("root")}})
	m := issued.FindStringSubmatch(body)
	if resp.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("own token with the password: %s, no token", resp.Status)
	}
	if who, err := o.reg.Authenticate(ctx, m[1]); err != nil || who.Name != "root" {
		t.Errorf("the token shown: %v, %v", who, err)
	}

}

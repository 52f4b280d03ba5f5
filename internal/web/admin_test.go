package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/server"
	"github.com/chancery/chancery/internal/store"
)

func TestMembersPage(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t, server.Config{})
	if err := o.reg.SetPassword(ctx, o.actors["root"], "root", password("root")); err != nil {
		t.Fatal(err)
	}
	rita := o.client()
	rita.signIn("rita")
	if _, body := rita.get("/inbox"); strings.Contains(body, `href="/admin/members"`) {
		t.Error("the navigation links to the members page for a reviewer")
	}
	if resp, _ := rita.get("/admin/members"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("the members page for a reviewer: %s, want 403", resp.Status)
	}

	admin := o.client()
	tok := admin.signIn("root")
	resp, body := admin.get("/admin/members")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("the members page for an admin: %s", resp.Status)
	}
	for _, want := range []string{`href="/admin/members"`, `id="member-rita"`, `action="/admin/members/rita/disable"`, o.keyID} {
		if !strings.Contains(body, want) {
			t.Errorf("the members page lacks %q", want)
		}
	}
	if strings.Contains(body, `action="/admin/members/root/disable"`) {
		t.Error("the page offers to disable the admin themselves")
	}

	// Roles: the ticked boxes, with the CSRF token; without it, refused.
	form := url.Values{"csrf": {tok}, "role": {"reviewer", "signer"}}
	if resp, _ := admin.post("/admin/members/rita/roles", url.Values{"role": {"admin"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a roles form without its CSRF token: %s, want 403", resp.Status)
	}
	if resp, _ := admin.post("/admin/members/rita/roles", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("set roles: %s", resp.Status)
	}
	if v, _ := o.reg.Member(ctx, o.actors["root"], "rita"); fmt.Sprint(v.Roles) != "[reviewer signer]" {
		t.Errorf("rita's roles after the form: %v", v.Roles)
	}
	if resp, body := admin.post("/admin/members/rita/roles", url.Values{"csrf": {tok}, "role": {"pope"}}); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "unknown role") {
		t.Errorf("an unknown role: %s", resp.Status)
	}

	// A new token is shown once, in the answer to the post, and works at once.
	resp, body = admin.post("/admin/members/otto/token", url.Values{"csrf": {tok}, "password": {password("root")}})
	m := regexp.MustCompile(`<code id="issued-token">(chy_[A-Za-z0-9_-]+)</code>`).FindStringSubmatch(body)
	if resp.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("new token: %s, no token in the page", resp.Status)
	}
	if resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("the page with a token may be cached: %q", resp.Header.Get("Cache-Control"))
	}
	if who, err := o.reg.Authenticate(ctx, m[1]); err != nil || who.Name != "otto" {
		t.Errorf("the token shown: %v, %v", who, err)
	}

	// Disabled: rita's open session stops at once; twice is refused on the page.
	if resp, _ := admin.post("/admin/members/rita/disable", url.Values{"csrf": {tok}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("disable: %s", resp.Status)
	}
	if resp, _ := rita.get("/inbox"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/signin") {
		t.Errorf("a disabled member's session: %s, want a redirect to sign in", resp.Status)
	}
	if resp, _ := rita.post("/signin", url.Values{"name": {"rita"}, "password": {password("rita")}}); resp.StatusCode == http.StatusSeeOther {
		t.Error("a disabled member signed in")
	}
	resp, body = admin.post("/admin/members/rita/disable", url.Values{"csrf": {tok}})
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "already disabled") {
		t.Errorf("disable twice: %s", resp.Status)
	}
	if !strings.Contains(body, `action="/admin/members/rita/enable"`) {
		t.Error("a disabled member has no enable form")
	}
	resp, body = admin.post("/admin/members/rita/enable", url.Values{"csrf": {tok}, "password": {password("root")}})
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `id="issued-token"`) {
		t.Errorf("enable: %s", resp.Status)
	}
	if v, _ := o.reg.Member(ctx, o.actors["root"], "rita"); v.State != registry.MemberActive {
		t.Errorf("rita after enable: %s", v.State)
	}
	if resp, _ := admin.post("/admin/members/nobody/token", url.Values{"csrf": {tok}, "password": {password("root")}}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a token for nobody: %s", resp.Status)
	}
}

// TestMemberFormsActOnTheMemberShown: a member's name may hold what reads as a percent
// escape (names come from admins and from the identity provider's name claim, which its
// users often choose). The forms of the row "%72ita" must act on that member, not on
// "rita", which the server would read from the path if the name were put there unescaped.
func TestMemberFormsActOnTheMemberShown(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t, server.Config{})
	if err := o.reg.SetPassword(ctx, o.actors["root"], "root", password("root")); err != nil {
		t.Fatal(err)
	}
	const lookalike = "%72ita"
	if _, err := o.reg.AddMember(ctx, o.actors["root"], lookalike, []string{registry.RoleDrafter}); err != nil {
		t.Fatal(err)
	}
	admin := o.client()
	tok := admin.signIn("root")
	_, body := admin.get("/admin/members")
	row := body[strings.Index(body, `id="member-`+lookalike+`"`):]
	row = row[:strings.Index(row, "</tr>")]
	actions := regexp.MustCompile(`action="([^"]+)"`).FindAllStringSubmatch(row, -1)
	if len(actions) != 3 {
		t.Fatalf("the row of %s has %d forms, want 3:\n%s", lookalike, len(actions), row)
	}
	for _, a := range actions {
		if !strings.HasSuffix(a[1], "/roles") {
			continue
		}
		resp, body := admin.post(a[1], url.Values{"csrf": {tok}, "role": {"drafter", "reviewer"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("roles form of %s (%s): %s\n%s", lookalike, a[1], resp.Status, body)
		}
	}
	if v, _ := o.reg.Member(ctx, o.actors["root"], "rita"); fmt.Sprint(v.Roles) != "[reviewer]" {
		t.Errorf("the roles form of %s changed rita's roles to %v", lookalike, v.Roles)
	}
	if v, _ := o.reg.Member(ctx, o.actors["root"], lookalike); fmt.Sprint(v.Roles) != "[drafter reviewer]" {
		t.Errorf("the roles form of %s left its roles %v", lookalike, v.Roles)
	}
	for _, a := range actions {
		if !strings.HasSuffix(a[1], "/disable") {
			continue
		}
		if resp, _ := admin.post(a[1], url.Values{"csrf": {tok}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("disable form of %s: %s", lookalike, resp.Status)
		}
	}
	if v, _ := o.reg.Member(ctx, o.actors["root"], "rita"); v.State != registry.MemberActive {
		t.Errorf("the disable form of %s disabled rita", lookalike)
	}
	if v, _ := o.reg.Member(ctx, o.actors["root"], lookalike); v.State == registry.MemberActive {
		t.Errorf("the disable form of %s left it active", lookalike)
	}
}

// TestMembersPageListsLookAlikeNames checks that the members page warns of member names
// that read as one another's, stored before such names were refused: only an admin can tell
// their holders apart, and nothing renames them.
func TestMembersPageListsLookAlikeNames(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t, server.Config{})
	if err := o.reg.SetPassword(ctx, o.actors["root"], "root", password("root")); err != nil {
		t.Fatal(err)
	}
	admin := o.client()
	admin.signIn("root")
	if _, body := admin.get("/admin/members"); strings.Contains(body, "read alike") {
		t.Error("the members page of an office without look-alike names warns of some")
	}
	err := o.db.Update(ctx, func(tx *store.Tx) error {
		_, hash := registry.NewToken()
		_, err := tx.AddMember(ctx, "r\u0456ta", []string{registry.RoleSigner}, hash, time.Now())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	_, body := admin.get("/admin/members")
	if !strings.Contains(body, "These member names read alike: rita, r\u0456ta.") {
		t.Errorf("the members page does not warn of rita and r\\u0456ta:\n%s", body)
	}
}

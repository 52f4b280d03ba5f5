package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/policy"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/server"
	"github.com/chancery/chancery/internal/store"
)

// TestDisablingNamesTheMembersOwnChangesItRefused: disabling an admin on the members page, or
// taking their admin role with its roles form, refuses the changes they proposed that still
// wait (item 465), and the page said only "The member is disabled" or "The roles are
// changed" (found by audit, sixtieth session, doing the lead's decision that the command line
// and the API name them). One notice line names them now, in the page's language, only to
// the admin who refused them; none when there were none.
func TestDisablingNamesTheMembersOwnChangesItRefused(t *testing.T) {
	ctx := context.Background()
	o, actors := threeAdmins(t)
	root := o.actors["root"]
	if err := o.reg.SetPassword(ctx, root, "ada", password("ada")); err != nil {
		t.Fatal(err)
	}
	adoptTwoAdmins(t, o, actors, true)
	propose := func(who, member string) string {
		t.Helper()
		_, err := o.reg.IssueToken(ctx, actors[who], member)
		c := registry.Proposed(err)
		if c == nil {
			t.Fatalf("%s's new token for %s: %v, want it proposed", who, member, err)
		}
		return strconv.FormatInt(c.ID, 10)
	}
	bobs, cys := propose("bob", "sam"), propose("cy", "rita")

	admin := o.client()
	tok := admin.signIn("root")
	notice := regexp.MustCompile(`(?s)<p class="notice" id="refused">(.*?)</p>`)
	follow := func(what string, resp *http.Response, lang string) string {
		t.Helper()
		loc := resp.Header.Get("Location")
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/admin/members?done=") {
			t.Fatalf("%s: %s to %q, want a redirect to the members page", what, resp.Status, loc)
		}
		resp, body := admin.do("GET", loc, nil, map[string]string{"Sec-Fetch-Site": "same-origin", "Accept-Language": lang})
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: the members page: %s", what, resp.Status)
		}
		if m := notice.FindStringSubmatch(body); m != nil {
			return html.UnescapeString(m[1])
		}
		return ""
	}

	resp, _ := admin.post("/admin/members/bob/disable", url.Values{"csrf": {tok}})
	for lang, want := range map[string]string{
		"en": "Also refused, the member's own proposals still waiting: change " + bobs + " (new token for sam, proposed by bob)",
		"fr": "Aussi refusées, les propositions de ce membre encore en attente : modification " + bobs + " (nouveau jeton pour sam, proposée par bob)",
		"ar": "ورُفضت كذلك مقترحات هذا العضو التي كانت لا تزال معلّقة: التغيير " + bobs + " (رمز دخول جديد لـ sam، اقترحه bob)",
	} {
		if got := follow("bob disabled", resp, lang); got != want {
			t.Errorf("%s: bob disabled: notice %q, want %q", lang, got, want)
		}
	}
	resp, _ = admin.post("/admin/members/cy/roles", url.Values{"csrf": {tok}, "held": {"admin,reviewer"}, "role": {"reviewer"}})
	if got, want := follow("cy's admin role taken", resp, "en"), "Also refused, the member's own proposals still waiting: change "+cys+" (new token for rita, proposed by cy)"; got != want {
		t.Errorf("cy's admin role taken: notice %q, want %q", got, want)
	}
	// Another admin's page, given the same query, names nothing; nor does a disabling that
	// refused nothing.
	other := o.client()
	other.signIn("ada")
	if _, body := other.do("GET", "/admin/members?done=disabled&refused="+bobs, nil, map[string]string{"Sec-Fetch-Site": "same-origin"}); strings.Contains(body, `id="refused"`) {
		t.Error("ada's page names a change root refused")
	}
	resp, _ = admin.post("/admin/members/otto/disable", url.Values{"csrf": {tok}})
	if got := follow("otto disabled", resp, "en"); got != "" {
		t.Errorf("otto disabled, nothing of his pending: notice %q, want none", got)
	}
}

// TestApprovalOnThePageNamesTheMembersOwnChangesItRefused: a role change approved on the
// members page that takes the member's admin role while giving another ("+signer -admin",
// proposed under two_admins) refuses the changes the member proposed that still wait, and
// the page said only "The change is approved and carried out." (sixtieth session's not-fixed
// list, the lead's decision). Its notice line names them now, as after the roles form.
func TestApprovalOnThePageNamesTheMembersOwnChangesItRefused(t *testing.T) {
	ctx := context.Background()
	o, actors := threeAdmins(t)
	adoptTwoAdmins(t, o, actors, true)
	proposed := func(what string, err error) string {
		t.Helper()
		c := registry.Proposed(err)
		if c == nil {
			t.Fatalf("%s: %v, want it proposed", what, err)
		}
		return strconv.FormatInt(c.ID, 10)
	}
	_, err := o.reg.IssueToken(ctx, actors["bob"], "sam")
	bobs := proposed("bob's new token for sam", err)
	_, err = o.reg.SetRoles(ctx, actors["ada"], "bob", []string{registry.RoleSigner}, []string{registry.RoleAdmin})
	roles := proposed("ada's +signer -admin for bob", err)
	_, err = o.reg.SetRoles(ctx, actors["ada"], "cy", []string{registry.RoleSigner}, nil)
	cys := proposed("ada's +signer for cy", err)

	admin := o.client()
	tok := admin.signIn("root")
	notice := regexp.MustCompile(`(?s)<p class="notice" id="refused">(.*?)</p>`)
	approve := func(id string) string {
		t.Helper()
		resp, _ := admin.post("/admin/changes/"+id+"/approve", url.Values{"csrf": {tok}})
		loc := resp.Header.Get("Location")
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/admin/members?done=approved") {
			t.Fatalf("approve change %s: %s to %q, want a redirect to the members page", id, resp.Status, loc)
		}
		resp, body := admin.do("GET", loc, nil, map[string]string{"Sec-Fetch-Site": "same-origin"})
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("approve change %s: the members page: %s", id, resp.Status)
		}
		if m := notice.FindStringSubmatch(body); m != nil {
			return html.UnescapeString(m[1])
		}
		return ""
	}
	if got, want := approve(roles), "Also refused, the member's own proposals still waiting: change "+bobs+" (new token for sam, proposed by bob)"; got != want {
		t.Errorf("bob's admin role taken by an approval: notice %q, want %q", got, want)
	}
	if got := approve(cys); got != "" {
		t.Errorf("cy given signer, nothing of his pending: notice %q, want none", got)
	}
}

// TestEnablingOnThePageNamesTheMembersOwnChangesItRefused: enabling a member on the members
// page, with its Enable form or by approving a proposed enabling, refuses the changes the
// member proposed that an older build, which kept a disabled member's changes pending, left
// waiting, and the page named none of them (sixtieth session's not-fixed list, the lead's
// decision). Its notice line names them now, beside the token shown, as after a disabling;
// none when there were none.
func TestEnablingOnThePageNamesTheMembersOwnChangesItRefused(t *testing.T) {
	ctx := context.Background()
	o, actors := threeAdmins(t)
	root := o.actors["root"]
	adoptTwoAdmins(t, o, actors, true)
	proposed := func(what string, err error) string {
		t.Helper()
		c := registry.Proposed(err)
		if c == nil {
			t.Fatalf("%s: %v, want it proposed", what, err)
		}
		return strconv.FormatInt(c.ID, 10)
	}
	_, err := o.reg.IssueToken(ctx, actors["bob"], "sam")
	bobs := proposed("bob's new token for sam", err)
	_, err = o.reg.IssueToken(ctx, actors["cy"], "rita")
	cys := proposed("cy's new token for rita", err)
	// bob and cy disabled as an older build did it, leaving their changes pending.
	for _, name := range []string{"bob", "cy"} {
		err := o.db.Update(ctx, func(tx *store.Tx) error { return tx.SetMemberDisabled(ctx, actors[name].Member.ID, time.Now()) })
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err = o.reg.EnableMember(ctx, actors["ada"], "bob")
	enable := proposed("ada's enabling of bob", err)

	admin := o.client()
	tok := admin.signIn("root")
	notice := regexp.MustCompile(`(?s)<p class="notice" id="refused">(.*?)</p>`)
	issued := regexp.MustCompile(`<code id="issued-token">(chy_[A-Za-z0-9_-]+)</code>`)
	shown := func(what string, resp *http.Response, body string) string {
		t.Helper()
		if resp.StatusCode != http.StatusOK || !issued.MatchString(body) {
			t.Fatalf("%s: %s, want the members page with the token", what, resp.Status)
		}
		if m := notice.FindStringSubmatch(body); m != nil {
			return html.UnescapeString(m[1])
		}
		return ""
	}

	resp, body := admin.post("/admin/changes/"+enable+"/approve", url.Values{"csrf": {tok}, "password": {password("root")}})
	if got, want := shown("bob's enabling approved", resp, body), "Also refused, the member's own proposals still waiting: change "+bobs+" (new token for sam, proposed by bob)"; got != want {
		t.Errorf("bob's enabling approved: notice %q, want %q", got, want)
	}

	adoptTwoAdmins(t, o, actors, false)
	resp, body = admin.post("/admin/members/cy/enable", url.Values{"csrf": {tok}, "password": {password("root")}})
	if got, want := shown("cy enabled", resp, body), "Also refused, the member's own proposals still waiting: change "+cys+" (new token for rita, proposed by cy)"; got != want {
		t.Errorf("cy enabled: notice %q, want %q", got, want)
	}

	// Nothing of the member's pending: no notice.
	if _, err := o.reg.DisableMember(ctx, root, "otto"); err != nil {
		t.Fatal(err)
	}
	resp, body = admin.post("/admin/members/otto/enable", url.Values{"csrf": {tok}, "password": {password("root")}})
	if got := shown("otto enabled", resp, body); got != "" {
		t.Errorf("otto enabled, nothing of his pending: notice %q, want none", got)
	}
}

// threeAdmins is an office whose root has a password, with the admins and reviewers ada, bob
// and cy, and their actors.
func threeAdmins(t *testing.T) (*office, map[string]registry.Actor) {
	t.Helper()
	ctx := context.Background()
	o := newOffice(t, server.Config{})
	root := o.actors["root"]
	if err := o.reg.SetPassword(ctx, root, "root", password("root")); err != nil {
		t.Fatal(err)
	}
	actors := map[string]registry.Actor{}
	for _, name := range []string{"ada", "bob", "cy"} {
		tok, err := o.reg.AddMember(ctx, root, name, []string{registry.RoleAdmin, registry.RoleReviewer})
		if err != nil {
			t.Fatal(err)
		}
		m, err := o.reg.Authenticate(ctx, tok)
		if err != nil {
			t.Fatal(err)
		}
		actors[name] = registry.Actor{Member: m}
	}
	return o, actors
}

// adoptTwoAdmins adopts, as root, a policy with two_admins set to two; a change it becomes
// under two_admins is approved by ada.
func adoptTwoAdmins(t *testing.T, o *office, actors map[string]registry.Actor, two bool) {
	t.Helper()
	ctx := context.Background()
	src := []byte(fmt.Sprintf("two_admins: %v\nversion: 1\nname: two-admins\nrules:\n  - name: d\n    default: true\n    require:\n      approvals: [{role: reviewer}]\n      signatures: [{role: signer}]\n", two))
	p, err := policy.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	_, err = o.reg.AdoptPolicy(ctx, o.actors["root"], p, src)
	if c := registry.Proposed(err); c != nil {
		_, err = o.reg.ApproveChange(ctx, actors["ada"], c.ID)
	}
	if err != nil {
		t.Fatal(err)
	}
}

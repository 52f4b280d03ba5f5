package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"testing"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/server"
)

// rolesForm returns the fields a browser posts from the members page's roles form of member
// name, as the page was rendered: its hidden fields, and the boxes ticked as the page shows
// them plus those in tick.
func rolesForm(t *testing.T, page, name string, tick ...string) url.Values {
	t.Helper()
	form := regexp.MustCompile(`(?s)<form method="post" action="/admin/members/` + regexp.QuoteMeta(name) + `/roles">(.*?)</form>`).FindStringSubmatch(page)
	if form == nil {
		t.Fatalf("no roles form for %s in the members page", name)
	}
	v := url.Values{}
	for _, m := range regexp.MustCompile(`<input type="hidden" name="([^"]*)" value="([^"]*)">`).FindAllStringSubmatch(form[1], -1) {
		v.Add(m[1], m[2])
	}
	for _, m := range regexp.MustCompile(`<input type="checkbox" name="role" value="([^"]*)"( checked)?>`).FindAllStringSubmatch(form[1], -1) {
		if m[2] != "" || slices.Contains(tick, m[1]) {
			v.Add("role", m[1])
		}
	}
	return v
}

// TestRolesFormChangesOnlyWhatItShowed: the members page's roles form changes the roles its
// admin ticked or unticked, not the roles changed by someone else since the page was shown.
// It posted the whole set of ticked boxes, and the server took the difference with the
// member's roles at the time of the post: a role another admin gave meanwhile was taken away
// (and with the signer role, the member's keys), and a role another admin had just taken
// away, to answer a leaked account at once, was given back, by an admin who only meant to
// tick another box.
func TestRolesFormChangesOnlyWhatItShowed(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t, server.Config{})
	root := o.actors["root"]
	if err := o.reg.SetPassword(ctx, root, "root", password("root")); err != nil {
		t.Fatal(err)
	}
	if _, err := o.reg.SetRoles(ctx, root, "sam", []string{registry.RoleReviewer}, nil); err != nil {
		t.Fatal(err)
	}
	admin := o.client()
	admin.signIn("root")
	_, page := admin.get("/admin/members")
	ritaForm := rolesForm(t, page, "rita", registry.RoleDrafter)
	samForm := rolesForm(t, page, "sam", registry.RoleDrafter)

	// Meanwhile, another admin gives rita the signer role and takes sam's away.
	if _, err := o.reg.SetRoles(ctx, root, "rita", []string{registry.RoleSigner}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := o.reg.SetRoles(ctx, root, "sam", nil, []string{registry.RoleSigner}); err != nil {
		t.Fatal(err)
	}

	// The admin ticks drafter for each, on the page as it was shown.
	for _, tc := range []struct {
		name string
		form url.Values
		want []string
	}{
		{"rita", ritaForm, []string{registry.RoleDrafter, registry.RoleReviewer, registry.RoleSigner}},
		{"sam", samForm, []string{registry.RoleDrafter, registry.RoleReviewer}},
	} {
		if resp, body := admin.post("/admin/members/"+tc.name+"/roles", tc.form); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s's roles form: %s\n%s", tc.name, resp.Status, body)
		}
		v, err := o.reg.Member(ctx, root, tc.name)
		if err != nil {
			t.Fatal(err)
		}
		got := slices.Sorted(slices.Values(v.Roles))
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s's roles after the form that ticked drafter: %v, want %v", tc.name, got, tc.want)
		}
	}
}

package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/policy"
	"github.com/chancery/chancery/internal/server"
)

// TestMembersPageNamesIdleOfficeRoles: an admin who gave a member the office's role legal
// alone, on the members page as at the command line, was told nothing, and the member's
// inbox then showed nothing waiting and no approve button, without saying why: only
// reviewers approve. The members page now says, for each member holding an office role
// without reviewer or signer, that none of their approvals or signatures can count.
func TestMembersPageNamesIdleOfficeRoles(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t, server.Config{})
	src := []byte("version: 1\nname: legal-review\nrules:\n  - name: foreign\n    when: letter.class == \"foreign-government\"\n    require:\n      approvals: [{role: legal}]\n  - name: d\n    default: true\n    require:\n      approvals: [{role: reviewer}]\n")
	p, err := policy.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.reg.AdoptPolicy(ctx, o.actors["root"], p, src); err != nil {
		t.Fatal(err)
	}
	if _, err := o.reg.AddMember(ctx, o.actors["root"], "lex", []string{"legal"}); err != nil {
		t.Fatal(err)
	}
	if _, err := o.reg.AddMember(ctx, o.actors["root"], "lea", []string{"reviewer", "legal"}); err != nil {
		t.Fatal(err)
	}
	if err := o.reg.SetPassword(ctx, o.actors["root"], "root", password("root")); err != nil {
		t.Fatal(err)
	}
	admin := o.client()
	admin.signIn("root")
	_, body := admin.get("/admin/members")
	if !strings.Contains(body, "lex holds legal without reviewer or signer: only reviewers approve and only signers sign") {
		t.Errorf("the members page does not say that lex's legal role counts for nothing:\n%s", body)
	}
	if strings.Contains(body, "lea holds") {
		t.Error("the members page warns about lea, who holds reviewer and legal")
	}
	if _, err := o.reg.SetRoles(ctx, o.actors["root"], "lex", []string{"reviewer"}, nil); err != nil {
		t.Fatal(err)
	}
	if _, body := admin.get("/admin/members"); strings.Contains(body, "idle-roles") {
		t.Error("the members page still warns once lex holds reviewer")
	}
}

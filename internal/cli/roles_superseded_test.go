package cli_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
	"github.com/chancery/chancery/internal/policy"
	"github.com/chancery/chancery/internal/registry"
)

// TestRoleTakenNamesTheChangesItSuperseded: a role taken away at once (one admin's, under
// two_admins too) refuses every pending role change about the member as superseded, as an
// approved role change refuses those proposed before it; 'change approve' named each on
// stderr, and 'member token' and 'member enable' name those they supersede, but 'member roles
// --remove' refused them in silence, the other admin's proposal gone with no word to the admin
// who took the role (fifty-ninth session's review of a9c61e4). It names each now, as they do.
func TestRoleTakenNamesTheChangesItSuperseded(t *testing.T) {
	o := newOffice(t)
	ctx := context.Background()
	ada, err := o.reg.AddMember(ctx, o.actors["root"], "ada", []string{registry.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	o.add("ada", ada)
	if code, out, errs := o.run("root", "member", "roles", "sam", "--add", "drafter"); code != cli.ExitOK {
		t.Fatalf("member roles sam --add drafter: status %d\n%s%s", code, out, errs)
	}
	src := []byte("two_admins: true\nversion: 1\nname: two\nrules:\n  - name: d\n    default: true\n    require:\n      approvals: [{role: reviewer}]\n      signatures: [{role: signer}]\n")
	p, err := policy.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.reg.AdoptPolicy(ctx, o.actors["root"], p, src); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := o.run("root", "member", "roles", "sam", "--add", "reviewer"); code != cli.ExitProposed || !strings.Contains(errs, "proposed as change 1") {
		t.Fatalf("member roles sam --add reviewer under two_admins: status %d\n%s%s, want change 1 proposed", code, out, errs)
	}
	code, out, errs := o.run("ada", "member", "roles", "sam", "--remove", "drafter")
	if code != cli.ExitOK || out != "sam: signer\n" {
		t.Fatalf("member roles sam --remove drafter: status %d\n%s%s", code, out, errs)
	}
	if want := "refused change 1: roles of sam: +reviewer, proposed by root: superseded by this role change\n"; !strings.Contains(errs, want) {
		t.Errorf("member roles sam --remove drafter said on stderr:\n%s\nwant %q", errs, want)
	}
}

package cli_test

import (
	"context"
	"encoding/json"
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
	adoptTwoAdmins(t, o)
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

// TestRolesJSONNamesTheChangesItSuperseded: 'member token --json', 'member enable --json'
// and 'change approve --json' list the changes they superseded as superseded, as the API's
// answers do, but 'member roles' had no --json: a script taking a role away read on stderr
// alone the role changes it refused (fifty-ninth session's fix task on superseded changes).
// It prints the API's answer now: the member, and superseded, absent when none.
func TestRolesJSONNamesTheChangesItSuperseded(t *testing.T) {
	o := newOffice(t)
	ctx := context.Background()
	ada, err := o.reg.AddMember(ctx, o.actors["root"], "ada", []string{registry.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	o.add("ada", ada)
	// None superseded: no superseded.
	if code, out, errs := o.run("root", "member", "roles", "sam", "--add", "drafter", "--json"); code != cli.ExitOK || !strings.Contains(out, `"name":"sam"`) || strings.Contains(out, "superseded") {
		t.Fatalf("member roles sam --add drafter --json (nothing pending): status %d\n%s%s, want the member without superseded", code, out, errs)
	}
	adoptTwoAdmins(t, o)
	if code, out, errs := o.run("root", "member", "roles", "sam", "--add", "reviewer"); code != cli.ExitProposed {
		t.Fatalf("member roles sam --add reviewer under two_admins: status %d\n%s%s, want it proposed", code, out, errs)
	}
	code, out, errs := o.run("ada", "member", "roles", "sam", "--remove", "drafter", "--json")
	var got struct {
		Name       string                `json:"name"`
		Roles      []string              `json:"roles"`
		Superseded []registry.ChangeView `json:"superseded"`
	}
	if code != cli.ExitOK || json.Unmarshal([]byte(out), &got) != nil {
		t.Fatalf("member roles sam --remove drafter --json: status %d\n%s%s", code, out, errs)
	}
	if got.Name != "sam" || strings.Join(got.Roles, ",") != "signer" || len(got.Superseded) != 1 ||
		got.Superseded[0].ID != 1 || got.Superseded[0].Kind != registry.ChangeRoles || got.Superseded[0].ProposedBy != "root" ||
		strings.Join(got.Superseded[0].Add, ",") != "reviewer" || got.Superseded[0].State != "refused" {
		t.Errorf("member roles sam --remove drafter --json printed %s, want sam with signer and change 1 (+reviewer, root's, refused) superseded", out)
	}
}

// adoptTwoAdmins adopts, as root, a policy under which an admin's change of members, keys or
// policy needs a second admin's approval (two_admins).
func adoptTwoAdmins(t *testing.T, o *office) {
	t.Helper()
	src := []byte("two_admins: true\nversion: 1\nname: two\nrules:\n  - name: d\n    default: true\n    require:\n      approvals: [{role: reviewer}]\n      signatures: [{role: signer}]\n")
	p, err := policy.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.reg.AdoptPolicy(context.Background(), o.actors["root"], p, src); err != nil {
		t.Fatal(err)
	}
}

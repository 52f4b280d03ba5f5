package registry

import (
	"context"
	"testing"

	"github.com/chancery/chancery/internal/policy"
)

// TestPolicyRoleNamesAsTheyRead: role names in a policy were neither put in NFC (as member
// names, classes and tags are) nor compared as they read (found by audit, forty-ninth
// session). A policy that asked for "légal" written with a combining accent could not have
// that role given by an admin who typed it, and the refusal listed a role that read exactly as
// the one typed; a policy could name "legal" and "lеgal" (Cyrillic е), two roles that read as
// one. Roles are put in NFC, where a policy names them and where an admin types them, and two
// that read as one are refused.
func TestPolicyRoleNamesAsTheyRead(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	src := []byte("version: 1\nname: roles\nrules:\n  - name: legal\n    when: letter.class == \"foreign-government\"\n" +
		"    require:\n      approvals: [{role: \"le\u0301gal\"}]\n  - name: default\n    default: true\n" +
		"    require:\n      approvals: [{role: reviewer}]\n")
	p, err := policy.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.AdoptPolicy(ctx, o.admin, p, src); err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.SetRoles(ctx, o.admin, "rita", []string{"l\u00e9gal"}, nil); err != nil {
		t.Errorf("the role the policy names, typed as it reads, is refused: %v", err)
	}
	src2 := []byte("version: 1\nname: roles2\nrules:\n  - name: a\n    when: letter.class == \"a\"\n" +
		"    require:\n      approvals: [{role: legal}]\n  - name: b\n    when: letter.class == \"b\"\n" +
		"    require:\n      approvals: [{role: \"l\u0435gal\"}]\n  - name: default\n    default: true\n" +
		"    require:\n      approvals: [{role: reviewer}]\n")
	if p2, err := policy.Parse(src2); err == nil {
		t.Errorf("a policy naming two roles that read as one compiles: roles %q", p2.Roles())
	}
}

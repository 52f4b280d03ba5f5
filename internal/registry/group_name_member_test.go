package registry

import (
	"context"
	"errors"
	"testing"
)

// TestNewMemberReadingAsAGroupNameIsRefused: a policy's group may list a name that is no
// member's yet, for a member added later. A member added under a name that reads as that one
// without being it ("Carol", "\u0441arol" with a Cyrillic с, beside the listed "carol") is never
// counted by the group, and the name the group lists can then never be a member's (it reads
// as theirs): the group's seat stays empty until another policy is adopted. Such a name is
// refused, by an admin's hand and at a provider's first sign-in; the name as listed is added.
func TestNewMemberReadingAsAGroupNameIsRefused(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	o.adopt(t, `version: 1
name: signers
groups:
  command-signers: [sam, carol]
rules:
  - name: default
    default: true
    require:
      approvals: [{role: reviewer}]
      signatures: [{group: command-signers, count: 2}]
`)
	for _, name := range []string{"Carol", "\u0441arol"} {
		if _, err := o.r.AddMember(ctx, o.admin, name, []string{RoleSigner}); !errors.Is(err, ErrConflict) {
			t.Errorf("member %+q beside the group's carol: %v, want ErrConflict", name, err)
		}
	}
	if _, err := o.r.SignInExternal(ctx, ExternalSignIn{Source: "https://idp.example", Subject: "u1", Name: "CAROL",
		Roles: []string{RoleSigner}, Managed: []string{RoleSigner}}); !errors.Is(err, ErrUnauthenticated) {
		t.Errorf("provider user CAROL beside the group's carol: %v, want ErrUnauthenticated", err)
	}
	if _, err := o.r.AddMember(ctx, o.admin, "carol", []string{RoleSigner}); err != nil {
		t.Fatalf("the name the group lists: %v", err)
	}
}

package registry

import (
	"context"
	"testing"

	"github.com/chancery/chancery/internal/store"
)

func TestAdminRoleAddedToAnAdminRefusesNone(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { adminRoleAddedToAnAdminRefusesNone(t, newOffice(t)) })
	t.Run("postgres", func(t *testing.T) { adminRoleAddedToAnAdminRefusesNone(t, postgresOffice(t)) })
}

// adminRoleAddedToAnAdminRefusesNone: a role change whose roles given named the admin role
// beside another (`chancery member roles ada --add admin,signer`, proposed and approved under
// two_admins) refused every change ada had proposed that still waited, "ada was given the admin
// role again after losing it", though ada held the admin role all along and lost nothing
// (found by review of abf388d, sixtieth session: the refusals it names). Only a role change
// that gives the admin role to a member without it refuses them.
func adminRoleAddedToAnAdminRefusesNone(t *testing.T, o *office) {
	ctx := context.Background()
	root, ada, bob := threeAdminsTwoNeeded(t, o)
	_, err := o.r.IssueToken(ctx, ada, "sam")
	tok := proposed(t, err, ChangeToken, "ada")
	_, err = o.r.SetRoles(ctx, bob, "ada", []string{RoleAdmin, RoleSigner}, nil)
	roles := proposed(t, err, ChangeRoles, "bob")
	res, err := o.r.ApproveChange(ctx, root, roles.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Member.HasRole(RoleSigner) || !res.Member.HasRole(RoleAdmin) {
		t.Fatalf("ada's roles after the change: %v", res.Member.Roles)
	}
	c, err := o.r.Change(ctx, root, tok.ID)
	if err != nil {
		t.Fatal(err)
	}
	if c.State != store.ChangePending {
		t.Errorf("ada's new token for sam once she, an admin all along, was given the signer role: %s by %q, want pending", c.State, c.DecidedBy)
	}
	if got := changeEvents(t, o); len(got) != 1 {
		t.Errorf("audit trail: %q, want the approval alone", got)
	}
}

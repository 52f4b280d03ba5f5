package registry

import (
	"context"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/store"
)

func TestProviderSignInKeepingTheAdminRoleRefusesNothing(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { providerSignInKeepingTheAdminRoleRefusesNothing(t, newOffice(t)) })
	t.Run("postgres", func(t *testing.T) { providerSignInKeepingTheAdminRoleRefusesNothing(t, postgresOffice(t)) })
}

// providerSignInKeepingTheAdminRoleRefusesNothing: a provider's admin whose claim no longer
// gives the admin role keeps it while the office would be left without the admins the policy
// asks for; the sync appended it after the other roles and compared the lists in order, so a
// member whose roles were stored with the admin role first had them "changed" (the same roles
// in another order) at that sign-in: a role change about them still waiting for a second
// admin was refused as superseded, and "member.roles olga:  (now reviewer,admin)" audited,
// though no role had changed (found by review of 9c755a4, sixtieth session).
func providerSignInKeepingTheAdminRoleRefusesNothing(t *testing.T, o *office) {
	ctx := context.Background()
	root := o.admin
	managed := []string{RoleReviewer, RoleSigner, RoleAdmin}
	if _, err := o.signInAs("sub-olga", "olga", managed, RoleAdmin, RoleReviewer); err != nil {
		t.Fatal(err)
	}
	p, src := twoAdminsPolicy(t, true)
	if _, err := o.r.AdoptPolicy(ctx, root, p, src); err != nil {
		t.Fatal(err)
	}
	_, err := o.r.SetRoles(ctx, root, "olga", []string{RoleSigner}, nil)
	c := proposed(t, err, ChangeRoles, "root")
	before := changeEvents(t, o)

	// Two admins are needed: olga keeps the admin role her claim no longer gives.
	m, err := o.signInAs("sub-olga", "olga", managed, RoleReviewer)
	if err != nil {
		t.Fatal(err)
	}
	if !m.HasRole(RoleAdmin) || !m.HasRole(RoleReviewer) || len(m.Roles) != 2 {
		t.Fatalf("olga's roles after the sign-in: %v, want admin and reviewer kept", m.Roles)
	}
	got, err := o.r.Change(ctx, root, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != store.ChangePending {
		t.Errorf("root's role change for olga after a sign-in that changed none of her roles: %s by %q, want pending", got.State, got.DecidedBy)
	}
	if after := changeEvents(t, o); len(after) != len(before) {
		t.Errorf("audit trail after a sign-in that changed nothing: %q, want %q", after, before)
	}
	var roleEvents []string
	err = o.r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		evs, err := tx.AuditEvents(ctx, "")
		for _, e := range evs {
			if e.Action == "member.roles" && strings.HasPrefix(e.Detail, "olga:") {
				roleEvents = append(roleEvents, e.Detail)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(roleEvents) != 0 {
		t.Errorf("a sign-in that changed none of olga's roles audited %q", roleEvents)
	}
}

package registry

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/store"
)

func TestChangesOfAnAdminCutOffStayRefused(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { changesOfAnAdminCutOffStayRefused(t, newOffice(t)) })
	t.Run("postgres", func(t *testing.T) { changesOfAnAdminCutOffStayRefused(t, postgresOffice(t)) })
}

// changesOfAnAdminCutOffStayRefused checks that what an admin proposed does not come back
// when the admin is enabled again, or given the admin role back: whoever held the account
// when it was disabled, or lost the role, may have proposed it, and a second admin would see
// it as the admin's, as voided approvals stay void.
func changesOfAnAdminCutOffStayRefused(t *testing.T, o *office) {
	ctx := context.Background()
	root := o.admin
	ada := o.member(t, "ada", RoleAdmin, RoleDrafter)
	bea := o.member(t, "bea", RoleAdmin)
	p2, src2 := twoAdminsPolicy(t, true)
	if _, err := o.r.AdoptPolicy(ctx, root, p2, src2); err != nil {
		t.Fatal(err)
	}

	// Disabled, then enabled again by two admins.
	_, err := o.r.AddMember(ctx, ada, "mallory", []string{RoleReviewer, RoleSigner})
	add := proposed(t, err, ChangeAddMember, "ada")
	if _, err := o.r.DisableMember(ctx, root, "ada"); err != nil {
		t.Fatal(err)
	}
	_, err = o.r.EnableMember(ctx, root, "ada")
	enable := proposed(t, err, ChangeEnable, "root")
	enabled, err := o.r.ApproveChange(ctx, bea, enable.ID)
	if err != nil {
		t.Fatal(err)
	}
	if res, err := o.r.ApproveChange(ctx, bea, add.ID); !errors.Is(err, ErrConflict) {
		t.Errorf("a change proposed before its proposer was disabled, approved once they are enabled: %+v, %v; want ErrConflict", res, err)
	}
	if c, err := o.r.Change(ctx, root, add.ID); err != nil || c.State != store.ChangeRefused {
		t.Errorf("the change of a disabled admin: %+v, %v; want it refused", c, err)
	}

	// The admin role taken, then given back by two admins.
	ada = o.actor(t, enabled.Token)
	_, err = o.r.AddMember(ctx, ada, "trudy", []string{RoleReviewer})
	add = proposed(t, err, ChangeAddMember, "ada")
	if _, err := o.r.SetRoles(ctx, root, "ada", nil, []string{RoleAdmin}); err != nil {
		t.Fatal(err)
	}
	_, err = o.r.SetRoles(ctx, root, "ada", []string{RoleAdmin}, nil)
	give := proposed(t, err, ChangeRoles, "root")
	if _, err := o.r.ApproveChange(ctx, bea, give.ID); err != nil {
		t.Fatal(err)
	}
	if res, err := o.r.ApproveChange(ctx, bea, add.ID); !errors.Is(err, ErrConflict) {
		t.Errorf("a change proposed before its proposer lost the admin role, approved once it is given back: %+v, %v; want ErrConflict", res, err)
	}
	if c, err := o.r.Change(ctx, root, add.ID); err != nil || c.State != store.ChangeRefused {
		t.Errorf("the change of an admin who lost the role: %+v, %v; want it refused", c, err)
	}

	// The admin role taken by the identity provider at a sign-in, then given back by it.
	managed := []string{RoleAdmin, RoleDrafter}
	pm, err := o.signInAs("sub-pia", "pia", managed, RoleAdmin, RoleDrafter)
	if err != nil {
		t.Fatal(err)
	}
	_, err = o.r.AddMember(ctx, Actor{Member: pm, Remote: "test"}, "oscar", []string{RoleReviewer})
	add = proposed(t, err, ChangeAddMember, "pia")
	if m, err := o.signInAs("sub-pia", "pia", managed, RoleDrafter); err != nil || m.HasRole(RoleAdmin) {
		t.Fatalf("a claim without admin: %v, %v", m, err)
	}
	if m, err := o.signInAs("sub-pia", "pia", managed, RoleAdmin, RoleDrafter); err != nil || !m.HasRole(RoleAdmin) {
		t.Fatalf("the claim gives admin again: %v, %v", m, err)
	}
	if res, err := o.r.ApproveChange(ctx, bea, add.ID); !errors.Is(err, ErrConflict) {
		t.Errorf("a change proposed before the provider took its proposer's admin role, approved once it gives it back: %+v, %v; want ErrConflict", res, err)
	}
}

// TestChangesLeftPendingByOlderBuildsRefused: builds before TestChangesOfAnAdminCutOffStayRefused's
// fix kept a disabled admin's changes, and those of an admin who lost the role, pending. Such
// a change, still within its 7 days, is refused when its proposer is enabled again or given
// the admin role back, rather than carried out under their name.
func TestChangesLeftPendingByOlderBuildsRefused(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { changesLeftPendingByOlderBuildsRefused(t, newOffice(t)) })
	t.Run("postgres", func(t *testing.T) { changesLeftPendingByOlderBuildsRefused(t, postgresOffice(t)) })
}

func changesLeftPendingByOlderBuildsRefused(t *testing.T, o *office) {
	ctx := context.Background()
	root := o.admin
	ada := o.member(t, "ada", RoleAdmin, RoleDrafter)
	bea := o.member(t, "bea", RoleAdmin)
	p2, src2 := twoAdminsPolicy(t, true)
	if _, err := o.r.AdoptPolicy(ctx, root, p2, src2); err != nil {
		t.Fatal(err)
	}
	// As an older build did: the account disabled, its change left pending.
	_, err := o.r.AddMember(ctx, ada, "mallory", []string{RoleReviewer, RoleSigner})
	add := proposed(t, err, ChangeAddMember, "ada")
	if err := o.r.cfg.DB.Update(ctx, func(tx *store.Tx) error { return tx.SetMemberDisabled(ctx, ada.Member.ID, time.Now()) }); err != nil {
		t.Fatal(err)
	}
	_, err = o.r.EnableMember(ctx, root, "ada")
	enable := proposed(t, err, ChangeEnable, "root")
	enabled, err := o.r.ApproveChange(ctx, bea, enable.ID)
	if err != nil {
		t.Fatal(err)
	}
	if res, err := o.r.ApproveChange(ctx, bea, add.ID); !errors.Is(err, ErrConflict) {
		t.Errorf("a change left pending by an older build's disabling, approved once its proposer is enabled: %+v, %v; want ErrConflict", res, err)
	}
	// As an older build did: the admin role taken, the change left pending.
	ada = o.actor(t, enabled.Token)
	_, err = o.r.AddMember(ctx, ada, "trudy", []string{RoleReviewer})
	add = proposed(t, err, ChangeAddMember, "ada")
	if err := o.r.cfg.DB.Update(ctx, func(tx *store.Tx) error { return tx.SetMemberRoles(ctx, ada.Member.ID, []string{RoleDrafter}) }); err != nil {
		t.Fatal(err)
	}
	_, err = o.r.SetRoles(ctx, root, "ada", []string{RoleAdmin}, nil)
	give := proposed(t, err, ChangeRoles, "root")
	if _, err := o.r.ApproveChange(ctx, bea, give.ID); err != nil {
		t.Fatal(err)
	}
	if res, err := o.r.ApproveChange(ctx, bea, add.ID); !errors.Is(err, ErrConflict) {
		t.Errorf("a change left pending by an older build's taking of the admin role, approved once it is given back: %+v, %v; want ErrConflict", res, err)
	}
}

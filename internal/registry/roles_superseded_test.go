package registry

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/chancery/chancery/internal/store"
)

func TestRoleChangeSupersedesEarlierOnes(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { roleChangeSupersedesEarlierOnes(t, newOffice(t)) })
	t.Run("postgres", func(t *testing.T) { roleChangeSupersedesEarlierOnes(t, postgresOffice(t)) })
}

// roleChangeSupersedesEarlierOnes: under two_admins with three admins, a role change proposed
// for sam stayed pending when another role change of his was carried out, and approved after
// a role was taken from him at once (one admin may) it gave the role back, for a reason that
// came before the taking (fifty-ninth session's not-fixed list). A role change carried out now
// refuses, in its transaction, the pending role changes about sam proposed before it, as
// superseded; those proposed after it stay; one made at once refuses them all. An admin's
// approval of a change about themselves supersedes too.
func roleChangeSupersedesEarlierOnes(t *testing.T, o *office) {
	ctx := context.Background()
	root, ada, bob := threeAdminsTwoNeeded(t, o)
	state := func(id int64) (string, string) {
		t.Helper()
		c, err := o.r.Change(ctx, root, id)
		if err != nil {
			t.Fatal(err)
		}
		return c.State, c.DecidedBy
	}

	// Approved: the earlier one is refused, and the approving admin is told.
	_, err := o.r.SetRoles(ctx, root, "sam", []string{RoleReviewer}, nil)
	a := proposed(t, err, ChangeRoles, "root")
	_, err = o.r.SetRoles(ctx, bob, "sam", []string{RoleReviewer, RoleDrafter}, nil)
	b := proposed(t, err, ChangeRoles, "bob")
	_, err = o.r.IssueToken(ctx, bob, "sam")
	tok := proposed(t, err, ChangeToken, "bob")
	res, err := o.r.ApproveChange(ctx, ada, b.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Superseded) != 1 || res.Superseded[0].ID != a.ID || res.Superseded[0].State != store.ChangeRefused || res.Superseded[0].ProposedBy != "root" {
		t.Errorf("the approval's superseded changes: %+v, want root's change %d, refused", res.Superseded, a.ID)
	}
	if s, by := state(a.ID); s != store.ChangeRefused || by != "ada" {
		t.Errorf("root's role change for sam after bob's was approved: %s by %q, want refused by ada", s, by)
	}
	want := fmt.Sprintf("ada change.refuse change %d: member.roles sam: +reviewer: superseded by change %d (the roles of sam were changed)", a.ID, b.ID)
	if got := changeEvents(t, o); !slices.Contains(got, want) {
		t.Errorf("audit trail %q, want %q", got, want)
	}
	if s, _ := state(tok.ID); s != store.ChangePending {
		t.Errorf("bob's new token for sam after a role change: %s, want pending", s)
	}

	// Approved: one proposed after it stays; taking a role at once refuses it, and it no
	// longer gives the role back.
	_, err = o.r.SetRoles(ctx, root, "sam", []string{RoleRelease}, nil)
	c := proposed(t, err, ChangeRoles, "root")
	_, err = o.r.SetRoles(ctx, bob, "sam", []string{RoleRelease}, []string{RoleDrafter})
	d := proposed(t, err, ChangeRoles, "bob")
	res, err = o.r.ApproveChange(ctx, ada, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Superseded) != 0 {
		t.Errorf("the approval's superseded changes: %+v, want none (bob's was proposed after it)", res.Superseded)
	}
	if s, _ := state(d.ID); s != store.ChangePending {
		t.Errorf("bob's role change for sam, proposed after root's, once root's was approved: %s, want pending", s)
	}
	if _, err := o.r.SetRoles(ctx, ada, "sam", nil, []string{RoleRelease}); err != nil {
		t.Fatal(err)
	}
	if s, by := state(d.ID); s != store.ChangeRefused || by != "ada" {
		t.Errorf("bob's role change for sam once ada took the release role: %s by %q, want refused by ada", s, by)
	}
	want = fmt.Sprintf("ada change.refuse change %d: member.roles sam: +release -drafter: superseded by the change of the roles of sam that ada made (-release)", d.ID)
	if got := changeEvents(t, o); !slices.Contains(got, want) {
		t.Errorf("audit trail %q, want %q", got, want)
	}
	if _, err := o.r.ApproveChange(ctx, root, d.ID); !errors.Is(err, ErrConflict) {
		t.Errorf("the superseded role change approved: %v, want ErrConflict", err)
	}
	if m := o.memberRecord(t, "sam"); m.HasRole(RoleRelease) {
		t.Errorf("sam's roles %v: the release role taken away was given back", m.Roles)
	}

	// An admin's approval of a role change about themselves supersedes the earlier ones.
	_, err = o.r.SetRoles(ctx, bob, "ada", []string{RoleReviewer}, nil)
	e := proposed(t, err, ChangeRoles, "bob")
	_, err = o.r.SetRoles(ctx, root, "ada", []string{RoleReviewer, RoleDrafter}, nil)
	f := proposed(t, err, ChangeRoles, "root")
	if _, err := o.r.ApproveChange(ctx, ada, f.ID); err != nil {
		t.Fatal(err)
	}
	if s, by := state(e.ID); s != store.ChangeRefused || by != "ada" {
		t.Errorf("bob's role change for ada once ada approved root's: %s by %q, want refused by ada", s, by)
	}
}

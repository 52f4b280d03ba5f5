package registry

import (
	"context"
	"errors"
	"testing"
)

// TestRoleChangeProposedOnlyIfItCanBeDone: under two_admins, a role change that could not be
// carried out as things stand (a role the member holds already, perhaps given by another change
// meanwhile; a role to take that they do not hold; no role left) is refused when proposed, as a
// member added twice or a policy already in force is. Before, it was recorded and waited for a
// second admin whose approval could only fail ("nothing changes"), taking one of the proposer's
// pending changes, and stayed on the list until refused.
func TestRoleChangeProposedOnlyIfItCanBeDone(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	root := o.admin
	ada := o.member(t, "ada", RoleAdmin, RoleReviewer)
	p2, src2 := twoAdminsPolicy(t, true)
	if _, err := o.r.AdoptPolicy(ctx, root, p2, src2); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name        string
		add, remove []string
		want        error
	}{
		{"a role held already", []string{RoleReviewer}, nil, ErrConflict},
		{"roles held already", []string{RoleAdmin, RoleReviewer}, nil, ErrConflict},
		{"a role to take that is not held", []string{RoleSigner}, []string{RoleDrafter}, ErrInvalid},
	} {
		_, err := o.r.SetRoles(ctx, root, "ada", tc.add, tc.remove)
		if c := Proposed(err); c != nil || !errors.Is(err, tc.want) {
			t.Errorf("%s: proposed %v, %v; want %v", tc.name, c, err, tc.want)
		}
	}
	// Given by a change, then proposed again: refused.
	_, err := o.r.SetRoles(ctx, ada, "rita", []string{RoleSigner}, nil)
	c := proposed(t, err, ChangeRoles, "ada")
	if _, err := o.r.ApproveChange(ctx, root, c.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.SetRoles(ctx, ada, "rita", []string{RoleSigner}, nil); Proposed(err) != nil || !errors.Is(err, ErrConflict) {
		t.Errorf("the role given again: %v, want ErrConflict", err)
	}
	cs, err := o.r.Changes(ctx, root)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if c.State == "pending" {
			t.Errorf("a change waits that can only fail: %+v", c)
		}
	}
	// One that can be done is proposed.
	_, err = o.r.SetRoles(ctx, root, "ada", []string{RoleSigner}, []string{RoleReviewer})
	proposed(t, err, ChangeRoles, "root")
}

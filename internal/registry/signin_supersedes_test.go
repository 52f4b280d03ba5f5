package registry

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/chancery/chancery/internal/store"
)

func TestProviderSignInSupersedesRoleChanges(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { providerSignInSupersedesRoleChanges(t, newOffice(t)) })
	t.Run("postgres", func(t *testing.T) { providerSignInSupersedesRoleChanges(t, postgresOffice(t)) })
}

// providerSignInSupersedesRoleChanges: a role change proposed for a provider's member stayed
// pending when their sign-in changed their managed roles (item 1001's rule covered only the
// admins' role changes), and approved later it gave back a role the provider had taken, until
// their next sign-in (fifty-ninth session's not-fixed list). The sync now counts as a role
// change carried out: it refuses the pending role changes about the member as superseded,
// decided by no member (shown as the operator's, as the recovery's refusals are), and only
// when it changed something; the member's other pending changes stay.
func providerSignInSupersedesRoleChanges(t *testing.T, o *office) {
	ctx := context.Background()
	root, ada, bob := threeAdminsTwoNeeded(t, o)
	managed := []string{RoleReviewer, RoleSigner, RoleAdmin}
	if _, err := o.signInAs("sub-olga", "olga", managed, RoleReviewer, RoleSigner); err != nil {
		t.Fatal(err)
	}
	state := func(id int64) *ChangeView {
		t.Helper()
		c, err := o.r.Change(ctx, root, id)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	_, err := o.r.SetRoles(ctx, root, "olga", []string{RoleDrafter}, nil)
	a := proposed(t, err, ChangeRoles, "root")
	_, err = o.r.IssueToken(ctx, bob, "olga")
	tok := proposed(t, err, ChangeToken, "bob")

	// A sign-in that changes nothing refuses nothing.
	if _, err := o.signInAs("sub-olga", "olga", managed, RoleReviewer, RoleSigner); err != nil {
		t.Fatal(err)
	}
	if c := state(a.ID); c.State != store.ChangePending {
		t.Fatalf("root's role change for olga after a sign-in that changed nothing: %s, want pending", c.State)
	}

	// The provider takes the signer role: root's change is refused, as the operator's.
	if _, err := o.signInAs("sub-olga", "olga", managed, RoleReviewer); err != nil {
		t.Fatal(err)
	}
	c := state(a.ID)
	if c.State != store.ChangeRefused || c.DecidedBy != operatorName || !c.DecidedByOperator {
		t.Errorf("root's role change for olga once the provider took her signer role: %s by %q (operator %v), want refused by %q",
			c.State, c.DecidedBy, c.DecidedByOperator, operatorName)
	}
	want := fmt.Sprintf("%s change.refuse change %d: member.roles olga: +drafter: superseded by the roles olga's identity provider gave at sign-in", operatorName, a.ID)
	if got := changeEvents(t, o); !slices.Contains(got, want) {
		t.Errorf("audit trail %q, want %q", got, want)
	}
	if _, err := o.r.ApproveChange(ctx, ada, a.ID); !errors.Is(err, ErrConflict) {
		t.Errorf("the superseded role change approved: %v, want ErrConflict", err)
	}
	if c := state(tok.ID); c.State != store.ChangePending {
		t.Errorf("bob's new token for olga after her sign-in: %s, want pending", c.State)
	}

	// One proposed after that sign-in waits until the next sign-in that changes her roles.
	_, err = o.r.SetRoles(ctx, bob, "olga", []string{RoleSigner}, nil)
	b := proposed(t, err, ChangeRoles, "bob")
	if _, err := o.signInAs("sub-olga", "olga", managed, RoleReviewer, RoleSigner, RoleAdmin); err != nil {
		t.Fatal(err)
	}
	if c := state(b.ID); c.State != store.ChangeRefused || !c.DecidedByOperator {
		t.Errorf("bob's role change for olga once the provider gave her roles: %s by %q, want refused by the operator", c.State, c.DecidedBy)
	}
}

func TestProviderSignInRefusesOwnChangesAsTheOperator(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { providerSignInRefusesOwnChangesAsTheOperator(t, newOffice(t)) })
	t.Run("postgres", func(t *testing.T) { providerSignInRefusesOwnChangesAsTheOperator(t, postgresOffice(t)) })
}

// providerSignInRefusesOwnChangesAsTheOperator: a sign-in whose claim takes a provider's
// admin's role refuses the changes they proposed that still wait, as an admin's taking does
// (item 465), but recorded them decided by that member themselves: the change list and the
// members page read it as their withdrawal (found by audit, sixtieth session, doing the
// lead's decision on the provider's superseding, which refuses in the operator's name for
// that reason). They are refused as the operator's now.
func providerSignInRefusesOwnChangesAsTheOperator(t *testing.T, o *office) {
	ctx := context.Background()
	root, _, _ := threeAdminsTwoNeeded(t, o)
	managed := []string{RoleReviewer, RoleAdmin}
	olga, err := o.signInAs("sub-olga", "olga", managed, RoleReviewer, RoleAdmin)
	if err != nil {
		t.Fatal(err)
	}
	_, err = o.r.IssueToken(ctx, Actor{Member: olga, Remote: "test"}, "sam")
	c := proposed(t, err, ChangeToken, "olga")
	if _, err := o.signInAs("sub-olga", "olga", managed, RoleReviewer); err != nil {
		t.Fatal(err)
	}
	got, err := o.r.Change(ctx, root, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != store.ChangeRefused || got.DecidedBy != operatorName || !got.DecidedByOperator {
		t.Errorf("olga's new token for sam once the provider took her admin role: %s by %q, want refused by %q, not withdrawn by olga",
			got.State, got.DecidedBy, operatorName)
	}
}

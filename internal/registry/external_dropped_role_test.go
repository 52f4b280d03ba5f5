package registry

import (
	"errors"
	"slices"
	"testing"
)

// TestProviderRoleThePolicyDropped: the role map is checked against the office's roles when
// serve starts, but the office's own roles are those its policy names, and a policy adopted
// since may name one no more. A sign-in whose claim maps to such a role then failed whole
// (400 on the web pages, 500 for 'chancery login'), for every user the group holds, whatever
// else their claim gave, and their managed roles were no longer brought in line: a role the
// provider took away stayed. Now the role is passed over, as one the office does not have.
func TestProviderRoleThePolicyDropped(t *testing.T) {
	o := newOffice(t)
	o.adopt(t, legalPolicy)
	managed := []string{RoleReviewer, RoleSigner, "legal"}
	if m, err := o.signInAs("sub-lea", "lea", managed, RoleReviewer, RoleSigner, "legal"); err != nil || !m.HasRole("legal") {
		t.Fatalf("a sign-in with the policy's own role: %+v, %v", m, err)
	}
	adoptDisclosing(t, o, "without legal", "")
	// The provider took the signer role away; the claim still maps a group to legal.
	m, err := o.signInAs("sub-lea", "lea", managed, RoleReviewer, "legal")
	if err != nil {
		t.Fatalf("a sign-in whose claim maps a role the policy no longer names: %v", err)
	}
	if !slices.Equal(m.Roles, []string{RoleReviewer}) {
		t.Errorf("roles after the sign-in: %v, want [reviewer]", m.Roles)
	}
	// A claim that gives only such a role gives no role.
	if _, err := o.signInAs("sub-lea", "lea", managed, "legal"); !errors.Is(err, ErrUnauthenticated) {
		t.Errorf("a claim that maps only to a dropped role: %v, want %v", err, ErrUnauthenticated)
	}
	if _, err := o.signInAs("sub-leo", "leo", managed, "legal"); !errors.Is(err, ErrUnauthenticated) {
		t.Errorf("a new user whose claim maps only to a dropped role: %v, want %v", err, ErrUnauthenticated)
	}
}

package registry

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
)

// TestApprovalBeforeReviewerRoleTakenStaysVoid: taking the reviewer role from a member (their
// account misused, or no longer trusted to review) means the approvals they stand by to stop
// counting, as taking the signer role revokes the signer's keys (item 103) and a provider's
// sign-in that takes every role voids their approvals (item 60). The gate only asked whether
// the approver held the role at the release, so an admin, or the identity provider, giving
// the role back brought back every approval given before it was taken, on letters not yet
// released.
func TestApprovalBeforeReviewerRoleTakenStaysVoid(t *testing.T) {
	for _, tc := range []struct {
		name string
		// reviewer returns the member who approves; takeAndGiveBack takes their reviewer
		// role, leaving them another, and gives it back.
		reviewer        func(t *testing.T, o *office) Actor
		takeAndGiveBack func(t *testing.T, o *office)
	}{
		{"by an admin", func(t *testing.T, o *office) Actor { return o.reviewer }, func(t *testing.T, o *office) {
			ctx := context.Background()
			if _, err := o.r.SetRoles(ctx, o.admin, "rita", []string{RoleRelease}, []string{RoleReviewer}); err != nil {
				t.Fatal(err)
			}
			if _, err := o.r.SetRoles(ctx, o.admin, "rita", []string{RoleReviewer}, nil); err != nil {
				t.Fatal(err)
			}
		}},
		{"by the identity provider", func(t *testing.T, o *office) Actor {
			m, err := o.signInAs("sub-pia", "pia", []string{RoleReviewer, RoleRelease}, RoleReviewer, RoleRelease)
			if err != nil {
				t.Fatal(err)
			}
			return Actor{Member: m}
		}, func(t *testing.T, o *office) {
			managed := []string{RoleReviewer, RoleRelease}
			if _, err := o.signInAs("sub-pia", "pia", managed, RoleRelease); err != nil {
				t.Fatal(err)
			}
			if _, err := o.signInAs("sub-pia", "pia", managed, RoleReviewer, RoleRelease); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			o := newOffice(t)
			reviewer := tc.reviewer(t, o)
			ref := o.letter(t, "Dear Minister,\n\nThe forces will be repositioned.")
			if err := o.r.Approve(ctx, reviewer, ref, "", "reviewed"); err != nil {
				t.Fatal(err)
			}
			if err := o.sign(t, ref); err != nil {
				t.Fatal(err)
			}
			tc.takeAndGiveBack(t, o)
			rel, err := o.r.Release(ctx, o.officer, ref)
			if err == nil {
				t.Fatalf("released at log entry %d on an approval given before %s's reviewer role was taken", rel.LogIndex, reviewer.Member.Name)
			}
			var gate *GateError
			if !errors.As(err, &gate) || !slices.Contains(gate.Decision.Missing(), "1 approval by a reviewer") {
				t.Fatalf("release: %v, want the gate's refusal for the missing approval", err)
			}
			if !slices.ContainsFunc(gate.Decision.Notes, func(n string) bool { return strings.Contains(n, "roles were taken away since") }) {
				t.Errorf("the decision does not say why the approval does not count: %q", gate.Decision.Notes)
			}
			// Approving again, with the role given back, counts.
			if err := o.r.Approve(ctx, reviewer, ref, "", "reviewed again"); err != nil {
				t.Fatal(err)
			}
			if _, err := o.r.Release(ctx, o.officer, ref); err != nil {
				t.Fatalf("release on the new approval: %v", err)
			}
		})
	}
}

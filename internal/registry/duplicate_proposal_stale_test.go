package registry

import (
	"context"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/store"
)

func TestDuplicateOfAnUnapprovableChange(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { duplicateOfAnUnapprovableChange(t, newOffice(t)) })
	t.Run("postgres", func(t *testing.T) { duplicateOfAnUnapprovableChange(t, postgresOffice(t)) })
}

// duplicateOfAnUnapprovableChange: a pending change whose proposer is no longer an active
// admin (disabled, or the role taken, by a build that did not refuse their pending changes)
// can no longer be approved (checkApprover: "refuse it"), yet a proposal asking the same was
// refused as its duplicate, "change 5 already asks this: approve it", an approval that could
// only fail (fifty-ninth session's review of 2e995df). As one past its 7 days, it does not
// count now: the proposal is made.
func duplicateOfAnUnapprovableChange(t *testing.T, o *office) {
	ctx := context.Background()
	root, ada, bob := threeAdminsTwoNeeded(t, o)
	_, err := o.r.IssueToken(ctx, bob, "sam")
	old := proposed(t, err, ChangeToken, "bob")
	// bob disabled as an older build did it, leaving his change pending.
	if err := o.r.cfg.DB.Update(ctx, func(tx *store.Tx) error { return tx.SetMemberDisabled(ctx, bob.Member.ID, time.Now()) }); err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.ApproveChange(ctx, ada, old.ID); err == nil {
		t.Fatalf("bob's change %d approved while bob is disabled", old.ID)
	}
	_, err = o.r.IssueToken(ctx, root, "sam")
	c := proposed(t, err, ChangeToken, "root")
	if _, err := o.r.ApproveChange(ctx, ada, c.ID); err != nil {
		t.Errorf("root's new token for sam beside bob's unapprovable one: %v", err)
	}
}

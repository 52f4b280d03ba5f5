package registry

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/chancery/chancery/internal/store"
)

// TestDisableReadsOnlyDrafts: disabling a member voids, in the writer's transaction, their
// approvals on letters not released. It read every decision the member ever gave, and asked
// for the release of each letter: a reviewer's years of released letters made every disabling
// (and every taking of roles) hold the writer longer. The released letters are not read now:
// the allocations stay those of the drafts, and the draft's approval is still voided.
func TestDisableReadsOnlyDrafts(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	draft := o.letter(t, "Dear Minister, a draft approved.")
	o.approve(t, draft)
	errUndo := errors.New("undone")
	void := func() float64 {
		return testing.AllocsPerRun(3, func() {
			err := o.r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
				if err := o.r.voidApprovals(ctx, tx, o.admin, o.reviewer.Member, voidedRole); err != nil {
					return err
				}
				return errUndo
			})
			if !errors.Is(err, errUndo) {
				t.Fatal(err)
			}
		})
	}
	one := void()
	for i := range 40 {
		o.released(t, fmt.Sprintf("Dear Minister, letter %d, released.", i))
	}
	many := void()
	t.Logf("allocations voiding with one draft: %.0f; with 40 letters released besides: %.0f", one, many)
	// A letter read and its release asked for cost some thirty allocations: forty, a thousand.
	if many > one+300 {
		t.Errorf("voiding approvals allocates %.0f with 40 released letters, %.0f without: it reads the released letters", many, one)
	}
	if _, err := o.r.DisableMember(ctx, o.admin, "rita"); err != nil {
		t.Fatal(err)
	}
	err := o.r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		l, err := tx.LetterByRef(ctx, draft)
		if err != nil {
			return err
		}
		aps, err := tx.Approvals(ctx, l.ID)
		if err != nil {
			return err
		}
		if last := aps[len(aps)-1]; len(aps) != 2 || last.MemberID != o.reviewer.Member.ID || last.Decision != "reject" || last.Role != voidedRole {
			t.Errorf("the draft's decisions after rita was disabled: %+v; want her approval voided", aps)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

package registry

import (
	"context"
	"errors"
	"testing"

	"github.com/chancery/chancery/internal/store"
)

// TestLookAlikeSecondAccountDoesNotCountForTheDrafter: an account whose name reads as the
// drafter's (stored before such names were refused; docs/security.md keeps them and lists them
// to the operator) approved the drafter's letter, and it was released on that approval: the
// gate told the drafter from their second account by the account, while the release statement,
// the log and the audit trail show one name. Names that read as one are one person at the gate.
func TestLookAlikeSecondAccountDoesNotCountForTheDrafter(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	var tok string
	err := o.r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		var hash []byte
		tok, hash = NewToken()
		_, err := tx.AddMember(ctx, "Dana", []string{RoleReviewer}, hash, o.r.now())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	second := o.actor(t, tok)
	ref := o.letter(t, "Dear Minister, ...") // drafted by dana
	if err := o.r.Approve(ctx, second, ref, "", "fine"); err != nil {
		t.Fatal(err)
	}
	if err := o.sign(t, ref); err != nil {
		t.Fatal(err)
	}
	var gate *GateError
	if err := tryRelease(o, ref); !errors.As(err, &gate) {
		t.Fatalf("released on the approval of the drafter's second account (%v)", err)
	}
	// Another reviewer's approval releases it, and the statement names who counted.
	o.approve(t, ref)
	rel, err := o.r.Release(ctx, o.officer, ref)
	if err != nil {
		t.Fatal(err)
	}
	res, err := o.verifier.VerifyBytes(rel.Seal, rel.File)
	if err != nil {
		t.Fatal(err)
	}
	if a := res.Statement.Approvals; len(a) != 1 || a[0].Member != "rita" {
		t.Errorf("approvals in the statement: %+v", a)
	}
}

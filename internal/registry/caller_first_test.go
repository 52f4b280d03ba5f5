package registry

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/store"
)

// TestCallerFirst calls every exported Registry method of the release, withdrawal, erasure,
// export, verification and review paths with input each would refuse as invalid, as an
// anonymous caller and as a member without the role it needs: the caller is judged first, so
// they are told ErrUnauthenticated and ErrForbidden, never what was wrong with the input.
func TestCallerFirst(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	ref := o.letter(t, "Dear Minister, a letter whose callers are judged first.")
	bad := strings.Repeat("x", 5000) // longer than any field takes
	const badDigest = "sha256:not-a-digest"
	// A member with no role at all: authenticated, and forbidden everything here.
	roleless := Actor{Member: &store.Member{ID: 1 << 40, Name: "nobody"}, Remote: "test"}
	calls := []struct {
		name  string
		wrong Actor // a member without the role the method needs
		call  func(Actor) error
	}{
		{"RegisterKey", o.drafter, func(a Actor) error { _, _, err := o.r.RegisterKey(ctx, a, []byte("short")); return err }},
		{"RevokeKey", o.drafter, func(a Actor) error { _, err := o.r.RevokeKey(ctx, a, o.keyID, ""); return err }},
		{"RevokeKey long reason", o.reviewer, func(a Actor) error { _, err := o.r.RevokeKey(ctx, a, o.keyID, bad); return err }},
		{"RotateSignerKey", o.drafter, func(a Actor) error { _, err := o.r.RotateSignerKey(ctx, a, o.keyID, []byte("short")); return err }},
		{"Release", o.drafter, func(a Actor) error { _, err := o.r.Release(ctx, a, bad); return err }},
		{"ReleaseVersion", o.drafter, func(a Actor) error { _, err := o.r.ReleaseVersion(ctx, a, ref, badDigest); return err }},
		{"WithdrawalStatement", o.drafter, func(a Actor) error {
			_, _, _, err := o.r.WithdrawalStatement(ctx, a, ref, "", "")
			return err
		}},
		{"Withdraw", o.drafter, func(a Actor) error { _, err := o.r.Withdraw(ctx, a, ref, "", o.keyID, nil, nil, nil); return err }},
		{"Erase", o.drafter, func(a Actor) error { return o.r.Erase(ctx, a, ref, "") }},
		{"ExportDraft", o.officer, func(a Actor) error { _, err := o.r.ExportDraft(ctx, a, ref, ""); return err }},
		{"ExportDraftVersion", o.officer, func(a Actor) error {
			_, err := o.r.ExportDraftVersion(ctx, a, ref, badDigest, "Embassy liaison")
			return err
		}},
		{"ExportVersion", o.officer, func(a Actor) error { _, err := o.r.ExportVersion(ctx, a, ref, -1, bad); return err }},
		{"Preview", o.admin, func(a Actor) error { _, err := o.r.Preview(ctx, a, bad); return err }},
		{"Letter", roleless, func(a Actor) error { _, err := o.r.Letter(ctx, a, bad); return err }},
		{"Audit", roleless, func(a Actor) error { _, err := o.r.Audit(ctx, a, bad); return err }},
		{"MemberStatus", roleless, func(a Actor) error { _, err := o.r.MemberStatus(ctx, a, bad); return err }},
		{"Approve", o.drafter, func(a Actor) error { return o.r.Approve(ctx, a, ref, badDigest, bad) }},
		{"ApproveView", o.drafter, func(a Actor) error { _, err := o.r.ApproveView(ctx, a, ref, badDigest, bad); return err }},
		{"Reject", o.drafter, func(a Actor) error { return o.r.Reject(ctx, a, ref, "", "") }},
		{"Sign", o.drafter, func(a Actor) error { return o.r.Sign(ctx, a, ref, o.keyID, []byte("{"), nil) }},
		{"SignView", o.drafter, func(a Actor) error { _, err := o.r.SignView(ctx, a, ref, o.keyID, []byte("{"), nil); return err }},
		{"SigningStatementOf", o.drafter, func(a Actor) error { _, err := o.r.SigningStatementOf(ctx, a, ref, badDigest); return err }},
	}
	for _, c := range calls {
		if err := c.call(Actor{}); !errors.Is(err, ErrUnauthenticated) {
			t.Errorf("%s by an anonymous caller: %v, want ErrUnauthenticated", c.name, err)
		}
		if err := c.call(c.wrong); !errors.Is(err, ErrForbidden) {
			t.Errorf("%s by %s: %v, want ErrForbidden", c.name, c.wrong.name(), err)
		}
	}
	// And the input is still judged for a caller who may act.
	if err := o.r.Reject(ctx, o.reviewer, ref, "", ""); !errors.Is(err, ErrInvalid) {
		t.Errorf("Reject without a comment by a reviewer: %v, want ErrInvalid", err)
	}
	if _, err := o.r.RevokeKey(ctx, o.signer, o.keyID, ""); !errors.Is(err, ErrInvalid) {
		t.Errorf("RevokeKey without a reason by its owner: %v, want ErrInvalid", err)
	}
	if _, err := o.r.RevokeKey(ctx, o.admin, o.keyID, bad); !errors.Is(err, ErrInvalid) {
		t.Errorf("RevokeKey with a long reason by an admin: %v, want ErrInvalid", err)
	}
	// Nothing above changed the letter or the key.
	if v, err := o.r.Letter(ctx, o.reviewer, ref); err != nil || v.State != "draft" || len(v.Approvals) != 0 || len(v.Signatures) != 0 {
		t.Fatalf("the letter after the refused calls: %+v, %v", v, err)
	}
	if keys, err := o.r.KeysInForce(ctx, o.signer); err != nil || len(keys) != 1 || keys[0] != o.keyID {
		t.Fatalf("the signer's keys after the refused calls: %v, %v", keys, err)
	}
}

// TestKeysInForceNeedsAMember: KeysInForce without a member is refused (it read a.Member.ID
// and panicked; its one caller reaches it only with a member, so it was latent).
func TestKeysInForceNeedsAMember(t *testing.T) {
	o := newOffice(t)
	if _, err := o.r.KeysInForce(context.Background(), Actor{}); !errors.Is(err, ErrUnauthenticated) {
		t.Fatalf("KeysInForce without a member: %v, want ErrUnauthenticated", err)
	}
}

package registry

import (
	"context"
	"testing"

	"github.com/chancery/chancery/internal/entry"
	"github.com/chancery/chancery/internal/seal"
)

// TestAnswerGivesTheWithdrawalSignersKey: the answer about a withdrawn letter carried the
// withdrawal entry, whose member's signature a verifier could not check without that member's
// key entry (found by audit, thirty-eighth session). It now carries the key-added entry of the
// key that signed the withdrawal, proved in the seal's checkpoint: also when the letter's own
// signer key was revoked before the withdrawal, for a supersession by another member, and not
// for an erased letter, whose answer has no seal.
func TestAnswerGivesTheWithdrawalSignersKey(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	sue := o.member(t, "sue", RoleSigner)
	sueKey, sueKeyID := o.newKey(t, sue)
	ref, rel := o.released(t, "Sent in error.")
	old, replacement := o.letter(t, "Old orders."), o.letter(t, "New orders.")
	oldRel := o.approvedAndReleased(t, old)
	o.approvedAndReleased(t, replacement)
	// sam's key, which signed every letter, is revoked; sam retracts with a new one.
	if _, err := o.r.RevokeKey(ctx, o.signer, o.keyID, "laptop lost"); err != nil {
		t.Fatal(err)
	}
	samKey, samKeyID := o.newKey(t, o.signer)
	stmt, pt := o.withdrawalStatement(t, o.signer, ref, "", "sent in error")
	if _, err := o.withdraw(ctx, o.signer, ref, "", samKeyID, stmt, signPAE(samKey, pt, stmt)); err != nil {
		t.Fatal(err)
	}
	stmt, pt = o.withdrawalStatement(t, sue, old, replacement, "new orders")
	if _, err := o.withdraw(ctx, sue, old, replacement, sueKeyID, stmt, signPAE(sueKey, pt, stmt)); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		ref, outcome, member, keyID string
		file                        []byte
	}{
		{ref, Retracted, "sam", samKeyID, rel.File},
		{old, Superseded, "sue", sueKeyID, oldRel.File},
	} {
		st, err := o.r.VerifyDigest(ctx, Actor{}, seal.DigestOf(c.file))
		if err != nil || st.Outcome != c.outcome || st.Withdrawal == nil || st.Seal == nil {
			t.Fatalf("%s: %+v, %v", c.ref, st, err)
		}
		if st.WithdrawalKey == nil {
			t.Fatalf("%s: the answer gives no key of the withdrawal's signer", c.ref)
		}
		kv, err := o.verifier.VerifyLogged(*st.WithdrawalKey, st.Seal.Checkpoint)
		if err != nil {
			t.Fatalf("%s: the withdrawal's signer key entry does not verify: %v", c.ref, err)
		}
		ks, ok := kv.Statement.(*seal.KeyStatement)
		if !ok || kv.Entry.Kind != entry.KeyAdded || ks.KeyID != c.keyID || ks.Member != c.member || st.WithdrawalKey.Index >= st.Withdrawal.Index {
			t.Fatalf("%s: the key given: %s %#v at %d", c.ref, kv.Entry.Kind, kv.Statement, st.WithdrawalKey.Index)
		}
		we, err := entry.Decode(st.Withdrawal.Entry)
		if err != nil || we.Envelope.Verify(ks.PublicKey) != nil {
			t.Fatalf("%s: the key given did not sign the withdrawal: %v", c.ref, err)
		}
	}
	if err := o.r.Erase(ctx, o.admin, ref, "personal data"); err != nil {
		t.Fatal(err)
	}
	st, err := o.r.VerifyDigest(ctx, Actor{}, seal.DigestOf(rel.File))
	if err != nil || !st.Erased || st.WithdrawalKey != nil {
		t.Fatalf("the erased letter: %+v, %v", st, err)
	}
}

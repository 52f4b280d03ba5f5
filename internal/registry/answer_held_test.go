package registry

import (
	"context"
	"fmt"
	"testing"

	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/store"
)

// holdAnswers holds db's kept answers in memory, as serve does, and waits until they are read.
func holdAnswers(t *testing.T, db *store.DB) {
	t.Helper()
	done := make(chan error, 1)
	stop := db.HoldAnswers(1<<30, func(_ int, _ int64, err error) { done <- err })
	t.Cleanup(stop)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// TestLookupFollowsStateHeld is TestLookupFollowsState with the kept answers held in memory
// (store.DB.HoldAnswers): every answer is still byte for byte the tables', through a key
// revocation, a retraction, a supersession and an erasure.
func TestLookupFollowsStateHeld(t *testing.T) {
	o := newOffice(t)
	holdAnswers(t, o.r.cfg.DB)
	lookupFollowsState(t, o)
}

// TestHeldAnswersFollowState checks that a letter whose kept answer is held in memory, read
// there when the server started or put there by its release, is answered as retracted,
// superseded, erased or signed with a revoked key by the very first lookup after the change
// returned, from a registry with no cache of its own; and that the letters that stand are
// answered from memory meanwhile.
func TestHeldAnswersFollowState(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	db := o.r.cfg.DB
	var refs []string
	var digests []seal.Digest
	release := func(i int) {
		ref, rel := o.released(t, fmt.Sprintf("Sir, letter %d, held in memory.\n", i))
		refs = append(refs, ref)
		digests = append(digests, seal.DigestOf(rel.File))
	}
	release(0)
	release(1)
	holdAnswers(t, db) // letters 0 and 1 are read from the table
	release(2)         // letters 2 and 3 are put there by their release
	release(3)
	held := func(step string, want int) {
		t.Helper()
		if n, _ := db.HeldAnswers(); n != want {
			t.Fatalf("%s: %d answers held, want %d", step, n, want)
		}
	}
	held("released", 4)
	answer := func(i int) (*Status, []byte) {
		t.Helper()
		st, body, err := New(o.r.cfg).PublicVerify(ctx, digests[i], nil)
		if err != nil {
			t.Fatal(err)
		}
		if body == nil && st == nil {
			t.Fatalf("letter %d: no answer", i)
		}
		return st, body
	}
	for i := range digests {
		if _, body := answer(i); body == nil {
			t.Fatalf("letter %d: not answered from its kept answer", i)
		}
	}
	withdraw := func(ref, by string) {
		t.Helper()
		stmt, pt := o.withdrawalStatement(t, o.signer, ref, by, "overtaken by events")
		op, _ := o.openings.Load(string(stmt))
		if _, err := o.r.Withdraw(ctx, o.signer, ref, by, o.keyID, stmt, op.(*seal.Opening), signPAE(o.signerKey, pt, stmt)); err != nil {
			t.Fatal(err)
		}
	}
	withdraw(refs[0], "")
	if st, body := answer(0); body != nil || st.Outcome != Retracted {
		t.Fatalf("retracted letter answered %s", body)
	}
	held("retracted", 3)
	withdraw(refs[2], refs[3])
	if st, body := answer(2); body != nil || st.Outcome != Superseded {
		t.Fatalf("superseded letter answered %s", body)
	}
	held("superseded", 2)
	if err := o.r.Erase(ctx, o.admin, refs[1], "at the ministry's request"); err != nil {
		t.Fatal(err)
	}
	if st, body := answer(1); body != nil || !st.Erased {
		t.Fatalf("erased letter answered %s", body)
	}
	held("erased", 1)
	if _, body := answer(3); body == nil {
		t.Fatal("letter 3, which stands, not answered from its kept answer")
	}
	// Letter 3's answer stays held; the revoked key is counted with it, and its answer is no
	// longer the kept one.
	if _, err := o.r.RevokeKey(ctx, o.signer, o.keyID, "lost"); err != nil {
		t.Fatal(err)
	}
	if st, body := answer(3); body != nil || len(st.Revocations) != 1 {
		t.Fatalf("letter signed with a revoked key answered %s", body)
	}
	held("key revoked", 1)
}

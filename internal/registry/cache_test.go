package registry

import (
	"context"
	"sync"
	"testing"

	"github.com/chancery/chancery/internal/seal"
)

// TestPublicAnswersFollowChanges: the cached public answers change as soon as the registry
// records what changes them, also while lookups run concurrently with the change.
func TestPublicAnswersFollowChanges(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	body := "Dear Minister,\n\nThe forces stay where they are."
	d := seal.DigestOf([]byte(body))
	outcome := func(d seal.Digest) string {
		st, err := o.r.VerifyDigest(ctx, Actor{}, d)
		if err != nil {
			t.Fatal(err)
		}
		return st.Outcome
	}
	status := func(ref string) string {
		st, err := o.r.StatusOf(ctx, ref)
		if err != nil {
			t.Fatal(err)
		}
		return st.Outcome
	}
	if got := outcome(d); got != Unknown {
		t.Fatalf("before the letter: %s", got)
	}
	ref := o.letter(t, body)
	if got := outcome(d); got != Draft {
		t.Fatalf("after the letter is created: %s, want draft", got)
	}
	if got := status(ref); got != Unknown {
		t.Fatalf("reference of a draft: %s, want unknown", got)
	}
	o.approve(t, ref)
	if err := o.sign(t, ref); err != nil {
		t.Fatal(err)
	}

	// Public lookups hammer the reference while it is released.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
					o.r.StatusOf(ctx, ref)
				}
			}
		}()
	}
	rel, err := o.r.Release(ctx, o.officer, ref)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if got := status(ref); got != Valid {
		t.Fatalf("after release: %s, want valid", got)
	}
	fd := seal.DigestOf(rel.File)
	if got := outcome(fd); got != Valid {
		t.Fatalf("released file after release: %s, want valid", got)
	}
	stmt, pt := o.withdrawalStatement(t, o.signer, ref, "", "Sent too early")
	if _, err := o.withdraw(ctx, o.signer, ref, "", o.keyID, stmt, signPAE(o.signerKey, pt, stmt)); err != nil {
		t.Fatal(err)
	}
	if got, got2 := status(ref), outcome(fd); got != Retracted || got2 != Retracted {
		t.Fatalf("after retraction: reference %s, file %s; want retracted", got, got2)
	}
}

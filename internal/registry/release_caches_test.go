package registry

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/witness"
)

// TestReleaseVoidsCachedAnswersAtCommit asks about a draft's reference until its answer
// ("unknown": no released letter has it) is kept, releases the letter while the office's
// witness is down, so that the release waits SealWait for a cosigned checkpoint after its
// commit, and asks again during that wait: the answer kept from before the release is not
// given once the release has committed. Until the thirty-ninth session the cache was voided
// only when ReleaseVersion returned.
func TestReleaseVoidsCachedAnswersAtCommit(t *testing.T) {
	ctx := context.Background()
	const sealWait = 3 * time.Second
	w := newWitnessedOffice(t, sealWait)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	dir := t.TempDir()
	st, err := witness.OpenStore(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	key, err := witness.LoadKey(dir, "witness.down.example")
	if err != nil {
		t.Fatal(err)
	}
	if err := w.r.AddWitness(ctx, w.admin, "down", "http://"+addr, key.VerifierKey()); err != nil {
		t.Fatal(err)
	}
	if err := w.r.SetWitnessQuorum(ctx, w.admin, 1); err != nil {
		t.Fatal(err)
	}
	ref := w.letter(t, "Dear Minister,\n\nA letter asked about while its release waits for the witnesses.\n")
	if err := w.r.Approve(ctx, w.reviewer, ref, "", "ok"); err != nil {
		t.Fatal(err)
	}
	if err := w.sign(t, ref); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if st, err := w.r.MemberStatus(ctx, w.reviewer, ref); err != nil || st.Outcome != Unknown {
			t.Fatalf("before the release: %+v, %v", st, err)
		}
		if st, err := w.r.StatusOf(ctx, ref); err != nil || st.Outcome != Unknown {
			t.Fatalf("before the release: %+v, %v", st, err)
		}
	}
	gen := w.r.public.generation()
	done := make(chan error, 1)
	go func() {
		_, err := w.r.Release(ctx, w.officer, ref)
		done <- err
	}()
	l := w.letterRow(t, ref)
	for committed := false; !committed; {
		select {
		case err := <-done:
			t.Fatalf("the release returned before it was seen committed: %v", err)
		case <-time.After(5 * time.Millisecond):
		}
		err := w.r.cfg.DB.View(ctx, func(tx *store.Tx) error {
			_, err := tx.ReleaseOf(ctx, l.ID)
			return err
		})
		switch {
		case err == nil:
			committed = true
		case !errors.Is(err, store.ErrNotFound):
			t.Fatal(err)
		}
	}
	// The commit is seen before the log's batch answers the release (it publishes its
	// checkpoint first): give the release a second, well within its wait for the witness,
	// to void the kept answers.
	for deadline := time.Now().Add(time.Second); w.r.public.generation() == gen && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
	// Committed, and waiting for the witness: what is asked now is answered from the store.
	// The public is told at once that the letter was released (what a reference alone tells,
	// read from the stored state); a member, who is told what its holder is, that the proof
	// waits for the witnesses (after waiting SealWait for it, alongside the release's own wait).
	stillWaiting := func() {
		t.Helper()
		select {
		case err := <-done:
			t.Fatalf("the release returned before the answers were checked (the test proves nothing): %v", err)
		default:
		}
	}
	stillWaiting()
	asked := make(chan struct{})
	go func() {
		defer close(asked)
		if st, err := w.r.StatusOf(ctx, ref); err != nil || st.Outcome != Valid {
			t.Errorf("the public asking once the release committed: %+v, %v", st, err)
		}
	}()
	if st, err := w.r.MemberStatus(ctx, w.reviewer, ref); !errors.Is(err, ErrNotCosigned) {
		t.Errorf("a member asking once the release committed: %+v, %v", st, err)
	}
	<-asked
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

package registry

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/entry"
)

// Races of a letter's lifecycle: each test runs its calls in goroutines released together by
// a start barrier, many times, on one SQLite registry and on two registries sharing one
// PostgreSQL database (two servers of one office), and checks that whatever order the calls
// took, the log, the registry's rows and the answers agree.

// onBothBackends runs f with two registries of one office: the same SQLite registry twice,
// then, when CHANCERY_TEST_POSTGRES is set, two servers on one PostgreSQL database.
func onBothBackends(t *testing.T, f func(t *testing.T, a, b *office)) {
	t.Run("sqlite", func(t *testing.T) {
		o := newOffice(t)
		f(t, o, o)
	})
	t.Run("postgres", func(t *testing.T) {
		a, b := sharedOffices(t)
		f(t, a, b)
	})
}

// together runs each of fns in its own goroutine, all started at once, and waits for them.
func together(fns ...func()) {
	var ready, done sync.WaitGroup
	start := make(chan struct{})
	for _, fn := range fns {
		ready.Add(1)
		done.Go(func() {
			ready.Done()
			<-start
			fn()
		})
	}
	ready.Wait()
	close(start)
	done.Wait()
}

// retraction returns a signed retraction of ref by o's signer, ready for withdraw.
func (o *office) retraction(t *testing.T, ref, by, reason string) (record, sig []byte) {
	t.Helper()
	st, pt := o.withdrawalStatement(t, o.signer, ref, by, reason)
	return st, signPAE(o.signerKey, pt, st)
}

// loggedWithdrawals counts the retraction and supersession entries in o's log that point at
// the release entry at index.
func loggedWithdrawals(t *testing.T, o *office, index int64) int {
	t.Helper()
	n := 0
	for i, e := range loggedEntries(t, o) {
		var rec struct {
			Release int64 `json:"release"`
		}
		switch e.Kind {
		case entry.Retraction, entry.Supersession:
			if err := json.Unmarshal(e.Envelope.Payload, &rec); err != nil {
				t.Fatalf("entry %d: %v", i, err)
			}
			if rec.Release == index {
				n++
			}
		}
	}
	return n
}

// TestRaceWithdrawalsOfOneLetterLogOne: two retractions, a supersession and an erasure of one
// letter at once, through two servers: one withdrawal is logged and recorded, the others are
// refused, and the registry answers what the log says.
func TestRaceWithdrawalsOfOneLetterLogOne(t *testing.T) {
	onBothBackends(t, func(t *testing.T, a, b *office) {
		ctx := context.Background()
		for round := range 4 {
			ref, rel := a.released(t, fmt.Sprintf("Round %d: withdrawn once.", round))
			by, _ := b.released(t, fmt.Sprintf("Round %d: the letter that replaces it.", round))
			r1, s1 := a.retraction(t, ref, "", "first")
			r2, s2 := b.retraction(t, ref, "", "second")
			r3, s3 := b.retraction(t, ref, by, "replaced")
			var errs [4]error
			var idx [3]int64
			together(
				func() { idx[0], errs[0] = a.withdraw(ctx, a.signer, ref, "", a.keyID, r1, s1) },
				func() { idx[1], errs[1] = b.withdraw(ctx, b.signer, ref, "", b.keyID, r2, s2) },
				func() { idx[2], errs[2] = b.withdraw(ctx, b.signer, ref, by, b.keyID, r3, s3) },
				func() { errs[3] = a.r.Erase(ctx, a.admin, ref, "court order") },
			)
			// The log is read through a: on PostgreSQL, a withdrawal b logged reaches a's head
			// a moment after b's answer.
			logged := slices.Max(idx[:])
			for deadline := time.Now().Add(time.Minute); a.r.cfg.Log.Head().Size <= logged; {
				if time.Now().After(deadline) {
					t.Fatalf("round %d: a's log never reached entry %d", round, logged)
				}
				select {
				case <-a.r.cfg.Log.Published():
				case <-time.After(50 * time.Millisecond):
				}
			}
			won := 0
			for i, err := range errs[:3] {
				switch {
				case err == nil:
					won++
				case !errors.Is(err, ErrConflict):
					t.Errorf("round %d: withdrawal %d: %v, want a conflict", round, i, err)
				}
			}
			if errs[3] != nil {
				t.Errorf("round %d: erase: %v", round, errs[3])
			}
			if won != 1 {
				t.Errorf("round %d: %d withdrawals succeeded", round, won)
			}
			if n := loggedWithdrawals(t, a, rel.LogIndex); n != 1 {
				t.Errorf("round %d: %d withdrawals logged", round, n)
			}
			for _, o := range []*office{a, b} {
				st, err := o.r.VerifyDigest(ctx, Actor{}, rel.FileDigest)
				if err != nil {
					t.Fatal(err)
				}
				if st.Outcome != Retracted && st.Outcome != Superseded {
					t.Errorf("round %d: answered %s after the withdrawal", round, st.Outcome)
				}
			}
		}
	})
}

// TestRaceReleaseAgainstRejectionAndRevision: a release races a reviewer's rejection of the
// version and a revision, each through another server: a release never stands on an approval
// withdrawn before it, nor leaves a version added before it unreleased.
func TestRaceReleaseAgainstRejectionAndRevision(t *testing.T) {
	onBothBackends(t, func(t *testing.T, a, b *office) {
		ctx := context.Background()
		for round := range 8 {
			ref := a.letter(t, fmt.Sprintf("Round %d: approved, then rejected or revised.", round))
			a.approve(t, ref)
			if err := a.sign(t, ref); err != nil {
				t.Fatal(err)
			}
			var relErr, rejErr, revErr error
			together(
				func() { _, relErr = a.r.Release(ctx, a.officer, ref) },
				func() { rejErr = b.r.Reject(ctx, b.reviewer, ref, "", "not this") },
				func() {
					_, revErr = b.r.Revise(ctx, b.drafter, ref, Upload{Name: "letter.txt", Data: []byte(fmt.Sprintf("Round %d, revised.", round))})
				},
			)
			if relErr == nil && (rejErr == nil || revErr == nil) {
				t.Errorf("round %d: released, and also rejected (%v) or revised (%v)", round, rejErr, revErr)
			}
		}
	})
}

// TestRaceTwoReleasesOnTwoServers: the same letter released through two servers at once is
// released once, logged once.
func TestRaceTwoReleasesOnTwoServers(t *testing.T) {
	onBothBackends(t, func(t *testing.T, a, b *office) {
		ctx := context.Background()
		for round := range 4 {
			ref := a.letter(t, fmt.Sprintf("Round %d: released once.", round))
			a.approve(t, ref)
			if err := a.sign(t, ref); err != nil {
				t.Fatal(err)
			}
			var errs [4]error
			together(
				func() { _, errs[0] = a.r.Release(ctx, a.officer, ref) },
				func() { _, errs[1] = b.r.Release(ctx, b.officer, ref) },
				func() { _, errs[2] = a.r.Release(ctx, a.officer, ref) },
				func() { _, errs[3] = b.r.Release(ctx, b.officer, ref) },
			)
			won := 0
			for _, err := range errs {
				if err == nil {
					won++
				} else if !errors.Is(err, ErrConflict) {
					t.Errorf("round %d: %v", round, err)
				}
			}
			if won != 1 {
				t.Errorf("round %d: released %d times", round, won)
			}
		}
	})
}

// TestRaceAnswersAfterWithdrawal: public lookups run while the letter is retracted through
// another server; once the retraction has returned, no server answers valid.
func TestRaceAnswersAfterWithdrawal(t *testing.T) {
	onBothBackends(t, func(t *testing.T, a, b *office) {
		ctx := context.Background()
		for round := range 4 {
			ref, rel := a.released(t, fmt.Sprintf("Round %d: retracted while looked up.", round))
			rec, sig := b.retraction(t, ref, "", "withdrawn")
			var done sync.WaitGroup
			stop := make(chan struct{})
			for _, o := range []*office{a, b} {
				done.Go(func() {
					for {
						select {
						case <-stop:
							return
						default:
						}
						// A server that has not yet read the entries another logged says so
						// (ErrCatchingUp, 503): it never answers from a head without them.
						if _, _, err := o.r.PublicVerify(ctx, rel.FileDigest, nil); err != nil && !errors.Is(err, ErrCatchingUp) {
							t.Error(err)
							return
						}
						if _, err := o.r.StatusOf(ctx, ref); err != nil && !errors.Is(err, ErrCatchingUp) {
							t.Error(err)
							return
						}
					}
				})
			}
			if _, err := b.withdraw(ctx, b.signer, ref, "", b.keyID, rec, sig); err != nil {
				t.Fatal(err)
			}
			for _, o := range []*office{a, b} {
				st, body, err := o.r.PublicVerify(ctx, rel.FileDigest, nil)
				for errors.Is(err, ErrCatchingUp) {
					time.Sleep(5 * time.Millisecond)
					st, body, err = o.r.PublicVerify(ctx, rel.FileDigest, nil)
				}
				if err != nil {
					t.Fatal(err)
				}
				if body != nil {
					t.Errorf("round %d: answered %s after the retraction returned", round, body)
				} else if st.Outcome != Retracted {
					t.Errorf("round %d: answered %s after the retraction returned", round, st.Outcome)
				}
				s2, err := o.r.StatusOf(ctx, ref)
				for errors.Is(err, ErrCatchingUp) {
					time.Sleep(5 * time.Millisecond)
					s2, err = o.r.StatusOf(ctx, ref)
				}
				if err != nil {
					t.Fatal(err)
				}
				if s2.Outcome != Retracted {
					t.Errorf("round %d: status %s after the retraction returned", round, s2.Outcome)
				}
			}
			close(stop)
			done.Wait()
		}
	})
}

// TestRaceKeyRevokedTwiceAtOnce: a signer revoking their key while an admin disables them,
// through two servers: the key is revoked once, and the loser is told it is already revoked
// (a conflict). Before, the loser's transaction found no unrevoked key to update and failed
// with "not found", so the disablement was reported failed ("revoke the key again") though
// done, as was a provider's sign-in racing another.
func TestRaceKeyRevokedTwiceAtOnce(t *testing.T) {
	onBothBackends(t, func(t *testing.T, a, b *office) {
		ctx := context.Background()
		for round := range 8 {
			name := fmt.Sprintf("signer%d", round)
			m := a.member(t, name, RoleSigner)
			_, keyID := a.newKey(t, m)
			var revErr, disErr error
			together(
				func() { _, revErr = a.r.RevokeKey(ctx, m, keyID, "lost") },
				func() { _, disErr = b.r.DisableMember(ctx, b.admin, name) },
			)
			if disErr != nil {
				t.Errorf("round %d: disable: %v", round, disErr)
			}
			if revErr != nil && !errors.Is(revErr, ErrConflict) {
				t.Errorf("round %d: revoke: %v, want success or a conflict", round, revErr)
			}
		}
	})
}

// TestRaceSupersessionByALetterBeingRetracted: a letter superseded by one that is retracted
// at the same moment, through another server: the supersession is logged only before the
// successor's retraction, never after it.
func TestRaceSupersessionByALetterBeingRetracted(t *testing.T) {
	onBothBackends(t, func(t *testing.T, a, b *office) {
		ctx := context.Background()
		for round := range 4 {
			ref, _ := a.released(t, fmt.Sprintf("Round %d: superseded.", round))
			by, _ := b.released(t, fmt.Sprintf("Round %d: its successor, retracted.", round))
			sr, ss := a.retraction(t, ref, by, "replaced")
			rr, rs := b.retraction(t, by, "", "withdrawn")
			var supIdx, retIdx int64
			var supErr, retErr error
			together(
				func() { supIdx, supErr = a.withdraw(ctx, a.signer, ref, by, a.keyID, sr, ss) },
				func() { retIdx, retErr = b.withdraw(ctx, b.signer, by, "", b.keyID, rr, rs) },
			)
			if retErr != nil {
				t.Fatalf("round %d: retraction: %v", round, retErr)
			}
			switch {
			case supErr == nil && supIdx > retIdx:
				t.Errorf("round %d: superseded at %d by a letter retracted at %d", round, supIdx, retIdx)
			case supErr != nil && !errors.Is(supErr, ErrConflict):
				t.Errorf("round %d: supersession: %v", round, supErr)
			}
		}
	})
}

package storetest

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/chancery/chancery/internal/store"
)

// testLetterStates checks that the letters in progress (UnreleasedLetters) and the listings
// by state follow each letter through every change of its state: its creation, a release
// rolled back and a release, a retraction, a supersession, and the erasure of a released
// letter and of a draft, which change no state. The letters in progress are kept apart from
// the letters (migration 44), in the transaction that changes the state.
func testLetterStates(t *testing.T, db *store.DB) {
	m := addMember(t, db, "dana")
	ids := map[string]int64{}
	ref := func(i int) string { return fmt.Sprintf("TFN-2021-%06d", i) }
	check := func(step string, want map[string][]string) {
		t.Helper()
		got := map[string][]string{}
		view(t, db, func(ctx context.Context, tx *store.Tx) error {
			un, err := tx.UnreleasedLetters(ctx, 10)
			if err != nil {
				return err
			}
			for _, l := range un {
				got["in progress"] = append(got["in progress"], l.Reference)
			}
			for _, s := range []string{store.StateDraft, store.StateReleased, store.StateRetracted, store.StateSuperseded} {
				ls, err := tx.ListLetters(ctx, store.LetterFilter{State: s}, 10)
				if err != nil {
					return err
				}
				for _, l := range ls {
					if l.State != s {
						t.Errorf("%s: the listing of %s letters has %s, %s", step, s, l.Reference, l.State)
					}
					got[s] = append(got[s], l.Reference)
				}
			}
			return nil
		})
		if !maps.EqualFunc(got, want, slices.Equal) {
			t.Errorf("%s: the letters by state are %v, want %v", step, got, want)
		}
	}
	release := func(ctx context.Context, tx *store.Tx, i int) error {
		file := fmt.Sprintf("sha256:%064d", 500+i)
		if err := tx.PutBlob(ctx, file, []byte{byte(i)}); err != nil {
			return err
		}
		return tx.AddRelease(ctx, store.Release{LetterID: ids[ref(i)], VersionN: 1, FileDigest: file, FileName: "l.pdf",
			MediaType: "application/pdf", LogIndex: int64(i), Entry: []byte("e"), ReleasedBy: m.ID, ReleasedAt: t0})
	}

	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		for i := 1; i <= 4; i++ {
			l := &store.Letter{Reference: ref(i), Subject: fmt.Sprintf("subject %d", i), Class: "routine", AuthorID: m.ID, CreatedAt: t0}
			if err := tx.AddLetter(ctx, l); err != nil {
				return err
			}
			ids[l.Reference] = l.ID
		}
		return nil
	})
	check("created", map[string][]string{"in progress": {ref(4), ref(3), ref(2), ref(1)}, store.StateDraft: {ref(4), ref(3), ref(2), ref(1)}})

	// A release whose transaction fails leaves the letter in progress.
	err := db.Update(t.Context(), func(tx *store.Tx) error {
		if err := release(t.Context(), tx, 1); err != nil {
			return err
		}
		return errTest
	})
	if !errors.Is(err, errTest) {
		t.Fatalf("the release rolled back: %v", err)
	}
	check("a release rolled back", map[string][]string{"in progress": {ref(4), ref(3), ref(2), ref(1)}, store.StateDraft: {ref(4), ref(3), ref(2), ref(1)}})

	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		for i := 1; i <= 3; i++ {
			if err := release(ctx, tx, i); err != nil {
				return err
			}
		}
		return nil
	})
	check("released", map[string][]string{"in progress": {ref(4)}, store.StateDraft: {ref(4)}, store.StateReleased: {ref(3), ref(2), ref(1)}})

	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		if err := tx.AddWithdrawal(ctx, store.Withdrawal{LetterID: ids[ref(1)], Kind: "retraction", Reason: "r", LogIndex: 11,
			Entry: []byte("w"), MemberID: m.ID, CreatedAt: t0}); err != nil {
			return err
		}
		return tx.AddWithdrawal(ctx, store.Withdrawal{LetterID: ids[ref(2)], Kind: "supersession", ByLetter: ids[ref(3)], Reason: "r",
			LogIndex: 12, Entry: []byte("w"), MemberID: m.ID, CreatedAt: t0})
	})
	withdrawn := map[string][]string{"in progress": {ref(4)}, store.StateDraft: {ref(4)}, store.StateReleased: {ref(3)},
		store.StateRetracted: {ref(1)}, store.StateSuperseded: {ref(2)}}
	check("retracted and superseded", withdrawn)

	// An erasure empties the content and changes no state: the erased draft (a restored
	// backup's) is still in progress, the erased letter still released.
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		if err := tx.EraseLetter(ctx, ids[ref(3)], t0); err != nil {
			return err
		}
		return tx.EraseLetter(ctx, ids[ref(4)], t0)
	})
	check("erased", withdrawn)
}

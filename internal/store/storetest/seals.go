package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/chancery/chancery/internal/store"
)

// testKeptSeals checks that a kept seal reads back as it was put, in one read; that seals
// against the same checkpoint and signer proofs share one part (issue 19 item 5) and seals
// against another do not; that the first seal kept stays; and that no seal is kept for a
// release that is not there or whose content was erased.
func testKeptSeals(t *testing.T, db *store.DB) {
	m := addMember(t, db, "sam")
	letters := map[int64]int64{} // log index → letter ID
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		for i := range 4 {
			l := &store.Letter{Reference: fmt.Sprintf("TKS-2020-%06d", i+1), Subject: "s", Class: "c", AuthorID: m.ID, CreatedAt: t0}
			if err := tx.AddLetter(ctx, l); err != nil {
				return err
			}
			d := fmt.Sprintf("sha256:%064d", i)
			if err := tx.PutBlob(ctx, d, []byte{byte(i)}); err != nil {
				return err
			}
			index := int64(10 + i)
			err := tx.AddRelease(ctx, store.Release{LetterID: l.ID, VersionN: 1, FileDigest: d, FileName: "f",
				MediaType: "text/plain", LogIndex: index, Entry: []byte("e"), ReleasedBy: m.ID, ReleasedAt: t0})
			if err != nil {
				return err
			}
			letters[index] = l.ID
		}
		return tx.EraseLetter(ctx, letters[13], t0)
	})
	a := store.KeptSeal{Checkpoint: []byte("checkpoint A\n"), SignerProofs: []byte{1, 2, 0}, Proof: []byte{1, 0xaa}}
	b := a
	b.Proof = []byte{1, 0xbb}
	c := store.KeptSeal{Checkpoint: []byte("checkpoint B\n"), SignerProofs: []byte{0}, Proof: []byte{0}}
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		for index, s := range map[int64]store.KeptSeal{10: a, 11: b, 12: c, 13: a, 99: c} {
			if err := tx.PutSeal(ctx, index, s); err != nil {
				return err
			}
		}
		// A second seal of the same release does not replace the first.
		return tx.PutSeal(ctx, 10, c)
	})
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		for index, want := range map[int64]store.KeptSeal{10: a, 11: b, 12: c} {
			got, err := tx.Seal(ctx, index)
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("seal of %d: %+v, %v; want %+v", index, got, err, want)
			}
		}
		for _, index := range []int64{13, 99} {
			if _, err := tx.Seal(ctx, index); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("seal of %d (erased, or no release): %v, want not found", index, err)
			}
		}
		counts, err := tx.Counts(ctx, []string{"seal_parts", "seals"})
		if err != nil {
			return err
		}
		if counts[0].Rows != 2 || counts[1].Rows != 3 {
			t.Errorf("%d seal parts for %d seals, want 2 for 3", counts[0].Rows, counts[1].Rows)
		}
		return nil
	})
	update(t, db, func(ctx context.Context, tx *store.Tx) error { return tx.DeleteSeal(ctx, 11) })
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		if _, err := tx.Seal(ctx, 11); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("seal of 11 after DeleteSeal: %v, want not found", err)
		}
		if got, err := tx.Seal(ctx, 10); err != nil || !reflect.DeepEqual(got, a) {
			t.Errorf("seal of 10, whose part seal 11 shared, after deleting 11: %+v, %v", got, err)
		}
		return nil
	})
}

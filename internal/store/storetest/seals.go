package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
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

// testSealAnswers checks PutSealAnswer (issue 19 item 5, ninth pass): a seal kept in its
// letter's answer writes the answer row under the seal's shared part and no seals row; the
// first seal kept stays (a second one, or one for a release whose seal is in seals, writes
// nothing); a pending answer is replaced; nothing is kept for an erased release; a release
// whose answer's key another digest holds keeps its seal in seals; and erasure leaves neither
// row.
func testSealAnswers(t *testing.T, db *store.DB) {
	m := addMember(t, db, "sam")
	digests := map[int64]string{ // log index → released file's digest
		20: "sha256:" + strings.Repeat("a1", 32),
		21: "sha256:" + strings.Repeat("b2", 32),
		22: "sha256:" + strings.Repeat("c3", 32),
		23: "sha256:" + strings.Repeat("d4", 32),
		// The answer's key is the digest's first 7 bytes: 24's is 20's.
		24: "sha256:" + strings.Repeat("a1", 7) + strings.Repeat("e5", 25),
	}
	letters := map[int64]int64{}
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		for index := int64(20); index <= 24; index++ {
			l := &store.Letter{Reference: fmt.Sprintf("TSA-2020-%06d", index), Subject: "s", Class: "c", AuthorID: m.ID, CreatedAt: t0}
			if err := tx.AddLetter(ctx, l); err != nil {
				return err
			}
			if err := tx.PutBlob(ctx, digests[index], []byte{byte(index)}); err != nil {
				return err
			}
			err := tx.AddRelease(ctx, store.Release{LetterID: l.ID, VersionN: 1, FileDigest: digests[index], FileName: "f",
				MediaType: "text/plain", LogIndex: index, Entry: []byte("e"), ReleasedBy: m.ID, ReleasedAt: t0})
			if err != nil {
				return err
			}
			letters[index] = l.ID
		}
		return tx.EraseLetter(ctx, letters[23], t0)
	})
	a := store.KeptSeal{Checkpoint: []byte("checkpoint A\n"), SignerProofs: []byte{1, 2, 0}, Proof: []byte{1, 0xaa}}
	b := store.KeptSeal{Checkpoint: []byte("checkpoint B\n"), SignerProofs: []byte{0}, Proof: []byte{0}}
	put := func(index int64, s store.KeptSeal, body string, want bool) {
		t.Helper()
		update(t, db, func(ctx context.Context, tx *store.Tx) error {
			got, err := tx.PutSealAnswer(ctx, digests[index], index, s, []byte(body))
			if err == nil && got != want {
				t.Errorf("PutSealAnswer of %d: answer written %v, want %v", index, got, want)
			}
			return err
		})
	}
	answer := func(index int64, want store.KeptSeal, body string) {
		t.Helper()
		got, err := db.Answer(context.Background(), digests[index])
		if err != nil || got.Part == 0 || string(got.Body) != body || !bytes.Equal(got.Checkpoint, want.Checkpoint) ||
			!bytes.Equal(got.KeyProofs, want.SignerProofs) {
			t.Errorf("answer of %d: %+v, %v; want body %q, part of %+v", index, got, err, body, want)
		}
	}
	noSeal := func(indexes ...int64) {
		t.Helper()
		view(t, db, func(ctx context.Context, tx *store.Tx) error {
			for _, index := range indexes {
				if s, err := tx.Seal(ctx, index); !errors.Is(err, store.ErrNotFound) {
					t.Errorf("seals row of %d: %+v, %v; want none", index, s, err)
				}
			}
			return nil
		})
	}
	noAnswer := func(indexes ...int64) {
		t.Helper()
		for _, index := range indexes {
			if a, err := db.Answer(context.Background(), digests[index]); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("answer of %d: %+v, %v; want none", index, a, err)
			}
		}
	}
	update(t, db, func(ctx context.Context, tx *store.Tx) error { return tx.PutSeal(ctx, 21, b) })
	put(20, a, "body 20", true)
	put(20, b, "body 20 again", false) // the first stays
	put(21, a, "body 21", false)       // kept in seals already
	put(22, b, "body 22", true)
	put(23, a, "body 23", false) // erased
	put(24, b, "body 24", false) // 20 holds the key: kept in seals
	answer(20, a, "body 20")
	answer(22, b, "body 22")
	noSeal(20, 22, 23)
	noAnswer(21, 23, 24)
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		for index, want := range map[int64]store.KeptSeal{21: b, 24: b} {
			if got, err := tx.Seal(ctx, index); err != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("seals row of %d: %+v, %v; want %+v", index, got, err, want)
			}
		}
		counts, err := tx.Counts(ctx, []string{"seal_parts", "seals", "answers"})
		if err != nil {
			return err
		}
		if counts[0].Rows != 2 || counts[1].Rows != 2 || counts[2].Rows != 2 {
			t.Errorf("%d seal parts, %d seals, %d answers; want 2, 2, 2", counts[0].Rows, counts[1].Rows, counts[2].Rows)
		}
		return nil
	})
	// A pending answer is replaced.
	update(t, db, func(ctx context.Context, tx *store.Tx) error { return tx.MarkAnswerPending(ctx, digests[22]) })
	put(22, a, "body 22 rebuilt", true)
	answer(22, a, "body 22 rebuilt")
	// Erasure forgets the answer, and with it the seal.
	update(t, db, func(ctx context.Context, tx *store.Tx) error { return tx.EraseLetter(ctx, letters[20], t0) })
	noAnswer(20)
	noSeal(20)
	put(20, a, "body 20 after erasure", false)
	noAnswer(20)
	noSeal(20)
}

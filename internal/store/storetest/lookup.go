package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/store"
)

// testLookupRelease checks that the one-statement lookup of a released letter, by digest and by
// reference, in a transaction and outside one, reads exactly what the per-table reads do
// (release, opening, withdrawal and its opening, the superseding letter's reference, kept
// seal), for a letter that stands, one without an opening, a retracted, a superseded and an
// erased one; that it counts the revoked signer keys in its own snapshot, as RevokedKeys lists
// them; and that a digest or reference of no released letter is not found.
func testLookupRelease(t *testing.T, db *store.DB) {
	m := addMember(t, db, "sam")
	type letter struct {
		ref, digest string
		id, index   int64
	}
	var ls []letter
	var unreleased store.Letter
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		for i, key := range []string{"k1", "k2", "k3"} {
			err := tx.AddSignerKey(ctx, store.SignerKey{KeyID: key, MemberID: m.ID, PublicKey: []byte(key), AddedIndex: int64(i), CreatedAt: t0})
			if err != nil {
				return err
			}
		}
		for i := range 6 {
			l := &store.Letter{Reference: fmt.Sprintf("TLR-2020-%06d", i+1), Subject: "s", Class: "c", AuthorID: m.ID, CreatedAt: t0}
			if err := tx.AddLetter(ctx, l); err != nil {
				return err
			}
			d := fmt.Sprintf("sha256:%064x", 0xd0+i)
			if err := tx.PutBlob(ctx, d, []byte{byte(i)}); err != nil {
				return err
			}
			index := int64(10 + i)
			var code []byte
			if i%2 == 0 {
				code = bytes.Repeat([]byte{byte(i)}, 32)
			}
			err := tx.AddRelease(ctx, store.Release{LetterID: l.ID, VersionN: 1, FileDigest: d, FileName: fmt.Sprintf("f%d.pdf", i),
				MediaType: "application/pdf", LogIndex: index, Entry: fmt.Appendf(nil, "release entry %d", i), ReleasedBy: m.ID,
				ReleasedAt: t0.Add(timeStep(i)), CheckCodeHash: code})
			if err != nil {
				return err
			}
			// Letter 1 is a version 1 entry: no opening. The statements are long enough
			// to be kept packed.
			if i != 1 {
				st := bytes.Repeat(fmt.Appendf(nil, `{"reference":"%s","subject":"a long subject"}`, l.Reference), 8)
				if err := tx.PutOpening(ctx, index, bytes.Repeat([]byte{byte(i)}, 32), st); err != nil {
					return err
				}
			}
			ls = append(ls, letter{ref: l.Reference, digest: d, id: l.ID, index: index})
		}
		unreleased = store.Letter{Reference: "TLR-2020-000099", Subject: "s", Class: "c", AuthorID: m.ID, CreatedAt: t0}
		if err := tx.AddLetter(ctx, &unreleased); err != nil {
			return err
		}
		// Kept seals for letters 0, 3 and 5; letters 0 and 3 share a part.
		part := store.KeptSeal{Checkpoint: []byte("checkpoint\n"), SignerProofs: []byte{1, 0}}
		for _, i := range []int{0, 3, 5} {
			s := part
			s.Proof = []byte{1, byte(i)}
			if i == 5 {
				s.Checkpoint = []byte("another checkpoint\n")
			}
			if err := tx.PutSeal(ctx, ls[i].index, s); err != nil {
				return err
			}
		}
		// Letter 2 retracted (its withdrawal entry opened), letter 3 superseded by letter 4
		// (a version 1 withdrawal entry), letter 5 erased.
		w := store.Withdrawal{LetterID: ls[2].id, Kind: "retraction", Reason: "withdrawn", LogIndex: 20, Entry: []byte("retraction entry"), MemberID: m.ID, CreatedAt: t0}
		if err := tx.AddWithdrawal(ctx, w); err != nil {
			return err
		}
		if err := tx.PutOpening(ctx, 20, bytes.Repeat([]byte{20}, 32), []byte(`{"reason":"withdrawn"}`)); err != nil {
			return err
		}
		w = store.Withdrawal{LetterID: ls[3].id, Kind: "supersession", ByLetter: ls[4].id, Reason: "corrected", LogIndex: 21, Entry: []byte("supersession entry"), MemberID: m.ID, CreatedAt: t0}
		if err := tx.AddWithdrawal(ctx, w); err != nil {
			return err
		}
		return tx.EraseLetter(ctx, ls[5].id, t0.Add(timeStep(9)))
	})

	// want reads what the lookup must return with the per-table reads.
	want := func(ctx context.Context, tx *store.Tx, digest string) (*store.ReleaseLookup, error) {
		rel, err := tx.ReleaseByDigest(ctx, digest)
		if err != nil {
			return nil, err
		}
		w := &store.ReleaseLookup{Release: *rel}
		opening := func(index int64) ([]byte, []byte, error) {
			salt, st, err := tx.Opening(ctx, index)
			if errors.Is(err, store.ErrNotFound) {
				return nil, nil, nil
			}
			return salt, st, err
		}
		if w.Salt, w.Statement, err = opening(rel.LogIndex); err != nil {
			return nil, err
		}
		wd, err := tx.WithdrawalOf(ctx, rel.LetterID)
		switch {
		case err == nil:
			w.Withdrawal = wd
			if w.WithdrawalSalt, w.WithdrawalStatement, err = opening(wd.LogIndex); err != nil {
				return nil, err
			}
			if wd.ByLetter != 0 {
				by, err := tx.LetterByID(ctx, wd.ByLetter)
				if err != nil {
					return nil, err
				}
				w.SupersededBy = by.Reference
			}
		case !errors.Is(err, store.ErrNotFound):
			return nil, err
		}
		s, err := tx.Seal(ctx, rel.LogIndex)
		switch {
		case err == nil:
			w.Seal = &s
		case !errors.Is(err, store.ErrNotFound):
			return nil, err
		}
		return w, nil
	}
	check := func(revoked int64) {
		t.Helper()
		ctx := t.Context()
		for i, l := range ls {
			var exp, inTx, inTxByRef *store.ReleaseLookup
			view(t, db, func(ctx context.Context, tx *store.Tx) error {
				var err error
				if exp, err = want(ctx, tx, l.digest); err != nil {
					return err
				}
				if inTx, err = tx.LookupRelease(ctx, l.digest); err != nil {
					return err
				}
				inTxByRef, err = tx.LookupReleaseOf(ctx, l.ref)
				return err
			})
			exp.RevokedKeys = revoked
			got, err := db.LookupRelease(ctx, l.digest)
			if err != nil {
				t.Fatalf("letter %d: lookup by digest: %v", i, err)
			}
			byRef, err := db.LookupReleaseOf(ctx, l.ref)
			if err != nil {
				t.Fatalf("letter %d: lookup by reference: %v", i, err)
			}
			for what, g := range map[string]*store.ReleaseLookup{"by digest": got, "by reference": byRef, "by digest in a transaction": inTx, "by reference in a transaction": inTxByRef} {
				if !reflect.DeepEqual(g, exp) {
					t.Errorf("letter %d, %s:\n got %+v\nwant %+v", i, what, g, exp)
				}
			}
		}
		// What each letter is, so that the comparison above compares something.
		got := func(i int) *store.ReleaseLookup {
			l, err := db.LookupRelease(ctx, ls[i].digest)
			if err != nil {
				t.Fatal(err)
			}
			return l
		}
		if l := got(0); l.Seal == nil || l.Withdrawal != nil || l.Salt == nil || !bytes.HasPrefix(l.Statement, []byte(`{"reference":"TLR-2020-000001"`)) {
			t.Errorf("the letter that stands: %+v", l)
		}
		if l := got(1); l.Salt != nil || l.Statement != nil || l.Seal != nil {
			t.Errorf("the letter without an opening or a seal: %+v", l)
		}
		if l := got(2); l.Withdrawal == nil || l.Withdrawal.Kind != "retraction" || string(l.WithdrawalStatement) != `{"reason":"withdrawn"}` || l.SupersededBy != "" {
			t.Errorf("the retracted letter: %+v", l)
		}
		if l := got(3); l.Withdrawal == nil || l.SupersededBy != ls[4].ref || l.WithdrawalSalt != nil || l.Seal == nil {
			t.Errorf("the superseded letter: %+v", l)
		}
		if l := got(5); l.Salt != nil || l.Release.ErasedAt.IsZero() {
			t.Errorf("the erased letter: %+v", l)
		}
		var keys []store.RevokedKey
		view(t, db, func(ctx context.Context, tx *store.Tx) error {
			var err error
			keys, err = tx.RevokedKeys(ctx)
			return err
		})
		if int64(len(keys)) != revoked {
			t.Errorf("RevokedKeys lists %d keys, want %d", len(keys), revoked)
		}
	}
	check(0)

	ctx := t.Context()
	for _, what := range []string{"sha256:" + fmt.Sprintf("%064x", 0xff), ls[0].ref} {
		if l, err := db.LookupRelease(ctx, what); !errors.Is(err, store.ErrNotFound) || l != nil {
			t.Errorf("lookup of %q by digest: %+v, %v; want not found", what, l, err)
		}
	}
	for _, ref := range []string{"TLR-1999-000001", unreleased.Reference, ls[0].digest} {
		if l, err := db.LookupReleaseOf(ctx, ref); !errors.Is(err, store.ErrNotFound) || l != nil {
			t.Errorf("lookup of %q by reference: %+v, %v; want not found", ref, l, err)
		}
	}

	// Revocations are counted in the lookup's snapshot and listed without their entries'
	// openings, which hold the reasons.
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		if err := tx.RevokeSignerKey(ctx, "k2", 30, t0); err != nil {
			return err
		}
		return tx.PutOpening(ctx, 30, bytes.Repeat([]byte{30}, 32), []byte(`{"key":"k2"}`))
	})
	check(1)
	update(t, db, func(ctx context.Context, tx *store.Tx) error { return tx.RevokeSignerKey(ctx, "k3", 31, t0) })
	check(2)
	var keys []store.RevokedKey
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		var err error
		keys, err = tx.RevokedKeys(ctx)
		return err
	})
	wantKeys := []store.RevokedKey{
		{KeyID: "k2", AddedIndex: 1, Index: 30},
		{KeyID: "k3", AddedIndex: 2, Index: 31},
	}
	if !reflect.DeepEqual(keys, wantKeys) {
		t.Errorf("revoked keys %+v, want %+v", keys, wantKeys)
	}
	// A revocation is not undone by revoking again.
	err := db.Update(ctx, func(tx *store.Tx) error { return tx.RevokeSignerKey(ctx, "k2", 32, t0) })
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("revoking a revoked key again: %v", err)
	}
	check(2)
}

// timeStep spaces the test's times by an odd number of milliseconds, so that they are stored
// with fractions.
func timeStep(i int) time.Duration { return time.Duration(i) * 1001 * time.Millisecond }

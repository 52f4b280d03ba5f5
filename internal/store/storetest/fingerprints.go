package storetest

import (
	"context"
	"errors"
	"testing"

	"github.com/chancery/chancery/internal/store"
)

// testFingerprints checks the identification fingerprints: one per version, NULL data kept
// but not listed, lookups by ID, and the backfill's list of versions without one.
func testFingerprints(t *testing.T, db *store.DB) {
	m := addMember(t, db, "dana")
	var l store.Letter
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		l = store.Letter{Reference: "TFN-2020-000001", Subject: "s", Class: "c", AuthorID: m.ID, CreatedAt: t0}
		if err := tx.AddLetter(ctx, &l); err != nil {
			return err
		}
		for n, d := range []string{Digest("aa"), Digest("bb"), Digest("cc")} {
			if err := tx.PutBlob(ctx, d, []byte(d)); err != nil {
				return err
			}
			if err := tx.AddVersion(ctx, store.Version{LetterID: l.ID, N: n + 1, Digest: d, MediaType: "text/plain", FileName: "l.txt", Size: 1, CreatedBy: m.ID, CreatedAt: t0}); err != nil {
				return err
			}
		}
		return nil
	})
	var with, without store.Fingerprint
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		with = store.Fingerprint{LetterID: l.ID, VersionN: 1, Data: []byte("fingerprint one")}
		if err := tx.AddFingerprint(ctx, &with); err != nil {
			return err
		}
		without = store.Fingerprint{LetterID: l.ID, VersionN: 2}
		return tx.AddFingerprint(ctx, &without)
	})
	err := db.Update(t.Context(), func(tx *store.Tx) error {
		return tx.AddFingerprint(t.Context(), &store.Fingerprint{LetterID: l.ID, VersionN: 1, Data: []byte("again")})
	})
	if !errors.Is(err, store.ErrConflict) {
		t.Errorf("second fingerprint of a version: %v, want ErrConflict", err)
	}
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		var ids []int64
		if err := tx.EachFingerprint(ctx, func(f *store.Fingerprint) error {
			ids = append(ids, f.ID)
			if string(f.Data) != "fingerprint one" {
				t.Errorf("listed fingerprint data %q", f.Data)
			}
			return nil
		}); err != nil {
			return err
		}
		if len(ids) != 1 || ids[0] != with.ID {
			t.Errorf("listed %v, want only %d (a version without text is not listed)", ids, with.ID)
		}
		fs, err := tx.FingerprintsByID(ctx, []int64{without.ID, with.ID, 999999})
		if err != nil {
			return err
		}
		if len(fs) != 2 || fs[0].ID != with.ID || fs[0].VersionN != 1 || fs[1].Data != nil {
			t.Errorf("by ID: %+v", fs)
		}
		of, err := tx.FingerprintsOf(ctx, l.ID)
		if err != nil {
			return err
		}
		if len(of) != 2 || of[0].ID != with.ID || string(of[0].Data) != "fingerprint one" || of[1].ID != without.ID || of[1].VersionN != 2 || of[1].Data != nil {
			t.Errorf("of the letter: %+v", of)
		}
		if of, err := tx.FingerprintsOf(ctx, l.ID+1); err != nil || len(of) != 0 {
			t.Errorf("of a letter without any: %+v, %v", of, err)
		}
		vs, err := tx.VersionsWithoutFingerprint(ctx, 0, 0, 10)
		if err != nil {
			return err
		}
		if len(vs) != 1 || vs[0].N != 3 {
			t.Errorf("versions without fingerprint: %+v, want version 3", vs)
		}
		if vs, err = tx.VersionsWithoutFingerprint(ctx, l.ID, 3, 10); err != nil || len(vs) != 0 {
			t.Errorf("versions without fingerprint after the last: %+v, %v", vs, err)
		}
		return nil
	})
}

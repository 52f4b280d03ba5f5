package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
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

// testFingerprintsReread checks what the re-reading of stored fingerprints needs: the rows
// with text of a range of letters, each with the file it was computed from, and a replacement
// that only takes when the row still holds what was read.
func testFingerprintsReread(t *testing.T, db *store.DB) {
	m := addMember(t, db, "rhea")
	var ls [3]store.Letter
	ver, rel := Digest("reread-version"), Digest("reread-file")
	var released store.Fingerprint
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		for _, d := range []string{ver, rel} {
			if err := tx.PutBlob(ctx, d, []byte(d)); err != nil {
				return err
			}
		}
		for i := range ls {
			ls[i] = store.Letter{Reference: fmt.Sprintf("TFR-2020-%06d", i+1), Subject: "s", Class: "c", AuthorID: m.ID, CreatedAt: t0}
			if err := tx.AddLetter(ctx, &ls[i]); err != nil {
				return err
			}
			if err := tx.AddVersion(ctx, store.Version{LetterID: ls[i].ID, N: 1, Digest: ver, MediaType: "application/pdf", FileName: "l.pdf", Size: 1, CreatedBy: m.ID, CreatedAt: t0}); err != nil {
				return err
			}
			if err := tx.AddFingerprint(ctx, &store.Fingerprint{LetterID: ls[i].ID, VersionN: 1, Data: []byte{byte(i)}}); err != nil {
				return err
			}
		}
		if err := tx.AddRelease(ctx, store.Release{LetterID: ls[1].ID, VersionN: 1, FileDigest: rel, FileName: "l.pdf", MediaType: "application/pdf",
			LogIndex: 1000, Entry: []byte("entry"), ReleasedBy: m.ID, ReleasedAt: t0}); err != nil {
			return err
		}
		released = store.Fingerprint{LetterID: ls[1].ID, VersionN: 1, Released: true, Data: []byte("released")}
		return tx.AddFingerprint(ctx, &released)
	})
	// Another server's release is seen by the released row's ID above what a server indexed
	// (registry.followReleases).
	releasedAfter := func(when string, after int64, want ...int64) {
		t.Helper()
		view(t, db, func(ctx context.Context, tx *store.Tx) error {
			ids, err := tx.ReleasedFingerprintsAfter(ctx, after, 10)
			if err != nil || !slices.Equal(ids, want) {
				t.Errorf("%s: released fingerprints after %d: %v, %v; want %v", when, after, ids, err, want)
			}
			return nil
		})
	}
	releasedAfter("the versions' rows are not listed", 0, released.ID)
	releasedAfter("none after the released row", released.ID)
	var got []store.StoredFingerprint
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		last, err := tx.LastFingerprintLetter(ctx)
		if err != nil || last != ls[2].ID {
			t.Errorf("last fingerprinted letter %d, %v; want %d", last, err, ls[2].ID)
		}
		got, err = tx.FingerprintsOfLetters(ctx, ls[0].ID, ls[1].ID)
		return err
	})
	if len(got) != 2 || got[0].Released || got[0].VersionType != "application/pdf" || got[0].VersionDigest != ver || got[0].ReleaseDigest != "" ||
		!got[1].Released || got[1].ReleaseDigest != rel || got[1].ReleaseType != "application/pdf" || string(got[1].Data) != "released" {
		t.Fatalf("fingerprints of the second letter: %+v", got)
	}
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		if ok, err := tx.ReplaceFingerprint(ctx, got[1].ID, []byte("not what it holds"), []byte("new")); err != nil || ok {
			t.Errorf("replacement of a row that holds something else: %v, %v", ok, err)
		}
		if ok, err := tx.ReplaceFingerprint(ctx, got[1].ID, got[1].Data, []byte("new")); err != nil || !ok {
			t.Errorf("replacement: %v, %v", ok, err)
		}
		if ok, err := tx.ReplaceFingerprint(ctx, got[0].ID, got[0].Data, nil); err != nil || !ok {
			t.Errorf("replacement by no text: %v, %v", ok, err)
		}
		return nil
	})
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		fs, err := tx.FingerprintsOfLetters(ctx, ls[0].ID, ls[1].ID)
		if err != nil {
			return err
		}
		if len(fs) != 1 || string(fs[0].Data) != "new" {
			t.Errorf("after the replacements: %+v, want only the released row, with its new text", fs)
		}
		return nil
	})
	update(t, db, func(ctx context.Context, tx *store.Tx) error { return tx.EraseLetter(ctx, ls[1].ID, t0) })
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		if fs, err := tx.FingerprintsOfLetters(ctx, 0, ls[2].ID); err != nil || len(fs) != 2 {
			t.Errorf("after the erasure: %+v, %v; want the first and third letters' rows", fs, err)
		}
		return nil
	})
	releasedAfter("an erased release's row, without its text", 0, released.ID)
}

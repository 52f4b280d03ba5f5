package storetest

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/chancery/chancery/internal/store"
)

// testOpenings checks the openings of confidential log entries and the erasure of a released
// letter: an opening is stored once per log index, not found once deleted, and erasing a
// letter deletes its release's and withdrawal's openings and its stored content while the
// release row (digest, log index, time, entry) stays.
func testOpenings(t *testing.T, db *store.DB) {
	m := addMember(t, db, "dana")
	var l, other store.Letter
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		for i, p := range []*store.Letter{&l, &other} {
			*p = store.Letter{Reference: []string{"TFN-2020-000001", "TFN-2020-000002"}[i], Subject: "secret subject", Class: "c",
				Tags: []string{"t"}, Addressees: []string{"a"}, AuthorID: m.ID, CreatedAt: t0}
			if err := tx.AddLetter(ctx, p); err != nil {
				return err
			}
			v, f := []string{Digest("v1"), Digest("v2")}[i], []string{Digest("f1"), Digest("f2")}[i]
			for _, d := range []string{v, f} {
				if err := tx.PutBlob(ctx, d, []byte("content "+d)); err != nil {
					return err
				}
			}
			if err := tx.AddVersion(ctx, store.Version{LetterID: p.ID, N: 1, Digest: v, MediaType: "text/plain", FileName: "l.txt", Size: 1, CreatedBy: m.ID, CreatedAt: t0}); err != nil {
				return err
			}
			if err := tx.AddRelease(ctx, store.Release{LetterID: p.ID, VersionN: 1, FileDigest: f, FileName: "l.pdf", MediaType: "application/pdf",
				LogIndex: int64(10 + i), Entry: []byte("entry"), ReleasedBy: m.ID, ReleasedAt: t0, CheckCodeHash: bytes.Repeat([]byte{byte(i)}, 32)}); err != nil {
				return err
			}
			if err := tx.PutOpening(ctx, int64(10+i), []byte("salt"), []byte("statement")); err != nil {
				return err
			}
		}
		if err := tx.AddWithdrawal(ctx, store.Withdrawal{LetterID: l.ID, Kind: "retraction", Reason: "secret reason", LogIndex: 12, Entry: []byte("w"), MemberID: m.ID, CreatedAt: t0}); err != nil {
			return err
		}
		return tx.PutOpening(ctx, 12, []byte("salt"), []byte("withdrawal"))
	})
	err := db.Update(t.Context(), func(tx *store.Tx) error {
		return tx.PutOpening(t.Context(), 10, []byte("other"), []byte("other"))
	})
	if !errors.Is(err, store.ErrConflict) {
		t.Errorf("a second opening for one entry: %v, want ErrConflict", err)
	}
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		salt, st, err := tx.Opening(ctx, 12)
		if err != nil || string(salt) != "salt" || string(st) != "withdrawal" {
			t.Errorf("opening 12: %q %q %v", salt, st, err)
		}
		if _, _, err := tx.Opening(ctx, 99); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("opening of an entry without one: %v, want ErrNotFound", err)
		}
		rel, err := tx.ReleaseOf(ctx, l.ID)
		if err != nil || !bytes.Equal(rel.CheckCodeHash, make([]byte, 32)) || !rel.ErasedAt.IsZero() {
			t.Errorf("release: %+v, %v", rel, err)
		}
		return nil
	})
	update(t, db, func(ctx context.Context, tx *store.Tx) error { return tx.EraseLetter(ctx, l.ID, t0) })
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		for _, i := range []int64{10, 12} {
			if _, _, err := tx.Opening(ctx, i); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("opening %d after erasure: %v, want ErrNotFound", i, err)
			}
		}
		if _, _, err := tx.Opening(ctx, 11); err != nil {
			t.Errorf("another letter's opening after erasure: %v", err)
		}
		got, err := tx.LetterByID(ctx, l.ID)
		if err != nil || got.Subject != "" || len(got.Tags) != 0 || len(got.Addressees) != 0 || got.Reference != "TFN-2020-000001" {
			t.Errorf("erased letter: %+v, %v", got, err)
		}
		for _, d := range []string{Digest("v1"), Digest("f1")} {
			if b, err := tx.Blob(ctx, d); err != nil || len(b) != 0 {
				t.Errorf("blob %s after erasure: %q, %v", d, b, err)
			}
		}
		if b, err := tx.Blob(ctx, Digest("f2")); err != nil || len(b) == 0 {
			t.Errorf("another letter's blob after erasure: %q, %v", b, err)
		}
		w, err := tx.WithdrawalOf(ctx, l.ID)
		if err != nil || w.Reason != "" || w.LogIndex != 12 {
			t.Errorf("erased withdrawal: %+v, %v", w, err)
		}
		rel, err := tx.ReleaseByDigest(ctx, Digest("f1"))
		if err != nil || rel.LogIndex != 10 || !rel.ErasedAt.Equal(t0) || string(rel.Entry) != "entry" {
			t.Errorf("erased release by digest: %+v, %v", rel, err)
		}
		if o, err := tx.LetterByID(ctx, other.ID); err != nil || o.Subject != "secret subject" {
			t.Errorf("another letter after erasure: %+v, %v", o, err)
		}
		return nil
	})
}

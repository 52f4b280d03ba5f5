package storetest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/chancery/chancery/internal/store"
)

// blobSizes straddle the sizes at which PostgreSQL keeps a file inline or cuts it into full
// rows of 8,120 bytes and small ones of 1,992, those at which SQLite keeps it inline, cuts it
// into rows of 980 bytes or starts with a row of whole overflow pages (4,575 bytes for a
// blob id of one byte), and where that row's length takes a third byte (8,186) (blobs.go),
// and a file of many rows.
var blobSizes = []int{0, 1, 979, 980, 981, 1991, 1992, 1993, 3 * 1992, 4574, 4575, 4576, 4 * 1992, 8119, 8120, 8121,
	8185, 8186, 8187, 2*8120 + 3*1992 + 5, 3*8120 + 17, 300_000}

// testBlobs checks that every file reads back byte for byte whatever its size, that storing a
// digest again keeps the first bytes, that a rolled-back transaction leaves neither the file
// nor its chunks, and that erasing a letter empties its files and deletes their chunks, and
// not another letter's.
func testBlobs(t *testing.T, db *store.DB) {
	rng := rand.New(rand.NewPCG(1, 2))
	files := map[string][]byte{}
	var digests []string
	for _, n := range blobSizes {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		d := fmt.Sprintf("sha256:%x", sha256.Sum256(b))
		files[d] = b
		digests = append(digests, d)
	}
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		for _, d := range digests {
			if err := tx.PutBlob(ctx, d, files[d]); err != nil {
				return err
			}
		}
		return tx.PutBlob(ctx, digests[len(digests)-1], []byte("other bytes under a stored digest"))
	})
	chunks := chunkRows(t, db)
	if want := wantChunks(db, blobSizes...); chunks != want {
		t.Errorf("%d blob_chunks rows, want %d", chunks, want)
	}
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		for _, d := range digests {
			got, err := tx.Blob(ctx, d)
			if err != nil || !bytes.Equal(got, files[d]) || got == nil {
				t.Errorf("file of %d bytes: read %d bytes (equal %v, nil %v), %v", len(files[d]), len(got), bytes.Equal(got, files[d]), got == nil, err)
			}
		}
		if _, err := tx.Blob(ctx, "sha256:none"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("an unknown file: %v, want ErrNotFound", err)
		}
		return nil
	})

	big := bytes.Repeat([]byte("rolled back "), 5000)
	err := db.Update(t.Context(), func(tx *store.Tx) error {
		if err := tx.PutBlob(t.Context(), Digest("rolledback"), big); err != nil {
			return err
		}
		return errTest
	})
	if !errors.Is(err, errTest) {
		t.Fatalf("update: %v", err)
	}
	if n := chunkRows(t, db); n != chunks {
		t.Errorf("after a rollback: %d blob_chunks rows, want %d", n, chunks)
	}
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		if _, err := tx.Blob(ctx, Digest("rolledback")); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a rolled-back file: %v, want ErrNotFound", err)
		}
		return nil
	})

	// Two released letters whose version and released file are large: erasing one empties
	// its two files and drops their chunks, and leaves the other's.
	m := addMember(t, db, "erin")
	var ids [2]int64
	var kept []string
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		for i := range ids {
			l := store.Letter{Reference: fmt.Sprintf("TFB-2020-%06d", i+1), Subject: "s", Class: "c", Tags: []string{"t"}, Addressees: []string{"a"}, AuthorID: m.ID, CreatedAt: t0}
			if err := tx.AddLetter(ctx, &l); err != nil {
				return err
			}
			ids[i] = l.ID
			v, f := Digest(fmt.Sprintf("version%d", i)), Digest(fmt.Sprintf("file%d", i))
			for _, d := range []string{v, f} {
				files[d] = bytes.Repeat([]byte(d), 3000)
				if err := tx.PutBlob(ctx, d, files[d]); err != nil {
					return err
				}
			}
			if i == 1 {
				kept = []string{v, f}
			}
			if err := tx.AddVersion(ctx, store.Version{LetterID: l.ID, N: 1, Digest: v, MediaType: "text/plain", FileName: "l.txt", Size: int64(len(files[v])), CreatedBy: m.ID, CreatedAt: t0}); err != nil {
				return err
			}
			if err := tx.AddRelease(ctx, store.Release{LetterID: l.ID, VersionN: 1, FileDigest: f, FileName: "l.pdf", MediaType: "application/pdf",
				LogIndex: int64(20 + i), Entry: []byte("entry"), ReleasedBy: m.ID, ReleasedAt: t0, CheckCodeHash: bytes.Repeat([]byte{byte(i)}, 32)}); err != nil {
				return err
			}
		}
		return nil
	})
	v, f := len(files[Digest("version0")]), len(files[Digest("file0")])
	if n, want := chunkRows(t, db), chunks+wantChunks(db, v, f, v, f); n != want {
		t.Errorf("with two letters: %d blob_chunks rows, want %d", n, want)
	}
	var erasures int64
	view(t, db, func(ctx context.Context, tx *store.Tx) (err error) {
		erasures, err = tx.Counter(ctx, store.ErasuresCounter)
		return err
	})
	update(t, db, func(ctx context.Context, tx *store.Tx) error { return tx.EraseLetter(ctx, ids[0], t0) })
	if n, want := chunkRows(t, db), chunks+wantChunks(db, v, f); n != want {
		t.Errorf("after erasing one: %d blob_chunks rows, want %d", n, want)
	}
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		// Other servers learn of the erasure by the count (registry, RefreshIdentification).
		if n, err := tx.Counter(ctx, store.ErasuresCounter); err != nil || n != erasures+1 {
			t.Errorf("erasures counted %d after one more erasure, %d before: %v", n, erasures, err)
		}
		for _, d := range []string{Digest("version0"), Digest("file0")} {
			if got, err := tx.Blob(ctx, d); err != nil || len(got) != 0 {
				t.Errorf("erased file %s: %d bytes, %v", d, len(got), err)
			}
		}
		for _, d := range kept {
			if got, err := tx.Blob(ctx, d); err != nil || !bytes.Equal(got, files[d]) {
				t.Errorf("the other letter's file %s: %d bytes, %v", d, len(got), err)
			}
		}
		// The erased release is listed as such, the other found by its index only.
		if rels, err := tx.ErasedReleases(ctx); err != nil || len(rels) != 1 || rels[0].LetterID != ids[0] || rels[0].LogIndex != 20 || string(rels[0].Entry) != "entry" {
			t.Errorf("erased releases: %+v, %v", rels, err)
		}
		if r, err := tx.ReleaseAt(ctx, 21); err != nil || r.LetterID != ids[1] || !r.ErasedAt.IsZero() {
			t.Errorf("release at 21: %+v, %v", r, err)
		}
		if _, err := tx.ReleaseAt(ctx, 22); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("release at 22: %v, want not found", err)
		}
		return nil
	})

	// A letter whose versions are another's files (the same upload; its released file
	// uploaded again): erasing the other keeps them, since they are this letter's too.
	var erased int64
	shared := []string{Digest("shared-version"), Digest("shared-file")}
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		var ls [2]store.Letter
		for i := range ls {
			ls[i] = store.Letter{Reference: fmt.Sprintf("TFS-2020-%06d", i+1), Subject: "s", Class: "c", Tags: []string{}, Addressees: []string{}, AuthorID: m.ID, CreatedAt: t0}
			if err := tx.AddLetter(ctx, &ls[i]); err != nil {
				return err
			}
		}
		erased = ls[0].ID
		for _, d := range shared {
			files[d] = bytes.Repeat([]byte(d), 3000)
			if err := tx.PutBlob(ctx, d, files[d]); err != nil {
				return err
			}
		}
		for i, l := range []int64{ls[0].ID, ls[1].ID, ls[1].ID} {
			n := 1 + i/2
			if err := tx.AddVersion(ctx, store.Version{LetterID: l, N: n, Digest: shared[i/2], MediaType: "text/plain", FileName: "l.txt", Size: 3000, CreatedBy: m.ID, CreatedAt: t0}); err != nil {
				return err
			}
		}
		return tx.AddRelease(ctx, store.Release{LetterID: erased, VersionN: 1, FileDigest: shared[1], FileName: "l.pdf", MediaType: "application/pdf",
			LogIndex: 30, Entry: []byte("entry"), ReleasedBy: m.ID, ReleasedAt: t0, CheckCodeHash: bytes.Repeat([]byte{9}, 32)})
	})
	before := chunkRows(t, db)
	update(t, db, func(ctx context.Context, tx *store.Tx) error { return tx.EraseLetter(ctx, erased, t0) })
	if n := chunkRows(t, db); n != before {
		t.Errorf("after erasing a letter whose files another has: %d blob_chunks rows, %d before", n, before)
	}
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		for _, d := range shared {
			if got, err := tx.Blob(ctx, d); err != nil || !bytes.Equal(got, files[d]) {
				t.Errorf("a file another letter has too, after the erasure: %d bytes, %v", len(got), err)
			}
		}
		return nil
	})
}

// chunkRows counts the rows of blob_chunks.
func chunkRows(t *testing.T, db *store.DB) int64 {
	t.Helper()
	var n int64
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		c, err := tx.Counts(ctx, []string{"blob_chunks"})
		if err != nil {
			return err
		}
		n = c[0].Rows
		return nil
	})
	return n
}

// wantChunks is the number of blob_chunks rows files of these sizes take. On PostgreSQL one
// per full 8,120 bytes, then one per full 1,992 bytes of the rest. On SQLite (4 KiB pages,
// blob ids of one byte: 2 to 127), from 980 bytes on, one row for the longest first part
// whose record, 6 or 7 bytes of header and id then the bytes, is 489 + k × 4,092 bytes (k >=
// 1), then one per full 980 bytes of the rest.
func wantChunks(db *store.DB, sizes ...int) int64 {
	var n int64
	for _, s := range sizes {
		if db.Dialect() == store.Postgres {
			n += int64(s/8120 + s%8120/1992)
			continue
		}
		if s < 980 {
			continue
		}
		bulk := 0
		for l := s; l > 0 && bulk == 0; l-- {
			head := 6
			if 2*l+12 >= 1<<14 {
				head = 7
			}
			if r := head + l; r > 489 && (r-489)%4092 == 0 {
				bulk = l
			}
		}
		if bulk > 0 {
			n++
		}
		n += int64((s - bulk) / 980)
	}
	return n
}

// Digest is a file digest for tests, "sha256:" and the 64 hex digits of name's SHA-256: the
// store keeps only digests of that form.
func Digest(name string) string {
	return fmt.Sprintf("sha256:%x", sha256.Sum256([]byte(name)))
}

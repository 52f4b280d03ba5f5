package store_test

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/store/storetest"
)

func TestFileDigestsMigrationSQLite(t *testing.T) {
	dir := t.TempDir()
	testFileDigestsMigration(t,
		func(n int) (*store.DB, error) { return store.OpenSQLiteAtForTest(t.Context(), dir, n) },
		func() (*store.DB, error) { return store.OpenSQLite(t.Context(), dir) })
	bad := t.TempDir()
	testBadFileDigestMigration(t,
		func(n int) (*store.DB, error) { return store.OpenSQLiteAtForTest(t.Context(), bad, n) },
		func() (*store.DB, error) { return store.OpenSQLite(t.Context(), bad) })
}

func TestFileDigestsMigrationPostgres(t *testing.T) {
	url := storetest.PostgresURL(t)
	testFileDigestsMigration(t,
		func(n int) (*store.DB, error) { return store.OpenPostgresAtForTest(t.Context(), url, n) },
		func() (*store.DB, error) { return store.OpenPostgres(t.Context(), url) })
	bad := storetest.PostgresURL(t)
	testBadFileDigestMigration(t,
		func(n int) (*store.DB, error) { return store.OpenPostgresAtForTest(t.Context(), bad, n) },
		func() (*store.DB, error) { return store.OpenPostgres(t.Context(), bad) })
}

// testFileDigestsMigration stores files, versions, releases, a withdrawal and a fingerprint as
// schema 28 stored them (digests as text; a file inline, one in chunks, one erased), opens the
// store with this build, which runs migration 29, and reads every one back through the store's
// API as before; the digests are then 32 bytes each, the foreign keys still hold, a digest
// that is not "sha256:" and 64 lowercase hex digits is refused, and a build of schema 28
// refuses the store.
func testFileDigestsMigration(t *testing.T, openAt func(int) (*store.DB, error), open func() (*store.DB, error)) {
	ctx := t.Context()
	old, err := openAt(28)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 1, 19, 0, 0, 0, time.UTC)
	d1, d2, d3 := storetest.Digest("one"), storetest.Digest("two"), storetest.Digest("three")
	var member int64
	var letters [2]int64
	err = old.Update(ctx, func(tx *store.Tx) error {
		m, err := tx.AddMember(ctx, "cora", []string{"signer"}, []byte("token"), at)
		if err != nil {
			return err
		}
		member = m.ID
		for i := range letters {
			l := store.Letter{Reference: "TFD-2026-00000" + string(rune('1'+i)), Subject: "s", Class: "c", AuthorID: member, CreatedAt: at}
			if err := store.AddLetterForTest(ctx, tx, &l); err != nil {
				return err
			}
			letters[i] = l.ID
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	when := store.FormatTimeForTest(at)
	for _, st := range []struct {
		q    string
		args []any
	}{
		{`INSERT INTO blobs (digest, data) VALUES ($1, $2)`, []any{d1, []byte("version one")}},
		{`INSERT INTO blobs (digest, data, chunked) VALUES ($1, $2, 5)`, []any{d2, []byte(" and tail")}},
		{`INSERT INTO blob_chunks (blob, seq, data) VALUES (5, 0, $1), (5, 1, $2)`, []any{[]byte("head"), []byte(", middle")}},
		{`INSERT INTO blobs (digest, data) VALUES ($1, $2)`, []any{d3, []byte{}}},
		{`INSERT INTO versions (letter_id, n, digest, media_type, file_name, size, created_by, created_at) VALUES ($1, 1, $2, 'text/plain', 'a.txt', 11, $3, $4)`,
			[]any{letters[0], d1, member, when}},
		{`INSERT INTO versions (letter_id, n, digest, media_type, file_name, size, created_by, created_at) VALUES ($1, 2, $2, 'application/pdf', 'b.pdf', 21, $3, $4)`,
			[]any{letters[0], d2, member, when}},
		{`INSERT INTO versions (letter_id, n, digest, media_type, file_name, size, created_by, created_at) VALUES ($1, 1, $2, 'text/plain', 'c.txt', 0, $3, $4)`,
			[]any{letters[1], d3, member, when}},
		{`INSERT INTO releases (letter_id, version_n, file_digest, file_name, media_type, log_index, entry, released_by, released_at, check_code_hash)
			VALUES ($1, 2, $2, 'b.pdf', 'application/pdf', 7, $3, $4, $5, $6)`, []any{letters[0], d2, []byte("an entry"), member, when, []byte{1, 2}}},
		{`INSERT INTO releases (letter_id, version_n, file_digest, file_name, media_type, log_index, entry, released_by, released_at, erased_at)
			VALUES ($1, 1, $2, 'c.txt', 'text/plain', 8, $3, $4, $5, $5)`, []any{letters[1], d3, []byte("another entry"), member, when}},
		{`INSERT INTO withdrawals (letter_id, kind, reason, log_index, entry, member_id, created_at) VALUES ($1, 'retraction', 'wrong', 9, $2, $3, $4)`,
			[]any{letters[1], []byte("withdrawal entry"), member, when}},
		{`INSERT INTO fingerprints (id, letter_id, version_n, released, data) VALUES (42, $1, 1, 0, $2)`, []any{letters[0], []byte("fingerprint")}},
	} {
		if err := old.ExecForTest(ctx, st.q, st.args...); err != nil {
			t.Fatalf("%s: %v", st.q, err)
		}
	}
	old.Close()

	db, err := open()
	if err != nil {
		t.Fatalf("migration 29: %v", err)
	}
	defer db.Close()
	want := []store.Version{
		{LetterID: letters[0], N: 1, Digest: d1, MediaType: "text/plain", FileName: "a.txt", Size: 11, CreatedBy: member, CreatedAt: at},
		{LetterID: letters[0], N: 2, Digest: d2, MediaType: "application/pdf", FileName: "b.pdf", Size: 21, CreatedBy: member, CreatedAt: at},
	}
	files := map[string]string{d1: "version one", d2: "head, middle and tail", d3: ""}
	err = db.View(ctx, func(tx *store.Tx) error {
		vs, err := tx.Versions(ctx, letters[0])
		if err != nil || !slices.EqualFunc(vs, want, sameVersion) {
			t.Errorf("versions: %+v, %v; want %+v", vs, err, want)
		}
		if v, err := tx.FirstVersionByDigest(ctx, d2); err != nil || !sameVersion(*v, want[1]) {
			t.Errorf("first version by digest: %+v, %v", v, err)
		}
		r, err := tx.ReleaseOf(ctx, letters[0])
		if err != nil || r.FileDigest != d2 || r.LogIndex != 7 || string(r.Entry) != "an entry" || !bytes.Equal(r.CheckCodeHash, []byte{1, 2}) || !r.ErasedAt.IsZero() {
			t.Errorf("release: %+v, %v", r, err)
		}
		if r, err := tx.ReleaseByDigest(ctx, d3); err != nil || r.LetterID != letters[1] || r.FileDigest != d3 || !r.ErasedAt.Equal(at) {
			t.Errorf("release by digest: %+v, %v", r, err)
		}
		if w, err := tx.WithdrawalOf(ctx, letters[1]); err != nil || w.Kind != "retraction" || w.LogIndex != 9 {
			t.Errorf("withdrawal: %+v, %v", w, err)
		}
		if ids, err := tx.FingerprintIDs(ctx, letters[0]); err != nil || !slices.Equal(ids, []int64{42}) {
			t.Errorf("fingerprints: %v, %v", ids, err)
		}
		for d, data := range files {
			if b, err := tx.Blob(ctx, d); err != nil || string(b) != data {
				t.Errorf("file %s: %q, %v; want %q", d, b, err, data)
			}
		}
		listed, err := tx.ListLetters(ctx, store.LetterFilter{}, 10)
		if err != nil || len(listed) != 2 || listed[0].Latest.Digest != d3 || listed[1].Latest.Digest != d2 {
			t.Errorf("listed: %+v, %v", listed, err)
		}
		sizes, err := store.IntsTx(ctx, tx, `SELECT length(digest) FROM blobs UNION ALL SELECT length(digest) FROM versions
			UNION ALL SELECT length(file_digest) FROM releases`)
		if err != nil {
			return err
		}
		if len(sizes) != 8 || slices.ContainsFunc(sizes, func(n int) bool { return n != 32 }) {
			t.Errorf("stored digests of %v bytes, want 8 of 32", sizes)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if l, err := db.LookupRelease(ctx, d2); err != nil || l.Release.FileDigest != d2 || l.Release.LetterID != letters[0] {
		t.Errorf("lookup: %+v, %v", l, err)
	}

	// A digest of another form is refused, and nothing of it is written; looked up, it is
	// not found.
	upper := "sha256:" + strings.ToUpper(d1[7:])
	for _, d := range []string{upper, "sha256:aa", "", d1 + "0", "sha512:" + d1[7:]} {
		err := db.Update(ctx, func(tx *store.Tx) error { return tx.PutBlob(ctx, d, []byte("x")) })
		if !errors.Is(err, store.ErrFileDigest) {
			t.Errorf("put blob %q: %v, want ErrFileDigest", d, err)
		}
		err = db.Update(ctx, func(tx *store.Tx) error {
			return tx.AddVersion(ctx, store.Version{LetterID: letters[1], N: 2, Digest: d, MediaType: "text/plain", FileName: "x", CreatedBy: member, CreatedAt: at})
		})
		if !errors.Is(err, store.ErrFileDigest) {
			t.Errorf("add version %q: %v, want ErrFileDigest", d, err)
		}
		err = db.Update(ctx, func(tx *store.Tx) error {
			return tx.AddRelease(ctx, store.Release{LetterID: letters[1] + 1, VersionN: 1, FileDigest: d, LogIndex: 10, ReleasedBy: member, ReleasedAt: at})
		})
		if !errors.Is(err, store.ErrFileDigest) {
			t.Errorf("add release %q: %v, want ErrFileDigest", d, err)
		}
		err = db.View(ctx, func(tx *store.Tx) error {
			if _, err := tx.Blob(ctx, d); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("blob %q: %v, want ErrNotFound", d, err)
			}
			if v, err := tx.FirstVersionByDigest(ctx, d); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("first version by digest %q: %+v, %v; want ErrNotFound", d, v, err)
			}
			if h, err := tx.HeldByDigest(ctx, d); err != nil || h != (store.DigestHeld{}) {
				t.Errorf("held by digest %q: %+v, %v; want nothing", d, h, err)
			}
			if _, err := tx.ReleaseByDigest(ctx, d); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("release by digest %q: %v, want ErrNotFound", d, err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	// The foreign keys from versions and releases to blobs hold after the migration.
	err = db.Update(ctx, func(tx *store.Tx) error {
		return tx.AddVersion(ctx, store.Version{LetterID: letters[1], N: 2, Digest: storetest.Digest("not stored"), MediaType: "text/plain", FileName: "x", CreatedBy: member, CreatedAt: at})
	})
	if err == nil {
		t.Error("a version of a file not stored was added")
	}
	db.Close()
	if old, err := openAt(28); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("schema version %d is newer than this build's 28", store.SchemaVersion)) {
		if err == nil {
			old.Close()
		}
		t.Errorf("a build of schema 28 opened the store: %v", err)
	}
}

// testBadFileDigestMigration stores a file under a digest that is not "sha256:" and 64
// lowercase hex digits, as schema 28 could, and checks that migration 29 fails with an error
// that says so and leaves the store as it was.
func testBadFileDigestMigration(t *testing.T, openAt func(int) (*store.DB, error), open func() (*store.DB, error)) {
	ctx := t.Context()
	old, err := openAt(28)
	if err != nil {
		t.Fatal(err)
	}
	bad := "sha256:" + strings.ToUpper(storetest.Digest("bad")[7:])
	if err := old.ExecForTest(ctx, `INSERT INTO blobs (digest, data) VALUES ($1, $2)`, bad, []byte("bad")); err != nil {
		t.Fatal(err)
	}
	old.Close()
	if db, err := open(); err == nil || !strings.Contains(err.Error(), `is not "sha256:" and 64 lowercase hex digits`) {
		if err == nil {
			db.Close()
		}
		t.Fatalf("migration 29 over a file digest %q: %v", bad, err)
	}
	old, err = openAt(28)
	if err != nil {
		t.Fatalf("the store after the failed migration: %v", err)
	}
	defer old.Close()
	err = old.View(ctx, func(tx *store.Tx) error {
		v, err := tx.Version(ctx)
		if err != nil || v != 28 {
			t.Errorf("schema version %d after the failed migration, %v", v, err)
		}
		n, err := store.IntsTx(ctx, tx, `SELECT length(digest) FROM blobs`)
		if err != nil || !slices.Equal(n, []int{71}) {
			t.Errorf("blobs after the failed migration: digests of %v bytes, %v", n, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func sameVersion(a, b store.Version) bool {
	return a.LetterID == b.LetterID && a.N == b.N && a.Digest == b.Digest && a.MediaType == b.MediaType && a.FileName == b.FileName &&
		a.Size == b.Size && a.CreatedBy == b.CreatedBy && a.CreatedAt.Equal(b.CreatedAt)
}

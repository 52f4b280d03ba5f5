package store_test

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"testing"

	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/store/storetest"
)

func TestBlobsMigrationSQLite(t *testing.T) {
	testBlobsMigration(t, openSQLite(t, t.TempDir()))
}

func TestBlobsMigrationPostgres(t *testing.T) {
	testBlobsMigration(t, openPostgres(t, storetest.PostgresURL(t)))
}

// testBlobsMigration takes a store back to schema 21's blobs table, stores files as schema 21
// stored them (inline, small and large), runs migration 22, and reads them back; files stored
// after it are read too, and a file stored again under an old digest keeps its old bytes.
func testBlobsMigration(t *testing.T, db *store.DB) {
	ctx := t.Context()
	defer db.Close()
	undo := []string{`DROP TABLE blob_chunks`, `ALTER TABLE blobs DROP COLUMN chunked`}
	if db.Dialect() == store.Postgres {
		undo = append(undo, `DROP SEQUENCE blob_chunk_ids`)
	}
	for _, q := range undo {
		if err := db.ExecForTest(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	old := map[string][]byte{storetest.Digest("old-small"): []byte("small"), storetest.Digest("old-large"): bytes.Repeat([]byte("large file "), 30000)}
	for d, b := range old {
		if err := db.ExecForTest(ctx, `INSERT INTO blobs (digest, data) VALUES ($1, $2)`, digestBytes(t, d), b); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.RunMigrationForTest(ctx, 22); err != nil {
		t.Fatalf("migration 22: %v", err)
	}
	newer := bytes.Repeat([]byte("new file "), 40000)
	err := db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.PutBlob(ctx, storetest.Digest("new"), newer); err != nil {
			return err
		}
		return tx.PutBlob(ctx, storetest.Digest("old-large"), newer)
	})
	if err != nil {
		t.Fatal(err)
	}
	old[storetest.Digest("new")] = newer
	err = db.View(ctx, func(tx *store.Tx) error {
		for d, want := range old {
			got, err := tx.Blob(ctx, d)
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("%s: %d bytes, want %d, %v", d, len(got), len(want), err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestCopyToChunksFiles copies a SQLite office's files into PostgreSQL: the copy keeps them
// as PostgreSQL keeps the files it is given (in rows of blob_chunks from 1,992 bytes), reads every
// one back byte for byte, and counts the chunks it wrote, so that `store migrate`'s check of
// each table's rows holds.
func TestCopyToChunksFiles(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	src := openSQLite(t, dir)
	files := map[string][]byte{}
	for i, n := range []int{0, 10, 1991, 1992, 8120, 8121, 100_000, 250_000} {
		b := bytes.Repeat([]byte{byte(i + 1)}, n)
		files[storetest.Digest(fmt.Sprintf("f%d", i))] = b
	}
	err := src.Update(ctx, func(tx *store.Tx) error {
		for d, b := range files {
			if err := tx.PutBlob(ctx, d, b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := src.Close(); err != nil {
		t.Fatal(err)
	}
	snap, err := store.OpenSQLiteSnapshot(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Close()
	dst := openPostgres(t, storetest.PostgresURL(t))
	defer dst.Close()
	counts, err := store.CopyTo(ctx, snap, dst)
	if err != nil {
		t.Fatalf("copy: %v", err)
	}
	copied := map[string]int64{}
	for _, c := range counts {
		copied[c.Table] = c.Rows
	}
	// 1 + 1 + 1 + (12 + 1) + (30 + 3) rows for the files of 1,992 bytes and more.
	if copied["blobs"] != int64(len(files)) || copied["blob_chunks"] != 49 {
		t.Errorf("copied %d files and %d chunks, want %d and 49", copied["blobs"], copied["blob_chunks"], len(files))
	}
	err = dst.View(ctx, func(tx *store.Tx) error {
		got, err := tx.Counts(ctx, []string{"blob_chunks"})
		if err != nil {
			return err
		}
		if got[0].Rows != copied["blob_chunks"] {
			t.Errorf("the target holds %d chunks, the copy counted %d", got[0].Rows, copied["blob_chunks"])
		}
		for d, want := range files {
			b, err := tx.Blob(ctx, d)
			if err != nil || !bytes.Equal(b, want) {
				t.Errorf("%s in the target: %d bytes, want %d, %v", d, len(b), len(want), err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestBlobsFillMigrationSQLite(t *testing.T) {
	testBlobsFillMigration(t, openSQLite(t, t.TempDir()))
}

func TestBlobsFillMigrationPostgres(t *testing.T) {
	testBlobsFillMigration(t, openPostgres(t, storetest.PostgresURL(t)))
}

// testBlobsFillMigration stores files as schema 22 kept them inline (on SQLite every file,
// on PostgreSQL those stored before migration 22), runs migration 23, and reads every file
// back byte for byte, still inline: the migration copies no file. Files stored afterwards of
// 980 bytes or more (SQLite) or 1,992 (PostgreSQL) are in chunks, the shorter ones inline.
func testBlobsFillMigration(t *testing.T, db *store.DB) {
	ctx := t.Context()
	defer db.Close()
	if db.Dialect() == store.SQLite {
		// Schema 22's blob_chunks on SQLite: a rowid table.
		for _, q := range []string{`DROP TABLE blob_chunks`, `CREATE TABLE blob_chunks (blob INTEGER NOT NULL, seq INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (blob, seq))`} {
			if err := db.ExecForTest(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
	}
	sizes := []int{1, 979, 980, 1991, 1992, 4575, 4576, 8186, 8187, 8120 + 1992*3 + 7, 102_409, 145_860, 300_000}
	file := func(i int) []byte {
		b := make([]byte, sizes[i])
		for j := range b {
			b[j] = byte(i*7 + j*13 + j/251)
		}
		return b
	}
	old := map[string][]byte{storetest.Digest("erased"): {}}
	for i := range sizes {
		old[storetest.Digest(fmt.Sprintf("old%d", i))] = file(i)
	}
	for d, b := range old {
		if err := db.ExecForTest(ctx, `INSERT INTO blobs (digest, data) VALUES ($1, $2)`, digestBytes(t, d), b); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.RunMigrationForTest(ctx, 23); err != nil {
		t.Fatalf("migration 23: %v", err)
	}
	fresh := map[string][]byte{}
	err := db.Update(ctx, func(tx *store.Tx) error {
		for i := range sizes {
			d := storetest.Digest(fmt.Sprintf("new%d", i))
			fresh[d] = file(i)
			if err := tx.PutBlob(ctx, d, fresh[d]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	least := 980
	if db.Dialect() == store.Postgres {
		least = 1992
	}
	err = db.View(ctx, func(tx *store.Tx) error {
		check := func(files map[string][]byte, wantChunks func(n int) bool) error {
			for d, want := range files {
				got, err := tx.Blob(ctx, d)
				if err != nil || !bytes.Equal(got, want) {
					t.Errorf("%s: %d bytes, want %d, %v", d, len(got), len(want), err)
				}
				chunked, err := store.IntsTx(ctx, tx, `SELECT count(*) FROM blobs b JOIN blob_chunks c ON c.blob = b.chunked WHERE b.digest = $1`, digestBytes(t, d))
				if err != nil {
					return err
				}
				if (chunked[0] > 0) != wantChunks(len(want)) {
					t.Errorf("%s of %d bytes: %d chunks", d, len(want), chunked[0])
				}
			}
			return nil
		}
		if err := check(old, func(int) bool { return false }); err != nil {
			return err
		}
		return check(fresh, func(n int) bool { return n >= least })
	})
	if err != nil {
		t.Fatal(err)
	}
	if db.Dialect() == store.SQLite {
		checkOverflowFull(t, db)
	}
}

// checkOverflowFull fails unless every overflow page of blob_chunks is full: each file's first
// row is the minimum local part plus whole overflow pages (blobs.go).
func checkOverflowFull(t *testing.T, db *store.DB) {
	t.Helper()
	err := db.View(t.Context(), func(tx *store.Tx) error {
		n, err := store.IntsTx(t.Context(), tx, `SELECT count(*) FROM dbstat WHERE name = 'blob_chunks'
			UNION ALL SELECT count(*) FROM dbstat WHERE name = 'blob_chunks' AND pagetype = 'overflow' AND unused > 0`)
		if err != nil {
			return err
		}
		if n[0] == 0 {
			t.Error("blob_chunks has no pages")
		}
		if n[1] != 0 {
			t.Errorf("%d overflow pages of blob_chunks are not full", n[1])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestSQLiteBlobsFillPages stores files of many sizes, as PutBlob keeps them, and checks
// that blob_chunks' overflow pages are all full and its leaf pages and blobs' mostly so.
func TestSQLiteBlobsFillPages(t *testing.T) {
	ctx := t.Context()
	db := openSQLite(t, t.TempDir())
	defer db.Close()
	files := map[string][]byte{}
	err := db.Update(ctx, func(tx *store.Tx) error {
		for i := range 300 {
			b := bytes.Repeat([]byte{byte(i)}, 980+i*i*3+i*977%4093)
			d := storetest.Digest(fmt.Sprintf("f%d", i))
			files[d] = b
			if err := tx.PutBlob(ctx, d, b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	checkOverflowFull(t, db)
	err = db.View(ctx, func(tx *store.Tx) error {
		for d, want := range files {
			if got, err := tx.Blob(ctx, d); err != nil || !bytes.Equal(got, want) {
				t.Errorf("%s: %d bytes, want %d, %v", d, len(got), len(want), err)
			}
		}
		// Leaf pages of cells of 980 bytes and less, and of blobs' short rows: about 4 KiB
		// a page for the 300 files, unused bytes no more than a tenth.
		n, err := store.IntsTx(ctx, tx, `SELECT sum(unused) FROM dbstat WHERE name IN ('blob_chunks', 'blobs') AND pagetype = 'leaf'
			UNION ALL SELECT sum(pgsize) FROM dbstat WHERE name IN ('blob_chunks', 'blobs') AND pagetype = 'leaf'`)
		if err != nil {
			return err
		}
		if n[0]*10 > n[1] {
			t.Errorf("%d of %d bytes of leaf pages unused", n[0], n[1])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// digestBytes is a file digest's stored form (migration 29), for rows written in SQL.
func digestBytes(t *testing.T, d string) []byte {
	t.Helper()
	b, err := hex.DecodeString(d[len("sha256:"):])
	if err != nil || len(b) != 32 {
		t.Fatalf("%s: not a file digest", d)
	}
	return b
}

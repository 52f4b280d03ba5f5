package store_test

import (
	"bytes"
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
	old := map[string][]byte{"sha256:old-small": []byte("small"), "sha256:old-large": bytes.Repeat([]byte("large file "), 30000)}
	for d, b := range old {
		if err := db.ExecForTest(ctx, `INSERT INTO blobs (digest, data) VALUES ($1, $2)`, d, b); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.RunMigrationForTest(ctx, 22); err != nil {
		t.Fatalf("migration 22: %v", err)
	}
	newer := bytes.Repeat([]byte("new file "), 40000)
	err := db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.PutBlob(ctx, "sha256:new", newer); err != nil {
			return err
		}
		return tx.PutBlob(ctx, "sha256:old-large", newer)
	})
	if err != nil {
		t.Fatal(err)
	}
	old["sha256:new"] = newer
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
		files[fmt.Sprintf("sha256:f%d", i)] = b
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

package store_test

import (
	"bytes"
	"database/sql"
	"fmt"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/store/storetest"
)

// TestCopySendsATableInOneStatement: the copy sends each table's rows with COPY, one
// statement for the table, not an INSERT per row (about 10,000 rows a second: 200,000 files
// of the 100,000-letter office took 2 to 3 minutes; the fifty-seventh session's not-fixed
// list). The target counts the statements that write its tables with statement triggers, as
// PostgreSQL fires them for COPY as for INSERT. Its files are cut into chunks as PutBlob cuts
// them, and a file stored on the target after the copy gets chunk ids of its own.
func TestCopySendsATableInOneStatement(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	src := openSQLite(t, dir)
	if err := src.ExecForTest(ctx, `WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 500)
		INSERT INTO counters (name, value) SELECT 'c' || i, i FROM c`); err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for i, n := range []int{0, 10, 1992, 8121, 100_000, 250_000} {
		files[storetest.Digest(fmt.Sprintf("f%d", i))] = bytes.Repeat([]byte{byte(i + 1)}, n)
	}
	if err := src.Update(ctx, func(tx *store.Tx) error {
		for d, b := range files {
			if err := tx.PutBlob(ctx, d, b); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
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
	url := storetest.PostgresURL(t)
	dst, err := store.OpenPostgresTarget(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	raw, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	// Sequences, not tables: the target must hold no row to be copied into.
	for _, table := range []string{"counters", "blobs", "blob_chunks"} {
		for _, q := range []string{
			`CREATE SEQUENCE test_statements_` + table,
			`CREATE FUNCTION test_count_` + table + `() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM nextval('test_statements_` + table + `'); RETURN NULL; END $$`,
			`CREATE TRIGGER test_count AFTER INSERT ON ` + table + ` FOR EACH STATEMENT EXECUTE FUNCTION test_count_` + table + `()`,
		} {
			if _, err := raw.ExecContext(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
	}
	if _, err := store.CopyTo(ctx, snap, dst); err != nil {
		t.Fatalf("copy: %v", err)
	}
	for _, table := range []string{"counters", "blobs", "blob_chunks"} {
		var n int64
		var called bool
		if err := raw.QueryRowContext(ctx, `SELECT last_value, is_called FROM test_statements_`+table).Scan(&n, &called); err != nil {
			t.Fatal(err)
		}
		if !called {
			n = 0
		}
		if n != 1 {
			t.Errorf("the copy wrote %s in %d statements, want 1", table, n)
		}
	}
	more := storetest.Digest("after the copy")
	moreData := bytes.Repeat([]byte{0xee}, 50_000)
	if err := dst.Update(ctx, func(tx *store.Tx) error { return tx.PutBlob(ctx, more, moreData) }); err != nil {
		t.Fatal(err)
	}
	files[more] = moreData
	if err := dst.View(ctx, func(tx *store.Tx) error {
		for d, want := range files {
			if b, err := tx.Blob(ctx, d); err != nil || !bytes.Equal(b, want) {
				t.Errorf("%s in the target: %d bytes, want %d, %v", d, len(b), len(want), err)
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// TestCopyAnalyzesTheTarget: the copy gives the planner the sizes of the tables it filled
// (ANALYZE, in its transaction) before it reads them back. Without them the comparison read
// each file of the copy at 60 files a second at 20,000 letters (the planner took blob_chunks
// for an empty table), and took more than 10 minutes (found by audit, fifty-eighth session).
// The statistics are committed with the copy: pg_class.reltuples holds each table's rows
// (-1 for a table never analyzed; too few rows here for autovacuum to analyze them).
func TestCopyAnalyzesTheTarget(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	src := openSQLite(t, dir)
	if err := src.ExecForTest(ctx, `INSERT INTO counters (name, value) VALUES ('a', 1), ('b', 2), ('c', 3)`); err != nil {
		t.Fatal(err)
	}
	if err := src.Update(ctx, func(tx *store.Tx) error {
		return tx.PutBlob(ctx, storetest.Digest("a file in chunks"), bytes.Repeat([]byte{7}, 3*8120+10))
	}); err != nil {
		t.Fatal(err)
	}
	if err := src.Close(); err != nil {
		t.Fatal(err)
	}
	url := storetest.PostgresURL(t)
	snap, err := store.OpenSQLiteSnapshot(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Close()
	dst, err := store.OpenPostgresTarget(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	if _, err := store.CopyTo(ctx, snap, dst); err != nil {
		t.Fatalf("copy: %v", err)
	}
	raw, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for table, want := range map[string]float64{"counters": 3, "blobs": 1, "blob_chunks": 3} {
		var got float64
		if err := raw.QueryRowContext(ctx, `SELECT reltuples FROM pg_class WHERE oid = $1::regclass`, table).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("the planner takes %s for %v rows after the copy, want %v (analyzed)", table, got, want)
		}
	}
}

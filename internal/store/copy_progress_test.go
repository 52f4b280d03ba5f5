package store_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/store/storetest"
)

// TestCopyReportsItsProgress checks that the copy store migrate makes says what it does as it
// goes: each table, every 10,000 rows of one, and the comparison. An office of 100,000
// letters was copied for minutes (4.3 GB) without a line.
func TestCopyReportsItsProgress(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	src := openSQLite(t, dir)
	if err := src.ExecForTest(ctx, `WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 10001)
		INSERT INTO counters (name, value) SELECT 'c' || i, i FROM c`); err != nil {
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
	dst, err := store.OpenPostgresTarget(ctx, storetest.PostgresURL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	var said []string
	if _, err := store.CopyToReporting(ctx, snap, dst, nil, func(s string) { said = append(said, s) }); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"copying letters", "copying blobs", "copying counters", "copying counters: 10000 rows so far"} {
		if !slices.Contains(said, want) {
			t.Errorf("the copy did not say %q; it said:\n%s", want, strings.Join(said, "\n"))
		}
	}
	if last := said[len(said)-1]; !strings.HasPrefix(last, "comparing") {
		t.Errorf("the copy's last report is %q, not the comparison", last)
	}
}

// TestCopyReportsItsComparison: the comparison of the copy with the source (every row of both
// sides read, every file hashed: more than 5 minutes at 100,000 letters) says each table it
// compares, with its rows, and within one how far it is on each side every few seconds (here
// at every row); it said one line for the whole of it (the fifty-seventh session's not-fixed
// list).
func TestCopyReportsItsComparison(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	src := openSQLite(t, dir)
	if err := src.ExecForTest(ctx, `INSERT INTO counters (name, value) VALUES ('a', 1), ('b', 2), ('c', 3)`); err != nil {
		t.Fatal(err)
	}
	if err := src.Update(ctx, func(tx *store.Tx) error { return tx.PutBlob(ctx, "sha256:"+strings.Repeat("ab", 32), []byte("a file")) }); err != nil {
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
	dst, err := store.OpenPostgresTarget(ctx, storetest.PostgresURL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	defer store.SetCompareReportEvery(0)()
	var said []string
	if _, err := store.CopyToReporting(ctx, snap, dst, nil, func(s string) { said = append(said, s) }); err != nil {
		t.Fatal(err)
	}
	at := slices.Index(said, "comparing every row of the copy with the source's")
	if at < 0 {
		t.Fatalf("the copy did not say it compares; it said:\n%s", strings.Join(said, "\n"))
	}
	compared := said[at+1:]
	for _, want := range []string{
		"comparing counters (3 rows)",
		"comparing counters: read 3 of the source's 3 rows",
		"comparing counters: read 3 of the copy's 3 rows",
		"comparing blobs (1 file)",
		"comparing blobs: hashed 1 of the source's 1 files",
		"comparing blobs: hashed 1 of the copy's 1 files",
		"comparing letters (0 rows)",
	} {
		if !slices.Contains(compared, want) {
			t.Errorf("the comparison did not say %q; it said:\n%s", want, strings.Join(compared, "\n"))
		}
	}
}

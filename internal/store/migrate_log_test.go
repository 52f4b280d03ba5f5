package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/store/storetest"
)

func TestMigrationsLoggedSQLite(t *testing.T) {
	dir := t.TempDir()
	testMigrationsLogged(t,
		func(ctx context.Context, n int) (*store.DB, error) { return store.OpenSQLiteAtForTest(ctx, dir, n) },
		func(ctx context.Context) (*store.DB, error) { return store.OpenSQLite(ctx, dir) })
}

func TestMigrationsLoggedPostgres(t *testing.T) {
	url := storetest.PostgresURL(t)
	testMigrationsLogged(t,
		func(ctx context.Context, n int) (*store.DB, error) { return store.OpenPostgresAtForTest(ctx, url, n) },
		func(ctx context.Context) (*store.DB, error) { return store.OpenPostgres(ctx, url) })
}

// testMigrationsLogged opens a store an older build left at schema 40 with a logger
// (store.WithMigrationLogger), as a server's first start after an upgrade does: the log names
// the versions from and to before the first step, each step before it runs (a step may take
// minutes) and once applied, and the commit, so that an
// office whose migrations take minutes knows what its server is doing. A new store and a
// store at this build's schema log nothing.
func testMigrationsLogged(t *testing.T, openAt func(context.Context, int) (*store.DB, error), open func(context.Context) (*store.DB, error)) {
	const old = 40
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, nil))
	ctx := store.WithMigrationLogger(t.Context(), logger)
	db, err := openAt(ctx, old)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if buf.Len() != 0 {
		t.Errorf("a new store logged its creation as a migration:\n%s", buf.String())
	}
	buf.Reset()
	db, err = open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	got := buf.String()
	want := []string{fmt.Sprintf("migrating the store's schema, every step in one transaction: a stop leaves it as it was, and the next start migrates it again\" from=%d to=%d", old, store.SchemaVersion)}
	for v := old + 1; v <= store.SchemaVersion; v++ {
		want = append(want, fmt.Sprintf("msg=\"applying store schema step\" version=%d", v),
			fmt.Sprintf("msg=\"store schema step applied, not yet committed\" version=%d took=", v))
	}
	want = append(want, fmt.Sprintf("msg=\"store's schema migrated and committed\" from=%d to=%d took=", old, store.SchemaVersion))
	lines := strings.Split(strings.TrimSpace(got), "\n")
	if len(lines) != len(want) {
		t.Fatalf("the upgrade logged %d lines, want %d:\n%s", len(lines), len(want), got)
	}
	for i, w := range want {
		if !strings.Contains(lines[i], w) {
			t.Errorf("line %d is %q, want it to hold %q", i+1, lines[i], w)
		}
	}
	buf.Reset()
	db, err = open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if buf.Len() != 0 {
		t.Errorf("a store at this build's schema logged a migration:\n%s", buf.String())
	}
}

// TestMigrationOnAFullDiskSaysSo: a migration whose commit SQLite refuses because the disk is
// full (SQLITE_FULL, live on a full tmpfs: "store: commit: database or disk is full (13)",
// naming no migration) is named as the migration it was, from and to, and as
// store.ErrDiskFull, which the command line's hint turns into "free space and start again";
// the store stays at the older schema, and the next opening migrates it.
func TestMigrationOnAFullDiskSaysSo(t *testing.T) {
	const old = 40
	dir := t.TempDir()
	db, err := store.OpenSQLiteAtForTest(t.Context(), dir, old)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	store.SetCommitSQLite(t, func(tx *sql.Tx) error {
		tx.Rollback()
		return fmt.Errorf("commit: %w", sqliteError(13))
	})
	_, err = store.OpenSQLite(t.Context(), dir)
	if !errors.Is(err, store.ErrDiskFull) || !strings.Contains(err.Error(), fmt.Sprintf("migrate from schema version %d to %d", old, store.SchemaVersion)) {
		t.Fatalf("a migration on a full disk: %v, want the migration named and store.ErrDiskFull", err)
	}
	// The shared-memory file that cannot grow on a full disk fails the transaction's BEGIN
	// (live: "store: begin: disk I/O error (4874)"), before any step.
	if !store.DiskFull(fmt.Errorf("store: begin: %w", sqliteError(4874))) {
		t.Error("SQLITE_IOERR_SHMSIZE of a BEGIN is not taken as a full disk")
	}
	if store.DiskFull(fmt.Errorf("store: begin: %w", sqliteError(10))) {
		t.Error("SQLITE_IOERR is taken as a full disk")
	}
	store.SetCommitSQLite(t, (*sql.Tx).Commit)
	db, err = store.OpenSQLite(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if db.MigratedFrom() != old {
		t.Errorf("the opening after the full disk migrated from %d, want %d", db.MigratedFrom(), old)
	}
}

// TestFullDiskOfThisSchemaIsNoMigration: a full disk that refuses the opening of a store of
// this build's schema is store.ErrDiskFull, and not a store.MigrationError, which the command
// line's hint would call a migration not committed; one that refuses an older build's store's
// migration is both, with its versions.
func TestFullDiskOfThisSchemaIsNoMigration(t *testing.T) {
	const old = 40
	current, older := t.TempDir(), t.TempDir()
	for dir, n := range map[string]int{current: store.SchemaVersion, older: old} {
		db, err := store.OpenSQLiteAtForTest(t.Context(), dir, n)
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
	}
	store.SetCommitSQLite(t, func(tx *sql.Tx) error {
		tx.Rollback()
		return fmt.Errorf("commit: %w", sqliteError(13))
	})
	_, err := store.OpenSQLite(t.Context(), current)
	var me *store.MigrationError
	if !errors.Is(err, store.ErrDiskFull) || errors.As(err, &me) {
		t.Errorf("a store of this build's schema on a full disk: %v, want store.ErrDiskFull and no migration", err)
	}
	_, err = store.OpenSQLite(t.Context(), older)
	if !errors.Is(err, store.ErrDiskFull) || !errors.As(err, &me) || me.From != old || me.To != store.SchemaVersion {
		t.Errorf("an older build's store on a full disk: %v, want store.ErrDiskFull and the migration from %d to %d", err, old, store.SchemaVersion)
	}
}

// TestFullDiskAtACommitIsUnknown: SQLITE_IOERR_SHMSIZE at a migration's commit comes after
// SQLite wrote the commit frame to the write-ahead log (sqlite3WalFrames appends to the
// shared-memory index after the frames and their sync): the error is store.ErrDiskFull and
// store.ErrCommitUnknown both, for the command line not to say that nothing was written.
func TestFullDiskAtACommitIsUnknown(t *testing.T) {
	dir := t.TempDir()
	db, err := store.OpenSQLiteAtForTest(t.Context(), dir, 40)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	store.SetCommitSQLite(t, func(tx *sql.Tx) error {
		tx.Rollback()
		return fmt.Errorf("commit: %w", sqliteError(4874))
	})
	_, err = store.OpenSQLite(t.Context(), dir)
	if !errors.Is(err, store.ErrDiskFull) || !errors.Is(err, store.ErrCommitUnknown) || !errors.As(err, new(*store.MigrationError)) {
		t.Errorf("a migration whose commit met a full disk's shared memory: %v, want store.ErrDiskFull, store.ErrCommitUnknown and the migration", err)
	}
}

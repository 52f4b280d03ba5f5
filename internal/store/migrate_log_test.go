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
	"github.com/jackc/pgx/v5/pgconn"
)

// sqliteAt creates a SQLite store in dir at schema version n, as a build of that schema
// leaves it, and closes it.
func sqliteAt(t *testing.T, dir string, n int) {
	t.Helper()
	db, err := store.OpenSQLiteAtForTest(t.Context(), dir, n)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
}

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
// store at this build's schema log nothing. A lone store does not wait for PostgreSQL's
// writer lock, and says nothing of waiting (TestMigrationWaitedForLoggedPostgres).
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
	// A server alone does not wait for the writer lock: it says nothing of waiting (live: a lone
	// server of an office on PostgreSQL said that another server held the lock).
	if strings.Contains(got, "waiting for the store's writer lock") || strings.Contains(got, "another server migrated") {
		t.Errorf("a lone opening said it waited for another server:\n%s", got)
	}
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
	sqliteAt(t, dir, old)
	failSQLiteCommits(t, 13)
	_, err := store.OpenSQLite(t.Context(), dir)
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
	db, err := store.OpenSQLite(t.Context(), dir)
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
	sqliteAt(t, current, store.SchemaVersion)
	sqliteAt(t, older, old)
	failSQLiteCommits(t, 13)
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
	sqliteAt(t, dir, 40)
	failSQLiteCommits(t, 4874)
	_, err := store.OpenSQLite(t.Context(), dir)
	if !errors.Is(err, store.ErrDiskFull) || !errors.Is(err, store.ErrCommitUnknown) || !errors.As(err, new(*store.MigrationError)) {
		t.Errorf("a migration whose commit met a full disk's shared memory: %v, want store.ErrDiskFull, store.ErrCommitUnknown and the migration", err)
	}
}

// TestMigrationWaitedForLoggedPostgres: the servers of an office on PostgreSQL that start at
// once after an upgrade take turns on the writer lock, which the migration's transaction
// holds until it commits: one migrates, and the others wait, minutes on a large office (live:
// the second server logged nothing for the 14 s the first's migration took). Each says that
// it waits for the lock to migrate; the one that finds the schema migrated says that another
// server did it.
func TestMigrationWaitedForLoggedPostgres(t *testing.T) {
	const old = 40
	url := storetest.PostgresURL(t)
	db, err := store.OpenPostgresAtForTest(t.Context(), url, old)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	// The writer lock held here, as by a server that migrates, until both servers wait for it.
	holder, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	conn, err := holder.Conn(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(t.Context(), `SELECT pg_advisory_lock($1, $2)`, store.LockClassForTest, store.LockWriterForTest); err != nil {
		t.Fatal(err)
	}
	var bufs [2]bytes.Buffer
	errs := make(chan error, 2)
	for i := range bufs {
		ctx := store.WithMigrationLogger(t.Context(), slog.New(slog.NewTextHandler(&bufs[i], nil)))
		go func() {
			db, err := store.OpenPostgres(ctx, url)
			if err == nil {
				db.Close()
			}
			errs <- err
		}()
	}
	for waiting := 0; waiting < 2; {
		select {
		case err := <-errs:
			t.Fatalf("a server's opening ended before both waited for the writer lock: %v", err)
		default:
		}
		err := conn.QueryRowContext(t.Context(), `SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted
			AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND classid = $1 AND objid = $2`,
			store.LockClassForTest, store.LockWriterForTest).Scan(&waiting)
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := conn.ExecContext(t.Context(), `SELECT pg_advisory_unlock($1, $2)`, store.LockClassForTest, store.LockWriterForTest); err != nil {
		t.Fatal(err)
	}
	for range bufs {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	waitLine := fmt.Sprintf("msg=\"waiting for the store's writer lock to migrate its schema: a server of the office that migrates it holds the lock until it commits\" from=%d to=%d", old, store.SchemaVersion)
	otherLine := fmt.Sprintf("msg=\"another server migrated the store's schema while this one waited\" from=%d to=%d", old, store.SchemaVersion)
	migrated, waited := 0, 0
	for i := range bufs {
		got := bufs[i].String()
		if !strings.Contains(got, waitLine) {
			t.Errorf("server %d did not say that it waited for the lock to migrate:\n%s", i+1, got)
		}
		switch {
		case strings.Contains(got, "store's schema migrated and committed") && !strings.Contains(got, otherLine):
			migrated++
		case strings.Contains(got, otherLine) && !strings.Contains(got, "applying store schema step"):
			waited++
		default:
			t.Errorf("server %d neither migrated nor said that another did:\n%s", i+1, got)
		}
	}
	if migrated != 1 || waited != 1 {
		t.Errorf("%d servers migrated and %d said another did, want 1 and 1", migrated, waited)
	}
}

// TestPostgresDiskFullIsDiskFull: PostgreSQL's disk_full (SQLSTATE 53100, live in migration
// 44 on a full disk: "could not extend file …: No space left on device") is a full disk too,
// the PostgreSQL server's (store.ErrServerDiskFull, which is store.ErrDiskFull); another
// error of the server is not.
func TestPostgresDiskFullIsDiskFull(t *testing.T) {
	full := store.ClassifyDiskFullForTest(fmt.Errorf("migrate to version 44: %w", &pgconn.PgError{Code: "53100", Message: `could not extend file "base/5/1249": No space left on device`}))
	if !errors.Is(full, store.ErrServerDiskFull) || !errors.Is(full, store.ErrDiskFull) {
		t.Errorf("PostgreSQL's disk_full: %v, want store.ErrServerDiskFull and store.ErrDiskFull", full)
	}
	for _, code := range []string{"53200", "42501", "XX001"} { // out of memory, insufficient privilege, data corrupted
		if err := store.ClassifyDiskFullForTest(&pgconn.PgError{Code: code}); errors.Is(err, store.ErrDiskFull) {
			t.Errorf("PostgreSQL's %s taken as a full disk: %v", code, err)
		}
	}
}

// TestMigratedThenFullDiskSaysCommitted: the truncation of the WAL at a SQLite store's opening
// copies a migration's pages into the database, which grows by the tables it rewrote: a disk
// with room for the migration's WAL may have none for that (live: an office of schema 43 on a
// nearly full tmpfs, "store: …: truncate the WAL: database or disk is full (13)", the
// database at this build's schema, and nothing said of the migration). The error is a
// store.MigratedError with the versions, store.ErrDiskFull, and not a store.MigrationError
// (a migration not committed); store.MigratedBy gives the version migrated from. A store of
// this build's schema whose truncation fails migrated nothing.
func TestMigratedThenFullDiskSaysCommitted(t *testing.T) {
	const old = 40
	older, current := t.TempDir(), t.TempDir()
	sqliteAt(t, current, store.SchemaVersion)
	sqliteAt(t, older, old)
	store.SetScrubWALAtOpen(t, func(*store.DB, context.Context) (bool, error) {
		return false, fmt.Errorf("truncate the WAL: %w", sqliteError(13))
	})
	db, err := store.OpenSQLite(t.Context(), older)
	var me *store.MigratedError
	if !errors.As(err, &me) || me.From != old || me.To != store.SchemaVersion || !errors.Is(err, store.ErrDiskFull) ||
		errors.As(err, new(*store.MigrationError)) {
		t.Errorf("an older build's store whose WAL the full disk kept from truncating after the migration: %v, want a store.MigratedError from %d to %d and store.ErrDiskFull", err, old, store.SchemaVersion)
	}
	if got := store.MigratedBy(db, err); got != old {
		t.Errorf("store.MigratedBy of that opening: %d, want %d", got, old)
	}
	db, err = store.OpenSQLite(t.Context(), current)
	if err == nil || errors.As(err, new(*store.MigratedError)) || store.MigratedBy(db, err) != 0 {
		t.Errorf("a store of this build's schema whose WAL could not be truncated: %v, MigratedBy %d, want an error and nothing migrated", err, store.MigratedBy(db, err))
	}
	// The migration was committed: the next opening, with room, finds this build's schema.
	store.SetScrubWALAtOpen(t, (*store.DB).ScrubWAL)
	db, err = store.OpenSQLite(t.Context(), older)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if db.MigratedFrom() != 0 {
		t.Errorf("the opening after migrated again from %d, want nothing", db.MigratedFrom())
	}
}

// TestCopyFullIsSQLiteFull: a backup's copy (VACUUM INTO) that SQLite refused with SQLITE_FULL
// is the copy's full disk (store.ErrCopyDiskFull); SQLITE_IOERR_SHMSIZE is the shared memory
// of the store copied, on another disk, and is not.
func TestCopyFullIsSQLiteFull(t *testing.T) {
	if !store.CopyFull(fmt.Errorf("vacuum: %w", sqliteError(13))) {
		t.Error("SQLITE_FULL of a backup's copy is not taken as its full disk")
	}
	for _, code := range []int{4874, 10, 778} {
		if store.CopyFull(fmt.Errorf("vacuum: %w", sqliteError(code))) {
			t.Errorf("SQLite's %d taken as the copy's full disk", code)
		}
	}
}

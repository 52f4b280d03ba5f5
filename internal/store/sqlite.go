package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver: no cgo for users
)

// SQLiteFile is the database file's name inside the data directory.
const SQLiteFile = "chancery.db"

// OpenSQLite opens (creating if needed) the SQLite store in the directory dir and brings its
// schema up to date. The database runs in WAL mode with synchronous=FULL, so a committed
// transaction has been fsynced to the WAL before Update returns.
func OpenSQLite(ctx context.Context, dir string) (*DB, error) {
	return openSQLite(ctx, dir, "WAL")
}

// OpenSQLiteRollback is OpenSQLite in rollback-journal mode (journal_mode=DELETE), for the copy
// of a database that a backup checks beside its file: WAL needs a shared memory map of its
// index, which a FUSE file system without shared maps (fusefat) or a network share does not
// give ("disk I/O error"), and a backup may be written to one. The database is left in that
// mode, and OpenSQLite, which a restore opens it with, switches it back to WAL. The copy must
// be in rollback mode already (BackupSQLite's is): switching a database from WAL needs the
// map too.
func OpenSQLiteRollback(ctx context.Context, dir string) (*DB, error) {
	return openSQLite(ctx, dir, "DELETE")
}

// openSQLite opens the SQLite store in dir with the journal mode journal (WAL or DELETE).
func openSQLite(ctx context.Context, dir, journal string) (*DB, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("store: create data directory: %w", err)
	}
	path := filepath.Join(dir, SQLiteFile)
	if err := createSQLite(path); err != nil {
		return nil, fmt.Errorf("store: create %s: %w", path, err)
	}
	if err := makePrivate(path); err != nil {
		return nil, fmt.Errorf("store: %s: %w", path, err)
	}
	q := url.Values{}
	for _, p := range []string{
		"journal_mode(" + journal + ")",
		"synchronous(FULL)",
		"busy_timeout(10000)",
		"foreign_keys(1)",
		// Checkpoints run in the background (see checkpointer), not inside a writer's commit.
		"wal_autocheckpoint(0)",
		// Group commit runs each call in a savepoint, which copies every page it changes to a
		// sub-journal first; kept in memory, those copies cost no system calls (a file-backed
		// sub-journal spills to a temporary file once it passes 64 KiB).
		// The sub-journal only undoes a savepoint: durability is the WAL's.
		"temp_store(MEMORY)",
	} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	w, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)

	q.Set("_txlock", "deferred")
	cq := url.Values{"_pragma": append([]string(nil), q["_pragma"]...)}
	q.Add("_pragma", "query_only(1)")
	r, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	n := 4 * runtime.GOMAXPROCS(0)
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	r.SetConnMaxLifetime(0)

	// The checkpointer's connection waits at most a second for readers: a checkpoint that
	// truncates the WAL (ScrubWAL) holds off writers while it waits.
	for i, p := range cq["_pragma"] {
		if strings.HasPrefix(p, "busy_timeout(") {
			cq["_pragma"][i] = "busy_timeout(1000)"
		}
	}
	c, err := sql.Open("sqlite", "file:"+path+"?"+cq.Encode())
	if err != nil {
		w.Close()
		r.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	c.SetMaxOpenConns(1)

	stop := make(chan struct{})
	done := make(chan struct{})
	kick, scrub := make(chan struct{}, 1), make(chan struct{}, 1)
	db := &DB{dialect: SQLite, w: w, r: r, readGate: make(chan struct{}, n), committed: kick, scrubLater: scrub, onClose: func() error {
		close(stop)
		<-done
		return c.Close()
	}}
	db.ws.db, db.rs.db = w, r
	db.checkpoints = c
	db.answers = newAnswerMirror()
	db.group = startCommitter(db)
	go checkpointer(c, kick, scrub, stop, done)
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: %s: %w", path, err)
	}
	// A process killed before it truncated the WAL (after an erasure, ScrubWAL; at Close,
	// the last checkpoint) left pages there as they were before: an erased letter's text,
	// which nothing would truncate until this store closes cleanly, and an erasure asked
	// again is refused as done. Truncated now, before the office serves.
	if _, err := scrubWALAtOpen(db, ctx); err != nil {
		from := db.migratedFrom
		db.Close()
		// The truncation copies the WAL's pages into the database, which grows by the tables
		// a migration rewrote: a disk with room for the migration's WAL may have none for
		// that. The migration is committed then, which the error says.
		err = classifyDiskFull(err)
		if from > 0 {
			err = &MigratedError{From: from, To: len(migrations), Err: err}
		}
		return nil, fmt.Errorf("store: %s: %w", path, err)
	}
	return db, nil
}

// scrubWALAtOpen is the ScrubWAL of a store's opening; a test replaces it.
var scrubWALAtOpen = (*DB).ScrubWAL

// pageSize is the page size of new databases: SQLite's default, 4 KiB (issue 19 item 5). With
// 16 KiB pages each released file's last leaf page was left a quarter full (its local part
// takes 4 KB of a 16 KB leaf) and every small table took 16 KB: 1.5 KB more per released
// letter at 1,000 letters of 100 KB (docs/benchmarks.md). Tiles and entry bundles, rewritten at
// every batch, take four times as many WAL frames; the frames of one commit are written by one
// writer in one fsync. An office made with 16 KiB pages keeps them until it is restored from
// a backup, which is written with this page size (BackupSQLite).
const pageSize = 4096

// makePrivate takes group's and others' access away from the database at path and from its
// write-ahead log, shared memory and rollback journal, which SQLite creates with the
// database's mode: a database made 0644 (by a version before createSQLite, a copy, or a
// restore of a backup whose manifest says so) would let every account on the machine read
// the letters.
func makePrivate(path string) error {
	for _, f := range []string{path, path + "-wal", path + "-shm", path + "-journal"} {
		fi, err := os.Stat(f)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
		if fi.Mode().Perm()&0o077 != 0 {
			if err := os.Chmod(f, fi.Mode().Perm()&0o700); err != nil {
				return err
			}
		}
	}
	return nil
}

// createSQLite creates a new database file private to its owner (SQLite would make it 0644),
// with its page size, which is fixed once the first page is written and cannot be set through
// the connection string: the driver enables WAL, which writes the header, first.
func createSQLite(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	fi, err := f.Stat()
	f.Close()
	if err != nil || fi.Size() > 0 {
		return err
	}
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.Exec(fmt.Sprintf("PRAGMA page_size = %d; CREATE TABLE schema_version (version INTEGER NOT NULL)", pageSize))
	return err
}

// checkpointInterval is the shortest time between two checkpoints: long enough that they are a
// small part of the disk's syncs, short enough that the WAL stays a few tens of megabytes
// under a busy office's writes. (At 50 ms a 2,000-letter burst ran 10% faster, but its WAL
// reached 325 MB and 8,000 letters ran no faster than at 5 ms: docs/benchmarks.md.)
const checkpointInterval = 5 * time.Millisecond

// checkpointer copies committed WAL frames into the database file on its own connection,
// woken after each commit, so that the copy (and its fsync of the database file) runs beside
// the writer instead of inside whichever commit crosses SQLite's auto-checkpoint threshold, and
// the WAL stays short (a long WAL slows every page lookup). PASSIVE never blocks the writer or
// readers; durability does not depend on it, since a commit is durable once its WAL frames are
// synced. On close it runs a last TRUNCATE checkpoint.
//
// While a ScrubWAL that readers kept from truncating the WAL is owed (scrub), it tries again
// every scrubRetry, without waiting for readers (so without holding writers off), until the
// readers of older snapshots are gone and the truncation succeeds.
func checkpointer(c *sql.DB, kick, scrub, stop, done chan struct{}) {
	defer close(done)
	var retry <-chan time.Time
	for {
		select {
		case <-kick:
			c.Exec("PRAGMA wal_checkpoint(PASSIVE)")
			// At most one checkpoint (and its fsync) per interval.
			select {
			case <-time.After(checkpointInterval):
			case <-stop:
				c.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
				return
			}
		case <-scrub:
			if retry == nil {
				retry = time.After(scrubRetry)
			}
		case <-retry:
			retry = nil
			if !truncateNow(c) {
				retry = time.After(scrubRetry)
			}
		case <-stop:
			c.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
			return
		}
	}
}

// scrubRetry is how often the checkpointer tries again a truncation of the WAL that readers
// prevented.
const scrubRetry = time.Second

// truncateNow truncates the WAL if no reader of an older snapshot holds it, without waiting
// for one, and reports whether it did.
func truncateNow(c *sql.DB) bool {
	ctx := context.Background()
	conn, err := c.Conn(ctx) // the checkpointer's one connection, for the three statements
	if err != nil {
		return false
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "PRAGMA busy_timeout = 0"); err != nil {
		return false
	}
	defer conn.ExecContext(ctx, "PRAGMA busy_timeout = 1000")
	var busy, frames, copied int
	err = conn.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &frames, &copied)
	return err == nil && busy == 0
}

// ScrubWAL copies the WAL into the database file and truncates it, on SQLite, so that the
// pages as they were before an erasure (EraseLetter) no longer lie in the WAL; it reports
// whether it did. It waits at most about a second for readers of older snapshots, holding
// writers off meanwhile; if readers remain, the checkpointer truncates the WAL once they are
// gone (it tries every scrubRetry), or the store's close does. On PostgreSQL it does nothing and reports false.
func (db *DB) ScrubWAL(ctx context.Context) (bool, error) {
	if db.checkpoints == nil {
		return false, nil
	}
	var busy, frames, copied int
	err := db.checkpoints.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &frames, &copied)
	if err != nil {
		return false, fmt.Errorf("truncate the WAL: %w", err)
	}
	if busy != 0 {
		select {
		case db.scrubLater <- struct{}{}:
		default:
		}
	}
	return busy == 0, nil
}

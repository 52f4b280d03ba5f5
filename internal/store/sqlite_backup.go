package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// BackupSQLite writes a consistent copy of the SQLite store in the directory dir to the file
// to, which must not exist, while other processes (a running server) keep reading and writing
// the store. The copy is SQLite's VACUUM INTO: one read transaction, so the copy is the
// database as of one commit, compacted, and the writer is never blocked. The file is created
// with mode 0600 and synced.
func BackupSQLite(ctx context.Context, dir, to string) error {
	src := filepath.Join(dir, SQLiteFile)
	if _, err := os.Stat(src); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	// VACUUM INTO creates its file with the process's umask (0644 by default); it accepts an
	// empty file, so create it first, private to its owner.
	f, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	f.Close()
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	// VACUUM INTO writes the copy with the connection's page size: a backup of an office made
	// with larger pages has today's (pageSize), and restoring it is how such an office gets them.
	q.Add("_pragma", fmt.Sprintf("page_size(%d)", pageSize))
	db, err := sql.Open("sqlite", "file:"+src+"?"+q.Encode())
	if err != nil {
		os.Remove(to)
		return fmt.Errorf("store: backup: open %s: %w", src, err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", to); err != nil {
		os.Remove(to)
		if copyFull(err) {
			return fmt.Errorf("store: backup %s: %w: %w", src, err, ErrCopyDiskFull)
		}
		return fmt.Errorf("store: backup %s: %w", src, err)
	}
	if err := syncFile(to); err != nil {
		os.Remove(to)
		return fmt.Errorf("store: backup: %w", err)
	}
	return nil
}

// ErrCopyDiskFull means that the disk holding the copy BackupSQLite writes was full
// (SQLITE_FULL of VACUUM INTO, which writes only the copy): the store copied is as it was.
var ErrCopyDiskFull = errors.New("the disk holding the copy is full")

// copyFull reports whether err is SQLite's SQLITE_FULL (13). SQLITE_IOERR_SHMSIZE, which
// diskFull takes too, is the shared memory of the store copied, beside it, not of the copy.
func copyFull(err error) bool {
	var coded interface{ Code() int }
	return errors.As(err, &coded) && coded.Code()&0xff == 13
}

func syncFile(name string) error {
	f, err := os.OpenFile(name, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// SQLiteSchemaVersion reads the schema version the SQLite store in dir records, without
// migrating it.
func SQLiteSchemaVersion(ctx context.Context, dir string) (int, error) {
	path := filepath.Join(dir, SQLiteFile)
	db, err := openQueryOnly(path)
	if err != nil {
		return 0, fmt.Errorf("store: open %s: %w", path, err)
	}
	defer db.Close()
	var v int
	if err := db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&v); err != nil {
		return 0, fmt.Errorf("store: schema version of %s: %w", path, err)
	}
	return v, nil
}

// ErrForeignSchema means a SQLite database holds other tables, indexes, triggers or views
// than the ones this build's migrations make, or lacks some (CheckSQLiteSchema).
var ErrForeignSchema = errors.New("its schema is not the one this build makes")

// CheckSQLiteSchema checks that the SQLite store in dir, brought up to this build's schema
// version, has exactly the tables, indexes, triggers and views a new store has, statement for
// statement: a database from a backup that someone else could write may carry a trigger of
// its own (one that puts an admin's old token back whenever it is replaced), a view in place
// of a table, or lack the triggers that keep the audit trail append-only, none of which the
// log's verification sees.
//
// The errors call the database name, the one dir's stands for: dir is often a copy made to be
// checked (a backup's staging directory, removed when the check fails), which means nothing
// to the operator; "" names dir's database.
func CheckSQLiteSchema(ctx context.Context, dir, name string) error {
	want, err := newSQLiteSchema(ctx)
	if err != nil {
		return fmt.Errorf("store: schema of a new store: %w", err)
	}
	path := filepath.Join(dir, SQLiteFile)
	if name == "" {
		name = path
	}
	got, err := sqliteSchemaOf(ctx, path)
	if err != nil {
		return fmt.Errorf("store: schema of %s: %w", name, err)
	}
	for k := range got {
		if !want[k] {
			return fmt.Errorf("store: %s: %w: %s %s is not one of them", name, ErrForeignSchema, k.kind, k.name)
		}
	}
	for k := range want {
		if !got[k] {
			return fmt.Errorf("store: %s: %w: %s %s is missing or altered", name, ErrForeignSchema, k.kind, k.name)
		}
	}
	return nil
}

// CheckSQLiteIntegrity runs SQLite's integrity check on the store in dir: every page and
// every index entry against its table. A damaged or crafted index can answer a lookup (a
// token's hash) with another row than the table holds. The errors call the database name,
// as CheckSQLiteSchema's do; "" names dir's.
func CheckSQLiteIntegrity(ctx context.Context, dir, name string) error {
	path := filepath.Join(dir, SQLiteFile)
	if name == "" {
		name = path
	}
	db, err := openQueryOnly(path)
	if err != nil {
		return fmt.Errorf("store: open %s: %w", name, err)
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, "PRAGMA integrity_check(10)")
	if err != nil {
		return fmt.Errorf("store: integrity check of %s: %w", name, err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return fmt.Errorf("store: integrity check of %s: %w", name, err)
		}
		if s != "ok" {
			problems = append(problems, s)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: integrity check of %s: %w", name, err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("store: %s is damaged: %s", name, strings.Join(problems, "; "))
	}
	return nil
}

// openQueryOnly opens the SQLite database at path for reading only. Not with mode=ro: a
// read-only connection cannot checkpoint, and leaves the database's write-ahead log and
// shared memory behind when it closes, which restore would then find beside the database.
func openQueryOnly(path string) (*sql.DB, error) {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "query_only(1)")
	return sql.Open("sqlite", "file:"+path+"?"+q.Encode())
}

// sqliteObject is a row of sqlite_master that a CREATE statement made.
type sqliteObject struct{ kind, name, table, sql string }

// newSQLiteSchema is the schema of a new store, made in a temporary directory.
func newSQLiteSchema(ctx context.Context) (map[sqliteObject]bool, error) {
	dir, err := os.MkdirTemp("", "chancery-schema-*")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	db, err := OpenSQLite(ctx, dir)
	if err != nil {
		return nil, err
	}
	if err := db.Close(); err != nil {
		return nil, err
	}
	return sqliteSchemaOf(ctx, filepath.Join(dir, SQLiteFile))
}

// sqliteSchemaOf reads the objects of the database at path that CREATE statements made, but
// schema_version, whose statement differs with the build that made the database, and the
// tables SQLite makes itself (statistics an operator's ANALYZE gathered).
func sqliteSchemaOf(ctx context.Context, path string) (map[sqliteObject]bool, error) {
	db, err := openQueryOnly(path)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT type, name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name <> 'schema_version'
		AND NOT (type = 'table' AND name IN ('sqlite_stat1', 'sqlite_stat4', 'sqlite_sequence'))`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[sqliteObject]bool{}
	for rows.Next() {
		var o sqliteObject
		if err := rows.Scan(&o.kind, &o.name, &o.table, &o.sql); err != nil {
			return nil, err
		}
		out[o] = true
	}
	return out, rows.Err()
}

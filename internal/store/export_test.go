package store

import (
	"context"
	"database/sql"
)

// WriterPragma reads a PRAGMA on the write connection, for tests of per-connection settings.
func (db *DB) WriterPragma(ctx context.Context, name string) (string, error) {
	var v string
	err := db.w.QueryRowContext(ctx, "PRAGMA "+name).Scan(&v)
	return v, err
}

// Setting reads a PostgreSQL server setting on a write connection.
func (db *DB) Setting(ctx context.Context, name string) (string, error) {
	var v string
	err := db.w.QueryRowContext(ctx, "SELECT current_setting($1)", name).Scan(&v)
	return v, err
}

// ExecForTest runs a statement on the write pool outside any transaction.
func (db *DB) ExecForTest(ctx context.Context, query string, args ...any) error {
	_, err := db.w.ExecContext(ctx, query, args...)
	return err
}

// QueuedUpdates reports how many Update calls wait for the next group transaction (SQLite).
func (db *DB) QueuedUpdates() int {
	db.group.mu.Lock()
	defer db.group.mu.Unlock()
	return len(db.group.queue)
}

// ExecTx runs a statement in tx.
func ExecTx(ctx context.Context, tx *Tx, query string, args ...any) error {
	_, err := tx.exec(ctx, query, args...)
	return err
}

// IntsTx returns the single integer column of a query in tx.
func IntsTx(ctx context.Context, tx *Tx, query string, args ...any) ([]int, error) {
	rows, err := tx.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var k int
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// MarkProviderMembersForTest runs the part of migration 30 that finds the members the OpenID
// provider created before it, on a store whose members were written as schema 29 wrote them.
func (db *DB) MarkProviderMembersForTest(ctx context.Context) error {
	text := markProviderMembersSQLite
	if db.dialect == Postgres {
		text = markProviderMembersPostgres
	}
	return db.Update(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, text)
		return err
	})
}

// CommitRefused is commitRefused, for its test.
var CommitRefused = commitRefused

// DiskFull is diskFull, for its test.
var DiskFull = diskFull

// ClassifyDiskFullForTest is classifyDiskFull, for its test.
var ClassifyDiskFullForTest = classifyDiskFull

// SetCommitSQLite replaces the commit of SQLite's group transactions until the test ends.
func SetCommitSQLite(t interface{ Cleanup(func()) }, commit func(*sql.Tx) error) {
	old := commitSQLite
	commitSQLite = commit
	t.Cleanup(func() { commitSQLite = old })
}

// SetSchemaFence turns the schema version check of every PostgreSQL Update on or off, for
// BenchmarkPostgresSchemaFence.
func (db *DB) SetSchemaFence(on bool) { db.fenced.Store(on) }

// LockClassForTest and LockWriterForTest are the PostgreSQL writer lock's keys, which a test
// holds as a server in the middle of a migration would.
const (
	LockClassForTest  = lockClass
	LockWriterForTest = lockWriter
)

// SetScrubWALAtOpen replaces the truncation of the WAL at a SQLite store's opening until the
// test ends.
func SetScrubWALAtOpen(t interface{ Cleanup(func()) }, scrub func(*DB, context.Context) (bool, error)) {
	old := scrubWALAtOpen
	scrubWALAtOpen = scrub
	t.Cleanup(func() { scrubWALAtOpen = old })
}

// CopyFull is copyFull, for its test.
var CopyFull = copyFull

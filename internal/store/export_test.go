package store

import "context"

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

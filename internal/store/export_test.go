package store

import "context"

// WriterPragma reads a PRAGMA on the write connection, for tests of per-connection settings.
func (db *DB) WriterPragma(ctx context.Context, name string) (string, error) {
	var v string
	err := db.w.QueryRowContext(ctx, "PRAGMA "+name).Scan(&v)
	return v, err
}

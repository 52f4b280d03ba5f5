package store

import (
	"context"
	"time"
)

// OpenAtForTest opens the store with open as a build of schema version n opens it: migrated up
// to n only, and refused if it is newer.
func OpenAtForTest(n int, open func() (*DB, error)) (*DB, error) {
	all := migrations
	migrations = migrations[:n]
	defer func() { migrations = all }()
	return open()
}

// OpenSQLiteAtForTest is OpenAtForTest for the SQLite store in dir.
func OpenSQLiteAtForTest(ctx context.Context, dir string, n int) (*DB, error) {
	return OpenAtForTest(n, func() (*DB, error) { return OpenSQLite(ctx, dir) })
}

// OpenPostgresAtForTest is OpenAtForTest for the PostgreSQL store at url.
func OpenPostgresAtForTest(ctx context.Context, url string, n int) (*DB, error) {
	return OpenAtForTest(n, func() (*DB, error) { return OpenPostgres(ctx, url) })
}

// AddLetterForTest adds l as the build of the store's schema did: a store opened at a schema
// before migration 44 (OpenAtForTest) has no unreleased_letters, and its letters are rows of
// letters only.
func AddLetterForTest(ctx context.Context, tx *Tx, l *Letter) error {
	v, err := tx.Version(ctx)
	if err != nil {
		return err
	}
	if v < 44 {
		return tx.addLetterRow(ctx, l)
	}
	return tx.AddLetter(ctx, l)
}

// FormatTimeForTest is a time as the store writes it in its text columns.
func FormatTimeForTest(t time.Time) string { return ts(t) }

package store_test

import (
	"database/sql"
	"errors"
	"fmt"
	"testing"

	"github.com/chancery/chancery/internal/store"
)

// sqliteError is an error of the SQLite driver, with its extended result code.
type sqliteError int

func (e sqliteError) Error() string { return fmt.Sprintf("sqlite error %d", int(e)) }
func (e sqliteError) Code() int     { return int(e) }

// failSQLiteCommits makes every commit of a SQLite store roll its transaction back and fail
// with the driver's error of extended result code code.
func failSQLiteCommits(t *testing.T, code int) {
	t.Helper()
	store.SetCommitSQLite(t, func(tx *sql.Tx) error {
		tx.Rollback()
		return fmt.Errorf("commit: %w", sqliteError(code))
	})
}

// TestSQLiteCommitIOErrorIsUnknown: an SQLite COMMIT that fails with an I/O error, as when the
// WAL's fsync fails, has written the transaction's frames, commit frame included, to the WAL,
// which recovery reads back after a crash: the transaction may be committed, and Update must
// say that its outcome is unknown rather than that it failed (its callers would retry, or
// tell their users that nothing was done). A refusal before anything was written (a deferred
// constraint) is an error whose outcome is known.
func TestSQLiteCommitIOErrorIsUnknown(t *testing.T) {
	db, err := store.OpenSQLite(t.Context(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, c := range []struct {
		code    int
		unknown bool
	}{
		{1034, true}, // SQLITE_IOERR_FSYNC
		{778, true},  // SQLITE_IOERR_WRITE
		{10, true},   // SQLITE_IOERR
		{787, false}, // SQLITE_CONSTRAINT_FOREIGNKEY
		{13, false},  // SQLITE_FULL: the commit frame was not written whole
	} {
		failSQLiteCommits(t, c.code)
		err := db.Update(t.Context(), func(tx *store.Tx) error {
			return store.ExecTx(t.Context(), tx, `INSERT INTO schema_version (version) SELECT 0 WHERE 0`)
		})
		if err == nil {
			t.Fatalf("code %d: Update returned nil", c.code)
		}
		if got := errors.Is(err, store.ErrCommitUnknown); got != c.unknown {
			t.Errorf("code %d: %v; unknown outcome %v, want %v", c.code, err, got, c.unknown)
		}
	}
}

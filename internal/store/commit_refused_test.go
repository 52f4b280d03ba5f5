package store_test

import (
	"database/sql"
	"errors"
	"fmt"
	"testing"

	"github.com/chancery/chancery/internal/store"
	"github.com/jackc/pgx/v5/pgconn"
)

// TestCommitRefused: only an error the server sent on a session that goes on means that
// COMMIT did not commit. A PANIC (raised by any error after the commit record is flushed, the
// server restarting and replaying the commit) or a FATAL ends the session and leaves the
// outcome to be asked for; taken as a refusal, a committed transaction was reported failed,
// its log entries and head included.
func TestCommitRefused(t *testing.T) {
	for _, c := range []struct {
		err  error
		want bool
	}{
		{&pgconn.PgError{Severity: "ERROR", Code: "40001"}, true},
		{fmt.Errorf("commit: %w", &pgconn.PgError{Severity: "ERROR", Code: "23505"}), true},
		{sql.ErrTxDone, true},
		{&pgconn.PgError{Severity: "PANIC", Code: "XX000", Message: "cannot abort transaction 1234, it was already committed"}, false},
		{&pgconn.PgError{Severity: "FATAL", Code: "57P01"}, false},
		{errors.New("unexpected EOF"), false},
	} {
		if got := store.CommitRefused(c.err); got != c.want {
			t.Errorf("CommitRefused(%v) = %v, want %v", c.err, got, c.want)
		}
	}
}

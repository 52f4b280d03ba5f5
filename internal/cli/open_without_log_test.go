package cli_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/datadir"
	officepkg "github.com/chancery/chancery/internal/office"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/store/storetest"
	"github.com/chancery/chancery/internal/translog"
)

// An office opened with --database naming a PostgreSQL database that holds no log (a typo in
// CHANCERY_DATABASE, a database created for pg_restore before the restore ran) is refused:
// opening it would create a second, empty log there and sign its checkpoints with the
// office's log key, a fork of the office's log from entry 0.
func TestOpenRefusesDatabaseWithoutLog(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "office")
	o := openReleasingOffice(t, dir, storetest.PostgresURL(t))
	if _, err := o.release(); err != nil {
		t.Fatal(err)
	}
	first, err := o.st.Log.Entry(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}

	d, err := datadir.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	other := storetest.PostgresURL(t) // empty: no schema, no log
	st, err := officepkg.Open(ctx, d, officepkg.Options{Database: other})
	if err == nil {
		defer st.Close()
		h := st.Log.Head()
		t.Errorf("opened the office on a database without its log: a new log of size %d was created and signed with the office's log key:\n%s", h.Size, h.Checkpoint)
		// It appends as the office's log: entry 0 of a second history.
		if idx, err := st.Log.Append(ctx, []byte("second history")); err == nil {
			e, _ := st.Log.Entry(ctx, idx)
			t.Errorf("entry %d of the second log is %q, the office's log has %d bytes there (equal: %v); checkpoint:\n%s",
				idx, e, len(first), bytes.Equal(e, first), st.Log.Head().Checkpoint)
		}
		return
	}
	if !errors.Is(err, store.ErrNoLog) {
		t.Errorf("opening the office on a database without its log: %v, want store.ErrNoLog", err)
	}
	code, stdout, stderr := run("log", "verify", "--data", dir, "--database", other)
	if code != 2 || !strings.Contains(stderr, "holds no office's log") || !strings.Contains(stderr, "hint: ") || !strings.Contains(stderr, "chancery init --database") {
		t.Errorf("log verify on a database without the office's log: status %d, want 2 with a hint to init or migrate\n%s%s", code, stdout, stderr)
	}
}

// On SQLite, a data directory whose database is gone (moved aside, or never made: an init
// that stopped) is refused rather than given a new, empty log; so is a database that holds
// no log.
func TestOpenRefusesDataDirectoryWithoutLog(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "office")
	o := openReleasingOffice(t, dir, "")
	if _, err := o.release(); err != nil {
		t.Fatal(err)
	}
	o.st.Close()
	db := filepath.Join(dir, store.SQLiteFile)
	for _, n := range []string{db, db + "-wal", db + "-shm"} {
		os.Remove(n)
	}
	d, err := datadir.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if st, err := officepkg.Open(ctx, d); !errors.Is(err, store.ErrNoSQLite) {
		if err == nil {
			st.Close()
		}
		t.Fatalf("opening the office without its database: %v, want store.ErrNoSQLite", err)
	}
	if _, err := os.Stat(db); err == nil {
		t.Fatal("opening the office without its database made one")
	}
	code, stdout, stderr := run("log", "verify", "--data", dir)
	if code != 2 || !strings.Contains(stderr, "hint: ") {
		t.Errorf("log verify without the office's database: status %d, want 2 with a hint\n%s%s", code, stdout, stderr)
	}

	// An empty database file: the store makes the schema, the log refuses to start a log.
	if err := os.WriteFile(db, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if st, err := officepkg.Open(ctx, d); !errors.Is(err, translog.ErrNoLog) {
		if err == nil {
			st.Close()
		}
		t.Fatalf("opening the office on a database without a log: %v, want translog.ErrNoLog", err)
	}
}

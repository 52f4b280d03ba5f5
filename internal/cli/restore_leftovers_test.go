package cli_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/checkpoint"
	"github.com/chancery/chancery/internal/datadir"
	officepkg "github.com/chancery/chancery/internal/office"
	"github.com/chancery/chancery/internal/store"
)

// A restore in place ("this office's data directory without its database, after moving a
// damaged chancery.db aside") refuses while the write-ahead log, shared memory or rollback
// journal that a crashed server left beside that database are still there: SQLite would
// apply them to the restored database, which would then be neither the backup restore
// verified nor the old database, and the write-ahead log (the only copy of the crashed
// server's last releases) would be lost. Once they are moved aside too, the restore serves
// the backup.
func TestRestoreInPlaceRefusesCrashLeftovers(t *testing.T) {
	tmp := t.TempDir()
	live, out := filepath.Join(tmp, "live"), filepath.Join(tmp, "office.tar")
	o, cp := backedUp(t, tmp, 2, 3)
	backedUpSize, err := checkpoint.Size(cp)
	if err != nil {
		t.Fatal(err)
	}
	// The server dies (kill -9): its database and write-ahead log stay as they are on disk.
	wal, shm := store.SQLiteFile+"-wal", store.SQLiteFile+"-shm"
	crashed := map[string][]byte{}
	for _, n := range []string{store.SQLiteFile, wal, shm} {
		b, err := os.ReadFile(filepath.Join(live, n))
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		crashed[n] = b
	}
	if len(crashed[wal]) == 0 {
		t.Fatal("no write-ahead log to be left by the crash")
	}
	o.st.Close()
	for _, n := range []string{store.SQLiteFile, wal, shm} {
		os.Remove(filepath.Join(live, n))
		if n != store.SQLiteFile { // the operator moves only the damaged database aside
			os.WriteFile(filepath.Join(live, n), crashed[n], 0o600)
		}
	}

	code, stdout, stderr := run("restore", out, "--data", live)
	if code != 2 || !strings.Contains(stderr, wal) || !strings.Contains(stderr, "hint:") {
		t.Fatalf("restore beside the crash's write-ahead log: status %d, want 2 naming %s with a hint\n%s%s", code, wal, stdout, stderr)
	}
	if _, err := os.Stat(filepath.Join(live, store.SQLiteFile)); err == nil {
		t.Error("the refused restore left a database in the data directory")
	}
	if b, err := os.ReadFile(filepath.Join(live, wal)); err != nil || !bytes.Equal(b, crashed[wal]) {
		t.Errorf("the refused restore changed the crash's write-ahead log (%d bytes, %v)", len(b), err)
	}

	// A rollback journal alone (a server that ran without WAL) is refused as well.
	os.Remove(filepath.Join(live, wal))
	os.Remove(filepath.Join(live, shm))
	journal := filepath.Join(live, store.SQLiteFile+"-journal")
	os.WriteFile(journal, []byte("hot journal"), 0o600)
	if code, stdout, stderr := run("restore", out, "--data", live); code != 2 || !strings.Contains(stderr, "-journal") {
		t.Fatalf("restore beside a rollback journal: status %d, want 2 naming it\n%s%s", code, stdout, stderr)
	}

	// Moved aside with the database, as the hint says: the restore serves the backup.
	os.Remove(journal)
	if code, stdout, stderr := run("restore", out, "--data", live); code != 0 {
		t.Fatalf("restore: status %d\n%s%s", code, stdout, stderr)
	}
	if code, stdout, stderr := run("log", "verify", "--data", live); code != 0 {
		t.Fatalf("the restored data directory's log does not verify: status %d\n%s%s", code, stdout, stderr)
	}
	d, err := datadir.Open(live)
	if err != nil {
		t.Fatal(err)
	}
	st, err := officepkg.Open(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if got := st.Log.Head().Size; got != backedUpSize {
		t.Fatalf("restore reported the backup's %d entries, but the data directory serves %d", backedUpSize, got)
	}
}

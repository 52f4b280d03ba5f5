package witness

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestStoreFilesAreOwnersOnly: the witness's database, its write-ahead log and its shared
// memory are its owner's alone from the start, whatever the umask (SQLite gives the log and
// the shared memory the database's mode when it makes them), and a database others could
// read, with its log, is made private when it is opened.
func TestStoreFilesAreOwnersOnly(t *testing.T) {
	old := syscall.Umask(0)
	t.Cleanup(func() { syscall.Umask(old) })
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, DBFile)
	check := func(when string) {
		t.Helper()
		for _, f := range []string{path, path + "-wal", path + "-shm"} {
			fi, err := os.Stat(f)
			if err != nil {
				t.Fatalf("%s: %v", when, err)
			}
			if fi.Mode().Perm() != 0o600 {
				t.Errorf("%s: %s has mode %v, want 0600", when, filepath.Base(f), fi.Mode().Perm())
			}
		}
	}
	k := newLogKey(t)
	st, err := OpenStore(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddLog(ctx, testOrigin, k.vkey); err != nil {
		t.Fatal(err)
	}
	check("new")
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	// Empty, as a crash may leave them: SQLite starts them again.
	for _, f := range []string{path + "-wal", path + "-shm"} {
		if err := os.WriteFile(f, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	st, err = OpenStore(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	check("reopened")
}

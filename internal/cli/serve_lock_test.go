package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/datadir"
	"github.com/chancery/chancery/internal/testbin"
)

// TestServeRefusedBesideAServerWhoseServeLockWasRemoved: serve's lock on a SQLite data
// directory was an advisory lock on serve.lock alone: once that file was removed by hand under
// a running server, a second serve made a new one, locked it and served the same directory,
// a second sequencer of its log. The lock is now also held on .serve.lock, which removing
// serve.lock leaves held, and the second serve is refused as before, with its hint.
func TestServeRefusedBesideAServerWhoseServeLockWasRemoved(t *testing.T) {
	bin := testbin.Shared(t, "./cmd/chancery")
	dir := filepath.Join(t.TempDir(), "reg")
	if code, _, stderr := run("init", "--data", dir, "--office", "Lock Office", "--prefix", "LCK", "--url", "https://lock.example", "--no-pdf-ca"); code != 0 {
		t.Fatalf("init: exit %d\n%s", code, stderr)
	}
	startServe(t, bin, "--data", dir, "--listen", "127.0.0.1:0")
	if err := os.Remove(filepath.Join(dir, "serve.lock")); err != nil {
		t.Fatal(err)
	}
	u, stderr := tryServe(t, bin, "--data", dir, "--listen", "127.0.0.1:0")
	if u != "" {
		t.Fatalf("a second serve on %s, its serve.lock removed under the first, serves %s", dir, u)
	}
	if !strings.Contains(stderr, "chancery: error: another chancery serve is using the data directory "+dir) ||
		!strings.Contains(stderr, "chancery: hint: stop the other server, or pass another --data") {
		t.Fatalf("the second serve's refusal:\n%s\nwant the error and hint of a directory a server holds", stderr)
	}
}

// TestServeLocksAgainTheLockFilesRemovedUnderIt: with both of its lock files removed by hand,
// a server left its data directory to a second serve (or, with serve.lock alone removed, to a
// server of an older build, which locks only that file). The server now makes and locks them
// again within a second or so, and the second serve is refused.
func TestServeLocksAgainTheLockFilesRemovedUnderIt(t *testing.T) {
	bin := testbin.Shared(t, "./cmd/chancery")
	dir := filepath.Join(t.TempDir(), "reg")
	if code, _, stderr := run("init", "--data", dir, "--office", "Lock Office", "--prefix", "LCK", "--url", "https://lock.example", "--no-pdf-ca"); code != 0 {
		t.Fatalf("init: exit %d\n%s", code, stderr)
	}
	startServe(t, bin, "--data", dir, "--listen", "127.0.0.1:0")
	for _, name := range []string{datadir.LockFile, datadir.KeptLockFile} {
		if err := os.Remove(filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{datadir.LockFile, datadir.KeptLockFile} {
		for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			if _, err := os.Lstat(filepath.Join(dir, name)); err == nil {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s, removed under the server, was not made again within 20s", name)
			}
		}
	}
	u, stderr := tryServe(t, bin, "--data", dir, "--listen", "127.0.0.1:0")
	if u != "" {
		t.Fatalf("a second serve on %s, its lock files removed under the first, serves %s", dir, u)
	}
	if !strings.Contains(stderr, "chancery: error: another chancery serve is using the data directory "+dir) {
		t.Fatalf("the second serve's refusal:\n%s\nwant the error of a directory a server holds", stderr)
	}
}

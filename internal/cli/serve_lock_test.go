package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

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

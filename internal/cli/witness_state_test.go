package cli_test

import (
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"
)

// TestWitnessWithoutItsDatabaseRefuses: a witness whose database was lost, its key kept,
// made a new empty one and would take each log's next checkpoint as a first one, cosigning a
// fork of a tree it cosigned before. Its commands now refuse, with a hint.
func TestWitnessWithoutItsDatabaseRefuses(t *testing.T) {
	dir := t.TempDir()
	if code, stdout, stderr := run("witness", "key", "--data", dir, "--name", "witness.example"); code != 0 {
		t.Fatalf("witness key: %d\n%s%s", code, stdout, stderr)
	}
	_, vkey, err := note.GenerateKey(rand.Reader, "other.example/log")
	if err != nil {
		t.Fatal(err)
	}
	addLog := func() (int, string) {
		code, _, stderr := run("witness", "add-log", "--data", dir, "--origin", "other.example/log", "--key", vkey)
		return code, stderr
	}
	if code, stderr := addLog(); code != 0 {
		t.Fatalf("witness add-log: %d\n%s", code, stderr)
	}
	for _, n := range []string{"witness.db", "witness.db-wal", "witness.db-shm"} {
		os.Remove(filepath.Join(dir, n))
	}
	code, stderr := addLog()
	if code == 0 || !strings.Contains(stderr, "missing, though this witness had one") || !strings.Contains(stderr, "hint: put back witness.db") {
		t.Errorf("witness add-log with its database lost: status %d\n%s", code, stderr)
	}
}

package registry

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/chancery/chancery/internal/store"
)

// eraseCrashEnv names the directory of the office TestEraseCrashChild makes, erases a letter
// of and is killed in.
const eraseCrashEnv = "CHANCERY_ERASE_CRASH"

var eraseCrashMarkers = []string{"mkrsubject", "mkraddressee", "mkrbody"}

// TestErasureKilledBeforeTheWALIsScrubbedLeavesNothing: a server killed after an erasure
// committed, before it truncated the WAL, left the erased subject, addressees and text in
// the WAL's older frames: the restarted server never truncated it until it stopped cleanly,
// and the erasure, asked again, answers "already erased" without scrubbing. Opened again,
// the store leaves none of them in its files.
func TestErasureKilledBeforeTheWALIsScrubbedLeavesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a child process")
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestEraseCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), eraseCrashEnv+"="+dir)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("the erasure was not killed once committed: %v\n%s", err, out.String())
	}
	// What the killed server left: the markers are there, or the test proves nothing.
	if !bytes.Contains(databaseFiles(t, dir), []byte(eraseCrashMarkers[0])) {
		t.Fatalf("%q is not in the database's files after the kill", eraseCrashMarkers[0])
	}
	db, err := store.OpenSQLite(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	after := databaseFiles(t, dir)
	for _, m := range eraseCrashMarkers {
		if n := bytes.Count(after, []byte(m)); n > 0 {
			t.Errorf("%q is still in the database's files once the store is open again, %d times", m, n)
		}
	}
}

// databaseFiles is the SQLite database's file and its WAL, in lower case.
func databaseFiles(t *testing.T, dir string) []byte {
	t.Helper()
	var all []byte
	for _, name := range []string{store.SQLiteFile, store.SQLiteFile + "-wal"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	return bytes.ToLower(all)
}

// TestEraseCrashChild is the child of TestErasureKilledBeforeTheWALIsScrubbedLeavesNothing:
// it releases a letter, erases it and kills itself once the erasure has committed.
func TestEraseCrashChild(t *testing.T) {
	dir := os.Getenv(eraseCrashEnv)
	if dir == "" {
		t.Skip("run as a child process by TestErasureKilledBeforeTheWALIsScrubbedLeavesNothing")
	}
	ctx := context.Background()
	o := newOfficeIn(t, dir)
	// A reader of the snapshot before the letter, as a request under way is: the store's
	// background checkpoints cannot copy the letter's WAL frames into the database file or
	// start the WAL over while it reads, so the erasure's frames go after them and the kill
	// finds the letter's text in the WAL, every run.
	raw, err := sql.Open("sqlite", "file:"+filepath.Join(dir, store.SQLiteFile))
	if err != nil {
		t.Fatal(err)
	}
	reader, err := raw.Begin()
	if err == nil {
		err = reader.QueryRow("SELECT count(*) FROM sqlite_master").Scan(new(int))
	}
	if err != nil {
		t.Fatal(err)
	}
	ref, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: "Mkrsubject convoy", Class: "foreign-government",
		Addressees: []string{"Mkraddressee ministry"}, File: Upload{Name: "letter.txt", Data: []byte(strings.Repeat("Mkrbody the convoy leaves at dawn. ", 200))}})
	if err != nil {
		t.Fatal(err)
	}
	o.approvedAndReleased(t, ref)
	eraseCommitted = func() { syscall.Kill(os.Getpid(), syscall.SIGKILL) }
	err = o.r.Erase(ctx, o.admin, ref, "erasure request")
	t.Fatalf("the erasure returned without being killed: %v", err)
}

package cli_test

import (
	"database/sql"
	"encoding/json"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
	"github.com/chancery/chancery/internal/datadir"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/store/storetest"
)

// TestStoreMigrateRefusesASourceWrittenDuringTheCopy: migrate holds the data directory's
// server lock, but a writer that takes none (an older chancery, the sqlite3 shell, a server
// of a copy of the directory) could still commit to the SQLite source after the snapshot,
// and migrate reported "migrated … verified" for a copy that lacked it. It now fails (status
// 1, drop the database) when the source was written to during the run.
func TestStoreMigrateRefusesASourceWrittenDuringTheCopy(t *testing.T) {
	dir := closedOfficeWithARelease(t)
	target := storetest.PostgresURL(t)
	cli.SetMigrateCopied(func() {
		db, err := sql.Open("sqlite", filepath.Join(dir, store.SQLiteFile))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.Exec(`UPDATE members SET roles = 'admin,drafter,reviewer,signer,release'`); err != nil {
			t.Fatal(err)
		}
	})
	code, stdout, stderr := run("store", "migrate", "--data", dir, "--to", target)
	cli.SetMigrateCopied(nil)
	if code != 1 || !strings.Contains(stderr, "written to while it was copied") || !strings.Contains(stderr, "hint: drop that database") {
		t.Fatalf("store migrate of a source written to during the copy: status %d, want 1 with a hint\n%s%s", code, stdout, stderr)
	}
	if strings.Contains(stdout, "migrated") {
		t.Errorf("reported migrated: %s", stdout)
	}
	// Unwritten, the same source migrates (into a new database).
	if code, stdout, stderr := run("store", "migrate", "--data", dir, "--to", storetest.PostgresURL(t)); code != 0 {
		t.Fatalf("store migrate: status %d\n%s%s", code, stdout, stderr)
	}
}

// TestStoreMigrateNextLineIsPasteable: the "next:" line gave the URL with its password
// masked (postgres://chancery:xxxxx@…), which serve cannot use as it is. It gives the URL
// without the password, quoted for the shell, and says where the password goes; pasted as
// it is, the URL opens the migrated office.
func TestStoreMigrateNextLineIsPasteable(t *testing.T) {
	dir := closedOfficeWithARelease(t)
	u, err := url.Parse(storetest.PostgresURL(t))
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword(u.User.Username(), "s3cret")
	q := u.Query()
	q.Set("application_name", "chancery")
	u.RawQuery = q.Encode()
	code, stdout, stderr := run("store", "migrate", "--data", dir, "--to", u.String())
	if code != 0 {
		t.Fatalf("store migrate: status %d\n%s%s", code, stdout, stderr)
	}
	var next string
	for _, l := range strings.Split(stdout, "\n") {
		if strings.HasPrefix(l, "next: ") {
			next = l
		}
	}
	_, quoted, ok := strings.Cut(next, "--database '")
	pasted, _, ok2 := strings.Cut(quoted, "'")
	if !ok || !ok2 || strings.Contains(stdout, "s3cret") || strings.Contains(next, "xxxxx") || !strings.Contains(stdout, "PGPASSFILE") {
		t.Fatalf("the next: line is not a pasteable URL without the password:\n%s", stdout)
	}
	// Serve a copy of the directory without chancery.db, as the line says.
	served := filepath.Join(t.TempDir(), "served")
	if out, err := exec.Command("cp", "-a", dir, served).CombinedOutput(); err != nil {
		t.Fatalf("cp: %v\n%s", err, out)
	}
	for _, n := range []string{"", "-wal", "-shm"} {
		os.Remove(filepath.Join(served, store.SQLiteFile+n))
	}
	if code, stdout, stderr := run("log", "verify", "--data", served, "--database", pasted); code != 0 {
		t.Fatalf("log verify with the pasted URL %s: status %d\n%s%s", pasted, code, stdout, stderr)
	}
}

// TestLocalStoreWritersTakeTheServerLock: store migrate holds the data directory's server lock
// so that nothing writes the SQLite source under its copy. Every command that writes the
// office's database from the data directory takes that lock, and refuses while it is held
// (as by serve or a migration); log verify and log checkpoint only read, and run beside it.
// (member add and the other member commands go through the server's API.)
func TestLocalStoreWritersTakeTheServerLock(t *testing.T) {
	tmp := t.TempDir()
	live, _ := closedBackup(t, tmp)
	aside := filepath.Join(tmp, "aside")
	if out, err := exec.Command("cp", "-a", live, aside).CombinedOutput(); err != nil {
		t.Fatalf("cp: %v\n%s", err, out)
	}
	for _, n := range []string{"", "-wal", "-shm"} {
		os.Remove(filepath.Join(aside, store.SQLiteFile+n))
	}
	for _, dir := range []string{live, aside} {
		d, err := datadir.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		unlock, err := d.Lock()
		if err != nil {
			t.Fatal(err)
		}
		defer unlock()
	}
	for _, args := range [][]string{
		{"key", "rotate", "office", "--data", live},
		{"key", "rotate", "pdf-cert", "--data", live},
		{"log", "accept-restore", "--data", live},
		{"restore", filepath.Join(tmp, "office.tar"), "--data", aside},
	} {
		if code, stdout, stderr := run(args...); code != 2 || !strings.Contains(stderr, "another chancery serve") {
			t.Errorf("%s while the lock is held: status %d, want 2 refusing\n%s%s", strings.Join(args, " "), code, stdout, stderr)
		}
	}
	for _, args := range [][]string{{"log", "verify", "--data", live}, {"log", "checkpoint", "--data", live}} {
		if code, stdout, stderr := run(args...); code != 0 {
			t.Errorf("%s while the lock is held: status %d, want 0\n%s%s", strings.Join(args, " "), code, stdout, stderr)
		}
	}
}

// TestStoreMigrateJSONHoldsTheMarkWarning: a migrate whose copy failed and that could not
// take its mark back printed "chancery: warning: this directory is still marked as moved"
// as a line of its own on stderr with --json, beside the error object, where a script reads
// the command's warnings in the object's "warnings". It is there now.
func TestStoreMigrateJSONHoldsTheMarkWarning(t *testing.T) {
	dir := closedOfficeWithARelease(t)
	target := storetest.PostgresURL(t)
	moved := filepath.Join(dir, datadir.MovedFile)
	cli.SetMigrateCopied(func() {
		// A mark that cannot be removed (a directory with a file in it, even for root), and a
		// source written to during the copy, which fails it after the commit.
		if err := os.Remove(moved); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(moved, "x"), 0o700); err != nil {
			t.Fatal(err)
		}
		db, err := sql.Open("sqlite", filepath.Join(dir, store.SQLiteFile))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.Exec(`UPDATE members SET roles = 'admin,drafter,reviewer,signer,release'`); err != nil {
			t.Fatal(err)
		}
	})
	code, stdout, stderr := run("store", "migrate", "--data", dir, "--to", target, "--json")
	cli.SetMigrateCopied(nil)
	if code != 1 {
		t.Fatalf("store migrate --json of a source written to during the copy: status %d, want 1\n%s%s", code, stdout, stderr)
	}
	if strings.Contains(stderr, "chancery: warning:") {
		t.Errorf("with --json a warning is printed outside the error object:\n%s", stderr)
	}
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	var obj struct {
		Error    string   `json:"error"`
		Warnings []string `json:"warnings"`
	}
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &obj); err != nil || len(obj.Warnings) != 1 || !strings.Contains(obj.Warnings[0], "still marked as moved") {
		t.Errorf("the error object holds warnings %q (%v), want the mark's\n%s", obj.Warnings, err, stderr)
	}
}

// TestStoreMigrateJSONStderrIsTheErrorAlone: `store migrate --json` printed its progress
// line ("copied N tables in …; verifying the copy") on stderr as text, so a migrate failing
// after the copy left stderr with that line before the JSON error object, where --json
// promises the one object. The progress is left out with --json.
func TestStoreMigrateJSONStderrIsTheErrorAlone(t *testing.T) {
	dir := closedOfficeWithARelease(t)
	target := storetest.PostgresURL(t)
	cli.SetMigrateCopied(func() {
		// The source written to during the copy fails the migrate after the copy.
		db, err := sql.Open("sqlite", filepath.Join(dir, store.SQLiteFile))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.Exec(`UPDATE members SET roles = 'admin,drafter,reviewer,signer,release'`); err != nil {
			t.Fatal(err)
		}
	})
	code, stdout, stderr := run("store", "migrate", "--data", dir, "--to", target, "--json")
	cli.SetMigrateCopied(nil)
	if code != 1 || stdout != "" {
		t.Fatalf("store migrate --json of a source written to during the copy: status %d, want 1 and no stdout\n%s%s", code, stdout, stderr)
	}
	var obj struct {
		Error string `json:"error"`
	}
	if err := json.Unmarshal([]byte(stderr), &obj); err != nil || !strings.Contains(obj.Error, "written to while it was copied") {
		t.Errorf("stderr of a failed store migrate --json is not the one JSON error object (%v):\n%s", err, stderr)
	}
}

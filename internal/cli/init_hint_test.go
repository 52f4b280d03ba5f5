package cli_test

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestInitSaysWhatToDoWhenItStops: an init whose database was unreachable left its data
// directory made and its office not, and said only the database's error; init on a directory
// holding an office said only "already initialized". Both now say what to do (run the same
// init again; pass another --data).
func TestInitSaysWhatToDoWhenItStops(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "office")
	args := []string{"init", "--data", dir, "--office", "Hint Office", "--prefix", "HNT", "--no-pdf-ca"}
	code, out, errs := run(append(args, "--database", "postgres://chancery@127.0.0.1:1/none?sslmode=disable&connect_timeout=2")...)
	if code != 2 || out != "" || !strings.Contains(errs, "chancery: hint: the data directory "+dir+" is made, its office not yet: once the cause is fixed, run the same init again") {
		t.Fatalf("init with its database unreachable: status %d\n%s%s", code, out, errs)
	}
	// Again with the database still unreachable: the same answer (it panicked, the reopening's
	// unlock nil once its store failed to open; found by review of 8028ca4, sixtieth session).
	code, out, errs = run(append(args, "--database", "postgres://chancery@127.0.0.1:1/none?sslmode=disable&connect_timeout=2")...)
	if code != 2 || out != "" || !strings.Contains(errs, "chancery: hint: the data directory "+dir+" is made, its office not yet: once the cause is fixed, run the same init again") {
		t.Fatalf("the same init again, its database still unreachable: status %d\n%s%s", code, out, errs)
	}
	if code, out, errs := run(args...); code != 0 {
		t.Fatalf("the same init again, on SQLite: status %d\n%s%s", code, out, errs)
	}
	code, out, errs = run(args...)
	if code != 2 || out != "" || !strings.Contains(errs, "already initialized") || !strings.Contains(errs, "chancery: hint: for a new office pass --data a new directory") {
		t.Fatalf("init of a finished office: status %d\n%s%s", code, out, errs)
	}
}

package cli_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/datadir"
)

// TestInitAgainRefusedWhileTheDirectoryIsLocked: init run again on a directory whose init
// was killed took no lock, so that beside a server started there meanwhile (it serves an
// unfinished directory) it opened the store and its log, gave the admin a new token and
// marked the directory finished under the server. It now takes the server's lock first, and
// refuses, with a hint, changing nothing, while another process holds it.
func TestInitAgainRefusedWhileTheDirectoryIsLocked(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a child process")
	}
	dir := filepath.Join(t.TempDir(), "office")
	args := []string{"init", "--data", dir, "--office", "Lock Office", "--prefix", "LCK", "--url", "https://lock.example", "--no-pdf-ca"}
	killedAt(t, "init", "printed", args...)
	d, err := datadir.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	unlock, err := d.Lock()
	if err != nil {
		t.Fatal(err)
	}
	code, out, errs := run(args...)
	if code != 2 || out != "" || !strings.Contains(errs, "chancery: error: init: another chancery serve is using") || !strings.Contains(errs, "chancery: hint: stop the server") {
		t.Fatalf("init again under the server's lock: status %d\n%s%s\nwant it refused with a hint", code, out, errs)
	}
	if r, err := datadir.Reopen(dir, d.Settings); err != nil {
		t.Fatalf("after the refused init: %v, want the directory still unfinished", err)
	} else {
		r.Close()
	}
	unlock()
	if code, out, errs := run(args...); code != 0 || !strings.HasPrefix(out, "chy_") {
		t.Fatalf("init again once the lock is released: status %d\n%s%s", code, out, errs)
	}
}

// TestServeRefusesAnUnfinishedDirectory: serve started on a directory whose init stopped
// after its keys were in place served an office that may have no admin, whose token only
// that init printed. It now refuses, saying to run the same init again.
func TestServeRefusesAnUnfinishedDirectory(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a child process")
	}
	dir := filepath.Join(t.TempDir(), "office")
	args := []string{"init", "--data", dir, "--office", "Serve Office", "--prefix", "SRV", "--url", "https://serve.example", "--no-pdf-ca"}
	killedAt(t, "init", "printed", args...)
	type result struct {
		code      int
		out, errs string
	}
	done := make(chan result, 1)
	go func() {
		code, out, errs := run("serve", "--data", dir, "--listen", "127.0.0.1:0")
		done <- result{code, out, errs}
	}()
	select {
	case r := <-done:
		if r.code != 2 || !strings.Contains(r.errs, "did not finish") || !strings.Contains(r.errs, "chancery: hint: run the same 'chancery init' again") {
			t.Fatalf("serve on an unfinished directory: status %d\n%s%s", r.code, r.out, r.errs)
		}
	case <-time.After(time.Minute):
		t.Fatal("serve on an unfinished directory is serving it (no answer in a minute)")
	}
	if code, out, errs := run(args...); code != 0 || !strings.HasPrefix(out, "chy_") {
		t.Fatalf("the same init again: status %d\n%s%s", code, out, errs)
	}
}

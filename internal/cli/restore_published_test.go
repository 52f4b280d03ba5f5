package cli_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/datadir"
	officepkg "github.com/chancery/chancery/internal/office"
	"github.com/chancery/chancery/internal/testbin"
	"github.com/chancery/chancery/internal/translog"
)

// TestRestoreOnANewMachine: restored into an empty directory, a backup older than what the
// office already handed out is caught only with a checkpoint brought along (--published),
// which then becomes the record that keeps serve from appending; without one, restore warns
// that it could not check. A checkpoint of another log is refused.
func TestRestoreOnANewMachine(t *testing.T) {
	tmp := t.TempDir()
	o, inBackup := backedUp(t, tmp, 2, 2)
	backup := filepath.Join(tmp, "office.tar")
	latest := filepath.Join(tmp, "published.checkpoint")
	os.WriteFile(latest, o.st.Log.Head().Checkpoint, 0o600)
	older := filepath.Join(tmp, "older.checkpoint")
	os.WriteFile(older, inBackup, 0o600)

	// Without a checkpoint: restored, with the warning.
	code, _, stderr := run("restore", backup, "--data", filepath.Join(tmp, "unchecked"))
	if code != 0 || !strings.Contains(stderr, "not checked against a checkpoint already handed out") {
		t.Fatalf("restore without --published: status %d, %s", code, stderr)
	}

	// With the newest checkpoint handed out: restored, but behind; it is the record now.
	dir := filepath.Join(tmp, "new-machine")
	code, _, stderr = run("restore", backup, "--data", dir, "--published", latest)
	if code != 1 || !strings.Contains(stderr, "restored, but") || strings.Contains(stderr, "not checked") {
		t.Fatalf("restore of an older backup with --published: status %d, %s", code, stderr)
	}
	d, err := datadir.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := d.Published()
	if err != nil || !bytes.Equal(rec, o.st.Log.Head().Checkpoint) {
		t.Fatalf("the record after the restore: %q, %v", rec, err)
	}
	st, err := officepkg.Open(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	var rb *translog.RollbackError
	if err := translog.CheckPublished(context.Background(), st.DB, d.Verifier(), rec); !errors.As(err, &rb) {
		t.Errorf("serve's check of the restored office: %v", err)
	}
	st.Close()
	d.Close()
	// The hint names the directory restored into, where the operator decides, not the
	// staging directory the backup was checked in (renamed into place since): the command it
	// gives runs as printed. An existing empty directory too, named with a space and a quote:
	// the hint named it bare, and the pasted command another directory (found by review of
	// 5336ec7, sixtieth session); it is one shell word.
	empty := filepath.Join(tmp, "empty machine's")
	if err := os.Mkdir(empty, 0o700); err != nil {
		t.Fatal(err)
	}
	code, _, emptyErr := run("restore", backup, "--data", empty, "--published", latest)
	for into, c := range map[string]struct{ out, word string }{dir: {stderr, dir}, empty: {emptyErr, shellWord(empty)}} {
		want := "run 'chancery log accept-restore --data " + c.word + "'"
		if !strings.Contains(c.out, want) {
			t.Errorf("restore into %s behind --published: the hint does not say %q: %s", into, want, c.out)
		}
		// As printed, by a shell.
		line := shellWord(testbin.Shared(t, "./cmd/chancery")) + " log accept-restore --data " + c.word
		if out, err := exec.Command("sh", "-c", line).CombinedOutput(); err != nil {
			t.Errorf("the hint's %s: %v, %s", line, err, out)
		}
	}
	if code != 1 {
		t.Errorf("restore into an empty directory behind --published: status %d, %s", code, emptyErr)
	}

	// With a checkpoint the backup holds: restored and checked.
	code, _, stderr = run("restore", backup, "--data", filepath.Join(tmp, "checked"), "--published", older)
	if code != 0 || strings.Contains(stderr, "not checked") {
		t.Fatalf("restore with an older checkpoint: status %d, %s", code, stderr)
	}

	// A checkpoint of another log is refused, and nothing is left.
	other := filepath.Join(tmp, "other")
	if _, _, err := officepkg.Init(context.Background(), other, datadir.Settings{Office: "Other Office", Prefix: "OTH", Origin: "other.example/log",
		URL: "https://other.example"}, "admin", nil, officepkg.Options{}); err != nil {
		t.Fatal(err)
	}
	otherCP := filepath.Join(tmp, "other.checkpoint")
	od, err := datadir.Open(other)
	if err != nil {
		t.Fatal(err)
	}
	ost, err := officepkg.Open(context.Background(), od)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(otherCP, ost.Log.Head().Checkpoint, 0o600)
	ost.Close()
	refused := filepath.Join(tmp, "refused")
	code, _, stderr = run("restore", backup, "--data", refused, "--published", otherCP)
	if code != 2 || !strings.Contains(stderr, "--published") || !strings.Contains(stderr, "hint:") {
		t.Fatalf("restore with another log's checkpoint: status %d, %s", code, stderr)
	}
	if ents, _ := os.ReadDir(refused); len(ents) != 0 {
		t.Errorf("a refused restore left %d files behind", len(ents))
	}
}

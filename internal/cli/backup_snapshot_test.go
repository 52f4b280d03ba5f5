package cli_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
)

// TestBackupWritesTheFilesItHashed: a backup hashed each file of the data directory for its
// manifest, then read it again to write it. A file replaced in between, as 'chancery
// stamp-languages' replaces the settings beside a running server (here with as many bytes),
// was written other than its hash, the backup reported done, and every restore refused it
// ("does not match its SHA-256"). The backup holds the files as it hashed them.
func TestBackupWritesTheFilesItHashed(t *testing.T) {
	tmp := t.TempDir()
	live, _ := closedBackup(t, tmp)
	settings := filepath.Join(live, "chancery.json")
	before, err := os.ReadFile(settings)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(tmp, "second.tar")
	cli.SetBackupListed(func() {
		changed := bytes.Replace(before, []byte("Backup Office"), []byte("Backup Offic3"), 1)
		if bytes.Equal(changed, before) {
			t.Fatal("no office name to change in the settings")
		}
		if err := os.WriteFile(settings+".new", changed, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(settings+".new", settings); err != nil {
			t.Fatal(err)
		}
	})
	code, stdout, stderr := run("backup", "--data", live, "--out", out)
	cli.SetBackupListed(nil)
	if code != 0 {
		t.Fatalf("backup: status %d\n%s%s", code, stdout, stderr)
	}
	dir := filepath.Join(tmp, "restored")
	if code, stdout, stderr := run("restore", out, "--data", dir); code != 0 {
		t.Fatalf("restore of a backup reported done: status %d\n%s%s", code, stdout, stderr)
	}
	if got, err := os.ReadFile(filepath.Join(dir, "chancery.json")); err != nil || !bytes.Equal(got, before) {
		t.Errorf("the restored settings are %q (%v), want those the backup hashed", got, err)
	}
}

// TestBackupRefusesFilesChangedAroundTheSnapshot: a backup takes no lock (the server keeps
// running), and 'key rotate office', which takes the server's, could run during one: the
// backup held the database from before the rotation with the settings and key file from
// after it, reported verified, and the office restored from it signed with a key its log
// never named, every earlier seal refused by its trust root (audit, forty-eighth session).
// The files are hashed before the database is copied and compared after: the backup fails.
func TestBackupRefusesFilesChangedAroundTheSnapshot(t *testing.T) {
	tmp := t.TempDir()
	live, _ := closedBackup(t, tmp)
	out := filepath.Join(tmp, "during-rotation.tar")
	cli.SetBackupStaged(func(context.Context) {
		if code, stdout, stderr := run("key", "rotate", "office", "--data", live, "--reason", "yearly"); code != 0 {
			t.Errorf("key rotate office during the backup: status %d\n%s%s", code, stdout, stderr)
		}
	})
	code, stdout, stderr := run("backup", "--data", live, "--out", out)
	cli.SetBackupStaged(nil)
	if code != 2 || !strings.Contains(stderr, "changed while the database was copied") || !strings.Contains(stderr, "hint: ") {
		t.Fatalf("backup during a key rotation: status %d, want 2 saying the files changed\n%s%s", code, stdout, stderr)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("the refused backup was written")
	}
	if code, stdout, stderr := run("backup", "--data", live, "--out", out); code != 0 {
		t.Fatalf("backup after the rotation: status %d\n%s%s", code, stdout, stderr)
	}
}

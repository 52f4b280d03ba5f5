package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBackupRefusesALogShorterThanPublished: a data directory whose database falls short of
// the checkpoint its server published (an older backup restored, which serve refuses until
// an operator decides) is not backed up. The backup left the record out and reported the
// copy verified; restored on a new machine it was served, and its next releases took
// indices already handed out.
func TestBackupRefusesALogShorterThanPublished(t *testing.T) {
	tmp := t.TempDir()
	o, _ := backedUp(t, tmp, 2, 2)
	latest := filepath.Join(tmp, "published.checkpoint")
	if err := os.WriteFile(latest, o.st.Log.Head().Checkpoint, 0o600); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(tmp, "behind")
	if code, _, stderr := run("restore", filepath.Join(tmp, "office.tar"), "--data", dir, "--published", latest); code != 1 {
		t.Fatalf("restore of an older backup with --published: status %d, %s", code, stderr)
	}
	again := filepath.Join(tmp, "again.tar")
	code, stdout, stderr := run("backup", "--data", dir, "--out", again)
	if code == 0 || !strings.Contains(stderr, "published entries are missing") || !strings.Contains(stderr, "accept-restore") {
		t.Errorf("backup of a directory whose log falls short of its published record: status %d, want a refusal naming accept-restore\n%s%s", code, stdout, stderr)
	}
	if _, err := os.Stat(again); err == nil {
		t.Errorf("the backup was written")
	}
	// Once the operator accepts the loss, the directory is backed up.
	if code, stdout, stderr := run("log", "accept-restore", "--data", dir); code != 0 {
		t.Fatalf("log accept-restore: status %d\n%s%s", code, stdout, stderr)
	}
	if code, stdout, stderr := run("backup", "--data", dir, "--out", again); code != 0 {
		t.Errorf("backup after accept-restore: status %d\n%s%s", code, stdout, stderr)
	}
}

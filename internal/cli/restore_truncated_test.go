package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRestoreOfATruncatedBackupSaysSo: a backup cut short inside a file (a copy interrupted,
// a full disk where backups are kept) was refused with "restore: chancery.db: unexpected
// EOF" and no hint, which tells an operator neither that the backup is incomplete nor what
// to do (found by audit, fifty-sixth session). It is refused as not a sound backup, saying
// where it ends, with the hint to copy it whole, and nothing is left in DIR.
func TestRestoreOfATruncatedBackupSaysSo(t *testing.T) {
	tmp := t.TempDir()
	_, backup := closedBackup(t, tmp)
	whole, err := os.ReadFile(backup)
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(tmp, "cut.tar")
	if err := os.WriteFile(cut, whole[:len(whole)*3/4], 0o600); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(tmp, "restored")
	code, stdout, stderr := run("restore", cut, "--data", dir)
	if code != 2 {
		t.Fatalf("restore of a backup cut short: status %d, want 2\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "the file is cut short") || !strings.Contains(stderr, "chancery: hint: ") {
		t.Errorf("restore of a backup cut short said:\n%s\nwant that the file is cut short, with a hint", stderr)
	}
	if _, err := os.Lstat(dir); !os.IsNotExist(err) {
		t.Errorf("the refused restore left %s: %v", dir, err)
	}
}

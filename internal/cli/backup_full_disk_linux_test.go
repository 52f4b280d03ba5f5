package cli_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/chancery/chancery/internal/cli"
)

// TestBackupSecondCopyOnAFullDiskSaysBackupOnce: the refusal of a backup whose second copy
// of the database (the one its check migrates, for an older build's office) the full disk
// of --out's directory refused read "backup: the copy of the database could not be written
// beside OUT: backup: store: backup …", backupChecked's own "backup:" repeated (sixtieth
// session's not-fixed list, the lead's decision). It reads as the first copy's refusal does,
// "backup:" once. Root mounts a small tmpfs for --out, filled once the first copy is made.
func TestBackupSecondCopyOnAFullDiskSaysBackupOnce(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("mounting a file system needs root")
	}
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "office")
	finishedOffice(t, dir).Close()
	olderSchema(t, dir)
	disk := filepath.Join(tmp, "backups")
	if err := os.Mkdir(disk, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mount("tmpfs", disk, "tmpfs", 0, "size=16m"); err != nil {
		t.Skipf("a tmpfs cannot be mounted here: %v", err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(disk, syscall.MNT_DETACH); err != nil {
			t.Errorf("unmount %s: %v", disk, err)
		}
	})
	out := filepath.Join(disk, "office.tar")
	cli.SetBackupStaged(func(context.Context) {
		// The first copy is made: the disk is filled, and the second cannot be.
		f, err := os.Create(filepath.Join(disk, "filler"))
		if err != nil {
			t.Error(err)
			return
		}
		defer f.Close()
		chunk := make([]byte, 1<<16)
		for {
			if _, err := f.Write(chunk); err != nil {
				if !errors.Is(err, syscall.ENOSPC) {
					t.Errorf("filling %s: %v", disk, err)
				}
				return
			}
		}
	})
	defer cli.SetBackupStaged(nil)
	code, stdout, stderr := run("backup", "--data", dir, "--out", out)
	const want = "chancery: error: backup: the copy of the database could not be written beside "
	var line string
	for l := range strings.Lines(stderr) {
		if strings.HasPrefix(l, "chancery: error: ") {
			line = l
		}
	}
	if code != 2 || !strings.HasPrefix(line, want+out+": store: backup ") || strings.Count(line, "backup: ") != 1 {
		t.Errorf("backup whose second copy the full disk refused: status %d\n%s%s\nwant status 2 and the error %q…: store: backup …, \"backup:\" once", code, stdout, stderr, want+out)
	}
	if !strings.Contains(stderr, "chancery: hint: nothing was written to "+out) {
		t.Errorf("backup whose second copy the full disk refused: no hint that nothing was written\n%s", stderr)
	}
}

package smallfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestRead: a regular file within the bound is read whole; a missing one wraps
// fs.ErrNotExist; a FIFO is refused at once rather than waited on; a larger file, or a link to
// /dev/zero, is refused after max+1 bytes.
func TestRead(t *testing.T) {
	dir := t.TempDir()
	ok := filepath.Join(dir, "ok")
	if err := os.WriteFile(ok, []byte("1234"), 0o600); err != nil {
		t.Fatal(err)
	}
	if b, err := Read(ok, 4); err != nil || string(b) != "1234" {
		t.Errorf("a file of the bound: %q, %v", b, err)
	}
	if _, err := Read(ok, 3); err == nil || !strings.Contains(err.Error(), "larger than 3 bytes") {
		t.Errorf("a file over the bound: %v", err)
	}
	if _, err := Read(filepath.Join(dir, "missing"), 4); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing file: %v", err)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(fifo, 4); !errors.Is(err, ErrNotRegular) {
		t.Errorf("a FIFO: %v", err)
	}
	zero := filepath.Join(dir, "zero")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(zero, 4); !errors.Is(err, ErrNotRegular) {
		t.Errorf("a link to /dev/zero: %v", err)
	}
}

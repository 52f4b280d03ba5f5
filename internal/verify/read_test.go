package verify

import (
	"bytes"
	"crypto/rand"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestReadUpTo checks the seal reader past its first buffer and at its bound, and that its
// errors read as os.ReadFile's.
func TestReadUpTo(t *testing.T) {
	dir := t.TempDir()
	data := make([]byte, 100_003)
	rand.Read(data)
	name := filepath.Join(dir, "big.seal")
	if err := os.WriteFile(name, data, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ buf, limit, want int }{{16, 1 << 20, len(data)}, {4096, len(data), len(data)}, {10, 1000, 1000}, {1 << 20, 77_777, 77_777}} {
		got, err := readUpTo(name, make([]byte, c.buf), c.limit, true)
		if err != nil || !bytes.Equal(got, data[:c.want]) {
			t.Errorf("buffer %d, limit %d: %d bytes, %v; want the first %d", c.buf, c.limit, len(got), err, c.want)
		}
	}
	missing := filepath.Join(dir, "missing.seal")
	_, err := readUpTo(missing, make([]byte, 16), 100, true)
	_, want := os.ReadFile(missing)
	if !errors.Is(err, fs.ErrNotExist) || err.Error() != want.Error() {
		t.Errorf("missing file: %v, want %v", err, want)
	}
	_, err = readUpTo(dir, make([]byte, 16), 100, false)
	_, want = os.ReadFile(dir)
	if err == nil || err.Error() != want.Error() {
		t.Errorf("a directory: %v, want %v", err, want)
	}
	if _, err = readUpTo(dir, make([]byte, 16), 100, true); !errors.Is(err, errNotFile) {
		t.Errorf("a directory where only a file is read: %v, want %v", err, errNotFile)
	}
}

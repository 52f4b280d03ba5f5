package exclfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "key")
	if err := Write(p, []byte("secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(p); err != nil || string(b) != "secret" {
		t.Fatalf("read back %q, %v", b, err)
	}
	if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v", fi.Mode())
	}
	if err := Write(p, []byte("other"), 0o600); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("overwrite: %v, want ErrExist", err)
	}
	if b, _ := os.ReadFile(p); string(b) != "secret" {
		t.Fatalf("the existing file changed: %q", b)
	}
	if err := Write(filepath.Join(dir, "missing", "key"), nil, 0o600); err == nil {
		t.Fatal("write into a missing directory succeeded")
	}
	if err := SyncDir(dir); err != nil {
		t.Fatal(err)
	}
}

// TestReplace: a file is replaced whole with its new mode, or created, and no temporary file
// stays beside it.
func TestReplace(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "state")
	for _, content := range []string{"first", "second, longer"} {
		if err := Replace(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if b, err := os.ReadFile(p); err != nil || string(b) != content {
			t.Fatalf("read back %q, %v", b, err)
		}
	}
	if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v", fi.Mode())
	}
	if names, _ := os.ReadDir(dir); len(names) != 1 {
		t.Fatalf("%d files in the directory, want 1", len(names))
	}
	if err := Replace(filepath.Join(dir, "missing", "state"), nil, 0o600); err == nil {
		t.Fatal("replace into a missing directory succeeded")
	}
}

// TestCreate: a file is created whole with its mode, never over an existing one, and no
// temporary file stays beside it either way.
func TestCreate(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "key")
	if err := Create(p, []byte("secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Create(p, []byte("other"), 0o600); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("create over a file: %v, want ErrExist", err)
	}
	if b, err := os.ReadFile(p); err != nil || string(b) != "secret" {
		t.Fatalf("read back %q, %v", b, err)
	}
	if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v", fi.Mode())
	}
	if names, _ := os.ReadDir(dir); len(names) != 1 {
		t.Fatalf("the directory holds %d files, want the key alone", len(names))
	}
}

// TestCreateRemovesWhatACrashLeft: the temporary file of a Create killed inside its write (a
// private key never used, perhaps) is removed by the next Create of the same path, whether
// that one creates the file or finds it there; other files beside it are kept.
func TestCreateRemovesWhatACrashLeft(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "key")
	kept := []string{"key.pub", "key.backup.tmp", "other.1a2b" + createSuffix, "key"}
	for _, n := range kept[:3] {
		if err := os.WriteFile(filepath.Join(dir, n), []byte("kept"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	left := func() {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, "key.mz1x2y3"+createSuffix), []byte("torn sec"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	check := func() {
		t.Helper()
		ents, _ := os.ReadDir(dir)
		var names []string
		for _, e := range ents {
			names = append(names, e.Name())
		}
		if len(names) != len(kept) {
			t.Fatalf("the directory holds %v, want %v", names, kept)
		}
	}
	left()
	if err := Create(p, []byte("secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	check()
	left()
	if err := Create(p, []byte("other"), 0o600); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("create over a file: %v, want ErrExist", err)
	}
	check()
}

// TestCreateWhoseTemporaryFileAnotherCreateRemoved: a Create of path whose temporary file
// another Create removed, once that one had made path (removeStale), failed for want of its
// temporary file ("link …: no such file or directory"), where it fails with fs.ErrExist when
// it finds path: a second server beside a first that made its lock file again under it was
// refused without being told that a server holds the directory. Without path, the want of
// the temporary file is still said.
func TestCreateWhoseTemporaryFileAnotherCreateRemoved(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "serve.lock")
	tmp := path + ".x" + createSuffix // removed before the link, as removeStale removes it
	if err := link(tmp, path); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("without path: %v; want fs.ErrNotExist", err)
	}
	if err := Create(path, []byte("pid 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := link(tmp, path); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("with path made by another Create: %v; want fs.ErrExist", err)
	}
}

package exclfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
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

// TestReplaceKeepsTheDirectoryOwnersFile: ReplaceKeepingOwner, as root, replacing a file that its directory's owner
// owns (a service's settings) keeps that owner and group; a file of another owner, or one
// that is not a regular file, becomes root's, so that no one gets what root writes by
// planting a file or a link in a directory that is not theirs. (Run as root only.)
func TestReplaceKeepsTheDirectoryOwnersFile(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("changes owners: run as root")
	}
	const service, other = 65534, 65533
	dir := t.TempDir()
	if err := os.Chown(dir, service, service); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		owner, want uint32
		link        bool
	}{
		"settings": {service, service, false},
		"planted":  {other, 0, false},
		"link":     {service, 0, true},
	} {
		p := filepath.Join(dir, name)
		if c.link {
			if err := os.Symlink("elsewhere", p); err != nil {
				t.Fatal(err)
			}
		} else if err := os.WriteFile(p, []byte("old"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Lchown(p, int(c.owner), int(c.owner)); err != nil {
			t.Fatal(err)
		}
		if err := ReplaceKeepingOwner(p, []byte("new"), 0o600); err != nil {
			t.Fatal(err)
		}
		fi, err := os.Lstat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st := fi.Sys().(*syscall.Stat_t); st.Uid != c.want || st.Gid != c.want || !fi.Mode().IsRegular() {
			t.Errorf("%s: replaced by a file of %d:%d (%v), want %d:%d", name, st.Uid, st.Gid, fi.Mode(), c.want, c.want)
		}
	}
}

// TestCreateForDirOwner: as root, a file created in a directory another user owns (a data
// directory, by 'key rotate office' or 'key rotate pdf-cert') is that user's, so that the
// service can read it; in a directory of root's, root's. Replace and Create keep root's
// files root's wherever they are: a credentials file root writes into a user's home must not
// become the user's. (Run as root only.)
func TestCreateForDirOwner(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("changes owners: run as root")
	}
	const service = 65534
	svc, own := t.TempDir(), t.TempDir()
	if err := os.Chown(svc, service, service); err != nil {
		t.Fatal(err)
	}
	owner := func(p string) uint32 {
		t.Helper()
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Sys().(*syscall.Stat_t).Uid
	}
	for _, c := range []struct {
		path  string
		write func(string, []byte, os.FileMode) error
		want  uint32
	}{
		{filepath.Join(svc, "office-new.key"), CreateForDirOwner, service},
		{filepath.Join(own, "office-new.key"), CreateForDirOwner, 0},
		{filepath.Join(svc, "plain.key"), Create, 0},
		{filepath.Join(svc, "credentials.json"), Replace, 0},
	} {
		if strings.HasSuffix(c.path, ".json") { // replaces the user's own file
			if err := os.WriteFile(c.path, nil, 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Chown(c.path, service, service); err != nil {
				t.Fatal(err)
			}
		}
		if err := c.write(c.path, []byte("secret"), 0o600); err != nil {
			t.Fatal(err)
		}
		if got := owner(c.path); got != c.want {
			t.Errorf("%s: owned by %d, want %d", c.path, got, c.want)
		}
	}
}

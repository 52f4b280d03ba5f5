//go:build unix

package exclfile

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

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

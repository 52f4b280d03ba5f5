package datadir

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestDirectoryOfAnotherUserIsRefused: a data directory (or its settings) belonging to
// another user was opened, and init wrote the office's keys into one: its owner could put a
// key of theirs in place of the office's, or name in the settings a PKCS#11 module that the
// server then loads. Open and Init refuse it unless it is the user's or root's, or the user
// is root (a restore in a service user's directory).
func TestDirectoryOfAnotherUserIsRefused(t *testing.T) {
	s := Settings{Office: "X", Prefix: "X", Origin: "x.example/log"}
	path := filepath.Join(t.TempDir(), "d")
	d, err := Init(path, s)
	if err != nil {
		t.Fatal(err)
	}
	d.Close()
	empty := filepath.Join(t.TempDir(), "empty")
	if err := os.Mkdir(empty, 0o700); err != nil {
		t.Fatal(err)
	}
	// The directories' owner: 4242 when the test runs as root, else the user running it,
	// whom euid below is not.
	owner := os.Getuid()
	if owner == 0 {
		owner = 4242
		for _, p := range []string{path, filepath.Join(path, settingsFile), empty} {
			if err := os.Chown(p, owner, owner); err != nil {
				t.Fatal(err)
			}
		}
	}
	defer func() { euid = os.Geteuid }()

	euid = func() int { return owner + 1 }
	if d, err := Open(path); !errors.Is(err, ErrNotOwner) {
		if err == nil {
			d.Close()
		}
		t.Fatalf("Open of another user's directory = %v, want ErrNotOwner", err)
	}
	if d, err := Init(empty, s); !errors.Is(err, ErrNotOwner) {
		if err == nil {
			d.Close()
		}
		t.Fatalf("Init in another user's directory = %v, want ErrNotOwner", err)
	}
	if ents, _ := os.ReadDir(empty); len(ents) != 0 {
		t.Fatalf("a refused init wrote %v", ents)
	}

	for _, who := range []int{owner, 0} {
		euid = func() int { return who }
		d, err := Open(path)
		if err != nil {
			t.Fatalf("Open as uid %d of uid %d's directory: %v", who, owner, err)
		}
		d.Close()
	}

	// Settings of another user, in the user's own directory.
	if os.Getuid() == 0 {
		euid = func() int { return owner }
		if err := os.Chown(filepath.Join(path, settingsFile), owner+1, owner+1); err != nil {
			t.Fatal(err)
		}
		if d, err := Open(path); !errors.Is(err, ErrNotOwner) {
			if err == nil {
				d.Close()
			}
			t.Fatalf("Open of settings of another user = %v, want ErrNotOwner", err)
		}
	}
}

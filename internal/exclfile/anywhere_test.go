package exclfile

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestNoHardLinks: a link refused for want of hard links (FAT answers EPERM) lets
// CreateAnywhere write the file in place; a file that exists, or another failure, does not.
func TestNoHardLinks(t *testing.T) {
	for _, c := range []struct {
		err  error
		want bool
	}{
		{&os.LinkError{Op: "link", Old: "a", New: "b", Err: syscall.EPERM}, true},
		{&os.LinkError{Op: "link", Old: "a", New: "b", Err: syscall.EOPNOTSUPP}, true},
		{&os.LinkError{Op: "link", Old: "a", New: "b", Err: syscall.EEXIST}, false},
		{&os.PathError{Op: "open", Path: "a", Err: syscall.EPERM}, false},
		{errors.New("disk full"), false},
		{nil, false},
	} {
		if got := noHardLinks(c.err); got != c.want {
			t.Errorf("noHardLinks(%v) = %v, want %v", c.err, got, c.want)
		}
	}
}

// TestCreateAnywhereRefusesAnExistingFile: like Create, it never overwrites.
func TestCreateAnywhereRefusesAnExistingFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "letter.pdf")
	if err := CreateAnywhere(p, []byte("first"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := CreateAnywhere(p, []byte("second"), 0o600); !errors.Is(err, os.ErrExist) {
		t.Fatalf("second CreateAnywhere: %v, want an error that the file exists", err)
	}
	if b, _ := os.ReadFile(p); string(b) != "first" {
		t.Fatalf("file holds %q", b)
	}
}

package ocr

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/nonet"
)

// TestProgramsCannotReadHiddenPaths: the OCR programs, which read untrusted uploads, could
// read whatever the server can, the office's data directory (signing keys, tokens, the
// database) among it. Where the system allows it, they now see the paths given to Hide as
// empty, and an empty /tmp of their own; they still read the system's files.
func TestProgramsCannotReadHiddenPaths(t *testing.T) {
	if !nonet.Confined() {
		t.Skip("this system refuses children a mount namespace of their own")
	}
	data := filepath.Join(t.TempDir(), "data")
	if err := os.Mkdir(data, 0o700); err != nil {
		t.Fatal(err)
	}
	key := filepath.Join(data, "office.key")
	if err := os.WriteFile(key, []byte("SECRET-KEY"), 0o600); err != nil {
		t.Fatal(err)
	}
	defer func(list []string) { hiddenPaths.list = list }(hidden())
	Hide(data)
	// A "tesseract" that prints what it can read, then fails.
	prog := filepath.Join(t.TempDir(), "tesseract")
	script := "#!/bin/sh\ncat " + key + " >&2; echo system=$(wc -c < /etc/passwd) >&2\nexit 1\n"
	if err := os.WriteFile(prog, []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	r := &Reader{tesseract: prog, langs: "eng", timeout: time.Minute, slots: make(chan struct{}, 1)}
	_, err := r.Read(context.Background(), encoded(t, JPEG))
	var child *ChildError
	if !errors.As(err, &child) {
		t.Fatalf("the recognition: %v; want a ChildError", err)
	}
	if strings.Contains(child.Stderr, "SECRET") {
		t.Errorf("the OCR program read a hidden file: %q", child.Stderr)
	}
	if !strings.Contains(child.Stderr, "system=") || strings.Contains(child.Stderr, "system=0") || strings.HasSuffix(child.Stderr, "system=") {
		t.Errorf("the OCR program could not read the system's files: %q", child.Stderr)
	}
}

// TestProgramsLinksAreNotFollowed: the server read the pages poppler's programs left in
// their directory, in its own file system, following the symbolic links one taken over can
// leave there, to what it cannot see (an image of the data directory read as a page of the
// scan), or reading a pipe or /dev/zero for ever. What is not a regular file or a directory
// is now removed once the program has ended: pdftoppm rendered no page.
func TestProgramsLinksAreNotFollowed(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	if err := os.Mkdir(data, 0o700); err != nil {
		t.Fatal(err)
	}
	secret := filepath.Join(data, "seal.png")
	if err := os.WriteFile(secret, encoded(t, PNG), 0o600); err != nil {
		t.Fatal(err)
	}
	defer func(list []string) { hiddenPaths.list = list }(hidden())
	Hide(data)
	// A "pdftoppm" whose last argument names its pages: it links the first to the secret.
	prog := filepath.Join(t.TempDir(), "pdftoppm")
	script := "#!/bin/sh\nfor a; do out=$a; done\nln -s " + secret + " \"$out-1.png\"\n"
	if err := os.WriteFile(prog, []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	r := &Reader{pdftoppm: prog, timeout: time.Minute, slots: make(chan struct{}, 1)}
	pages, err := r.rasterise(context.Background(), dir, filepath.Join(dir, "in.pdf"))
	for _, p := range pages {
		if st, err := os.Lstat(p); err != nil || !st.Mode().IsRegular() {
			t.Errorf("the server would read %s, which the program left (%v), not a file it wrote", p, err)
		}
	}
	if err == nil {
		t.Errorf("pages %v rendered", pages)
	}
}

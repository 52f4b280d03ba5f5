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

package ocr

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestReadErrorsKeepDiagnosticsApart: a failed recognition says what failed, in words that
// may go back to whoever sent the scan, without what the program printed on its standard
// error (its temporary files' paths, what poppler made of the upload) nor the server's
// temporary paths; what the program printed stays with the error, for the operator's log
// (ChildError.Stderr). Before, the error's text carried up to 4 KiB of it, and the server
// answers a failed recognition with that text (400).
func TestReadErrorsKeepDiagnosticsApart(t *testing.T) {
	// A "tesseract" that fails as Tesseract and poppler do, naming the file it read.
	bin := t.TempDir()
	prog := filepath.Join(bin, "tesseract")
	script := "#!/bin/sh\necho \"Syntax Error: Couldn't read xref table of $PWD/$1\" >&2\nexit 1\n"
	if err := os.WriteFile(prog, []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	r := &Reader{tesseract: prog, langs: "eng", timeout: time.Minute, slots: make(chan struct{}, 1)}
	_, err := r.Read(context.Background(), encoded(t, JPEG))
	var child *ChildError
	if !errors.Is(err, ErrOCR) || !errors.As(err, &child) {
		t.Fatalf("a failed recognition: %v; want ErrOCR and a ChildError", err)
	}
	if msg := err.Error(); msg != "ocr: text recognition failed: tesseract: exit status 1" {
		t.Errorf("a failed recognition says %q", msg)
	}
	if child.Program != "tesseract" || !strings.Contains(child.Stderr, "Syntax Error: Couldn't read xref table of "+os.TempDir()) {
		t.Errorf("the program's diagnostics kept: %q from %q", child.Stderr, child.Program)
	}

	// The server's temporary directory, unusable.
	tmp := filepath.Join(t.TempDir(), "gone")
	t.Setenv("TMPDIR", tmp)
	_, err = r.Read(context.Background(), encoded(t, JPEG))
	if err == nil || strings.Contains(err.Error(), tmp) || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("without a temporary directory: %v; want an error without its path", err)
	}
}

package cli

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/officeca"
)

// TestInitChecksPDFCertWithoutCopyingItsKey: init checks an imported certificate and key
// before the data directory exists. It did so by importing them into a directory of its own
// under TMPDIR, so that the PDF signing key was written there, and a kill -9 (or a crash)
// before its removal left a copy of the key in the temporary directory for good. Here
// TMPDIR is a file: nothing can be written under it, and the check must not need to.
func TestInitChecksPDFCertWithoutCopyingItsKey(t *testing.T) {
	src := t.TempDir()
	if err := officeca.Create(src, "Task Force North", time.Now()); err != nil {
		t.Fatal(err)
	}
	notADir := filepath.Join(t.TempDir(), "tmp")
	if err := os.WriteFile(notADir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TMPDIR", notADir)
	setup, err := pdfCertSetup("Task Force North", filepath.Join(src, officeca.SigningCertFile), filepath.Join(src, officeca.SigningKeyFile), false)
	if err != nil {
		t.Fatalf("checking a sound certificate and key: %v", err)
	}
	dir := filepath.Join(t.TempDir(), "data")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := setup(dir); err != nil {
		t.Fatalf("importing them: %v", err)
	}
	if _, err := officeca.Load(dir); err != nil {
		t.Fatalf("the imported pair does not load: %v", err)
	}

	// A certificate whose key is another's is still refused before anything is written.
	other := t.TempDir()
	if err := officeca.Create(other, "Task Force North", time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := pdfCertSetup("Task Force North", filepath.Join(src, officeca.SigningCertFile), filepath.Join(other, officeca.SigningKeyFile), false); err == nil {
		t.Error("a certificate with another's key was accepted")
	}
}

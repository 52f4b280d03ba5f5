package convert_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/convert"
)

// TestConversionCannotReadOtherConversionsOutsideTmp: a conversion's /tmp is empty, of its
// own, so that it does not see the other conversions' directories, in the server's; but
// with TMPDIR elsewhere (/var/tmp), their directories were there, next to its own, and a
// LibreOffice a hostile letter takes over listed them and read the other members' letters.
// The server's temporary directory is now as empty to a conversion as /tmp, wherever it is.
func TestConversionCannotReadOtherConversionsOutsideTmp(t *testing.T) {
	base := "/var/tmp"
	tmp, err := os.MkdirTemp(base, "chancery-tmpdir-")
	if err != nil {
		t.Skipf("no directory out of /tmp: %v", err)
	}
	defer os.RemoveAll(tmp)
	t.Setenv("TMPDIR", tmp)
	other := filepath.Join(tmp, "chancery-convert-other")
	if err := os.Mkdir(other, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(other, "letter.docx"), []byte("SECRET-letter"), 0o600); err != nil {
		t.Fatal(err)
	}
	// A "soffice" that reads whatever is next to its own directory, its working directory.
	prog := filepath.Join(t.TempDir(), "prying-soffice")
	if err := os.WriteFile(prog, []byte("#!/bin/sh\ncat ../*/letter.docx 2>/dev/null; echo; echo read-system=$(wc -c < /etc/passwd)\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	c, err := convert.Find(prog, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Confined() {
		t.Skip("this system refuses conversions a mount namespace of their own")
	}
	_, err = c.ToPDF(context.Background(), docxType, []byte("the letter"))
	if err == nil {
		t.Fatal("the conversion succeeded")
	}
	t.Logf("the conversion: %v", err)
	if strings.Contains(err.Error(), "SECRET") {
		t.Errorf("the converter read another conversion's letter: %v", err)
	}
	if !strings.Contains(err.Error(), "read-system=") || strings.Contains(err.Error(), "read-system=0") {
		t.Errorf("the converter could not read the system's files: %v", err)
	}
}

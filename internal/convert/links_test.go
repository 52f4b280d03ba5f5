package convert_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/convert"
)

// TestConversionLinksAreNotFollowed: the server read the PDF a conversion left in its
// directory, in the server's own file system, following the symbolic links a LibreOffice a
// hostile letter takes over can leave there (out/letter.pdf, or out itself), to a file it
// does not see: a PDF of the data directory came back as the letter's, and a link to
// /dev/zero would have been read until the server ran out of memory. What is not a regular
// file or a directory is now removed once the converter has ended: no PDF was produced.
func TestConversionLinksAreNotFollowed(t *testing.T) {
	secretPDF, err := os.ReadFile("../pdf/testdata/minimal.pdf")
	if err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(t.TempDir(), "data")
	if err := os.Mkdir(data, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(data, "letter.pdf"), secretPDF, 0o600); err != nil {
		t.Fatal(err)
	}
	for what, link := range map[string]string{
		"the PDF":       `mkdir -p "$out" && ln -s ` + data + `/letter.pdf "$out/letter.pdf"`,
		"its directory": `rm -rf "$out" && ln -s ` + data + ` "$out"`,
	} {
		prog := filepath.Join(t.TempDir(), "linking-soffice")
		script := "#!/bin/sh\nwhile [ $# -gt 0 ]; do [ \"$1\" = --outdir ] && out=$2; shift; done\n" + link + "\n"
		if err := os.WriteFile(prog, []byte(script), 0o700); err != nil {
			t.Fatal(err)
		}
		c, err := convert.Find(prog, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		c.Hide(data)
		doc, err := c.ToPDF(context.Background(), docxType, []byte("the letter"))
		if bytes.Equal(doc, secretPDF) {
			t.Errorf("a link to %s: the server returned the file it leads to as the letter's PDF", what)
		} else if err == nil {
			t.Errorf("a link to %s: the conversion succeeded", what)
		} else {
			t.Logf("a link to %s: %v", what, err)
		}
	}
}

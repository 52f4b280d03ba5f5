package cli_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/chancery/chancery/internal/cli"
	"github.com/chancery/chancery/internal/registry"
)

// TestIdentifyLibreOfficeArabicPDF: the released file of a letter whose version is an Arabic
// PDF made by LibreOffice (../pdf/testdata/libreoffice-arabic.pdf) is identified by its text
// layer as the letter's released file. LibreOffice draws the words of a right-to-left line
// apart, without space characters between them; read without its gaps, the text layer was
// 11 words, fewer than identify takes for a text layer, so the file was read as a scan and
// answered unknown ("The text was read from a scan (OCR)").
func TestIdentifyLibreOfficeArabicPDF(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed")
	}
	doc, err := os.ReadFile("../pdf/testdata/libreoffice-arabic.pdf")
	if err != nil {
		t.Fatal(err)
	}
	o := newOffice(t)
	ref, err := o.reg.CreateLetter(context.Background(), o.actors["dana"], registry.NewLetter{Subject: "Coordination", Class: "foreign-government",
		Addressees: []string{"Ministry of Foreign Affairs"}, File: registry.Upload{Name: "letter.pdf", MediaType: "application/pdf", Data: doc}})
	if err != nil {
		t.Fatal(err)
	}
	o.ready(ref)
	dir := t.TempDir()
	if code, _, errs := o.run("otto", "release", ref, "--out", dir); code != cli.ExitOK {
		t.Fatalf("release: %s", errs)
	}
	code, out, errs := o.run("", "identify", "--json", filepath.Join(dir, ref+".pdf"))
	var id struct {
		registry.Identification
		Scan bool `json:"scan"`
	}
	if err := json.Unmarshal([]byte(out), &id); err != nil {
		t.Fatalf("identify: exit %d, %v\n%s%s", code, err, out, errs)
	}
	if code != cli.ExitOK || id.Outcome != registry.Valid || id.Reference != ref || id.Scan {
		t.Errorf("identify of the released file: exit %d, %s %s (scan %v), want valid %s\n%s", code, id.Outcome, id.Reference, id.Scan, ref, out)
	}
}

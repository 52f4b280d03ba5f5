package cli_test

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
	"golang.org/x/image/tiff"
)

// scan returns a small image in format "png", "jpeg" or "tiff", as a scanner or a phone
// would hand it over.
func scan(t *testing.T, format string) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 200, 280))
	for x := range 200 {
		for y := range 280 {
			img.Set(x, y, color.RGBA{R: uint8(x), G: uint8(y), B: 160, A: 255})
		}
	}
	var b bytes.Buffer
	var err error
	switch format {
	case "png":
		err = png.Encode(&b, img)
	case "jpeg":
		err = jpeg.Encode(&b, img, nil)
	case "tiff":
		err = tiff.Encode(&b, img, &tiff.Options{Compression: tiff.Deflate})
	}
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestScanReleasedAsPDF: a scan uploaded with 'chancery letter new' leaves as a stamped PDF
// (REF.pdf, not the image), which 'chancery verify' answers valid; its draft copy, exported
// before, is another PDF, marked DRAFT, which verifies as nothing official, and as the draft
// with an update appended to it.
func TestScanReleasedAsPDF(t *testing.T) {
	for _, format := range []string{"png", "jpeg", "tiff"} {
		t.Run(format, func(t *testing.T) {
			o := newOffice(t)
			dir := t.TempDir()
			upload := filepath.Join(dir, "scan."+format)
			if err := os.WriteFile(upload, scan(t, format), 0o600); err != nil {
				t.Fatal(err)
			}
			code, stdout, stderr := o.run("dana", "letter", "new", "--subject", "Signed note", "--class", "foreign-government",
				"--to", "Ministry of Defence", "--file", upload)
			if code != cli.ExitOK {
				t.Fatalf("letter new: %d %s", code, stderr)
			}
			lines := strings.Split(strings.TrimSpace(stdout), "\n")
			ref := lines[len(lines)-1]
			draft := filepath.Join(dir, "draft.pdf")
			if code, _, stderr := o.run("dana", "draft", "export", ref, "--for", "Liaison cell", "--out", draft); code != cli.ExitOK {
				t.Fatalf("draft export: %d %s", code, stderr)
			}
			o.ready(ref)
			out := filepath.Join(dir, "out")
			if code, _, stderr := o.run("otto", "release", ref, "--out", out); code != cli.ExitOK {
				t.Fatalf("release: %d %s", code, stderr)
			}
			if _, err := os.Stat(filepath.Join(out, ref+"."+format)); err == nil {
				t.Fatal("the release wrote the image as it was uploaded")
			}
			file := filepath.Join(out, ref+".pdf")
			released, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			if text := pdftotext(t, file); !strings.Contains(text, "Verify at https://cli.example/v/"+ref+"/") {
				t.Fatalf("the released scan has no footer: %q", text)
			}
			trust := filepath.Join(dir, "trust.json")
			if code, _, stderr := o.run("rita", "trust", "export", "--out", trust); code != cli.ExitOK {
				t.Fatalf("trust export: %d %s", code, stderr)
			}
			if code, stdout, stderr := o.run("", "verify", "--trust", trust, file); code != cli.ExitOK || !strings.HasPrefix(stdout, "valid: "+ref) {
				t.Fatalf("verify the released PDF: %d %q %q", code, stdout, stderr)
			}
			copy, err := os.ReadFile(draft)
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Equal(copy, released) || !bytes.HasPrefix(copy, []byte("%PDF-")) {
				t.Fatal("the draft copy is not a PDF of its own")
			}
			if text := pdftotext(t, draft); !strings.Contains(text, "DRAFT") || !strings.Contains(text, "Liaison cell") {
				t.Fatalf("the draft copy is not marked: %q", text)
			}
			if code, stdout, _ := o.run("", "verify", "--trust", trust, draft); code == cli.ExitOK || strings.Contains(stdout, "valid:") {
				t.Errorf("verify the draft copy: %d %q; want it refused", code, stdout)
			}
			// The copy with an update appended (one can hide its marks) is still the draft:
			// it was "altered", close to the letter, before (audit, forty-ninth session).
			updated := filepath.Join(dir, "updated.pdf")
			if err := os.WriteFile(updated, append(copy, "% an update appended\n%%EOF\n"...), 0o600); err != nil {
				t.Fatal(err)
			}
			if code, stdout, _ := o.run("", "verify", "--trust", trust, updated); code == cli.ExitOK ||
				!strings.HasPrefix(stdout, "draft: not an official document: this file is a draft of") {
				t.Errorf("verify the draft copy with an update appended: %d %q; want a draft", code, stdout)
			}
		})
	}
}

// pdftotext is poppler's text of a PDF file, stamps and watermarks included; the test is
// skipped without it unless CHANCERY_REQUIRE_TOOLS=1.
func pdftotext(t *testing.T, file string) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CHANCERY_REQUIRE_TOOLS") == "1" {
			t.Fatalf("pdftotext is required (CHANCERY_REQUIRE_TOOLS=1): %v", err)
		}
		t.Skip("pdftotext not installed")
	}
	out, err := exec.Command("pdftotext", "-q", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", file, err)
	}
	return string(out)
}

// TestDocumentsWithoutConverter: on a server without LibreOffice, a Word or OpenDocument
// letter is drafted, shown and approved as any other, but its draft copy and its release are
// refused with the way to install one, and no file is written.
func TestDocumentsWithoutConverter(t *testing.T) {
	for _, name := range []string{"letter.docx", "letter.odt"} {
		t.Run(name, func(t *testing.T) {
			o := newOffice(t)
			upload := filepath.Join("..", "registry", "testdata", "documents", name)
			code, stdout, stderr := o.run("dana", "letter", "new", "--subject", "Repositioning of forces", "--class", "foreign-government",
				"--to", "Ministry of Defence", "--file", upload)
			if code != cli.ExitOK {
				t.Fatalf("letter new: %d %s", code, stderr)
			}
			lines := strings.Split(strings.TrimSpace(stdout), "\n")
			ref := lines[len(lines)-1]
			if code, stdout, stderr := o.run("rita", "letter", "show", ref); code != cli.ExitOK || !strings.Contains(stdout, name) {
				t.Fatalf("letter show: %d %q %q", code, stdout, stderr)
			}
			dir := t.TempDir()
			code, _, stderr = o.run("dana", "draft", "export", ref, "--for", "Liaison cell", "--out", filepath.Join(dir, "draft.pdf"))
			if code == cli.ExitOK || !strings.Contains(stderr, "chancery: hint: the server's operator installs LibreOffice") {
				t.Errorf("draft export without a converter: %d %q", code, stderr)
			}
			code, _, stderr = o.run("rita", "letter", "preview", ref, "--out", filepath.Join(dir, "preview.pdf"))
			if code == cli.ExitOK || !strings.Contains(stderr, "chancery: hint: the server's operator installs LibreOffice") {
				t.Errorf("preview without a converter: %d %q", code, stderr)
			}
			o.ready(ref)
			out := filepath.Join(dir, "out")
			code, _, stderr = o.run("otto", "release", ref, "--out", out)
			if code == cli.ExitOK || !strings.Contains(stderr, "chancery: hint: the server's operator installs LibreOffice") {
				t.Errorf("release without a converter: %d %q", code, stderr)
			}
			if files, _ := filepath.Glob(filepath.Join(dir, "*", "*")); len(files) != 0 {
				t.Errorf("a refused release wrote %v", files)
			}
		})
	}
}

package cli_test

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestIdentifyScanWithoutOCR: 'chancery identify' on a scan, without Tesseract, fails with
// exit status 2 and says how to install it, before anything is sent to a registry.
func TestIdentifyScanWithoutOCR(t *testing.T) {
	t.Setenv("CHANCERY_TESSERACT", "/nonexistent/tesseract")
	var img bytes.Buffer
	if err := png.Encode(&img, image.NewGray(image.Rect(0, 0, 40, 20))); err != nil {
		t.Fatal(err)
	}
	scan := filepath.Join(t.TempDir(), "photo.dat") // classified by its content, not its name
	if err := os.WriteFile(scan, img.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs := run("identify", "--url", "http://127.0.0.1:1", scan)
	if code != 2 || !strings.Contains(errs, "is a scan, and reading it needs OCR") || !strings.Contains(errs, "hint: install Tesseract") {
		t.Errorf("exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
}

// TestIdentifyScanShowsWhatOCRSaid: when the OCR program failed on a scan, 'chancery
// identify' said only "tesseract: exit status 1": what it printed on its standard error,
// which the error leaves out for the server's public answers, is the hint here, its control
// characters shown as '?'.
func TestIdentifyScanShowsWhatOCRSaid(t *testing.T) {
	fake := filepath.Join(t.TempDir(), "tesseract")
	script := "#!/bin/sh\nif [ \"$1\" = --list-langs ]; then printf 'List of available languages (2):\\neng\\nfra\\n'; exit 0; fi\n" +
		"printf 'Error in pixReadStream: Unknown format\\033[31m\\nImage file cannot be read!\\n' >&2\nexit 1\n"
	if err := os.WriteFile(fake, []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("CHANCERY_TESSERACT", fake)
	var img bytes.Buffer
	if err := png.Encode(&img, image.NewGray(image.Rect(0, 0, 40, 20))); err != nil {
		t.Fatal(err)
	}
	scan := filepath.Join(t.TempDir(), "photo.png")
	if err := os.WriteFile(scan, img.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs := run("identify", "--url", "http://127.0.0.1:1", scan)
	want := "hint: tesseract said: Error in pixReadStream: Unknown format?[31m; Image file cannot be read!"
	if code == 0 || !strings.Contains(errs, "tesseract: exit status 1") || !strings.Contains(errs, want) || strings.Contains(errs, "\x1b") {
		t.Errorf("exit %d\nstdout: %s\nstderr: %s\nwant the error and %q", code, out, errs, want)
	}
}

// TestIdentifyNamesWhatItCannotRead: 'chancery identify sam.key' said "extract text from
// application/vnd.apple.keynote": the system's table of extensions takes a .key file for a
// Keynote document. The refusal names the file and what its type was taken from.
func TestIdentifyNamesWhatItCannotRead(t *testing.T) {
	dir := t.TempDir()
	key, blob := filepath.Join(dir, "sam.key"), filepath.Join(dir, "blob")
	if err := os.WriteFile(key, []byte("AGE-SECRET-KEY-1QQQ\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(blob, []byte{0, 1, 2, 3, 0xfe, 0xff, 0, 0}, 0o600); err != nil {
		t.Fatal(err)
	}
	for file, want := range map[string]string{
		key:  "chancery: error: " + key + " is not a file identify reads, by its extension, .key\n",
		blob: "chancery: error: " + blob + " is not a file identify reads, by its first bytes (application/octet-stream)\n",
	} {
		code, out, errs := run("identify", "--url", "http://127.0.0.1:1", file)
		if code != 2 || out != "" || !strings.HasPrefix(errs, want) || strings.Contains(errs, "keynote") || !strings.Contains(errs, "hint: identify reads PDF") {
			t.Errorf("identify %s: exit %d\nstdout: %s\nstderr: %s\nwant it to begin %q", file, code, out, errs, want)
		}
	}
}

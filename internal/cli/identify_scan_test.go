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

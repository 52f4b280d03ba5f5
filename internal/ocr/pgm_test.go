package ocr_test

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/ocr"
	"github.com/chancery/chancery/internal/ocr/ocrtest"
	"github.com/chancery/chancery/internal/pdf"
)

// TestCleanPageAsPGM: the copy of a scanned page that Tesseract reads, its QR code and rules
// painted out, is written as a PGM (since the thirty-first session; a PNG before) whose grey
// levels are the cleaned page's, and Tesseract reads from it the text it reads from a PNG of
// the same pixels, sign for sign.
func TestCleanPageAsPGM(t *testing.T) {
	r := ocrtest.Reader(t)
	const body = "Dear Minister,\n\nI should be grateful if you would confirm the convention of 277,200 francs for the 14th Battalion.\n"
	doc, err := pdf.Render("text/plain", []byte(body), pdf.Letterhead{Office: "Task Force North", Reference: "TFN-2026-000042"})
	if err != nil {
		t.Fatal(err)
	}
	doc, err = pdf.Stamp(doc, pdf.Footer{Office: "Task Force North", Reference: "TFN-2026-000042", VerifyURL: "https://tfn.example/v/TFN-2026-000042/a5asuk52nm7heyooavjpd6nzgi"})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	// A JPEG scan: Go decodes it with rows longer than the page (its stride padded).
	scan := filepath.Join(dir, "scan.jpg")
	if err := os.WriteFile(scan, ocrtest.Scan(t, ocrtest.Pages(t, doc, 150)[0], 0.5, 1), 0o600); err != nil {
		t.Fatal(err)
	}
	clean, codes, complete, err := ocr.CleanPage(context.Background(), dir, scan)
	if err != nil || clean == scan || len(codes) != 1 || !complete || filepath.Ext(clean) != ".pgm" {
		t.Fatalf("cleaned to %s, codes %q (complete %v), %v; want a PGM copy without the footer's code", clean, codes, complete, err)
	}
	data, err := os.ReadFile(clean)
	if err != nil {
		t.Fatal(err)
	}
	var w, h, maxval int
	n, err := fmt.Sscanf(string(data[:min(len(data), 32)]), "P5\n%d %d\n%d\n", &w, &h, &maxval)
	header := len(fmt.Sprintf("P5\n%d %d\n%d\n", w, h, maxval))
	if err != nil || n != 3 || maxval != 255 || len(data) != header+w*h {
		t.Fatalf("the PGM: %d×%d up to %d, %d bytes (%v)", w, h, maxval, len(data), err)
	}
	gray := &image.Gray{Pix: data[header:], Stride: w, Rect: image.Rect(0, 0, w, h)}
	var asPNG bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&asPNG, gray); err != nil {
		t.Fatal(err)
	}
	pngPath := filepath.Join(dir, "clean.png")
	if err := os.WriteFile(pngPath, asPNG.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	tesseract, err := exec.LookPath(cmp.Or(os.Getenv("CHANCERY_TESSERACT"), "tesseract"))
	if err != nil {
		t.Fatal(err)
	}
	read := func(path string) string {
		t.Helper()
		// As Reader.Read runs it.
		cmd := exec.Command(tesseract, path, "stdout", "-l", r.Languages(), "--psm", "3")
		cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("tesseract %s: %v", filepath.Base(path), err)
		}
		return string(out)
	}
	fromPGM, fromPNG := read(clean), read(pngPath)
	if fromPGM != fromPNG || !strings.Contains(fromPGM, "277,200") || !strings.Contains(fromPGM, "Battalion") {
		t.Errorf("Tesseract read from the PGM:\n%s\nand from a PNG of its pixels:\n%s", fromPGM, fromPNG)
	}
}

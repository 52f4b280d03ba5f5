package ocrtest

import (
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/color"
	"testing"
)

// testPage is a page of A4 at 150 dpi in colour, with bars and a gradient.
func testPage() image.Image {
	img := image.NewRGBA(image.Rect(0, 0, 1241, 1754))
	for y := range 1754 {
		for x := range 1241 {
			v := uint8((x*7 + y*13) % 256)
			if (x/20+y/30)%3 == 0 {
				v = 0
			}
			img.Set(x, y, color.RGBA{v, v / 2, 255 - v, 255})
		}
	}
	return img
}

// TestScanIsStable: Scan's bytes for a page and a seed are fixed. The registry's scan tests
// release letters with fixed check codes so that their scans read the same from run to run;
// a change to Scan changes what every such test reads, and must be made knowingly. (The
// hash is of the twentieth session's Scan; the twenty-first made it faster, not different.)
func TestScanIsStable(t *testing.T) {
	sum := sha256.Sum256(Scan(t, testPage(), 0.5, 7))
	if got, want := hex.EncodeToString(sum[:]), "1dd63494ef02f982e82cae9b8e895c8b5d5c05eebe8a7e5b0483bf57966ea896"; got != want {
		t.Errorf("Scan's bytes changed: sha256 %s, want %s", got, want)
	}
}

// BenchmarkScan measures a page's print-and-scan, which the scan tests pay for every page
// they read, under the race detector in CI:
//
//	go test -race -run '^$' -bench Scan -benchtime 3x ./internal/ocr/ocrtest/
func BenchmarkScan(b *testing.B) {
	p := testPage()
	for b.Loop() {
		Scan(b, p, 0.5, 7)
	}
}

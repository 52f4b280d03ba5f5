package ocrtest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/pdf"
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

// TestPagesAsPNG: the pages Pages reads from pdftoppm's PPM are the pixels of the PNG that
// pdftoppm writes of them, decoded by image/png (which Pages read until the thirty-first
// session), and Scan and the layered PDFs' pictures are made of them as before.
func TestPagesAsPNG(t *testing.T) {
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		missing(t, "pdftoppm", err)
	}
	text := strings.Repeat("A line of the letter, with £ and ü.\n\n", 60)
	doc, err := pdf.Render("text/plain", []byte(text), pdf.Letterhead{Office: "Test Office", Reference: "TO-2026-000001"})
	if err != nil {
		t.Fatal(err)
	}
	pages := Pages(t, doc, 72)
	dir := t.TempDir()
	in := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(in, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("pdftoppm", "-r", "72", "-png", in, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, out)
	}
	names, _ := filepath.Glob(filepath.Join(dir, "page*.png"))
	slices.Sort(names)
	if len(names) != len(pages) || len(pages) < 2 {
		t.Fatalf("%d pages as PPM, %d as PNG; want the same, at least 2", len(pages), len(names))
	}
	for i, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		want, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		got, ok := pages[i].(*image.RGBA)
		w, ok2 := want.(*image.RGBA)
		if !ok || !ok2 || got.Rect != w.Rect || !bytes.Equal(got.Pix, w.Pix) {
			t.Errorf("page %d: read from PPM as %T %v, from PNG as %T %v: not the same pixels", i+1, pages[i], pages[i].Bounds(), want, want.Bounds())
		}
	}
	if _, err := decodePPM([]byte("P6\n# a comment\n2 1\n255\n\x01\x02\x03\x04\x05")); err == nil {
		t.Error("a PPM cut short was decoded")
	}
	img, err := decodePPM([]byte("P6\n# a comment\n2 1\n255\n\x01\x02\x03\x04\x05\x06"))
	if err != nil || !bytes.Equal(img.Pix, []byte{1, 2, 3, 255, 4, 5, 6, 255}) {
		t.Errorf("a PPM of two pixels: %v, %v", img, err)
	}
}

// TestGrayOfIsGrayModel: grayOf converts pixels as color.GrayModel does (as layeredPDF's
// pictures were made, pixel by pixel, until the thirty-first session).
func TestGrayOfIsGrayModel(t *testing.T) {
	// A part of a page, whose bounds do not start at the origin.
	page := testPage().(*image.RGBA).SubImage(image.Rect(100, 200, 400, 700))
	b := page.Bounds()
	want := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	for y := range b.Dy() {
		for x := range b.Dx() {
			want.Set(x, y, page.At(b.Min.X+x, b.Min.Y+y))
		}
	}
	nrgba := image.NewNRGBA(image.Rect(3, 5, 40, 30))
	for i := range nrgba.Pix {
		nrgba.Pix[i] = uint8(i * 37)
	}
	wantN := image.NewGray(image.Rect(0, 0, 37, 25))
	for y := range 25 {
		for x := range 37 {
			wantN.Set(x, y, nrgba.At(3+x, 5+y))
		}
	}
	for _, c := range []struct {
		page image.Image
		want *image.Gray
	}{{page, want}, {want, want}, {nrgba, wantN}} {
		if got := grayOf(c.page); got.Rect != c.want.Rect || !bytes.Equal(got.Pix, c.want.Pix) {
			t.Errorf("grayOf of a %T differs from color.GrayModel's", c.page)
		}
	}
}

// Package ocrtest helps tests print and scan letters: it finds the OCR tools (failing the
// test under CHANCERY_REQUIRE_TOOLS=1 when one is missing, skipping it otherwise), renders a
// PDF's pages as a printer would, and degrades them as a scanner does.
package ocrtest

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/ocr"
)

// Reader returns an OCR reader, with pdftoppm and pdftotext installed beside it.
func Reader(t testing.TB) *ocr.Reader {
	t.Helper()
	for _, tool := range []string{"pdftoppm", "pdftotext"} {
		if _, err := exec.LookPath(tool); err != nil {
			missing(t, tool, err)
		}
	}
	r, err := ocr.Find("")
	if err != nil {
		missing(t, "tesseract", err)
	}
	return r
}

func missing(t testing.TB, tool string, err error) {
	t.Helper()
	if os.Getenv("CHANCERY_REQUIRE_TOOLS") == "1" {
		t.Fatalf("%s is required (CHANCERY_REQUIRE_TOOLS=1): %v (%s)", tool, err, ocr.Hint)
	}
	t.Skipf("%s is not installed: skipping the OCR test (%v)", tool, err)
}

// Pages renders the pages of a PDF at dpi with pdftoppm, as a printer prints them.
func Pages(t testing.TB, pdf []byte, dpi int) []image.Image {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftoppm", "-r", strconv.Itoa(dpi), "-png", in, filepath.Join(dir, "page")).CombinedOutput()
	if err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, out)
	}
	names, err := filepath.Glob(filepath.Join(dir, "page*.png"))
	if err != nil || len(names) == 0 {
		t.Fatalf("pdftoppm rendered no page: %v", err)
	}
	slices.Sort(names) // pdftoppm pads page numbers to one width
	var pages []image.Image
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, img)
	}
	return pages
}

// Read prints doc at 150 dpi, scans each page (see Scan) and reads it with r: the text of a
// print-and-scan of doc, its pages separated by form feeds.
func Read(t testing.TB, r *ocr.Reader, doc []byte, degrees float64, seed uint64) string {
	t.Helper()
	var texts []string
	for i, page := range Pages(t, doc, 150) {
		text, err := r.Read(context.Background(), Scan(t, page, degrees, seed+uint64(i)))
		if err != nil {
			t.Fatalf("page %d: %v", i+1, err)
		}
		texts = append(texts, text)
	}
	return strings.Join(texts, "\f")
}

// Scan degrades a printed page as a scanner does: turned by degrees about its centre,
// specks of noise (seeded, so runs repeat), grey levels, and saved as a JPEG of quality 60.
func Scan(t testing.TB, page image.Image, degrees float64, seed uint64) []byte {
	t.Helper()
	b := page.Bounds()
	w, h := b.Dx(), b.Dy()
	out := image.NewGray(image.Rect(0, 0, w, h))
	sin, cos := math.Sincos(degrees * math.Pi / 180)
	cx, cy := float64(w)/2, float64(h)/2
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	gray := func(x, y int) float64 {
		if x < 0 || y < 0 || x >= w || y >= h {
			return 255
		}
		return float64(color.GrayModel.Convert(page.At(b.Min.X+x, b.Min.Y+y)).(color.Gray).Y)
	}
	for y := range h {
		for x := range w {
			// The source point of (x, y), sampled bilinearly.
			dx, dy := float64(x)-cx, float64(y)-cy
			sx, sy := cos*dx+sin*dy+cx, -sin*dx+cos*dy+cy
			x0, y0 := int(math.Floor(sx)), int(math.Floor(sy))
			fx, fy := sx-float64(x0), sy-float64(y0)
			v := gray(x0, y0)*(1-fx)*(1-fy) + gray(x0+1, y0)*fx*(1-fy) + gray(x0, y0+1)*(1-fx)*fy + gray(x0+1, y0+1)*fx*fy
			// Paper is not white, toner not black, and the sensor is noisy.
			v = 20 + v*0.85 + rng.NormFloat64()*12
			if rng.IntN(2000) == 0 {
				v = 40 // a speck of dust
			}
			out.SetGray(x, y, color.Gray{Y: uint8(max(0, min(255, v)))})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, out, &jpeg.Options{Quality: 60}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

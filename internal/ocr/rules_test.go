package ocr

import (
	"bytes"
	"image"
	"math"
	"testing"
)

// fill paints r black on img.
func fill(img *image.Gray, r image.Rectangle) {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			img.Pix[y*img.Stride+x] = 0
		}
	}
}

// TestBlankRules: a rule, straight or turned as a scanner turns a page, is painted white; a
// stroke through words (struck-out text) is not, nor the letters an underline touches, nor
// letters alone.
func TestBlankRules(t *testing.T) {
	const w, h = 1200, 900
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	// A straight rule, and one turned half a degree, 2 pixels thick.
	straight := image.Rect(100, 100, 1100, 102)
	fill(img, straight)
	for x := 100; x < 1100; x++ {
		y := 200 + int(math.Round(float64(x-100)*math.Tan(0.5*math.Pi/180)))
		fill(img, image.Rect(x, y, x+1, y+2))
	}
	// Words struck out: letters of 20×30 pixels, 8 apart, a stroke through their middle.
	var struck []image.Rectangle
	for x := 100; x+20 < 700; x += 28 {
		r := image.Rect(x, 400, x+20, 430)
		struck = append(struck, r)
		fill(img, r)
	}
	fill(img, image.Rect(100, 414, 700, 416))
	// Underlined words: the underline touches one letter's descender.
	var underlined []image.Rectangle
	for x := 100; x+20 < 700; x += 28 {
		r := image.Rect(x, 600, x+20, 630)
		underlined = append(underlined, r)
		fill(img, r)
	}
	descender := image.Rect(128, 630, 132, 640)
	fill(img, descender)
	fill(img, image.Rect(100, 638, 700, 640))
	// Letters alone.
	alone := image.Rect(800, 600, 820, 630)
	fill(img, alone)

	if found, err := blankRules(nil, img); !found || err != nil {
		t.Fatalf("no rule found (%v)", err)
	}
	if n := dark(img, image.Rect(0, 90, w, 230)); n != 0 {
		t.Errorf("%d dark pixels left of the two rules", n)
	}
	for _, r := range append(struck, image.Rect(100, 414, 700, 416)) {
		if dark(img, r) != r.Dx()*r.Dy() {
			t.Errorf("the struck-out words were changed at %v", r)
		}
	}
	for _, r := range append(underlined, descender, alone) {
		if dark(img, r) != r.Dx()*r.Dy() {
			t.Errorf("a letter was changed at %v", r)
		}
	}
	if n := dark(img, image.Rect(150, 638, 700, 640)); n != 0 {
		t.Errorf("%d dark pixels left of the underline past the letter it touches", n)
	}
}

// FuzzBlankRules: any page is searched without failing, and only dark pixels are painted
// white: nothing else of the page changes.
func FuzzBlankRules(f *testing.F) {
	f.Add(200, bytes.Repeat([]byte{0xff}, 200*20))
	line := bytes.Repeat([]byte{0xff}, 600*10)
	for x := range 600 {
		line[5*600+x] = 0
	}
	f.Add(600, line)
	f.Fuzz(func(t *testing.T, w int, pix []byte) {
		if w <= 0 || w > 1024 || len(pix) < w || len(pix) > 1<<16 {
			return
		}
		h := len(pix) / w
		img := &image.Gray{Pix: bytes.Clone(pix[:w*h]), Stride: w, Rect: image.Rect(0, 0, w, h)}
		blankRules(nil, img)
		for i, v := range img.Pix {
			if v != pix[i] && (pix[i] >= darkLevel || v != 0xff) {
				t.Fatalf("pixel %d went from %d to %d", i, pix[i], v)
			}
		}
	})
}

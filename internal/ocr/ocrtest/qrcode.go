package ocrtest

import (
	"image"
	"image/color"
	"math"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/common"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
	goqr "github.com/piglig/go-qr"
	"golang.org/x/image/draw"
)

// ReplaceQRCode returns a copy of page with its QR code (the first one ZXing's detector
// finds) replaced by a code for content, drawn in the same square: a forger's copy whose
// code leads elsewhere while its footer still prints the letter's address.
func ReplaceQRCode(t testing.TB, page image.Image, content string) *image.Gray {
	t.Helper()
	b := page.Bounds()
	gray := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(gray, gray.Bounds(), page, b.Min, draw.Src)
	// ZXing's detector samples every few rows and misses a small code at some heights (the
	// reader in package ocr searches every third row for that reason): the page is searched
	// again from a few rows further down until the code is found. Some codes (a footer's at
	// 150 dpi, about 1 in 200) it finds at no height, nor on the page scaled 2×, though
	// zbarimg reads them: a pattern the code's own modules draw stands in for one of its
	// corners (see nextCode in package ocr). Scaled by 1.5, the page's pixels fall otherwise
	// and the corner is found: that is tried last.
	var found *common.DetectorResult
	var top, scale float64
search:
	for _, s := range []float64{1, 1.5} {
		img := gray
		if s != 1 {
			img = image.NewGray(image.Rect(0, 0, int(float64(b.Dx())*s), int(float64(b.Dy())*s)))
			draw.CatmullRom.Scale(img, img.Rect, gray, gray.Rect, draw.Src, nil)
		}
		for _, skip := range []int{0, 1, 2, 3, 5, 8} {
			var err error
			if found, err = detect(t, img, skip); err == nil {
				top, scale = float64(skip), s
				break search
			}
		}
	}
	if found == nil {
		t.Fatal("no QR code on the page")
	}
	// The finder patterns' centres (bottom left, top left, top right) are three and a half
	// modules inside the code's corners.
	pts, dim := found.GetPoints(), found.GetBits().GetWidth()
	tl, tr := pts[1], pts[2]
	module := math.Hypot(tr.GetX()-tl.GetX(), tr.GetY()-tl.GetY()) / float64(dim-7) / scale
	x0, y0 := tl.GetX()/scale-3.5*module, (top+tl.GetY())/scale-3.5*module
	side := module * float64(dim)
	white := image.Rect(int(x0-module), int(y0-module), int(math.Ceil(x0+side+module)), int(math.Ceil(y0+side+module)))
	draw.Draw(gray, white, image.White, image.Point{}, draw.Src)
	// The new code fills the old one's square (its quiet zone drawn over the page around).
	drawCode(t, gray, content, x0, y0, side/float64(codeSize(t, content)))
	return gray
}

// detect runs ZXing's detector on img from skip rows down, as package ocr runs it (every
// third row): what it finds, or its error.
func detect(t testing.TB, img *image.Gray, skip int) (*common.DetectorResult, error) {
	t.Helper()
	w, h := img.Rect.Dx(), img.Rect.Dy()
	src, err := gozxing.NewPlanarYUVLuminanceSource(img.Pix, img.Stride, h, 0, skip, w, h-skip, false)
	if err != nil {
		t.Fatal(err)
	}
	bmp, err := gozxing.NewBinaryBitmap(gozxing.NewHybridBinarizer(src))
	if err != nil {
		t.Fatal(err)
	}
	matrix, err := bmp.GetBlackMatrix()
	if err != nil {
		t.Fatal(err)
	}
	return detector.NewDetector(matrix).Detect(map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true})
}

// DrawQRCode returns a copy of page with a QR code for content drawn at x, y (its top left
// corner, in pixels), with modules of px pixels: a code printed in a letter's own content (a
// payment's, say), or a forger's added to a copy.
func DrawQRCode(t testing.TB, page image.Image, content string, x, y, px int) *image.Gray {
	t.Helper()
	b := page.Bounds()
	gray := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(gray, gray.Bounds(), page, b.Min, draw.Src)
	drawCode(t, gray, content, float64(x), float64(y), float64(px))
	return gray
}

func codeSize(t testing.TB, content string) int {
	q, err := goqr.EncodeText(content, goqr.Medium)
	if err != nil {
		t.Fatal(err)
	}
	return q.Size()
}

// drawCode draws a QR code for content on img, its top left corner at x0, y0, with modules
// of px pixels (any fraction), over a white square that holds its quiet zone. A pixel a
// module's edge crosses is grey by the share of it the module covers, as pdftoppm draws the
// office's vector codes.
func drawCode(t testing.TB, img *image.Gray, content string, x0, y0, px float64) {
	t.Helper()
	q, err := goqr.EncodeText(content, goqr.Medium)
	if err != nil {
		t.Fatal(err)
	}
	n := q.Size()
	quiet := image.Rect(int(x0-4*px), int(y0-4*px), int(math.Ceil(x0+float64(n+4)*px)), int(math.Ceil(y0+float64(n+4)*px)))
	draw.Draw(img, quiet, image.White, image.Point{}, draw.Src)
	const sub = 4 // samples a pixel, each way
	for y := int(y0); y < int(math.Ceil(y0+float64(n)*px)); y++ {
		for x := int(x0); x < int(math.Ceil(x0+float64(n)*px)); x++ {
			dark := 0
			for sy := range sub {
				for sx := range sub {
					mx := int(math.Floor((float64(x) + (float64(sx)+0.5)/sub - x0) / px))
					my := int(math.Floor((float64(y) + (float64(sy)+0.5)/sub - y0) / px))
					if mx >= 0 && my >= 0 && mx < n && my < n && q.Module(mx, my) {
						dark++
					}
				}
			}
			if (image.Point{x, y}).In(img.Rect) {
				img.SetGray(x, y, color.Gray{Y: uint8(255 - 255*dark/(sub*sub))})
			}
		}
	}
}

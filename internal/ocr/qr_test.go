package ocr

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
	goqr "github.com/piglig/go-qr"
	"golang.org/x/image/tiff"
)

// page returns a white page of w×h pixels with a QR code for s drawn at x, y with modules of
// px pixels, turned by degrees about its centre, and black bars (lines of text).
func page(t testing.TB, w, h int, s string, x, y, px int, degrees float64, bars ...image.Rectangle) *image.Gray {
	t.Helper()
	q, err := goqr.EncodeText(s, goqr.Medium)
	if err != nil {
		t.Fatal(err)
	}
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	n := q.Size()
	side := float64(n * px)
	cx, cy := float64(x)+side/2, float64(y)+side/2
	sin, cos := math.Sincos(-degrees * math.Pi / 180)
	for py := y - px*4; py < y+n*px+px*4; py++ {
		for qx := x - px*4; qx < x+n*px+px*4; qx++ {
			// The module under this pixel, turned back.
			dx, dy := float64(qx)-cx, float64(py)-cy
			mx := (dx*cos - dy*sin + side/2) / float64(px)
			my := (dx*sin + dy*cos + side/2) / float64(px)
			if mx >= 0 && my >= 0 && int(mx) < n && int(my) < n && q.Module(int(mx), int(my)) {
				img.SetGray(qx, py, color.Gray{})
			}
		}
	}
	for _, bar := range bars {
		for py := bar.Min.Y; py < bar.Max.Y; py++ {
			for qx := bar.Min.X; qx < bar.Max.X; qx++ {
				img.SetGray(qx, py, color.Gray{})
			}
		}
	}
	return img
}

func dark(img *image.Gray, r image.Rectangle) int {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if img.GrayAt(x, y).Y < 0x80 {
				n++
			}
		}
	}
	return n
}

// TestBlankQRCodes: a page's QR code, straight or turned as a scanner turns a page, is
// painted white with the margin around it, and the rest of the page (a line of text beside
// the code, past its quiet zone) is left as it was; a page without a code is not touched.
func TestBlankQRCodes(t *testing.T) {
	const url = "https://tfn.example/v/TFN-2026-000001/a5asuk52nm7heyooavjpd6nzgi"
	for _, degrees := range []float64{0, 0.5, -2} {
		bar := image.Rect(100, 700, 500, 712)
		nearBar := image.Rect(525, 540, 560, 552) // beside the code, past its quiet zone
		img := page(t, 800, 1000, url, 400, 500, 3, degrees, bar, nearBar)
		code := image.Rect(400, 500, 400+3*37, 500+3*37).Inset(3) // the modules, any version ≤ 5
		before := dark(img, image.Rect(0, 0, 800, 1000))
		if dark(img, code) == 0 {
			t.Fatalf("%v°: no QR code drawn", degrees)
		}
		if codes, err := blankQRCodes(nil, img); !slices.Equal(codes, []string{url}) || err != nil {
			t.Fatalf("%v°: codes read %q, %v; want the page's", degrees, codes, err)
		}
		if n := dark(img, image.Rect(396, 496, 516, 616)); n != 0 {
			t.Errorf("%v°: %d dark pixels left where the code was", degrees, n)
		}
		if dark(img, bar) != bar.Dx()*bar.Dy() || dark(img, nearBar) != nearBar.Dx()*nearBar.Dy() {
			t.Errorf("%v°: the text beside the code was painted too", degrees)
		}
		if after := dark(img, image.Rect(0, 0, 800, 1000)); after != bar.Dx()*bar.Dy()+nearBar.Dx()*nearBar.Dy() {
			t.Errorf("%v°: %d dark pixels after, %d before; want the text's alone", degrees, after, before)
		}
	}
	img := page(t, 400, 400, "x", 0, 0, 0, 0, image.Rect(10, 10, 300, 30))
	if codes, err := blankQRCodes(nil, img); codes != nil || err != nil || dark(img, img.Bounds()) != 290*20 {
		t.Errorf("a page without a QR code was changed (codes %q, %v)", codes, err)
	}
}

// TestBlankQRCodesSmall: a footer's code on a page of A4 at 150 dpi (modules under 4
// pixels) is read wherever it stands: the detector's default step between rows (13 on such
// a page) missed the centres of its finder patterns at some heights, so a code a phone reads
// went unread.
func TestBlankQRCodesSmall(t *testing.T) {
	const url = "https://cli.example/v/CLI-2026-000001/wq5iwe6jyzf65izvslr5o5k3ii"
	missed := 0
	for dy := range 13 {
		img := page(t, 1241, 1754, url, 130, 1580+dy, 3, 0)
		if codes, err := blankQRCodes(nil, img); !slices.Equal(codes, []string{url}) || err != nil {
			missed++
			t.Logf("code %d rows lower: read %q, %v", dy, codes, err)
		}
	}
	if missed > 0 {
		t.Errorf("the code was missed at %d heights of 13", missed)
	}
}

// TestBlankQRCodesSeveral: every code of a page is read, in the order found, up to
// maxCodes; a page with more is searched no further and says so (errTooManyCodes), so
// that a code among many is never taken for absent.
func TestBlankQRCodesSeveral(t *testing.T) {
	contents := []string{"https://tfn.example/v/a", "https://evil.example/v/b", "WIFI:S:x;;", "c4", "c5"}
	// codes draws the first n contents side by side on one page.
	codes := func(n int) *image.Gray {
		img := page(t, 200*len(contents), 200, "x", 0, 0, 0, 0)
		for i, c := range contents[:n] {
			one := page(t, 200, 200, c, 40, 40, 3, 0)
			draw.Draw(img, image.Rect(200*i, 0, 200*(i+1), 200), one, image.Point{}, draw.Src)
		}
		return img
	}
	got, err := blankQRCodes(nil, codes(3))
	slices.Sort(got)
	want := slices.Sorted(slices.Values(contents[:3]))
	if !slices.Equal(got, want) || err != nil {
		t.Errorf("three codes: read %q, %v; want %q", got, err, want)
	}
	got, err = blankQRCodes(nil, codes(5))
	if len(got) != maxCodes || !errors.Is(err, errTooManyCodes) {
		t.Errorf("five codes: read %q, %v; want %d and the search ended", got, err, maxCodes)
	}
}

// TestBlankQRCodesGivesUp: a page drawn full of finder patterns (a grid of 9 million pixels,
// which took the detector a minute to search) is given up after maxCandidates of them and
// read as it is, unchanged. (The grid's gap is 12 pixels since the detector searches every
// third row: with 6, it settles on a few patterns and ends at once.)
func TestBlankQRCodesGivesUp(t *testing.T) {
	img := patternGrid(3000, 3, 12)
	before := bytes.Clone(img.Pix)
	if codes, err := blankQRCodes(nil, img); codes != nil || !errors.Is(err, errTooManyCandidates) {
		t.Errorf("a page of finder patterns: codes %q, %v; want the search given up", codes, err)
	}
	if !bytes.Equal(img.Pix, before) {
		t.Error("a page whose search was given up was changed")
	}
}

// patternGrid returns a white page of n×n pixels drawn full of QR finder patterns, of
// modules of px pixels, gap pixels apart.
func patternGrid(n, px, gap int) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, n, n))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	for oy := 0; oy+7*px < n; oy += 7*px + gap {
		for ox := 0; ox+7*px < n; ox += 7*px + gap {
			for my := range 7 {
				for mx := range 7 {
					if mx == 0 || my == 0 || mx == 6 || my == 6 || (mx >= 2 && mx <= 4 && my >= 2 && my <= 4) {
						for y := range px {
							for x := range px {
								img.Pix[(oy+my*px+y)*n+ox+mx*px+x] = 0
							}
						}
					}
				}
			}
		}
	}
	return img
}

// TestBlankQRCodesManyPatternsBounded: the second search of nextCode forms every set of
// three patterns a page shows at once; pages of 64 to 225 finder patterns placed as codes'
// corners are (a grid) are given up, unchanged, without more than a few MB of sets (225
// patterns made 52 MB of them before maxMultiCandidates; 121, under it, make 8).
func TestBlankQRCodesManyPatternsBounded(t *testing.T) {
	for _, k := range []int{8, 11, 12, 15} {
		img := patternGrid(k*(7*3+12), 3, 12)
		before := bytes.Clone(img.Pix)
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		codes, err := blankQRCodes(nil, img)
		runtime.ReadMemStats(&m1)
		if codes != nil || !errors.Is(err, errTooManyCandidates) {
			t.Errorf("%d×%d patterns: codes %q, %v; want the search given up", k, k, codes, err)
		}
		if !bytes.Equal(img.Pix, before) {
			t.Errorf("%d×%d patterns: the page was changed", k, k)
		}
		if alloc := m1.TotalAlloc - m0.TotalAlloc; alloc > 16<<20 {
			t.Errorf("%d×%d patterns: the search allocated %d MB", k, k, alloc>>20)
		}
	}
}

// BenchmarkCleanPage measures what finding and painting out a page's QR code and rules adds
// to reading it: a page of A4 at 200 dpi (PDFResolution) as pdftoppm writes it (grey PNG),
// with a footer's QR code and a line of text, decoded, searched, painted and written again
// for Tesseract.
//
//	go test -run '^$' -bench CleanPage ./internal/ocr/
func BenchmarkCleanPage(b *testing.B) {
	img := page(b, 1654, 2339, "https://tfn.example/v/TFN-2026-000001/a5asuk52nm7heyooavjpd6nzgi", 1400, 2150, 4, 0.5, image.Rect(150, 300, 1500, 330))
	dir := b.TempDir()
	path := filepath.Join(dir, "page.png")
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		out, _, _, err := cleanPage(context.Background(), dir, path)
		if out == path || err != nil {
			b.Fatal("no QR code found")
		}
		os.Remove(out)
	}
}

// FuzzBlankQRCodes: any page, a QR code's pattern or noise, is searched without failing, and
// only pixels of a code found are changed: a page left as it was when none is.
func FuzzBlankQRCodes(f *testing.F) {
	code := page(f, 80, 80, "https://tfn.example/v/x", 8, 8, 2, 0)
	f.Add(80, code.Pix)
	f.Add(4, []byte{0, 0xff, 0, 0xff, 0xff, 0, 0xff, 0})
	f.Fuzz(func(t *testing.T, w int, pix []byte) {
		if w <= 0 || w > 256 || len(pix) < w || len(pix) > 1<<16 {
			return
		}
		h := len(pix) / w
		img := &image.Gray{Pix: bytes.Clone(pix[:w*h]), Stride: w, Rect: image.Rect(0, 0, w, h)}
		if codes, err := blankQRCodes(nil, img); codes == nil && err == nil && !bytes.Equal(img.Pix, pix[:w*h]) {
			t.Error("no code found, but the page changed")
		}
	})
}

// TestCleanPageFormats: a PNG or JPEG page with a QR code is given to Tesseract as a
// copy without it, and the code is read; a TIFF, which may hold pages Go's decoder would
// drop, is given as it is, and its codes are unread.
func TestCleanPageFormats(t *testing.T) {
	const url = "https://tfn.example/v/TFN-2026-000001/a5asuk52nm7heyooavjpd6nzgi"
	img := page(t, 600, 600, url, 200, 200, 3, 0)
	var asPNG, asJPEG, asTIFF bytes.Buffer
	if err := png.Encode(&asPNG, img); err != nil {
		t.Fatal(err)
	}
	if err := jpeg.Encode(&asJPEG, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	if err := tiff.Encode(&asTIFF, img, nil); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for name, c := range map[string]struct {
		data    []byte
		painted bool
	}{"page.png": {asPNG.Bytes(), true}, "page.jpg": {asJPEG.Bytes(), true}, "page.tif": {asTIFF.Bytes(), false}} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, c.data, 0o600); err != nil {
			t.Fatal(err)
		}
		got, codes, complete, err := cleanPage(context.Background(), dir, path)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if (got != path) != c.painted {
			t.Errorf("%s: read from %s, want painted %v", name, got, c.painted)
		}
		if want := c.painted; complete != want || slices.Equal(codes, []string{url}) != want {
			t.Errorf("%s: codes %q, searched to the end %v; want the code read %v", name, codes, complete, want)
		}
	}
}

// TestBlankQRCodesFalseFinderPattern: footers of released letters rendered by pdftoppm
// square with the page (testdata/footer-*.png, cut out of their pages) on which a pattern
// drawn by the code's own modules stands in for one of its corners in the detector's first
// choice, so that the code was not found at all, or found on a grid that did not decode,
// though zbarimg reads it: about one footer in 70 at 150 dpi, 250 at 200 and 125 at 300. A
// forger could pick such a code for a copy, and a released file's own code could go unread.
// Each is now read and painted white.
func TestBlankQRCodesFalseFinderPattern(t *testing.T) {
	for name, url := range map[string]string{
		"footer-150dpi.png":            "https://cnf.example/v/CNF-2026-000378/ovnd6zg3aimqorx3xbvwe3o2g4",
		"footer-200dpi.png":            "https://cnf.example/v/CNF-2026-000261/olvxu7zdviwpzh2hxc6xrofaki",
		"footer-300dpi.png":            "https://cnf.example/v/CNF-2026-000366/5e2vomzlzl4mneooclu2rz7fgy",
		"footer-300dpi-wrong-grid.png": "https://cnf.example/v/CNF-2026-000148/eznrr3bc4oeumokrhqprykqui4",
	} {
		f, err := os.Open(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		gray := img.(*image.Gray)
		// The detector's own choice must still fail on it, or the test proves nothing.
		b := gray.Bounds()
		src, err := gozxing.NewPlanarYUVLuminanceSource(gray.Pix, gray.Stride, b.Dy(), 0, 0, b.Dx(), b.Dy(), false)
		if err != nil {
			t.Fatal(err)
		}
		bmp, err := gozxing.NewBinaryBitmap(gozxing.NewHybridBinarizer(src))
		if err != nil {
			t.Fatal(err)
		}
		m, err := bmp.GetBlackMatrix()
		if err != nil {
			t.Fatal(err)
		}
		if r, err := detector.NewDetector(m).Detect(map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true}); err == nil {
			if _, err := decoder.NewDecoder().Decode(r.GetBits(), nil); err == nil {
				t.Fatalf("%s: the detector's first choice decodes: the test page no longer is one it misses", name)
			}
		}
		before := dark(gray, b)
		if codes, err := blankQRCodes(nil, gray); !slices.Equal(codes, []string{url}) || err != nil {
			t.Errorf("%s: read %q, %v; want the footer's code", name, codes, err)
			continue
		}
		if after := dark(gray, b); after*20 > before {
			t.Errorf("%s: %d dark pixels left of %d: the code was not painted", name, after, before)
		}
		if codes, err := blankQRCodes(nil, gray); codes != nil || err != nil {
			t.Errorf("%s: read again after painting: %q, %v", name, codes, err)
		}
	}
}

package ocr

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"io"
	"math"
	"os"

	"github.com/chancery/chancery/internal/budget"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/common"
	multidetector "github.com/makiuchi-d/gozxing/multi/qrcode/detector"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
)

// A released letter carries a QR code on every page, and Tesseract reads a QR code's pattern
// as words ("sexe", "1", "dea"), which then stand among the letter's words where no rule
// can tell them from a forger's. So before Tesseract reads an image, the QR codes on it are
// found and painted white: only a code that is found (its three finder patterns) and decodes
// (its error correction holds) is painted, with a margin of one module, and nothing else of
// the page is changed. Text drawn over a QR code is lost with it, but a code with text over
// it decodes only when its error correction repairs the text away.

// maxBlankPixels bounds the images cleaned before OCR (cleanPage): a page at 300 dpi is about
// 8.7 million pixels. A larger image (a photo at full resolution) is read as it is, its QR
// code with it, rather than held whole in memory.
const maxBlankPixels = 12_000_000

// maxCodes bounds the QR codes painted out of one page (a released letter has one on every
// page): a page with more is searched no further, and not all its codes are known.
const maxCodes = 4

// maxCandidates bounds the finder and alignment patterns the detector may consider in one
// search: a code has three, and a letter's page of text gives some dozens more at 300 dpi.
const maxCandidates = 256

// maxTriples bounds the sets of three finder patterns tried as a code when the detector's
// own choice does not decode (nextCode): a code's three are among the first few, and a page
// drawn full of patterns gives thousands of sets. maxMultiCandidates bounds the patterns
// that second search may consider: it forms every set of three of them at once (a grid of
// 225 patterns made 1.9 million sets, 52 MB and 0.7 s; one of 121, 8 MB). A page of text
// whose code is painted out gives none rendered square, and 11 to 80 through ocrtest.Scan
// (the demo's four letters, 150 to 300 dpi).
const (
	maxTriples         = 32
	maxMultiCandidates = 128
)

var errTooManyCandidates = errors.New("ocr: too many candidate QR code patterns")

var errTooManyCodes = errors.New("ocr: too many QR codes on one page")

// cleanPage returns the path of a copy of the image at path, in dir, with its QR codes and
// its rules painted white (see blankQRCodes and blankRules), or path itself when it has
// neither (or cannot be decoded here: Tesseract reads it as it is), and the contents of the
// QR codes it found. complete is false when the image was not searched for codes to the end
// (see Reading.CodesUnread). Only PNG and JPEG images are cleaned: a TIFF may hold several
// pages, which Tesseract reads and Go's decoder would drop.
//
// Decoding, searching and painting a page of 12 million pixels takes seconds, and the page
// comes from anyone: the work looks at ctx's time budget as it goes (while the image is
// decoded, at each candidate pattern and each search of the QR code detector, at each row and
// every few hundred pixels of the rules' search), and once it is spent stops with an error
// wrapping budget.ErrExceeded, and nothing else.
func cleanPage(ctx context.Context, dir, path string) (clean string, codes []string, complete bool, err error) {
	b := budget.New(ctx)
	gray, err := grayPage(b, path)
	if err != nil {
		return path, nil, false, err
	}
	if gray == nil {
		return path, nil, false, nil
	}
	// A search for QR codes given up still leaves the rules to paint; a code it painted
	// before giving up was found and decoded.
	codes, err = blankQRCodes(b, gray)
	if errors.Is(err, budget.ErrExceeded) {
		return path, nil, false, err
	}
	complete = err == nil
	rules, err := blankRules(b, gray)
	if err != nil {
		return path, nil, false, err
	}
	if len(codes) == 0 && !rules {
		return path, codes, complete, nil
	}
	if err := b.Check(); err != nil {
		return path, nil, false, err
	}
	f, err := os.CreateTemp(dir, "clean-*.pgm")
	if err != nil {
		return path, codes, complete, nil
	}
	defer f.Close()
	// Tesseract decodes the copy at once, from the temporary directory: it is written fast
	// rather than small, as a PGM, the grey levels as they are (compressing them as a PNG,
	// even at png.BestSpeed, was half the cleaning's time, and Tesseract reads the same
	// pixels, and the same text, from both: TestCleanPageAsPGM).
	if err := writePGM(f, gray); err != nil {
		return path, codes, complete, nil
	}
	return f.Name(), codes, complete, nil
}

// writePGM writes img as a binary PGM (P5) of 8-bit grey levels, without a resolution (as
// image/png wrote it: Tesseract estimates one).
func writePGM(w io.Writer, img *image.Gray) error {
	b := img.Bounds()
	bw := bufio.NewWriterSize(w, 1<<16)
	fmt.Fprintf(bw, "P5\n%d %d\n255\n", b.Dx(), b.Dy())
	for y := b.Min.Y; y < b.Max.Y; y++ {
		i := img.PixOffset(b.Min.X, y)
		if _, err := bw.Write(img.Pix[i : i+b.Dx()]); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// maxBlankBytes bounds what an image cleaned before OCR takes decoded, before it is turned to
// grey: a PNG of 16 bits a channel, RGBA, takes 8 bytes a pixel, and two of maxBlankPixels
// at once took 330 MB (found by audit, forty-ninth session). Such an image is read as it is.
const maxBlankBytes = 4 * maxBlankPixels

// bytesPerPixel is what image.Decode keeps of a pixel in the colour model m.
func bytesPerPixel(m color.Model) int64 {
	switch m {
	case color.GrayModel, color.AlphaModel:
		return 1
	case color.Gray16Model, color.Alpha16Model:
		return 2
	case color.RGBA64Model, color.NRGBA64Model:
		return 8
	}
	return 4 // RGBA, NRGBA, CMYK, a palette's indexes and colours, YCbCr at most
}

// grayPage decodes the image at path in grey, or returns nil for an image that is not a
// PNG or a JPEG, is over maxBlankPixels, or cannot be decoded. It fails only when b is spent,
// which it looks at before each read of the decoder (of 4 KiB of the file at most) and
// each band of rows it turns to grey (toGray).
func grayPage(b *budget.Budget, path string) (*image.Gray, error) {
	if err := b.Check(); err != nil {
		return nil, err
	}
	data, err := os.ReadFile(path)
	if err != nil || (Kind(data) != PNG && Kind(data) != JPEG) {
		return nil, nil
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || int64(cfg.Width)*int64(cfg.Height) > maxBlankPixels ||
		int64(cfg.Width)*int64(cfg.Height)*bytesPerPixel(cfg.ColorModel) > maxBlankBytes {
		return nil, nil
	}
	img, _, err := image.Decode(budgetReader{bytes.NewReader(data), b})
	if err != nil {
		return nil, b.Check()
	}
	return toGray(b, img)
}

// toGray returns img in grey: img itself if it is grey, else a copy, turned to grey (half a
// second for 12 million pixels of a colour JPEG) grayBand rows at a time, each after a look
// at b. It fails only when b is spent.
func toGray(b *budget.Budget, img image.Image) (*image.Gray, error) {
	if gray, ok := img.(*image.Gray); ok {
		return gray, nil
	}
	bounds := img.Bounds()
	gray := image.NewGray(bounds)
	for y := bounds.Min.Y; y < bounds.Max.Y; y += grayBand {
		if err := b.Check(); err != nil {
			return nil, err
		}
		band := image.Rect(bounds.Min.X, y, bounds.Max.X, min(y+grayBand, bounds.Max.Y))
		draw.Draw(gray, band, img, band.Min, draw.Src)
	}
	return gray, nil
}

// grayBand is how many rows toGray turns to grey between two looks at the budget.
const grayBand = 64

// budgetReader is r, read only while b is not spent: a decoder reading from it stops with
// b's error at its next read once the budget is spent.
type budgetReader struct {
	r io.Reader
	b *budget.Budget
}

func (r budgetReader) Read(p []byte) (int, error) {
	if err := r.b.Check(); err != nil {
		return 0, err
	}
	return r.r.Read(p)
}

// blankQRCodes paints white the QR codes found on img, each with a margin of one module,
// and returns their contents in the order found. The page comes from anyone: a search the
// detector abandons (errTooManyCandidates), a panic of the detector on it, or a page with
// more than maxCodes codes (errTooManyCodes) is reported as an error, with the codes found
// before (cleanPage keeps them painted). So is the time budget b once spent (an error
// wrapping budget.ErrExceeded): it is looked at before and after the page is binarized,
// before each search and at each candidate pattern the detector finds. (What the detector
// does between two candidates, a pass over the page's rows, cannot be stopped.)
func blankQRCodes(b *budget.Budget, img *image.Gray) (codes []string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("ocr: searching a page for QR codes: %v", r)
			if e, ok := r.(error); ok && (e == errTooManyCandidates || errors.Is(e, budget.ErrExceeded)) {
				err = e
			}
		}
	}()
	if err := b.Check(); err != nil {
		return nil, err
	}
	// The detector compares every three candidate finder patterns, and a page can be drawn
	// full of them (a grid of 9 million pixels took it a minute): past maxCandidates, the
	// search is abandoned, by a panic from its callback. Each search for one more code
	// counts anew.
	candidates, limit := 0, maxCandidates
	hints := map[gozxing.DecodeHintType]any{
		gozxing.DecodeHintType_NEED_RESULT_POINT_CALLBACK: gozxing.ResultPointCallback(func(gozxing.ResultPoint) {
			if candidates++; candidates > limit {
				panic(errTooManyCandidates)
			}
			if err := b.Check(); err != nil {
				panic(err)
			}
		}),
		// Every third row, not every (3/388)th of the page's height: a finder pattern's
		// centre is three modules high, and a footer's code at 150 dpi has modules of
		// under 4 pixels, whose centres the default step (13 rows on A4) can miss, so that
		// a code a phone reads would go unread (and unjudged).
		gozxing.DecodeHintType_TRY_HARDER: true,
	}
	bounds := img.Bounds()
	src, err := gozxing.NewPlanarYUVLuminanceSource(img.Pix, img.Stride, bounds.Dy(), 0, 0, bounds.Dx(), bounds.Dy(), false)
	if err != nil {
		return nil, nil
	}
	bmp, err := gozxing.NewBinaryBitmap(gozxing.NewHybridBinarizer(src))
	if err != nil {
		return nil, nil
	}
	matrix, err := bmp.GetBlackMatrix()
	if err != nil {
		return nil, nil
	}
	for {
		if err := b.Check(); err != nil {
			return codes, err
		}
		r, res, err := nextCode(b, matrix, hints, &candidates, &limit)
		if err != nil {
			return codes, err
		}
		if r == nil {
			break
		}
		area := codeArea(r.GetPoints(), r.GetBits().GetWidth()).Intersect(image.Rect(0, 0, bounds.Dx(), bounds.Dy()))
		if area.Empty() {
			break
		}
		if len(codes) == maxCodes {
			// One more code than the page may have: the search ends, unfinished.
			return codes, errTooManyCodes
		}
		codes = append(codes, res.GetText())
		draw.Draw(img, area.Add(bounds.Min), image.White, image.Point{}, draw.Src)
		// The code is gone from the binarized page too, so the next search finds another.
		for y := area.Min.Y; y < area.Max.Y; y++ {
			for x := area.Min.X; x < area.Max.X; x++ {
				matrix.Unset(x, y)
			}
		}
	}
	return codes, nil
}

// nextCode finds a QR code on matrix that decodes, or nil when there is none. ZXing's
// detector takes the first three finder patterns it confirms and stops looking: a pattern
// that a code's own modules draw by chance (1:1:3:1:1 on two lines) can stand in for one of
// the code's corners, and the code is then not found at all, or found on a wrong grid that
// does not decode, though a phone reads it (of 500 footers rendered square with the page,
// 7 at 150 dpi, 2 at 200 and 4 at 300; zbarimg read them all).
// When the detector's choice gives nothing, the page is searched again for every set of
// three patterns placed as a code's corners are (ZXing's multi-code finder), each tried
// in turn, at most maxTriples of them, on a page of at most maxMultiCandidates patterns:
// more of either is reported as errTooManyCandidates, the search unfinished. candidates
// counts the patterns a search considers, and hints' callback panics past limit.
func nextCode(b *budget.Budget, matrix *gozxing.BitMatrix, hints map[gozxing.DecodeHintType]any, candidates, limit *int) (*common.DetectorResult, *common.DecoderResult, error) {
	*candidates, *limit = 0, maxCandidates
	d := detector.NewDetector(matrix)
	if r, err := d.Detect(hints); err == nil {
		if res, err := decoder.NewDecoder().Decode(r.GetBits(), nil); err == nil {
			return r, res, nil
		}
	}
	if err := b.Check(); err != nil {
		return nil, nil, err
	}
	if *candidates > maxMultiCandidates {
		return nil, nil, errTooManyCandidates
	}
	*candidates, *limit = 0, maxMultiCandidates
	infos, err := multidetector.NewMultiFinderPatternFinder(matrix, hints[gozxing.DecodeHintType_NEED_RESULT_POINT_CALLBACK].(gozxing.ResultPointCallback)).FindMulti(hints)
	if err != nil {
		return nil, nil, nil
	}
	for i, info := range infos {
		if i == maxTriples {
			return nil, nil, errTooManyCandidates
		}
		if err := b.Check(); err != nil {
			return nil, nil, err
		}
		r, err := d.ProcessFinderPatternInfo(info)
		if err != nil {
			continue
		}
		if res, err := decoder.NewDecoder().Decode(r.GetBits(), nil); err == nil {
			return r, res, nil
		}
	}
	return nil, nil, nil
}

// codeArea returns the rectangle a QR code of dim modules covers, quiet zone included, from
// the centres of its finder patterns (bottom left, top left, top right, as the detector gives
// them): each centre is three and a half modules inside the code's corner, and the quiet zone
// is one module more here. The code may be turned: the rectangle holds its four corners.
func codeArea(points []gozxing.ResultPoint, dim int) image.Rectangle {
	if len(points) < 3 || dim <= 7 {
		return image.Rectangle{}
	}
	bl, tl, tr := points[0], points[1], points[2]
	// The unit vectors along the code's rows (tl→tr) and columns (tl→bl), a module long.
	n := float64(dim - 7)
	rx, ry := (tr.GetX()-tl.GetX())/n, (tr.GetY()-tl.GetY())/n
	cx, cy := (bl.GetX()-tl.GetX())/n, (bl.GetY()-tl.GetY())/n
	const out = 3.5 + 1
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, c := range [][2]float64{{-out, -out}, {n + out, -out}, {-out, n + out}, {n + out, n + out}} {
		x := tl.GetX() + c[0]*rx + c[1]*cx
		y := tl.GetY() + c[0]*ry + c[1]*cy
		minX, minY, maxX, maxY = min(minX, x), min(minY, y), max(maxX, x), max(maxY, y)
	}
	return image.Rect(int(math.Floor(minX)), int(math.Floor(minY)), int(math.Ceil(maxX)), int(math.Ceil(maxY)))
}

// Package ocrtest helps tests print and scan letters: it finds the OCR tools (failing the
// test under CHANCERY_REQUIRE_TOOLS=1 when one is missing, skipping it otherwise), renders a
// PDF's pages as a printer would, and degrades them as a scanner does.
package ocrtest

import (
	"bytes"
	"cmp"
	"compress/zlib"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/chancery/chancery/internal/ocr"
	"github.com/chancery/chancery/internal/pdf/pdftest"
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

// Pages renders the pages of a PDF at dpi with pdftoppm, as a printer prints them, as
// *image.RGBA images. pdftoppm writes them as PPM, the same pixels its PNG holds (see
// TestPagesAsPNG): under the race detector, decoding a page's PNG took seconds.
func Pages(t testing.TB, pdf []byte, dpi int) []image.Image {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftoppm", "-r", strconv.Itoa(dpi), in, filepath.Join(dir, "page")).CombinedOutput()
	if err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, out)
	}
	names, err := filepath.Glob(filepath.Join(dir, "page*.ppm"))
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
		img, err := decodePPM(data)
		if err != nil {
			t.Fatalf("%s: %v", filepath.Base(name), err)
		}
		pages = append(pages, img)
	}
	return pages
}

// decodePPM decodes a binary PPM (P6) of 8-bit channels, as pdftoppm writes it, as an opaque
// *image.RGBA: what image/png decodes the same page's PNG as.
func decodePPM(data []byte) (*image.RGBA, error) {
	// The header: "P6", width, height and the largest value, separated by white space (and
	// comments from a "#" to the end of the line), then one white-space byte.
	var fields []int
	rest := data
	if !bytes.HasPrefix(rest, []byte("P6")) {
		return nil, fmt.Errorf("not a binary PPM")
	}
	rest = rest[2:]
	for len(fields) < 3 {
		switch {
		case len(rest) == 0:
			return nil, fmt.Errorf("PPM header cut short")
		case rest[0] == '#':
			if i := bytes.IndexByte(rest, '\n'); i >= 0 {
				rest = rest[i+1:]
			} else {
				rest = nil
			}
		case rest[0] == ' ' || rest[0] == '\t' || rest[0] == '\n' || rest[0] == '\r':
			rest = rest[1:]
		default:
			end := bytes.IndexAny(rest, " \t\n\r#")
			if end < 0 {
				return nil, fmt.Errorf("PPM header cut short")
			}
			n, err := strconv.Atoi(string(rest[:end]))
			if err != nil || n <= 0 {
				return nil, fmt.Errorf("PPM header: %q", rest[:end])
			}
			fields = append(fields, n)
			rest = rest[end:]
		}
	}
	w, h, maxval := fields[0], fields[1], fields[2]
	if maxval != 255 || len(rest) < 1+3*w*h {
		return nil, fmt.Errorf("PPM of %d×%d pixels up to %d, %d bytes: not 8-bit RGB", w, h, maxval, len(rest))
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	rgbToRGBA(img.Pix, rest[1:1+3*w*h])
	return img, nil
}

// rgbToRGBA copies rgb's pixels into pix, opaque. It is a loop over every pixel of a page,
// in memory no other goroutine sees: it is not instrumented by the race detector, under which
// it took seconds a page.
//
//go:norace
func rgbToRGBA(pix, rgb []byte) {
	for i, j := 0, 0; j+2 < len(rgb); i, j = i+4, j+3 {
		pix[i], pix[i+1], pix[i+2], pix[i+3] = rgb[j], rgb[j+1], rgb[j+2], 0xff
	}
}

// Read prints doc at 150 dpi, scans each page (see Scan) and reads it with r: what OCR reads
// on a print-and-scan of doc, the pages' texts separated by form feeds, their QR codes in
// page order (as ocr.Reading has them).
func Read(t testing.TB, r *ocr.Reader, doc []byte, degrees float64, seed uint64) ocr.Reading {
	t.Helper()
	return ReadAt(t, r, doc, 150, degrees, seed)
}

// ReadAt is Read with pages printed and scanned at dpi (an office scanner's default is 300).
func ReadAt(t testing.TB, r *ocr.Reader, doc []byte, dpi int, degrees float64, seed uint64) ocr.Reading {
	t.Helper()
	return ReadImages(t, r, Pages(t, doc, dpi), degrees, seed)
}

// ReadImages scans each of pages (see Scan; page i with seed+i) and reads it with r, as Read
// does with a PDF's pages: pages changed by a test (ReplaceQRCode, DrawQRCode) read as a
// print-and-scan of them.
func ReadImages(t testing.TB, r *ocr.Reader, pages []image.Image, degrees float64, seed uint64) ocr.Reading {
	t.Helper()
	var texts []string
	var all ocr.Reading
	for i, page := range pages {
		got, err := r.Read(context.Background(), Scan(t, page, degrees, seed+uint64(i)))
		if err != nil {
			t.Fatalf("page %d: %v", i+1, err)
		}
		texts = append(texts, got.Text)
		all.Codes = append(all.Codes, got.Codes...)
		all.CodesUnread = all.CodesUnread || got.CodesUnread
	}
	all.Text = strings.Join(texts, "\f")
	return all
}

// Scan degrades a printed page as a scanner does: turned by degrees about its centre,
// specks of noise (seeded, so runs repeat), grey levels, and saved as a JPEG of quality 60.
func Scan(t testing.TB, page image.Image, degrees float64, seed uint64) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, scanned(page, degrees, seed), &jpeg.Options{Quality: 60}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// scanned is Scan's page before it is saved. Its loops over every pixel of the page, in
// memory no other goroutine writes, are not instrumented by the race detector, under which
// they took seconds a page (TestScanIsStable holds its output).
//
//go:norace
func scanned(page image.Image, degrees float64, seed uint64) *image.Gray {
	b := page.Bounds()
	w, h := b.Dx(), b.Dy()
	out := image.NewGray(image.Rect(0, 0, w, h))
	sin, cos := math.Sincos(degrees * math.Pi / 180)
	cx, cy := float64(w)/2, float64(h)/2
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	// The page's grey levels, converted once a pixel.
	src := make([]float64, w*h)
	gr := grayOf(page)
	for y := range h {
		for x := range w {
			src[y*w+x] = float64(gr.Pix[y*gr.Stride+x])
		}
	}
	gray := func(x, y int) float64 {
		if x < 0 || y < 0 || x >= w || y >= h {
			return 255
		}
		return src[y*w+x]
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
			out.Pix[y*out.Stride+x] = uint8(max(0, min(255, v)))
		}
	}
	return out
}

// grayOf returns page in grey levels, as color.GrayModel converts its pixels, with its
// bounds moved to the origin. Its loop over every pixel, in memory no other goroutine
// writes, is not instrumented by the race detector.
//
//go:norace
func grayOf(page image.Image) *image.Gray {
	b := page.Bounds()
	w, h := b.Dx(), b.Dy()
	gray := image.NewGray(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			var v uint8
			switch p := page.(type) {
			case *image.Gray:
				v = p.Pix[p.PixOffset(b.Min.X+x, b.Min.Y+y)]
			case *image.RGBA:
				// color.GrayModel's weights, on RGBA's 16-bit channels.
				i := p.PixOffset(b.Min.X+x, b.Min.Y+y)
				r, g, bl := uint32(p.Pix[i])*0x101, uint32(p.Pix[i+1])*0x101, uint32(p.Pix[i+2])*0x101
				v = uint8((19595*r + 38470*g + 7471*bl + 1<<15) >> 24)
			default:
				v = color.GrayModel.Convert(page.At(b.Min.X+x, b.Min.Y+y)).(color.Gray).Y
			}
			gray.Pix[y*gray.Stride+x] = v
		}
	}
	return gray
}

// SearchablePDF returns a PDF of pages, pictures at dpi (as a scanner with OCR writes one),
// whose text layer is text, invisible (rendering mode 3) over the first page, in 4-point
// type so that a letter fits: the text a PDF's text layer gives need not be what its pages
// show. text is written in WinAnsi, one line of the PDF a line of text; it must be in
// Windows-1252.
func SearchablePDF(t testing.TB, pages []image.Image, dpi int, text string) []byte {
	t.Helper()
	return layeredPDF(t, pages, dpi, text, false, nil)
}

// Over is what a forger lays over the picture of a page of a scan (PicturesPDF).
type Over struct {
	// Draw is content-stream operators drawn after the picture, in points from the page's
	// lower left corner; /F0 is Helvetica.
	Draw string
	// Link is the address of a link annotation over the page's lowest inch (its footer).
	Link string
}

// PicturesPDF returns a scanner's PDF of pages, one picture at dpi a page and nothing else,
// with over[i], if any, laid over page i (a drawing, a link).
func PicturesPDF(t testing.TB, pages []image.Image, dpi int, over map[int]Over) []byte {
	t.Helper()
	return layeredPDF(t, pages, dpi, "", false, over)
}

// CoveredPDF is SearchablePDF with text drawn visibly (rendering mode 0) under the first
// page's picture, which covers it: a text layer that is drawn, and still not what the page
// shows.
func CoveredPDF(t testing.TB, pages []image.Image, dpi int, text string) []byte {
	t.Helper()
	return layeredPDF(t, pages, dpi, text, true, nil)
}

// ScannerPDF returns what a scanner with OCR writes for scan, an image: a PDF of its picture
// with Tesseract's invisible text layer over it (tesseract … pdf).
func ScannerPDF(t testing.TB, r *ocr.Reader, scan []byte) []byte {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "scan")
	if err := os.WriteFile(in, scan, 0o600); err != nil {
		t.Fatal(err)
	}
	tesseract, err := exec.LookPath(cmp.Or(os.Getenv("CHANCERY_TESSERACT"), "tesseract"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(tesseract, in, filepath.Join(dir, "out"), "-l", r.Languages(), "pdf")
	// One thread, as Reader.Read runs it: OpenMP's threads spin for the two processors
	// that the rest of the test run keeps busy (a page took 10 s instead of 1.5).
	cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("tesseract: %v: %s", err, out)
	}
	pdf, err := os.ReadFile(filepath.Join(dir, "out.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	return pdf
}

// layeredPDF is SearchablePDF, or CoveredPDF when covered, with no text layer when text is
// empty, and over laid over the pages (PicturesPDF).
func layeredPDF(t testing.TB, pages []image.Image, dpi int, text string, covered bool, over map[int]Over) []byte {
	t.Helper()
	var objs []string
	object := func(body string, stream []byte) {
		if stream != nil {
			body = pdftest.Stream(body, stream)
		}
		objs = append(objs, body)
	}
	// Objects: 1 catalogue, 2 page tree, 3 font, then a page, its contents and its image
	// for each page, then the pages' link annotations.
	var annots []string
	kids := make([]string, len(pages))
	for i := range pages {
		kids[i] = fmt.Sprintf("%d 0 R", 4+3*i)
	}
	object("<< /Type /Catalog /Pages 2 0 R >>", nil)
	object(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(pages)), nil)
	object("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>", nil)
	enc := charmap.Windows1252.NewEncoder()
	for i, page := range pages {
		b := page.Bounds()
		w, h := float64(b.Dx())*72/float64(dpi), float64(b.Dy())*72/float64(dpi)
		var content strings.Builder
		picture := fmt.Sprintf("q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q\n", w, h)
		mode := 3
		if covered {
			mode = 0
		} else {
			content.WriteString(picture)
		}
		if i == 0 && text != "" {
			fmt.Fprintf(&content, "BT %d Tr /F0 4 Tf 5 TL 1 0 0 1 20 %.2f Tm\n", mode, h-20)
			for line := range strings.Lines(strings.ReplaceAll(text, "\f", "\n")) { // a page break is a line break here
				s, err := enc.String(strings.TrimRight(line, "\n"))
				if err != nil {
					t.Fatalf("the text layer is not in Windows-1252: %v: %+q", err, line)
				}
				s = strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`).Replace(s)
				fmt.Fprintf(&content, "(%s) Tj T*\n", s)
			}
			content.WriteString("ET\n")
		}
		if covered {
			content.WriteString(picture)
		}
		content.WriteString(over[i].Draw)
		links := ""
		if uri := over[i].Link; uri != "" {
			links = fmt.Sprintf(" /Annots [%d 0 R]", 4+3*len(pages)+len(annots))
			uri = strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`).Replace(uri)
			annots = append(annots, fmt.Sprintf("<< /Type /Annot /Subtype /Link /Rect [0 0 %.2f 72] /Border [0 0 0] /A << /S /URI /URI (%s) >> >>", w, uri))
		}
		gray := grayOf(page)
		var pixels bytes.Buffer
		zw := zlib.NewWriter(&pixels)
		zw.Write(gray.Pix)
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		n := 4 + 3*i
		object(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Contents %d 0 R /Resources << /Font << /F0 3 0 R >> /XObject << /Im0 %d 0 R >> >>%s >>", w, h, n+1, n+2, links), nil)
		object(fmt.Sprintf("<< /Length %d >>", content.Len()), []byte(content.String()))
		object(fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode /Length %d >>", b.Dx(), b.Dy(), pixels.Len()), pixels.Bytes())
	}
	for _, a := range annots {
		object(a, nil)
	}
	return pdftest.Build(objs...)
}

// Resaved returns doc saved again by another program, as a viewer's "save as PDF" or a
// print to PDF does: pdftocairo -pdf draws its pages into a new PDF, with text objects,
// fonts and order of its own.
func Resaved(t testing.TB, doc []byte) []byte {
	t.Helper()
	prog, err := exec.LookPath("pdftocairo")
	if err != nil {
		missing(t, "pdftocairo", err)
	}
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.pdf"), filepath.Join(dir, "out.pdf")
	if err := os.WriteFile(in, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	if b, err := exec.Command(prog, "-pdf", in, out).CombinedOutput(); err != nil {
		t.Fatalf("pdftocairo: %v: %s", err, b)
	}
	resaved, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return resaved
}

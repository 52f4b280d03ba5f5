package ocr

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/jpeg"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/image/tiff"

	"github.com/chancery/chancery/internal/budget"
	"github.com/chancery/chancery/internal/nonet"
)

// pngHeader is the start of a PNG file declaring w×h pixels: enough for DecodeConfig.
func pngHeader(w, h uint32) []byte {
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 0 // 8-bit grey
	chunk := append([]byte("IHDR"), ihdr...)
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	binary.Write(&b, binary.BigEndian, uint32(len(ihdr)))
	b.Write(chunk)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	return b.Bytes()
}

func encoded(t testing.TB, kind string) []byte {
	img := image.NewGray(image.Rect(0, 0, 30, 20))
	var b bytes.Buffer
	var err error
	switch kind {
	case PNG:
		err = png.Encode(&b, img)
	case JPEG:
		err = jpeg.Encode(&b, img, nil)
	case TIFF:
		err = tiff.Encode(&b, img, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestKind(t *testing.T) {
	for _, kind := range []string{PNG, JPEG, TIFF} {
		if got := Kind(encoded(t, kind)); got != kind || !IsImage(encoded(t, kind)) {
			t.Errorf("%s classified as %q", kind, got)
		}
	}
	for data, want := range map[string]string{"%PDF-1.7\n": PDF, "  \n%PDF-1.4": PDF, "Dear Minister": "", "": "", "GIF89a": ""} {
		if got := Kind([]byte(data)); got != want {
			t.Errorf("%q classified as %q, want %q", data, got, want)
		}
	}
	if IsImage([]byte("%PDF-1.7")) {
		t.Error("a PDF is not an image")
	}
}

// noTesseract is a reader whose programs must never run: what it refuses, it refuses before.
func noTesseract() *Reader {
	return &Reader{tesseract: "/nonexistent/tesseract", langs: "eng", timeout: time.Minute, slots: make(chan struct{}, 1)}
}

// TestReadRefusesBeforeDecoding: an image whose header declares too many pixels (a
// decompression bomb for Tesseract's decoders), a file that is no scan, and a request whose
// time budget is spent are refused without running anything.
func TestReadRefusesBeforeDecoding(t *testing.T) {
	r := noTesseract()
	if _, err := r.Read(context.Background(), pngHeader(100_000, 100_000)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("10^10 pixels: %v", err)
	}
	if _, err := r.Read(context.Background(), []byte("Dear Minister")); !errors.Is(err, ErrOCR) {
		t.Errorf("text: %v", err)
	}
	if _, err := r.Read(context.Background(), pngHeader(100, 100)[:20]); !errors.Is(err, ErrOCR) {
		t.Errorf("a truncated header: %v", err)
	}
	ctx, cancel := context.WithDeadline(context.Background(), time.Unix(1, 0))
	defer cancel()
	if _, err := r.Read(ctx, encoded(t, PNG)); !errors.Is(err, budget.ErrExceeded) {
		t.Errorf("a spent budget: %v", err)
	}
	// Without pdftoppm a PDF cannot be read, and the error says so.
	if _, err := r.Read(context.Background(), []byte("%PDF-1.7\n")); !errors.Is(err, ErrNoOCR) {
		t.Errorf("a PDF without pdftoppm: %v", err)
	}
}

// TestFindWithoutTesseract: a missing program is ErrNoOCR.
func TestFindWithoutTesseract(t *testing.T) {
	if _, err := Find("/nonexistent/tesseract"); !errors.Is(err, ErrNoOCR) {
		t.Errorf("Find: %v", err)
	}
}

// TestRunCapsOutput: a child that prints more than its limit is stopped and run fails; a
// child whose context has ended is not left running.
func TestRunCapsOutput(t *testing.T) {
	yes, err := exec.LookPath("yes")
	if err != nil {
		t.Skip("no yes program")
	}
	if out, err := run(context.Background(), t.TempDir(), 1<<16, yes); err == nil || !strings.Contains(err.Error(), "more than 65536 bytes") {
		t.Errorf("endless output: %d bytes, %v", len(out), err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := run(ctx, t.TempDir(), 1<<16, yes); err == nil {
		t.Error("a cancelled run succeeded")
	}
	out, err := run(context.Background(), t.TempDir(), 1<<16, "echo", "Dear", "Minister")
	if err != nil || string(out) != "Dear Minister\n" {
		t.Errorf("echo: %q, %v", out, err)
	}
}

// FuzzCheckImage: any bytes classify and have their header checked without failing; what is
// not a PNG, JPEG or TIFF is refused.
func FuzzCheckImage(f *testing.F) {
	f.Add(pngHeader(100_000, 100_000))
	f.Add(pngHeader(1, 1))
	f.Add([]byte("\xff\xd8\xff\xe0"))
	f.Add([]byte("II*\x00\x08\x00\x00\x00"))
	f.Add([]byte("MM\x00*\x00\x00\x00\x08"))
	f.Add(tiffPages(f, [2]uint32{30000, 30000}))
	f.Add(tiffWith(f, []tiffEntry{{256, 4, 1, 30000}, {256, 3, 1, 100}, {257, 4, 1, 30000}, {257, 3, 1, 100}}))
	f.Add([]byte("%PDF-1.7"))
	f.Fuzz(func(t *testing.T, data []byte) {
		kind := Kind(data)
		err := checkImage(data)
		if kind == "" || kind == PDF {
			if err == nil {
				t.Fatalf("%q passed the image check", data)
			}
		}
	})
}

// pagePDF is a PDF of one page of w×h points with a line of text on it.
func pagePDF(w, h int) []byte {
	content := "BT /F1 24 Tf 72 72 Td (Dear Minister) Tj ET"
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>", w, h),
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	var offsets []int
	for i, o := range objs {
		offsets = append(offsets, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

// TestRasteriseBoundsPagePixels: a PDF declaring a huge page (a few hundred bytes) is
// rendered within MaxPixels a page, so pdftoppm never holds such a page whole (the PDF
// format's largest page, 200 inches square, is 1.6 billion pixels at PDFResolution, 3 GB
// of pdftoppm's memory); a letter's page is rendered whole. VisibleCodes renders pages alike.
func TestRasteriseBoundsPagePixels(t *testing.T) {
	pdftoppm, err := exec.LookPath("pdftoppm")
	if err != nil {
		t.Skip("no pdftoppm")
	}
	r := &Reader{pdftoppm: pdftoppm}
	for _, c := range []struct {
		name         string
		w, h         int // points
		wantW, wantH int // pixels
	}{
		{"A4", 595, 842, 1653, 2339},
		// 3000 points square is 8334×8334 pixels, 69 million, at 200 dpi.
		{"huge", 3000, 3000, maxPageSide, maxPageSide},
	} {
		dir := t.TempDir()
		in := filepath.Join(dir, "scan.pdf")
		if err := os.WriteFile(in, pagePDF(c.w, c.h), 0o600); err != nil {
			t.Fatal(err)
		}
		pages, err := r.rasterise(context.Background(), dir, in)
		if err != nil || len(pages) != 1 {
			t.Fatalf("%s: %q, %v", c.name, pages, err)
		}
		data, err := os.ReadFile(pages[0])
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := png.DecodeConfig(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Width*cfg.Height > MaxPixels || abs(cfg.Width-c.wantW) > 1 || abs(cfg.Height-c.wantH) > 1 {
			t.Errorf("%s page of %d×%d points rendered as %d×%d pixels (%d million); want %d×%d, at most %d million",
				c.name, c.w, c.h, cfg.Width, cfg.Height, cfg.Width*cfg.Height/1_000_000, c.wantW, c.wantH, MaxPixels/1_000_000)
		}
	}
}

func abs(n int) int { return max(n, -n) }

// TestVisibleTextBoundsItsChildren: uploads to identify run pdftotext (VisibleText) one
// each; however many ask at once, at most Parallel such children run together, the others
// waiting their turn. The pdftotext here is a script that records how many of its kind run
// beside it.
func TestVisibleTextBoundsItsChildren(t *testing.T) {
	bin, marks := t.TempDir(), t.TempDir()
	script := "#!/bin/sh\ntouch " + marks + "/run.$$\nls " + marks + " | grep -c '^run' > " + marks + "/seen.$$\n" +
		"sleep 0.3\nrm " + marks + "/run.$$\necho Dear Minister\n"
	if err := os.WriteFile(filepath.Join(bin, "pdftotext"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	// The children record themselves outside their own directories, where they could not
	// write if confined.
	defer func(f func(*exec.Cmd, nonet.Files) bool) { isolateFiles = f }(isolateFiles)
	isolateFiles = func(cmd *exec.Cmd, _ nonet.Files) bool { return nonet.Isolate(cmd) }
	const asks = 3 * Parallel
	errs := make(chan error, asks)
	for range asks {
		go func() {
			text, err := VisibleText(context.Background(), pagePDF(595, 842))
			if err == nil && strings.TrimSpace(text) != "Dear Minister" {
				err = fmt.Errorf("read %q", text)
			}
			errs <- err
		}()
	}
	for range asks {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	seen, err := filepath.Glob(filepath.Join(marks, "seen.*"))
	if err != nil || len(seen) != asks {
		t.Fatalf("%d children recorded, %v", len(seen), err)
	}
	most := 0
	for _, f := range seen {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		n, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil {
			t.Fatal(err)
		}
		most = max(most, n)
	}
	if most > Parallel {
		t.Errorf("%d pdftotext children ran at once; want at most %d", most, Parallel)
	}
}

// tiffPages is a TIFF of a real 30×20 first page (Go's encoder) followed by pages of the
// given sizes, declared only: the header of each, with no pixels.
func tiffPages(t testing.TB, sizes ...[2]uint32) []byte {
	var pages [][]tiffEntry
	for _, s := range sizes {
		pages = append(pages, []tiffEntry{{256, 4, 1, s[0]}, {257, 4, 1, s[1]}})
	}
	return tiffWith(t, pages...)
}

// A tiffEntry is one entry of a TIFF page's directory: tag, type, count and value.
type tiffEntry struct {
	tag, typ uint16
	count    uint32
	value    uint32
}

// tiffWith is a TIFF of a real 30×20 first page (Go's encoder) followed by pages whose
// directories hold the given entries, in that order, and no pixels.
func tiffWith(t testing.TB, pages ...[]tiffEntry) []byte {
	le := binary.LittleEndian
	data := encoded(t, TIFF)
	first := le.Uint32(data[4:])
	next := int(first) + 2 + 12*int(le.Uint16(data[first:]))
	for _, entries := range pages {
		for len(data)%2 != 0 {
			data = append(data, 0)
		}
		le.PutUint32(data[next:], uint32(len(data)))
		data = le.AppendUint16(data, uint16(len(entries)))
		for _, e := range entries {
			data = le.AppendUint16(data, e.tag)
			data = le.AppendUint16(data, e.typ)
			data = le.AppendUint32(data, e.count)
			if e.typ == 3 { // SHORT, in the first two bytes of the value
				data = le.AppendUint16(data, uint16(e.value))
				data = le.AppendUint16(data, 0)
			} else {
				data = le.AppendUint32(data, e.value)
			}
		}
		next = len(data)
		data = le.AppendUint32(data, 0)
	}
	return data
}

// TestCheckImageReadsTIFFSizesAsLibTIFF: Tesseract reads a TIFF with libtiff, which takes
// the first of a tag given twice, reads sizes of other types than SHORT and LONG, and fails
// on a size given as several values. A page that gives its width and height twice, 30000
// first and then 100, passed the check, which took the last: such a 110 KB file (a deflated
// strip of 30000×30000 one-bit pixels) made Tesseract hold 938 MB. Such pages are refused,
// as are sizes of another type or count.
func TestCheckImageReadsTIFFSizesAsLibTIFF(t *testing.T) {
	for name, page := range map[string][]tiffEntry{
		"width and height twice":  {{256, 4, 1, 30000}, {256, 3, 1, 100}, {257, 4, 1, 30000}, {257, 3, 1, 100}},
		"width twice, same value": {{256, 3, 1, 100}, {256, 3, 1, 100}, {257, 3, 1, 100}},
		"width as LONG8":          {{256, 16, 1, 0}, {256, 3, 1, 100}, {257, 3, 1, 100}},
		"height as two values":    {{256, 3, 1, 100}, {257, 3, 2, 100}},
		"width as SLONG":          {{256, 9, 1, 30000}, {257, 3, 1, 100}},
	} {
		if err := checkImage(tiffWith(t, page)); err == nil {
			t.Errorf("%s: passed", name)
		}
	}
	if err := checkImage(tiffWith(t, []tiffEntry{{256, 3, 1, 1654}, {257, 4, 1, 2339}})); err != nil {
		t.Errorf("a page of a letter: %v", err)
	}
}

// TestCheckImageReadsEveryTIFFPage: Tesseract reads every page of a TIFF, and Go's decoder
// reads the header of the first only, so each page's header is checked: a small first page
// before a page of 900 million pixels (Tesseract held 3.4 GB for such a 930 KB file) is
// refused, as is a TIFF of more than MaxPages pages; two pages of a letter pass.
func TestCheckImageReadsEveryTIFFPage(t *testing.T) {
	if err := checkImage(tiffPages(t, [2]uint32{1654, 2339})); err != nil {
		t.Errorf("two pages of a letter: %v", err)
	}
	if err := checkImage(tiffPages(t, [2]uint32{30000, 30000})); !errors.Is(err, ErrTooLarge) {
		t.Errorf("a second page of 900 million pixels: %v", err)
	}
	var many [][2]uint32
	for range MaxPages {
		many = append(many, [2]uint32{100, 100})
	}
	if err := checkImage(tiffPages(t, many...)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("%d pages: %v", MaxPages+1, err)
	}
	// A page pointing back at itself is a loop, which reads as a TIFF of endless pages.
	loop := tiffPages(t, [2]uint32{100, 100})
	second := binary.LittleEndian.Uint32(loop[len(loop)-4-2*12-2-4:])
	binary.LittleEndian.PutUint32(loop[len(loop)-4:], second)
	if err := checkImage(loop); err == nil {
		t.Error("a TIFF whose pages loop passed")
	}
}

package pdf_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/ocr/ocrtest"
	"github.com/chancery/chancery/internal/pdf"
)

// scanTIFF writes a TIFF of pages uncompressed 8-bit gray pages of w×h pixels, as a scanner
// does for a letter of several pages. Page i is filled with gray level 40*i, so that pages
// can be told apart.
func scanTIFF(t testing.TB, bo binary.AppendByteOrder, pages, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if bo == binary.LittleEndian {
		b.WriteString("II*\x00")
	} else {
		b.WriteString("MM\x00*")
	}
	b.Write(bo.AppendUint32(nil, 8))
	for i := range pages {
		const entries = 9
		ifd := b.Len()
		pixels := ifd + 2 + entries*12 + 4
		next := uint32(0)
		if i < pages-1 {
			next = uint32(pixels + w*h)
		}
		b.Write(bo.AppendUint16(nil, entries))
		for _, e := range [][3]uint32{ // tag, type (3 short, 4 long), value
			{256, 4, uint32(w)}, {257, 4, uint32(h)}, {258, 3, 8}, {259, 3, 1}, {262, 3, 1},
			{273, 4, uint32(pixels)}, {277, 3, 1}, {278, 4, uint32(h)}, {279, 4, uint32(w * h)},
		} {
			b.Write(bo.AppendUint16(nil, uint16(e[0])))
			b.Write(bo.AppendUint16(nil, uint16(e[1])))
			b.Write(bo.AppendUint32(nil, 1))
			if e[1] == 3 {
				b.Write(bo.AppendUint16(nil, uint16(e[2])))
				b.Write([]byte{0, 0})
			} else {
				b.Write(bo.AppendUint32(nil, e[2]))
			}
		}
		b.Write(bo.AppendUint32(nil, next))
		b.Write(bytes.Repeat([]byte{byte(40 * i)}, w*h))
	}
	return b.Bytes()
}

// imageList is pdfimages -list of doc, one row of fields per image.
func imageList(t testing.TB, doc []byte) [][]string {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(run(t, "pdfimages", "-list", writeTemp(t, "images.pdf", doc))), "\n")
	var rows [][]string
	for _, l := range lines[2:] { // two header lines
		rows = append(rows, strings.Fields(l))
	}
	return rows
}

// TestRenderImageTIFFPages: a TIFF of three scanned pages, in either byte order, becomes three
// A4 pages with one gray image each, the pages in order.
func TestRenderImageTIFFPages(t *testing.T) {
	for name, bo := range map[string]binary.AppendByteOrder{"little-endian": binary.LittleEndian, "big-endian": binary.BigEndian} {
		data := scanTIFF(t, bo, 3, 210, 297)
		if err := pdf.CheckImage("image/tiff", data); err != nil {
			t.Fatalf("%s: check: %v", name, err)
		}
		doc, err := pdf.RenderImage("image/tiff", data, pdf.Letterhead{Office: "Task Force North", Subject: "Scan"})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if n := pageCount(t, doc); n != 3 {
			t.Fatalf("%s: %d pages, want 3", name, n)
		}
		rows := imageList(t, doc)
		if len(rows) != 3 {
			t.Fatalf("%s: %d images: %v", name, len(rows), rows)
		}
		for i, r := range rows {
			// page num type width height color …
			if r[0] != strconv.Itoa(i+1) || r[3] != "210" || r[4] != "297" || r[5] != "gray" {
				t.Errorf("%s: image %d: %v", name, i, r)
			}
		}
		// Page 3 is the third directory's page: gray 80, drawn as such.
		prefix := filepath.Join(t.TempDir(), "p")
		run(t, "pdftoppm", "-f", "3", "-l", "3", "-r", "20", "-png", writeTemp(t, "scan.pdf", doc), prefix)
		if g := grayAt(t, prefix+"-3.png", 0.5, 0.4); g != 80 {
			t.Errorf("%s: page 3 shows gray %d in its middle, want 80", name, g)
		}
	}
}

// grayAt is the gray level of a rendered page at the fractions x and y of its size.
func grayAt(t testing.TB, file string, x, y float64) int {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	return int(color.GrayModel.Convert(img.At(b.Min.X+int(x*float64(b.Dx())), b.Min.Y+int(y*float64(b.Dy())))).(color.Gray).Y)
}

// TestRenderImageFits: a wide and a tall image are each scaled to fit within the margins
// (165×239 mm), their aspect ratio kept, up or down.
func TestRenderImageFits(t *testing.T) {
	const boxW, boxH = 165.0, 239.0 // A4 less the margins, in millimetres
	for _, size := range [][2]int{{1600, 400}, {300, 2000}, {2480, 3508}, {8, 8}} {
		img := image.NewGray(image.Rect(0, 0, size[0], size[1]))
		var b bytes.Buffer
		if err := png.Encode(&b, img); err != nil {
			t.Fatal(err)
		}
		doc, err := pdf.RenderImage("image/png", b.Bytes(), pdf.Letterhead{})
		if err != nil {
			t.Fatal(err)
		}
		r := imageList(t, doc)[0]
		xppi, _ := strconv.ParseFloat(r[12], 64)
		yppi, _ := strconv.ParseFloat(r[13], 64)
		// The image fills the box on one side: so many millimetres a pixel, alike both ways.
		mmPerPixel := math.Min(boxW/float64(size[0]), boxH/float64(size[1]))
		want := 25.4 / mmPerPixel
		// pdfimages rounds resolutions to whole pixels per inch.
		if math.Abs(xppi-want) > 0.51 || math.Abs(yppi-want) > 0.51 {
			t.Errorf("%v: placed at %v×%v ppi, want %.2f both ways (%.1f×%.1f mm)", size, xppi, yppi, want,
				float64(size[0])*mmPerPixel, float64(size[1])*mmPerPixel)
		}
	}
}

// TestRenderImageDeterministic: equal images give equal bytes.
func TestRenderImageDeterministic(t *testing.T) {
	data := scanTIFF(t, binary.LittleEndian, 2, 30, 40)
	h := pdf.Letterhead{Office: "Task Force North", Subject: "Scan"}
	a, err := pdf.RenderImage("image/tiff", data, h)
	if err != nil {
		t.Fatal(err)
	}
	b, err := pdf.RenderImage("image/tiff", data, h)
	if err != nil || !bytes.Equal(a, b) {
		t.Fatalf("two renderings differ (%v)", err)
	}
}

// TestRenderImageTIFFRefused: a TIFF whose directories loop, lie outside the file or are more
// than pdf.MaxImagePages is refused by CheckImage and RenderImage alike, before any decoding.
func TestRenderImageTIFFRefused(t *testing.T) {
	loop := scanTIFF(t, binary.LittleEndian, 2, 4, 4)
	// The second directory's next-directory offset points back to the first.
	second := binary.LittleEndian.Uint32(loop[8+2+9*12:])
	binary.LittleEndian.PutUint32(loop[second+2+9*12:], 8)
	outside := scanTIFF(t, binary.BigEndian, 1, 4, 4)
	binary.BigEndian.PutUint32(outside[4:], uint32(len(outside)+10))
	cases := map[string][]byte{
		"loop":           loop,
		"outside":        outside,
		"too many pages": scanTIFF(t, binary.LittleEndian, pdf.MaxImagePages+1, 1, 1),
		"short":          []byte("II*\x00"),
		"BigTIFF":        []byte("II+\x00\x08\x00\x00\x00\x10\x00\x00\x00\x00\x00\x00\x00"),
	}
	for name, data := range cases {
		errCheck := pdf.CheckImage("image/tiff", data)
		_, errRender := pdf.RenderImage("image/tiff", data, pdf.Letterhead{})
		if errCheck == nil || errRender == nil {
			t.Errorf("%s: check %v, render %v; want both refused", name, errCheck, errRender)
		}
	}
	if err := pdf.CheckImage("image/tiff", cases["too many pages"]); !errors.Is(err, pdf.ErrTooLarge) {
		t.Errorf("too many pages: %v, want ErrTooLarge", err)
	}
	if err := pdf.CheckImage("image/tiff", scanTIFF(t, binary.LittleEndian, pdf.MaxImagePages, 1, 1)); err != nil {
		t.Errorf("%d pages: %v", pdf.MaxImagePages, err)
	}
}

// TestCheckImage: CheckImage accepts what RenderImage places and refuses a type the content
// contradicts or an image over the pixel bound.
func TestCheckImage(t *testing.T) {
	for _, format := range []string{"png", "jpeg", "gif", "bmp", "tiff"} {
		if err := pdf.CheckImage("image/"+format, testImage(t, format)); err != nil {
			t.Errorf("%s: %v", format, err)
		}
	}
	if err := pdf.CheckImage("image/jpeg", testImage(t, "png")); err == nil {
		t.Error("a PNG checked as a JPEG")
	}
	big := scanTIFF(t, binary.LittleEndian, 1, 1, 1)
	binary.LittleEndian.PutUint32(big[8+2+8:], 100000)    // width
	binary.LittleEndian.PutUint32(big[8+2+12+8:], 100000) // height
	if err := pdf.CheckImage("image/tiff", big); !errors.Is(err, pdf.ErrTooLarge) {
		t.Errorf("a 100000×100000 TIFF: %v, want ErrTooLarge", err)
	}
}

// BenchmarkRenderImageScan places one A4 page scanned at 300 dpi (2480×3508 pixels), gray
// as a TIFF and in colour as a PNG, with a gradient so that compression has work to do.
//
//	go test ./internal/pdf -run '^$' -bench RenderImageScan -benchtime 5x
func BenchmarkRenderImageScan(b *testing.B) {
	const w, h = 2480, 3508
	gray := scanTIFF(b, binary.LittleEndian, 1, w, h)
	for i := range w * h {
		gray[len(gray)-w*h+i] = byte(i % w / 10)
	}
	rgb := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range rgb.Pix {
		rgb.Pix[i] = byte(i / 4 % w / 10)
	}
	var colour bytes.Buffer
	if err := png.Encode(&colour, rgb); err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name, mediaType string
		data            []byte
	}{{"gray-tiff", "image/tiff", gray}, {"colour-png", "image/png", colour.Bytes()}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := pdf.RenderImage(c.mediaType, c.data, pdf.Letterhead{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestCheckImageRefusesJPEGScanBomb: an image upload is decoded in Go when marks are burned
// into its pixels, and Go's JPEG decoder passes over every block once per scan, however many
// there are: 2,000 scans of empty bands, 75 KB, kept it busy for 30 s (audit, twenty-eighth
// session). Such a JPEG is refused at upload; one with the scans encoders write is not.
func TestCheckImageRefusesJPEGScanBomb(t *testing.T) {
	if err := pdf.CheckImage("image/jpeg", ocrtest.ProgressiveJPEG(3456, 3456, 2000)); !errors.Is(err, pdf.ErrTooLarge) {
		t.Errorf("a JPEG of 2000 scans: %v, want ErrTooLarge", err)
	}
	// ProgressiveJPEG writes a DC scan before the AC scans it is asked for.
	if err := pdf.CheckImage("image/jpeg", ocrtest.ProgressiveJPEG(64, 64, pdf.MaxJPEGScans-1)); err != nil {
		t.Errorf("a JPEG of %d scans: %v", pdf.MaxJPEGScans, err)
	}
	if err := pdf.CheckImage("image/jpeg", ocrtest.ProgressiveJPEG(64, 64, pdf.MaxJPEGScans)); !errors.Is(err, pdf.ErrTooLarge) {
		t.Errorf("a JPEG of %d scans: %v, want ErrTooLarge", pdf.MaxJPEGScans+1, err)
	}
}

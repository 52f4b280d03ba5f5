package pdf_test

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/ocr/ocrtest"
	"github.com/chancery/chancery/internal/pdf"
	"golang.org/x/image/bmp"
	"golang.org/x/image/tiff"
)

func testImage(t testing.TB, format string) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, 40, 60))
	for x := range 40 {
		for y := range 60 {
			img.Set(x, y, color.NRGBA{R: uint8(6 * x), G: uint8(4 * y), B: 120, A: uint8(100 + y)})
		}
	}
	var b bytes.Buffer
	var err error
	switch format {
	case "png":
		err = png.Encode(&b, img)
	case "jpeg":
		err = jpeg.Encode(&b, img, nil)
	case "gif":
		err = gif.Encode(&b, img, nil)
	case "bmp":
		err = bmp.Encode(&b, img)
	case "tiff":
		err = tiff.Encode(&b, img, &tiff.Options{Compression: tiff.Deflate})
	}
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestRenderImage places PNG (with transparency), JPEG, GIF, BMP and TIFF images on a page:
// the result is one page that pdfimages lists one image on, titled with the letter's subject.
func TestRenderImage(t *testing.T) {
	for _, format := range []string{"png", "jpeg", "gif", "bmp", "tiff"} {
		doc, err := pdf.RenderImage("image/"+format, testImage(t, format), pdf.Letterhead{Office: "Task Force North", Reference: "TFN-2026-000007", Subject: "Scan"})
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		info, err := pdf.Check(doc)
		if err != nil || info.Pages != 1 {
			t.Fatalf("%s: %+v, %v", format, info, err)
		}
		file := writeTemp(t, "scan.pdf", doc)
		if info := run(t, "pdfinfo", file); !strings.Contains(info, "Scan") || !strings.Contains(info, "Task Force North") {
			t.Fatalf("%s: pdfinfo:\n%s", format, info)
		}
		list := run(t, "pdfimages", "-list", file)
		if n := strings.Count(list, "\n"); n != 3 { // two header lines, one image
			t.Fatalf("%s: pdfimages -list:\n%s", format, list)
		}
	}
}

// TestRenderImageRefused: a type other than the content's, and an image larger than
// pdf.MaxImagePixels (refused from its header, before decoding), make no page.
func TestRenderImageRefused(t *testing.T) {
	if _, err := pdf.RenderImage("image/jpeg", testImage(t, "png"), pdf.Letterhead{}); err == nil {
		t.Error("a PNG rendered as a JPEG")
	}
	if _, err := pdf.RenderImage("image/webp", testImage(t, "png"), pdf.Letterhead{}); err == nil {
		t.Error("an unsupported type rendered")
	}
	// A PNG header announcing 100000×100000 pixels, with no image data behind it.
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], 100000)
	binary.BigEndian.PutUint32(ihdr[4:], 100000)
	ihdr[8], ihdr[9] = 8, 2 // 8-bit RGB
	huge := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR")
	huge = append(huge, ihdr...)
	huge = binary.BigEndian.AppendUint32(huge, crc32.ChecksumIEEE(append([]byte("IHDR"), ihdr...)))
	if _, err := pdf.RenderImage("image/png", huge, pdf.Letterhead{}); err == nil || !strings.Contains(err.Error(), "pixels") {
		t.Errorf("a huge image: %v", err)
	}
}

// FuzzRenderImage: any bytes give a sound PDF or an error, never a panic.
func FuzzRenderImage(f *testing.F) {
	for _, format := range []string{"png", "jpeg", "gif", "bmp", "tiff"} {
		f.Add("image/"+format, testImage(f, format))
	}
	f.Add("image/tiff", scanTIFF(f, binary.BigEndian, 3, 30, 40))
	f.Add("image/tiff", scanTIFF(f, binary.LittleEndian, 2, 20, 10))
	f.Add("image/jpeg", ocrtest.ProgressiveJPEG(64, 64, 12))
	// A DC scan and MaxJPEGScans-1 AC scans: the most scans a JPEG may have.
	f.Add("image/jpeg", ocrtest.ProgressiveJPEG(64, 64, pdf.MaxJPEGScans-1))
	f.Fuzz(func(t *testing.T, mediaType string, data []byte) {
		doc, err := pdf.RenderImage(mediaType, data, pdf.Letterhead{Office: "O", Reference: "R"})
		if err != nil {
			return
		}
		if _, err := pdf.Check(doc); err != nil {
			t.Fatalf("rendered an unsound PDF: %v", err)
		}
	})
}

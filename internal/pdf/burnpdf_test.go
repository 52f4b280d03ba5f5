package pdf_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"path/filepath"
	"testing"

	"github.com/chancery/chancery/internal/ocr/ocrtest"
	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/pdf/pdftest"
)

// scanPage is a page of typed lines, as a scanner gives it.
func scanPage() *image.Gray {
	g := image.NewGray(image.Rect(0, 0, 400, 520))
	for i := range g.Pix {
		g.Pix[i] = 255
	}
	for y := 60; y < 460; y += 30 {
		for x := 40; x < 360; x++ {
			for dy := range 9 {
				g.SetGray(x, y+dy, color.Gray{Y: 15})
			}
		}
	}
	return g
}

// pdfWithPicture is a one-page PDF whose page draws the picture (an image XObject with the
// dictionary entries dict and the stream data) over the whole page, through a form XObject
// when inForm is set.
func pdfWithPicture(dict string, data []byte, inForm bool) []byte {
	content := "q 400 0 0 520 50 150 cm /Im0 Do Q"
	res := "<< /XObject << /Im0 4 0 R >> >>"
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"", // the page
		pdftest.Stream(fmt.Sprintf("<< /Type /XObject /Subtype /Image %s /Length %d >>", dict, len(data)), data),
	}
	if inForm {
		form := "/Im0 Do"
		objs = append(objs, pdftest.Stream(fmt.Sprintf("<< /Type /XObject /Subtype /Form /BBox [0 0 1 1] /Resources %s /Length %d >>", res, len(form)), []byte(form)))
		content = "q 400 0 0 520 50 150 cm /Fm0 Do Q"
		res = "<< /XObject << /Fm0 6 0 R >> >>"
	}
	objs[2] = fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 500 842] /Resources %s /Contents 5 0 R >>", res)
	objs = append(objs[:4], append([]string{pdftest.Stream(fmt.Sprintf("<< /Length %d >>", len(content)), []byte(content))}, objs[4:]...)...)
	return pdftest.Build(objs...)
}

// pictureImages returns the pictures pdfimages takes out of doc, decoded.
func pictureImages(t *testing.T, doc []byte) []image.Image {
	t.Helper()
	requireTool(t, "pdfimages")
	prefix := filepath.Join(t.TempDir(), "pic")
	run(t, "pdfimages", "-png", writeTemp(t, "doc.pdf", doc), prefix)
	return decodePNGs(t, prefix+"-*.png")
}

// changedPixels counts the pixels whose gray level differs by more than 40 between a and b.
func changedPixels(a, b image.Image) int {
	n := 0
	r := a.Bounds().Intersect(b.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			ga := color.GrayModel.Convert(a.At(x, y)).(color.Gray).Y
			gb := color.GrayModel.Convert(b.At(x, y)).(color.Gray).Y
			if d := int(ga) - int(gb); d > 40 || d < -40 {
				n++
			}
		}
	}
	return n
}

// TestCopiesMarkPicturesInsidePDFs: a PDF whose pages are pictures (a scanner's PDF: JPEG,
// Flate gray, or a one-bit stencil; drawn by the page or by a form) gave copies and previews
// whose pictures `pdfimages` took out unmarked, the marks being drawn over the page. Each
// picture taken out of a copy must differ from the scan where the marks are, and the
// release, which carries no marks, must keep the picture as it was.
func TestCopiesMarkPicturesInsidePDFs(t *testing.T) {
	scan := scanPage()
	var jpg bytes.Buffer
	if err := jpeg.Encode(&jpg, scan, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	w, h := scan.Rect.Dx(), scan.Rect.Dy()
	row := (w + 7) / 8
	stencil := make([]byte, row*h) // 0 paints: the scan's dark pixels
	for y := range h {
		for x := range w {
			if scan.GrayAt(x, y).Y > 128 {
				stencil[y*row+x/8] |= 1 << (7 - x%8)
			}
		}
	}
	gray := fmt.Sprintf("/Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode", w, h)
	docs := map[string][]byte{
		"jpeg":          pdfWithPicture(fmt.Sprintf("/Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode", w, h), jpg.Bytes(), false),
		"flate gray":    pdfWithPicture(gray, pdftest.Deflate(scan.Pix), false),
		"stencil":       pdfWithPicture(fmt.Sprintf("/Width %d /Height %d /ImageMask true /BitsPerComponent 1 /Filter /FlateDecode", w, h), pdftest.Deflate(stencil), false),
		"gray in form":  pdfWithPicture(gray, pdftest.Deflate(scan.Pix), true),
		"placed by pdf": nil,
		"hex gray":      pdfWithPicture(fmt.Sprintf("/Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /ASCIIHexDecode", w, h), []byte(hex.EncodeToString(scan.Pix)+">"), false),
	}
	placed, err := pdf.RenderImage("image/jpeg", jpg.Bytes(), pdf.Letterhead{Office: "Scanner", Reference: "scan"})
	if err != nil {
		t.Fatal(err)
	}
	docs["placed by pdf"] = placed
	for name, src := range docs {
		orig := pictureImages(t, src)
		if len(orig) != 1 {
			t.Fatalf("%s: %d pictures in the source", name, len(orig))
		}
		release, err := pdf.Stamp(src, footer)
		if err != nil {
			t.Fatalf("%s: stamp: %v", name, err)
		}
		for _, p := range pictureImages(t, release) {
			if d := changedPixels(orig[0], p); d != 0 {
				t.Errorf("%s: the release's picture differs from the scan in %d pixels", name, d)
			}
		}
		cp, err := pdf.Watermark(src, mark)
		if err != nil {
			t.Fatalf("%s: watermark: %v", name, err)
		}
		pv, err := pdf.Preview(src, pdf.PreviewMark{Reference: "TFN-2026-0042", Version: 2, Member: "dana", At: released})
		if err != nil {
			t.Fatalf("%s: preview: %v", name, err)
		}
		for kind, doc := range map[string][]byte{"copy": cp, "preview": pv} {
			pics := pictureImages(t, doc)
			if len(pics) != 1 {
				t.Fatalf("%s %s: %d pictures", name, kind, len(pics))
			}
			// The banner crosses the page: thousands of pixels of a 400×520 scan (about
			// 2,400 for a stencil, where it is a screen of dots); unmarked, none.
			if d := changedPixels(orig[0], pics[0]); d < 1500 {
				t.Errorf("%s %s: the picture taken out differs from the scan in %d pixels: unmarked", name, kind, d)
			}
		}
	}
}

// TestCopyRefusesPictureItCannotMark: a picture in JPEG 2000 or JBIG2 cannot be decoded
// here, so the marks cannot go into it; a copy would carry it unmarked, and is refused. A
// picture too small to show a page's words is left as it is, whatever its compression.
func TestCopyRefusesPictureItCannotMark(t *testing.T) {
	junk := bytes.Repeat([]byte{0x5a}, 300)
	for _, f := range []string{"JPXDecode", "JBIG2Decode"} {
		big := pdfWithPicture("/Width 400 /Height 520 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /"+f, junk, false)
		if _, err := pdf.Watermark(big, mark); !errors.Is(err, pdf.ErrUnmarkable) {
			t.Errorf("%s: copy of a page-sized picture: %v, want ErrUnmarkable", f, err)
		}
		if _, err := pdf.Stamp(big, footer); err != nil {
			t.Errorf("%s: the release, which marks no picture, failed: %v", f, err)
		}
		small := pdfWithPicture("/Width 20 /Height 20 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /"+f, junk, false)
		if _, err := pdf.Watermark(small, mark); err != nil {
			t.Errorf("%s: copy with a 20×20 picture: %v", f, err)
		}
	}
}

// BenchmarkCopyOfScanPDF makes the draft copy of a PDF whose one page is an A4 scan at
// 300 dpi (2480×3508 pixels, JPEG), as a scanner writes it: the copy decodes the picture,
// draws the marks into it and compresses it again.
//
//	go test ./internal/pdf -run '^$' -bench CopyOfScanPDF -benchtime 5x
func BenchmarkCopyOfScanPDF(b *testing.B) {
	const w, h = 2480, 3508
	g := image.NewGray(image.Rect(0, 0, w, h))
	for i := range g.Pix {
		g.Pix[i] = byte(200 + i%w%50)
	}
	var jpg bytes.Buffer
	if err := jpeg.Encode(&jpg, g, &jpeg.Options{Quality: 75}); err != nil {
		b.Fatal(err)
	}
	src, err := pdf.RenderImage("image/jpeg", jpg.Bytes(), pdf.Letterhead{})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := pdf.Watermark(src, mark); err != nil {
			b.Fatal(err)
		}
	}
}

// TestCopyRefusesJPEGScanBombInsidePDF: a copy decodes a PDF's JPEG pictures to draw the
// marks into them, and Go's decoder passes over the whole picture once per scan: a picture of
// 2,000 scans in a PDF would keep it busy as an image upload of them did. It is refused
// before it is decoded.
func TestCopyRefusesJPEGScanBombInsidePDF(t *testing.T) {
	bomb := ocrtest.ProgressiveJPEG(3456, 3456, 2000)
	doc := pdfWithPicture("/Width 3456 /Height 3456 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode", bomb, false)
	if _, err := pdf.Watermark(doc, mark); !errors.Is(err, pdf.ErrTooLarge) {
		t.Errorf("copy of a PDF holding a JPEG of 2000 scans: %v, want ErrTooLarge", err)
	}
}

// pdfWithInlineImage is a one-page PDF whose page draws an inline image (BI dict ID data EI)
// over the whole page, through a form XObject when inForm is set; res is the page's (or the
// form's) resource dictionary.
func pdfWithInlineImage(dict string, data []byte, res string, inForm bool) []byte {
	content := append(append([]byte("q 400 0 0 520 50 150 cm BI "+dict+" ID "), data...), "\nEI Q"...)
	if !inForm {
		return pdftest.Build(
			"<< /Type /Catalog /Pages 2 0 R >>",
			"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
			"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 500 842] /Resources "+res+" /Contents 4 0 R >>",
			pdftest.Stream(fmt.Sprintf("<< /Length %d >>", len(content)), content),
		)
	}
	draw := "/Fm0 Do"
	return pdftest.Build(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 500 842] /Resources << /XObject << /Fm0 5 0 R >> >> /Contents 4 0 R >>",
		pdftest.Stream(fmt.Sprintf("<< /Length %d >>", len(draw)), []byte(draw)),
		pdftest.Stream(fmt.Sprintf("<< /Type /XObject /Subtype /Form /BBox [0 0 500 842] /Resources %s /Length %d >>", res, len(content)), content),
	)
}

// TestCopiesMarkInlineImages: pictures written inside a page's content (inline images, which
// PDF writers use for small pictures and some for whole scanned pages) were left unmarked in
// copies and previews, where `pdfimages` took them out as it takes the others. Each must
// come out of a copy marked, whatever its compression, abbreviations or place; a picture too
// small to be marked must come out as it was; the release keeps every picture as it was.
func TestCopiesMarkInlineImages(t *testing.T) {
	scan := scanPage()
	w, h := scan.Rect.Dx(), scan.Rect.Dy()
	// Samples that read as "EI" between spaces: the data's end must come from its size.
	raw := bytes.Clone(scan.Pix)
	copy(raw[w*3+10:], " EI Q ")
	var jpg bytes.Buffer
	if err := jpeg.Encode(&jpg, scan, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	row := (w + 7) / 8
	stencil := make([]byte, row*h)
	for y := range h {
		for x := range w {
			if scan.GrayAt(x, y).Y > 128 {
				stencil[y*row+x/8] |= 1 << (7 - x%8)
			}
		}
	}
	small := image.NewGray(image.Rect(0, 0, 20, 20))
	for i := range small.Pix {
		small.Pix[i] = byte(i * 7)
	}
	none := "<< >>"
	size := fmt.Sprintf("/W %d /H %d", w, h)
	for name, doc := range map[string][]byte{
		"raw gray":           pdfWithInlineImage(size+" /CS /G /BPC 8", raw, none, false),
		"flate":              pdfWithInlineImage(size+" /CS /G /BPC 8 /F /Fl", pdftest.Deflate(scan.Pix), none, false),
		"jpeg, keys in full": pdfWithInlineImage(fmt.Sprintf("/Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode", w, h), jpg.Bytes(), none, false),
		"stencil":            pdfWithInlineImage(size+" /IM true /F [/Fl]", pdftest.Deflate(stencil), none, false),
		"named colour space": pdfWithInlineImage(size+" /CS /Scan /BPC 8", raw, "<< /ColorSpace << /Scan /DeviceGray >> >>", false),
		"in a form":          pdfWithInlineImage(size+" /CS /G /BPC 8 /F /Fl", pdftest.Deflate(scan.Pix), none, true),
		"hex":                pdfWithInlineImage(size+" /CS /G /BPC 8 /F /AHx", []byte(hex.EncodeToString(scan.Pix)+">"), none, false),
		"small":              pdfWithInlineImage("/W 20 /H 20 /CS /G /BPC 8", small.Pix, none, false),
	} {
		orig := pictureImages(t, doc)
		if len(orig) != 1 {
			t.Fatalf("%s: %d pictures in the source", name, len(orig))
		}
		release, err := pdf.Stamp(doc, footer)
		if err != nil {
			t.Fatalf("%s: stamp: %v", name, err)
		}
		for _, p := range pictureImages(t, release) {
			if d := changedPixels(orig[0], p); d != 0 {
				t.Errorf("%s: the release's picture differs from the source in %d pixels", name, d)
			}
		}
		cp, err := pdf.Watermark(doc, mark)
		if err != nil {
			t.Fatalf("%s: watermark: %v", name, err)
		}
		pv, err := pdf.Preview(doc, pdf.PreviewMark{Reference: "TFN-2026-0042", Version: 2, Member: "dana", At: released})
		if err != nil {
			t.Fatalf("%s: preview: %v", name, err)
		}
		for kind, out := range map[string][]byte{"copy": cp, "preview": pv} {
			pics := pictureImages(t, out)
			if len(pics) != 1 {
				t.Fatalf("%s %s: %d pictures", name, kind, len(pics))
			}
			d := changedPixels(orig[0], pics[0])
			switch {
			case name == "small" && d != 0:
				t.Errorf("%s %s: a 20×20 picture changed in %d pixels", name, kind, d)
			case name != "small" && d < 1500:
				t.Errorf("%s %s: the picture taken out differs from the source in %d pixels: unmarked", name, kind, d)
			}
		}
	}
}

// TestCopyRefusesFormContentBomb: a copy reads the content of every form for inline images,
// and a form's content is not measured at upload as a page's is. A 90 KB file whose form
// inflates to 90 MB passed `Check` and had each copy inflate it; past 64 MB of content in
// all, a copy is refused.
func TestCopyRefusesFormContentBomb(t *testing.T) {
	bomb := pdftest.Deflate(bytes.Repeat([]byte("0 0 m "), 15<<20))
	doc := pdftest.Build(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 500 842] /Resources << /XObject << /Fm0 5 0 R >> >> /Contents 4 0 R >>",
		pdftest.Stream("<< /Length 7 >>", []byte("/Fm0 Do")),
		pdftest.Stream(fmt.Sprintf("<< /Type /XObject /Subtype /Form /BBox [0 0 1 1] /Filter /FlateDecode /Length %d >>", len(bomb)), bomb),
	)
	if _, err := pdf.Check(doc); err != nil {
		t.Fatalf("check: %v", err)
	}
	if _, err := pdf.Watermark(doc, mark); !errors.Is(err, pdf.ErrTooLarge) {
		t.Errorf("copy of a %d-byte file whose form inflates to 90 MB: %v, want ErrTooLarge", len(doc), err)
	}
}

// BenchmarkCopy10Pages makes the draft copy of a ten-page letter with no pictures: what
// reading every content stream for inline images adds to the common copy.
//
//	go test ./internal/pdf -run '^$' -bench Copy10Pages -benchtime 20x
func BenchmarkCopy10Pages(b *testing.B) {
	src := letter(b, 10)
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := pdf.Watermark(src, mark); err != nil {
			b.Fatal(err)
		}
	}
}

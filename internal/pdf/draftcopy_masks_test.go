package pdf_test

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"testing"

	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/pdf/pdftest"
)

// pdfWithMaskedPicture is a one-page PDF whose page draws a small black picture through a
// mask that holds the scan: what scanners' compact (mixed raster) PDFs write, the page's text
// in a full-resolution mask and its colour in a small picture. mask is the entries of the
// mask's dictionary, data its samples, and key the picture's entry naming it (SMask, Mask).
func pdfWithMaskedPicture(key, mask string, data []byte) []byte {
	content := "q 400 0 0 520 50 150 cm /Im0 Do Q"
	black := pdftest.Deflate(make([]byte, 4*4))
	return pdftest.Build(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 500 842] /Resources << /XObject << /Im0 4 0 R >> >> /Contents 6 0 R >>",
		pdftest.Stream(fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width 4 /Height 4 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode /%s 5 0 R /Length %d >>", key, len(black)), black),
		pdftest.Stream(fmt.Sprintf("<< /Type /XObject /Subtype /Image %s /Length %d >>", mask, len(data)), data),
		pdftest.Stream(fmt.Sprintf("<< /Length %d >>", len(content)), []byte(content)),
	)
}

// TestCopiesMarkPicturesInTheirMasks: a picture's soft mask (/SMask) or mask (/Mask) is a
// picture too, and where a scanner's compact PDF keeps the page's text, the picture itself
// being a colour; `pdfimages` takes masks out like any picture. The copy's marks must be in
// every picture taken out of a copy or a preview that shows the scan, its masks included.
func TestCopiesMarkPicturesInTheirMasks(t *testing.T) {
	scan := scanPage()
	w, h := scan.Rect.Dx(), scan.Rect.Dy()
	alpha := make([]byte, w*h) // the soft mask: opaque where the scan is dark
	row := (w + 7) / 8
	bits := make([]byte, row*h) // the mask: 0 paints, where the scan is dark
	for y := range h {
		for x := range w {
			alpha[y*w+x] = 255 - scan.GrayAt(x, y).Y
			if scan.GrayAt(x, y).Y > 128 {
				bits[y*row+x/8] |= 1 << (7 - x%8)
			}
		}
	}
	docs := map[string][]byte{
		"soft mask": pdfWithMaskedPicture("SMask", fmt.Sprintf("/Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode", w, h), pdftest.Deflate(alpha)),
		"mask":      pdfWithMaskedPicture("Mask", fmt.Sprintf("/Width %d /Height %d /ImageMask true /BitsPerComponent 1 /Filter /FlateDecode", w, h), pdftest.Deflate(bits)),
	}
	for name, src := range docs {
		orig := scanSized(pictureImages(t, src), w, h)
		if orig == nil {
			t.Fatalf("%s: pdfimages takes no %d×%d picture out of the source", name, w, h)
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
			pic := scanSized(pictureImages(t, doc), w, h)
			if pic == nil {
				t.Fatalf("%s %s: pdfimages takes no %d×%d picture out", name, kind, w, h)
			}
			// Marked, the banner changes thousands of pixels (a screen of dots in a
			// one-bit mask); unmarked, none.
			if d := changedPixels(orig, pic); d < 1500 {
				t.Errorf("%s %s: the mask taken out differs from the scan in %d pixels: unmarked", name, kind, d)
			}
		}
	}
}

// TestCopyRefusesMaskItCannotMark: a mask in JBIG2 (what compact PDFs compress text masks
// with) or JPEG 2000 cannot be decoded here, so the marks cannot go into it: the copy is
// refused, as for any other picture (TestCopyRefusesPictureItCannotMark).
func TestCopyRefusesMaskItCannotMark(t *testing.T) {
	junk := bytes.Repeat([]byte{0x5a}, 300)
	for key, dict := range map[string]string{
		"Mask":  "/Width 400 /Height 520 /ImageMask true /BitsPerComponent 1 /Filter /JBIG2Decode",
		"SMask": "/Width 400 /Height 520 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /JPXDecode",
	} {
		if _, err := pdf.Watermark(pdfWithMaskedPicture(key, dict, junk), mark); !errors.Is(err, pdf.ErrUnmarkable) {
			t.Errorf("%s: watermark: %v, want ErrUnmarkable", key, err)
		}
	}
}

// scanSized returns the picture of w×h pixels among pics, nil if there is none.
func scanSized(pics []image.Image, w, h int) image.Image {
	for _, p := range pics {
		if p.Bounds().Dx() == w && p.Bounds().Dy() == h {
			return p
		}
	}
	return nil
}

package pdf_test

import (
	"bytes"
	"context"
	"flag"
	"image"
	"testing"

	"github.com/chancery/chancery/internal/ocr/ocrtest"
	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/pdf/pdftest"
)

// The seed corpus is in testdata/fuzz/FuzzCheck and testdata/fuzz/FuzzText: small real PDFs
// (rendered, stamped, a draft copy, hand-written, with object streams, encrypted).

func FuzzCheck(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		info, err := pdf.Check(data)
		if err == nil && (info == nil || info.Pages < 1 || info.Pages > pdf.MaxPages) {
			t.Fatalf("Check accepted with %+v", info)
		}
	})
}

func FuzzText(f *testing.F) {
	// Decompression bombs (issue 12 item 2), small enough to run with every test. Under
	// -fuzz, in the fuzzer's instrumented binary, the contents array and the nested filters
	// take 15 to 20 s each on a 2-core machine, past the 10 s the fuzzer allows an input: its
	// worker died on them before fuzzing anything; and mutations of the 3 MB ToUnicode bomb
	// took the rest of the run. They are seeds of the regular run only (TestTextDecodeBombs
	// runs them with larger ones).
	if !fuzzing() {
		f.Add(contentArrayBomb(5<<20, 8))
		f.Add(toUnicodeBomb(3 << 20))
		f.Add(nestedFlateBomb())
	}
	// A scanner's searchable PDF: a picture under an invisible text layer.
	f.Add(ocrtest.SearchablePDF(f, []image.Image{image.NewGray(image.Rect(0, 0, 40, 50))}, 72, "invisible words\n"))
	// A scan with a box drawn over its picture and a link over its footer.
	f.Add(ocrtest.PicturesPDF(f, []image.Image{image.NewGray(image.Rect(0, 0, 40, 50))}, 72, map[int]ocrtest.Over{0: {Draw: "1 g 0 0 10 10 re f\n", Link: "https://example.org/v/X/y"}}))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := pdf.Text(data)
		if err != nil && s != "" {
			t.Fatal("text with an error")
		}
		// The rendering modes are read from the same streams, under the same budgets.
		if hidden, err := pdf.InvisibleText(context.Background(), data); err != nil && hidden {
			t.Fatal("an invisible text layer with an error")
		}
		// So are the pages' operators, whether they draw one picture alone.
		if only, err := pdf.PicturesOnly(context.Background(), data, 10); err != nil && only {
			t.Fatal("pictures alone with an error")
		}
	})
}

// FuzzMark: a draft copy is made of whatever PDF a member uploads, annotations, forms,
// embedded files and actions included (settle, dropActions, the marks and their relabelling).
// A PDF is refused or marked, without a panic; a marked copy is a PDF Check accepts, and not
// the upload's bytes. Seeds: the FuzzCheck corpus, a letter, an annotated and a scripted PDF,
// pictures the marks are drawn into (gray, and a one-bit stencil).
func FuzzMark(f *testing.F) {
	f.Add(letter(f, 2))
	f.Add(annotated())
	f.Add(scripted())
	f.Add(pdfWithPicture("/Width 64 /Height 64 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode", pdftest.Deflate(bytes.Repeat([]byte{200}, 64*64)), true))
	f.Add(pdfWithPicture("/Width 64 /Height 64 /ImageMask true /Filter /FlateDecode", pdftest.Deflate(bytes.Repeat([]byte{0xf0}, 8*64)), false))
	f.Add(pdfWithInlineImage("/W 64 /H 64 /CS /G /BPC 8", bytes.Repeat([]byte{200}, 64*64), "<< >>", false))
	f.Add(pdfWithInlineImage("/W 64 /H 64 /IM true /F /Fl", pdftest.Deflate(bytes.Repeat([]byte{0xf0}, 8*64)), "<< >>", true))
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, err := pdf.Check(data); err != nil {
			return // refused at upload: never marked
		}
		out, err := pdf.Watermark(data, mark)
		if err != nil {
			return
		}
		if _, err := pdf.Check(out); err != nil {
			t.Fatalf("a marked copy that Check refuses: %v", err)
		}
		if bytes.Equal(out, data) {
			t.Fatal("the copy is the upload, unmarked")
		}
	})
}

// fuzzing reports whether the test binary runs a fuzz target's fuzzing (-test.fuzz), not
// only its seeds.
func fuzzing() bool {
	f := flag.Lookup("test.fuzz")
	return f != nil && f.Value.String() != ""
}

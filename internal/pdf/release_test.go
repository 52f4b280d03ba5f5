package pdf_test

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/chancery/chancery/internal/officeca/officecatest"
	"github.com/chancery/chancery/internal/pdf"
)

// raster renders every page of doc as grey images at dpi.
func raster(t *testing.T, doc []byte, dpi int) []*image.Gray {
	t.Helper()
	file := writeTemp(t, "doc.pdf", doc)
	prefix := filepath.Join(t.TempDir(), "p")
	run(t, "pdftoppm", "-r", fmt.Sprint(dpi), "-gray", "-png", file, prefix)
	var out []*image.Gray
	for _, img := range decodePNGs(t, prefix+"*.png") {
		g := image.NewGray(img.Bounds())
		draw.Draw(g, g.Bounds(), img, img.Bounds().Min, draw.Src)
		out = append(out, g)
	}
	return out
}

// decodePNGs decodes the PNG files whose names match glob, in the order of their names.
func decodePNGs(t *testing.T, glob string) []image.Image {
	t.Helper()
	names, _ := filepath.Glob(glob)
	var out []image.Image
	for _, n := range names {
		f, err := os.Open(n)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, img)
	}
	return out
}

// differing counts the pixels of a and b whose grey levels differ by more than a quarter of
// the range: anti-aliasing moves edges by a shade, a misplaced or missing mark by far more.
func differing(a, b *image.Gray) int {
	n := 0
	for i := range a.Pix {
		d := int(a.Pix[i]) - int(b.Pix[i])
		if d > 64 || d < -64 {
			n++
		}
	}
	return n
}

// TestRenderRelease: a release laid out with its footer looks like the letter rendered and
// then stamped, page by page and pixel by pixel, gives the same text on every page, reads as
// the same QR code, is deterministic, and its embedded signature is valid.
func TestRenderRelease(t *testing.T) {
	requireTool(t, "zbarimg")
	s := officecatest.Signer(t, "Task Force North")
	arabic := scriptLetters[4]
	for _, c := range []struct {
		name  string
		body  []byte
		langs []string
	}{
		{"latin", body(8), nil},
		{"arabic-en-ar", []byte(strings.Join(arabic.paragraphs, "\n\n")), []string{"en", "ar"}},
		{"en-fr-ar", body(2), []string{"en", "fr", "ar"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := footer
			f.Languages = c.langs
			rendered, err := pdf.Render("text/markdown", c.body, head)
			if err != nil {
				t.Fatal(err)
			}
			stamped := mustStamp(t, rendered, f)
			got, err := pdf.RenderRelease("text/markdown", c.body, head, f, nil)
			if err != nil {
				t.Fatal(err)
			}
			again, _ := pdf.RenderRelease("text/markdown", c.body, head, f, nil)
			if !bytes.Equal(got, again) {
				t.Fatal("RenderRelease is not deterministic")
			}
			if _, err := pdf.Check(got); err != nil {
				t.Fatalf("the release does not pass Check: %v", err)
			}
			want, have := raster(t, stamped, 50), raster(t, got, 50)
			if len(want) != len(have) {
				t.Fatalf("%d pages, want %d", len(have), len(want))
			}
			for i := range want {
				if n := differing(want[i], have[i]); n > len(want[i].Pix)/2000 {
					t.Errorf("page %d: %d pixels differ from the stamped rendering", i+1, n)
				}
			}
			wantFile, gotFile := writeTemp(t, "stamped.pdf", stamped), writeTemp(t, "release.pdf", got)
			for i := 1; i <= len(want); i++ {
				if w, g := normalize(pageText(t, wantFile, i)), normalize(pageText(t, gotFile, i)); w != g {
					t.Errorf("page %d text:\n got %s\nwant %s", i, g, w)
				}
			}
			prefix := filepath.Join(t.TempDir(), "page")
			run(t, "pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", gotFile, prefix)
			pngs, _ := filepath.Glob(prefix + "*.png")
			for _, p := range pngs {
				out, err := exec.Command("zbarimg", "--quiet", "--raw", p).Output()
				if err != nil || strings.TrimSpace(string(out)) != f.VerifyURL {
					t.Errorf("%s: QR code reads %q (%v), want %q", filepath.Base(p), out, err, f.VerifyURL)
				}
			}

			signed, err := pdf.RenderRelease("text/markdown", c.body, head, f, s)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(signed, got) || len(signed) <= len(got) {
				t.Fatal("the signed release is not the unsigned one with the signature appended")
			}
			requireValidSignature(t, signed)
		})
	}
	if _, err := pdf.RenderRelease("text/plain", []byte("x"), head, pdf.Footer{Office: "O"}, nil); err == nil {
		t.Error("a release without a verify URL was made")
	}
	f := footer
	f.Languages = []string{"de"}
	if _, err := pdf.RenderRelease("text/plain", []byte("x"), head, f, nil); err == nil {
		t.Error("a stamp language Chancery does not ship was accepted")
	}
}

// requireValidSignature fails unless pdfsig finds a valid signature covering the whole file.
func requireValidSignature(t *testing.T, signed []byte) {
	t.Helper()
	requireTool(t, "pdfsig")
	requireTool(t, "certutil")
	nss := t.TempDir()
	run(t, "certutil", "-N", "--empty-password", "-d", "sql:"+nss)
	out, _ := exec.Command("pdfsig", "-nssdir", "sql:"+nss, writeTemp(t, "signed.pdf", signed)).CombinedOutput()
	for _, want := range []string{"Signature is Valid.", "Total document signed"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("pdfsig output lacks %q:\n%s", want, out)
		}
	}
}

// TestMixedLineWords: on lines that mix Arabic with digits and Latin words, in the body and
// in a two-language footer, pdftotext gives back every Arabic word whole, none cut in two
// and none merged with its neighbour. (It gives the words of such a line in visual order,
// left to right, with each right-to-left run in logical order: what pdftotext does with any
// page whose text is mostly left to right.)
func TestMixedLineWords(t *testing.T) {
	arabic := strings.Fields("معالي الوزير تلقينا رسالتكم بشأن التنسيق بين الفرق سيتم إرسال الرد خلال عشرة أيام من تاريخ الاستلام رسالة رسمية صدرت بتاريخ مارس ديسمبر")
	latin := []string{"NATO", "TFN-2026-0042", "Brussels", "42", "2026", "3"}
	var b strings.Builder
	for i := range 300 {
		b.WriteString(arabic[i*7%len(arabic)] + " ")
		if i%3 == 0 {
			b.WriteString(latin[i%len(latin)] + " ")
		}
		if i%40 == 39 {
			b.WriteString("\n\n")
		}
	}
	f := footer
	f.Languages = []string{"en", "ar"}
	doc, err := pdf.RenderRelease("text/plain", []byte(b.String()), head, f, nil)
	if err != nil {
		t.Fatal(err)
	}
	arabicWords := func(s string) []string {
		return strings.FieldsFunc(s, func(r rune) bool { return !unicode.Is(unicode.Arabic, r) })
	}
	stamp := arabicWords("رسالة رسمية، صدرت بتاريخ 2 مارس 2026 امسح الرمز أو افتح العنوان أعلاه للتحقق من هذه الرسالة في السجل العلني للجهة")
	known := map[string]bool{}
	for _, w := range append(arabic, stamp...) {
		known[w] = true
	}
	got := arabicWords(run(t, "pdftotext", writeTemp(t, "mixed.pdf", doc), "-"))
	for _, w := range got {
		if !known[w] {
			t.Errorf("pdftotext gives %q, not a word of the letter", w)
		}
	}
	if want := 300 + len(stamp)*pageCount(t, doc); len(got) != want {
		t.Errorf("pdftotext gives %d Arabic words, want %d", len(got), want)
	}
}

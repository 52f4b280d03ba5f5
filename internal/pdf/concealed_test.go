package pdf_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/pdf/pdftest"
)

// showing is a one-page A4 PDF whose content is content, with the page's further keys page,
// the font F1, the graphics states Clear (nothing painted), Half (half opaque) and Masked
// (a soft mask), the colour spaces None (the separation /None), Ink (a colorant) and ICC (an
// ICC-based RGB) and the 1×1 picture Im1.
func showing(content, page string) []byte {
	return pdftest.Build("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"+page+" /Resources << /Font << /F1 4 0 R >> /XObject << /Im1 6 0 R >> "+
			"/ExtGState << /Clear << /ca 0 /CA 0 >> /Half << /ca 0.5 >> /Masked << /SMask << /S /Luminosity /G 6 0 R >> >> >> "+
			"/ColorSpace << /None [/Separation /None /DeviceGray 7 0 R] /Ink [/Separation /Spot /DeviceGray 7 0 R] /ICC [/ICCBased 8 0 R] >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
		pdftest.Stream(fmt.Sprintf("<< /Length %d >>", len(content)), []byte(content)),
		pdftest.Stream("<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 1 >>", []byte{0}),
		"<< /FunctionType 2 /Domain [0 1] /C0 [1] /C1 [0] /N 1 >>",
		pdftest.Stream("<< /N 3 /Length 0 >>", nil))
}

// concealedIn is the count of text-showing operators Concealed gives for data, read with its
// text as the letter page reads it, and alone.
func concealedIn(t *testing.T, data []byte) int {
	t.Helper()
	l, err := pdf.ReadTextLayer(context.Background(), data)
	if err != nil {
		t.Fatal(err)
	}
	alone, err := l.Concealed()
	if err != nil {
		t.Fatal(err)
	}
	l, err = pdf.ReadTextLayer(context.Background(), data)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Text(); err != nil {
		t.Fatal(err)
	}
	n, err := l.Concealed()
	if err != nil {
		t.Fatal(err)
	}
	if n != alone {
		t.Errorf("%d concealed read with the text, %d alone", n, alone)
	}
	return n
}

// TestConcealedText: text a page's own content shows visibly by its rendering mode may
// still not be seen: "The Ministry will NOT pay the sum" whose "NOT" is white on the paper,
// in the colour of a rectangle under it, fully transparent, half a point high, squeezed to
// nothing, off the page or its crop box, or clipped away reads "will NOT pay" in the text
// layer and "will pay" on the page, in the preview and in the letter released. Concealed
// counts such text. Text that shows (black, white on a dark rectangle or on a picture, light
// grey, small print, turned with the page, inside its clip) is not counted, nor is
// invisible text (rendering mode 3), which Shows counts.
func TestConcealedText(t *testing.T) {
	const (
		before = "BT /F1 14 Tf 72 720 Td (The Ministry will) Tj ET\n"
		after  = "BT /F1 14 Tf 240 720 Td (pay the sum.) Tj ET\n"
		not    = "BT /F1 14 Tf 200 720 Td (NOT) Tj ET\n"
	)
	for _, c := range []struct {
		name, content, page string
		want                int
	}{
		{"black", not, "", 0},
		{"white", "1 g " + not, "", 1},
		{"white in RGB", "1 1 1 rg " + not, "", 1},
		{"white in CMYK", "0 0 0 0 k " + not, "", 1},
		{"white in an ICC space", "/ICC cs 1 1 1 sc " + not, "", 1},
		{"almost white", "0.98 g " + not, "", 1},
		{"no tint of a colorant", "/Ink cs 0 scn " + not, "", 1},
		{"the separation None", "/None cs 1 scn " + not, "", 1},
		{"transparent", "/Clear gs " + not, "", 1},
		{"blue on a blue rectangle", "0 0 1 rg 195 710 40 30 re f " + not, "", 1},
		{"black on a black path", "0 g 195 710 m 235 710 l 235 740 l 195 740 l h f " + not, "", 1},
		{"white on a black rectangle", "0 g 195 710 40 30 re f 1 g " + not, "", 0},
		{"white on a white circle", "1 g 215 725 m 215 745 235 745 235 725 c 235 705 215 705 215 725 c f " + not, "", 1},
		{"black in a black frame", "0 g 190 705 m 260 705 l 260 745 l 190 745 l 190 706 l 191 706 l 191 744 l 259 744 l 259 706 l 190 706 l h f* " + not, "", 0},
		{"black in a frame of two rectangles", "0 g 190 705 70 40 re 191 706 68 38 re f* " + not, "", 0},
		{"white on a black circle", "0 g 200 725 m 200 745 250 745 250 725 c 250 705 200 705 200 725 c f 1 g " + not, "", 0},
		{"black over a struck line", "0 g 195 724 40 1 re f " + not, "", 0},
		{"black on a white symbol on a black square", "0 g 195 710 40 30 re f 1 g BT /F1 20 Tf 198 715 Td (O) Tj ET 0 g " + not, "", 0},
		{"white on a black word", "0 g BT /F1 14 Tf 200 720 Td (Notice) Tj ET 1 g " + not, "", 1},
		{"white on a rectangle elsewhere", "0 g 10 10 60 30 re f 1 g " + not, "", 1},
		{"white on a picture", "q 40 0 0 30 195 710 cm /Im1 Do Q 1 g " + not, "", 0},
		{"white under a soft mask", "/Masked gs 1 g " + not, "", 0},
		{"white stroked", "1 G 1 Tr " + not, "", 1},
		{"white filled, black stroked", "1 g 0 G 2 Tr " + not, "", 0},
		{"half opaque black", "/Half gs " + not, "", 0},
		{"light grey", "0.8 g " + not, "", 0},
		{"half a point high", "BT /F1 0.5 Tf 200 720 Td (NOT) Tj ET\n", "", 1},
		{"scaled down by the text matrix", "BT /F1 14 Tf 0.02 0 0 0.02 200 720 Tm (NOT) Tj ET\n", "", 1},
		{"scaled down by the CTM", "q 0.05 0 0 0.05 200 720 cm BT /F1 14 Tf (NOT) Tj ET Q\n", "", 1},
		{"squeezed flat", "q 1 0 0 0.01 0 712.8 cm BT /F1 14 Tf 200 720 Td (NOT) Tj ET Q\n", "", 1},
		{"squeezed narrow", "BT /F1 14 Tf 1 Tz 200 720 Td (NOT) Tj ET\n", "", 1},
		{"small print", "BT /F1 5 Tf 200 720 Td (NOT) Tj ET\n", "", 0},
		{"below the page", "BT /F1 14 Tf 200 -300 Td (NOT) Tj ET\n", "", 1},
		{"right of the page", "BT /F1 14 Tf 900 720 Td (NOT) Tj ET\n", "", 1},
		{"moved off the page by T*", "BT /F1 14 Tf 5000 TL 200 720 Td T* (NOT) Tj ET\n", "", 1},
		{"outside the crop box", "BT /F1 14 Tf 200 800 Td (NOT) Tj ET\n", " /CropBox [0 0 595 760]", 1},
		{"inside the crop box", not, " /CropBox [0 0 595 760]", 0},
		{"clipped away", "q 0 0 50 50 re W n " + not + "Q\n", "", 1},
		{"clipped away by a path", "q 0 0 m 50 0 l 50 50 l h W* n " + not + "Q\n", "", 1},
		{"inside its clip", "q 190 700 100 50 re W n " + not + "Q\n", "", 0},
		{"after its clip is restored", "q 0 0 50 50 re W n Q\n" + not, "", 0},
		{"after a white rectangle", "1 g 0 0 595 842 re f 0 g " + not, "", 0},
		{"turned with the page", "q 0 1 -1 0 595 0 cm BT /F1 14 Tf 200 300 Td (NOT) Tj ET Q\n", "", 0},
		{"a long line from the left edge", "BT /F1 14 Tf -30 720 Td (A long line that runs into the page) Tj ET\n", "", 0},
		{"invisible", "3 Tr " + not, "", 0},
		{"a space clipped away", "q 0 0 50 50 re W n BT /F1 14 Tf 200 720 Td [( ) 100 ( )] TJ ET Q\n", "", 0},
		{"restored to black", "q 1 g Q " + not, "", 0},
		{"white after it", not + "1 g", "", 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := concealedIn(t, showing(before+"q "+c.content+"Q\n"+after, c.page)); got != c.want {
				t.Errorf("%d concealed, want %d", got, c.want)
			}
		})
	} // The boxes a page inherits from its page tree.
	content := before + "BT /F1 14 Tf 200 800 Td (NOT) Tj ET\n" + after
	inherited := pdftest.Build("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [6 0 R] /Count 1 /MediaBox [0 0 595 842] /CropBox [0 0 595 760] >>",
		"<< /Type /Pages /Parent 2 0 R /Kids [4 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 3 0 R /Resources << /Font << /F1 5 0 R >> >> /Contents 7 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
		"<< /Type /Pages /Parent 2 0 R /Kids [3 0 R] /Count 1 >>",
		pdftest.Stream(fmt.Sprintf("<< /Length %d >>", len(content)), []byte(content)))
	if got := concealedIn(t, inherited); got != 1 {
		t.Errorf("outside a crop box the page inherits: %d concealed, want 1", got)
	}
}

// TestConcealedTextNotInLetters: the office's own letters, drafts and releases, in each
// script, and the densest page of a letter LibreOffice wrote, conceal no text.
func TestConcealedTextNotInLetters(t *testing.T) {
	z, err := os.ReadFile("testdata/libreoffice-page.deflate")
	if err != nil {
		t.Fatal(err)
	}
	page := pdftest.Build("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.304 841.89] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		pdftest.Stream(fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>", len(z)), z),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
	if n := concealedIn(t, page); n != 0 {
		t.Errorf("the LibreOffice page: %d concealed", n)
	}
	footer := pdf.Footer{Office: "Task Force North", Reference: "TFN-2026-000042", VerifyURL: "https://letters.example.org/v/TFN-2026-000042",
		Released: time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC), Languages: []string{"en", "fr", "ar"}}
	for i, text := range []string{
		"The ministry pays 1,500,000 dollars to the contractor.\n\nSecond paragraph, **bold** and *italic*, `code`.\n\n> A quote.\n\n- one\n- two\n",
		"تدفع الوزارة مليون دينار للمقاول.\n",
		"המשרד משלם למקבלן.\n",
		"मंत्रालय ठेकेदार को भुगतान करता है।\n",
		"部委向承包商支付款项。\n",
		strings.Repeat("A long letter of many pages, line after line of plain words. ", 300),
	} {
		head := pdf.Letterhead{Office: "Task Force North", Reference: "TFN-2026-000042", Addressees: []string{"Treasury"}, Subject: "Payment",
			Signatories: []string{"Sam Signer"}, Date: time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)}
		letter, err := pdf.Render("text/markdown", []byte(text), head)
		if err != nil {
			t.Fatal(err)
		}
		if n := concealedIn(t, letter); n != 0 {
			t.Errorf("letter %d: %d concealed", i, n)
		}
		release, err := pdf.RenderRelease("text/markdown", []byte(text), head, footer, nil)
		if err != nil {
			t.Fatal(err)
		}
		if n := concealedIn(t, release); n != 0 {
			t.Errorf("release %d: %d concealed", i, n)
		}
	}
}

// TestConcealedTextNotInScans: a scan with Tesseract's text layer (invisible text over the
// page's picture, rendering mode 3) conceals no text: Shows already counts that text as
// hidden, and Concealed does not count it again.
func TestConcealedTextNotInScans(t *testing.T) {
	pdftoppm, tesseract := requireTool(t, "pdftoppm"), requireTool(t, "tesseract")
	letter, err := pdf.Render("text/plain", []byte("The Ministry will pay the sum of 1,000,000 euros to the contractor.\n\nYours faithfully,"),
		pdf.Letterhead{Office: "Task Force North", Reference: "TFN-2026-000042", Subject: "Payment"})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "letter.pdf"), letter, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(pdftoppm, "-r", "150", "-png", "-singlefile", filepath.Join(dir, "letter.pdf"), filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	cmd := exec.Command(tesseract, filepath.Join(dir, "page.png"), filepath.Join(dir, "scan"), "-l", "eng", "pdf")
	cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("tesseract: %v\n%s", err, out)
	}
	scan, err := os.ReadFile(filepath.Join(dir, "scan.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	l, err := pdf.ReadTextLayer(context.Background(), scan)
	if err != nil {
		t.Fatal(err)
	}
	text, err := l.Text()
	if err != nil || !strings.Contains(text, "Ministry") {
		t.Fatalf("the scan's text layer: %q, %v", text, err)
	}
	if n := concealedIn(t, scan); n != 0 {
		t.Errorf("%d concealed", n)
	}
	if _, hidden, err := l.Shows(); err != nil || hidden == 0 {
		t.Errorf("%d hidden, %v; want the scan's text hidden", hidden, err)
	}
}

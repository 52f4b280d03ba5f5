package pdf_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/pdf/pdftest"
	"github.com/pdfcpu/pdfcpu/pkg/api"
)

// watermarkLabelled reports the first page of doc whose content labels something a
// watermark artifact (PDF 32000-1 14.8.2.2.2), what removal tools look for.
func watermarkLabelled(t *testing.T, doc []byte) int {
	t.Helper()
	ctx, err := api.ReadContext(bytes.NewReader(doc), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := api.ValidateContext(ctx); err != nil {
		t.Fatal(err)
	}
	if ctx.PageCount < 1 {
		t.Fatal("no pages")
	}
	for i := 1; i <= ctx.PageCount; i++ {
		d, _, _, err := ctx.PageDict(i, false)
		if err != nil {
			t.Fatal(err)
		}
		content, err := ctx.PageContent(d, i)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(content, []byte("/Watermark")) {
			return i
		}
	}
	return 0
}

// TestMarksSurviveWatermarkRemoval: `pdfcpu watermark remove` (and `stamp remove`) strip,
// in one command, every watermark pdfcpu recognises as its own. The DRAFT marks of a
// coordination copy and of a preview, with the line naming whose copy it is, are drawn with
// pdfcpu: they must not read as removable watermarks, or anyone could turn a marked,
// recorded copy back into a clean draft (and a preview into a letter with the release
// footer) without editing a content stream.
func TestMarksSurviveWatermarkRemoval(t *testing.T) {
	src := letter(t, 2)
	at := time.Date(2026, 3, 2, 14, 30, 0, 0, time.UTC)
	for _, langs := range [][]string{nil, {"en", "fr"}} {
		m := mark
		m.Languages = langs
		draft, err := pdf.Watermark(src, m)
		if err != nil {
			t.Fatal(err)
		}
		preview, err := pdf.Preview(src, pdf.PreviewMark{Reference: "TFN-2026-0042", Version: 2, Member: "rita", At: at, Languages: langs})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name string
			doc  []byte
			line string
		}{{"draft copy", draft, "Coordination copy for Liaison cell"}, {"preview", preview, "Preview of TFN-2026-0042 v2 for rita"}} {
			if p := watermarkLabelled(t, c.doc); p != 0 {
				t.Errorf("%s %v: page %d labels its marks as a watermark", c.name, langs, p)
			}
			var out bytes.Buffer
			if err := api.RemoveWatermarks(bytes.NewReader(c.doc), &out, nil, nil); err != nil {
				continue // nothing pdfcpu recognises as a watermark
			}
			file := writeTemp(t, "removed.pdf", out.Bytes())
			for i := 1; i <= pageCount(t, out.Bytes()); i++ {
				if txt := pageText(t, file, i); !strings.Contains(txt, "DRAFT") || !strings.Contains(txt, c.line) {
					t.Errorf("%s %v: page %d lost its marks to pdfcpu's watermark removal:\n%s", c.name, langs, i, txt)
				}
			}
		}
	}
}

// TestCheckRefusesPagesThatSaveTooManyStates: the marks are isolated from a page's content by
// as many saved graphics states as the content could restore (isolateContent); a page with
// more 'Q' operators than a viewer should be made to keep states for is refused on upload,
// not when a copy is asked for, and an ordinary page is accepted.
func TestCheckRefusesPagesThatSaveTooManyStates(t *testing.T) {
	page := func(content string) []byte {
		return pdftest.Build(
			"<< /Type /Catalog /Pages 2 0 R >>",
			"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
			"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
			pdftest.Stream(fmt.Sprintf("<< /Length %d >>", len(content)), []byte(content)),
		)
	}
	if _, err := pdf.Check(page(strings.Repeat("q 0 0 1 1 re f Q\n", 1000))); err != nil {
		t.Errorf("an ordinary page refused: %v", err)
	}
	if _, err := pdf.Check(page(strings.Repeat("Q ", 40000))); !errors.Is(err, pdf.ErrInvalid) {
		t.Errorf("a page restoring 40,000 states: got %v, want ErrInvalid", err)
	}
}

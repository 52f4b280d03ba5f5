package pdf_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/pdf"
)

// TestRenderRefusesLettersOverMaxPages: a letter that lays out to more than MaxPages pages
// is refused (ErrTooLarge) by Render and RenderRelease, as Check refuses such a PDF. Before,
// a 56 KB text of one-line paragraphs laid out to 600 pages: its release was made and
// signed, while its draft copies and previews (Watermark and Preview check their input)
// were refused, and Text refused the released file. A letter within the bound renders, and
// its pages pass Check.
func TestRenderRefusesLettersOverMaxPages(t *testing.T) {
	paragraphs := func(n int) []byte { return []byte(strings.Repeat("a\n\n", n)) }
	footer := pdf.Footer{Office: head.Office, Reference: head.Reference, Released: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC), VerifyURL: "https://registry.example/v/TFN-2026-000042/CHECK"}
	long := paragraphs(31 * (pdf.MaxPages + 100))
	for _, mt := range []string{"text/plain", "text/markdown"} {
		if out, err := pdf.Render(mt, long, head); !errors.Is(err, pdf.ErrTooLarge) || out != nil {
			info, cerr := pdf.Check(out)
			t.Errorf("%s: Render = %d bytes, %v; want ErrTooLarge (Check: %v, %v)", mt, len(out), err, info, cerr)
		}
		if out, err := pdf.RenderRelease(mt, long, head, footer, nil); !errors.Is(err, pdf.ErrTooLarge) || out != nil {
			t.Errorf("%s: RenderRelease = %d bytes, %v; want ErrTooLarge", mt, len(out), err)
		}
	}
	out, err := pdf.Render("text/plain", paragraphs(31*(pdf.MaxPages-100)), head)
	if err != nil {
		t.Fatal(err)
	}
	info, err := pdf.Check(out)
	if err != nil || info.Pages < pdf.MaxPages-120 || info.Pages > pdf.MaxPages {
		t.Errorf("a letter of about %d pages: %v, %v", pdf.MaxPages-100, info, err)
	}
	if pages := run(t, "pdfinfo", writeTemp(t, "long.pdf", out)); !strings.Contains(strings.Join(strings.Fields(pages), " "), fmt.Sprintf("Pages: %d ", info.Pages)) {
		t.Errorf("pdfinfo, for %d pages:\n%s", info.Pages, pages)
	}
}

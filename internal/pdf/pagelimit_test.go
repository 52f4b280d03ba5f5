package pdf_test

import (
	"errors"
	"fmt"
	"runtime"
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

// TestLongParagraphStopsAtThePageLimit: a letter of one paragraph longer than MaxPages
// pages, without a line break, is refused once its pages are full. Before, the whole
// paragraph was shaped and wrapped first: 8 MB of words cost about 3.8 GB of allocations
// (1.9 GB for 4 MB), where laying out MaxPages pages costs about 0.3 GB; and in Markdown,
// whose paragraph drops the trailing space, its width overflowed go-text's fixed point, so
// the wrapper took it for one line that fits: a one-page letter showing 18 words, the rest
// drawn off the page, and no error. (TestLongParagraphLaidOutInParts: a paragraph laid out
// in parts is the one laid out whole.)
func TestLongParagraphStopsAtThePageLimit(t *testing.T) {
	body := []byte(strings.Repeat("word ", 1_600_000))
	for _, mt := range []string{"text/plain", "text/markdown"} {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		out, err := pdf.Render(mt, body, head)
		runtime.ReadMemStats(&after)
		if !errors.Is(err, pdf.ErrTooLarge) || out != nil {
			t.Errorf("%s: Render = %d bytes, %v; want ErrTooLarge", mt, len(out), err)
		}
		// Room for a loaded machine's garbage collector and for the test's own process.
		if mb := (after.TotalAlloc - before.TotalAlloc) >> 20; mb > 1200 {
			t.Errorf("%s: refusing a paragraph of %d MB allocated %d MB", mt, len(body)>>20, mb)
		}
	}
}

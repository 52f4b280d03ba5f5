package web

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/ocr"
)

// TestComparePages: pages that show their text say nothing; a word of the text the pages do
// not show is listed, at the text's very end too (every page was read: not a scan's missing
// page); a PDF of more pages than OCR reads is compared on the pages read.
func TestComparePages(t *testing.T) {
	var pages []string
	for i := range ocr.MaxPages + 2 {
		pages = append(pages, fmt.Sprintf("Page %d of the decision: the Ministry will pay the sum agreed with the Treasury.", i+1))
	}
	text := strings.Join(pages, "\f")
	read := strings.Join(pages[:ocr.MaxPages], "\f") + "\f" // the pages not read (ocr.Reading.Text)
	for _, c := range []struct {
		name, text, shown string
		runs              []pagesRun
		first             int
	}{
		{"the same", pages[0], pages[0], nil, 0},
		{"a word not shown", strings.Replace(pages[0], "will pay", "will NOT pay", 1), pages[0], []pagesRun{{Text: "not"}}, 0},
		{"a last sentence not shown", pages[0] + " This offer is void.", pages[0], []pagesRun{{Text: "this offer is void"}}, 0},
		{"a word shown only", pages[0], strings.Replace(pages[0], "will pay", "will NOT pay", 1), []pagesRun{{Pages: "not"}}, 0},
		{"more pages than are read", text, read, nil, ocr.MaxPages},
	} {
		s := comparePages(c.text, c.shown)
		if fmt.Sprint(s.Runs) != fmt.Sprint(c.runs) || s.FirstPages != c.first || s.More {
			t.Errorf("%s: %+v; want runs %+v, first pages %d", c.name, s, c.runs, c.first)
		}
	}
}

package pdf_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/budget"
	"github.com/chancery/chancery/internal/pdf"
)

// cmapPage is a one-page PDF whose font F1 has a /ToUnicode map of n entries, none of
// which the codes shown map (they are of two bytes, the codes of one), and which shows
// strings strings of 10,000 bytes.
func cmapPage(n, strings_ int) []byte {
	var m strings.Builder
	m.WriteString("/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n1 begincodespacerange <00> <FF> endcodespacerange\n")
	fmt.Fprintf(&m, "%d beginbfchar\n", n)
	for i := range n {
		fmt.Fprintf(&m, "<%04X> <0041>\n", i%0x10000)
	}
	m.WriteString("endbfchar\nendcmap CMapName currentdict /CMap defineresource pop end end")
	cmap := m.String()
	content := "BT /F1 12 Tf " + strings.Repeat("("+strings.Repeat("A", 10_000)+") Tj\n", strings_) + "ET"
	return contentPage([]byte(content), helveticaResources, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(cmap), cmap))
}

// TestTextDecodingWithinTheTimeBudget (found by audit, forty-first session): the extractor
// decodes each code of a string by a search of all the entries of the font's /ToUnicode
// map, which is bounded by bytes (2 MiB), not entries: 100 KB of strings in a font whose
// map has 100,000 entries (1.3 MB) took Text 10 s, past the request's time budget, which
// nothing looked at while the page was read. The decoding of a page's strings now stops
// once the budget is spent, each kilobyte of them. (Maps of more than 20,000 entries are now
// refused, TestTextCMapEntriesBounded; 200 KB of strings in a map of 19,999 pairs take some
// 5 s.)
func TestTextDecodingWithinTheTimeBudget(t *testing.T) {
	data := cmapPage(19_999, 20)
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	if _, err := pdf.TextContext(ctx, data); !errors.Is(err, budget.ErrExceeded) {
		t.Errorf("%v, want budget.ErrExceeded", err)
	}
	// A map of a few entries costs nothing, and its text is read.
	if s, err := pdf.Text(cmapPage(10, 2)); err != nil || len(s) != 2*3*10_000 {
		t.Errorf("%d bytes, %v", len(s), err)
	}
}

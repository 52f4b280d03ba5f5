package pdf_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/pdf/pdftest"
)

// cmapFontPage is a one-page PDF whose font F1 has the /ToUnicode program cmap, deflated,
// and which shows strings strings of 1,000 bytes.
func cmapFontPage(cmap string, strings_ int) []byte {
	z := pdftest.Deflate([]byte(cmap))
	content := "BT /F1 12 Tf " + strings.Repeat("("+strings.Repeat("A", 1_000)+") Tj\n", strings_) + "ET"
	return contentPage([]byte(content), "<< /Font << /F1 5 0 R >> >>", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
		pdftest.Stream(fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>", len(z)), z))
}

// bfcharMap is a /ToUnicode program of one codespace range and n bfchar pairs, none of
// which the one-byte codes shown map.
func bfcharMap(n int) string {
	var m strings.Builder
	m.WriteString("/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n1 begincodespacerange <00> <FF> endcodespacerange\n")
	fmt.Fprintf(&m, "%d beginbfchar\n", n)
	for i := range n {
		fmt.Fprintf(&m, "<%04X> <0041>\n", i%0x10000)
	}
	m.WriteString("endbfchar\nendcmap CMapName currentdict /CMap defineresource pop end end")
	return m.String()
}

// countMap is a /ToUnicode program whose one bfchar section says it has n pairs and holds
// none, ended times times: the extractor makes n empty pairs at each end.
func countMap(n, times int) string {
	return "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n1 begincodespacerange <00> <FF> endcodespacerange\n" +
		fmt.Sprint(n) + " beginbfchar " + strings.Repeat("endbfchar ", times) + "\nendcmap CMapName currentdict /CMap defineresource pop end end"
}

// TestTextCMapEntriesBounded (found by audit, forty-first session): /ToUnicode maps were
// bounded by bytes, not entries, and the extractor searches all the entries of a map for each
// code it decodes, and makes as many entries as a section's count says: a map of 100,000
// pairs made 10 KB of text cost 1.2 to 1.9 s and 55 MiB, a section counted 1,000,000 and
// empty made 1 KB cost 3.5 s and 164 MiB, and one whose count of 10,000,000 was a name
// defined before it 1.5 GiB. The maps of a page are now refused past their bounds of
// entries, before the extractor reads them.
func TestTextCMapEntriesBounded(t *testing.T) {
	for name, data := range map[string][]byte{
		"100,000 pairs":              cmapFontPage(bfcharMap(100_000), 10),
		"a count of 1,000,000":       cmapFontPage(countMap(1_000_000, 1), 1),
		"a count of 10,000 ended 10": cmapFontPage(countMap(10_000, 10), 10),
		"a count defined":            cmapFontPage(strings.Replace(countMap(1, 1), "1 beginbfchar", "/N 10000000 def N beginbfchar", 1), 10),
	} {
		var err error
		// Refused, a page costs some 5 MiB to read, more with the race detector (8 MiB was
		// exceeded in a run with it); read, these cost 55 MiB to 1.5 GiB.
		if n := allocated(func() { _, err = pdf.Text(data) }); n > 24<<20 {
			t.Errorf("%s: %d MiB allocated", name, n>>20)
		}
		if !errors.Is(err, pdf.ErrTooLarge) {
			t.Errorf("%s: %v, want pdf.ErrTooLarge", name, err)
		}
	}
	// A map within the bound is read, and its text.
	if s, err := pdf.Text(cmapFontPage(bfcharMap(1_000), 2)); err != nil || len(s) != 2*3*1_000 {
		t.Errorf("%d bytes, %v", len(s), err)
	}
}

func BenchmarkTextCMapEntries(b *testing.B) {
	for name, data := range map[string][]byte{
		"100000pairs": cmapFontPage(bfcharMap(100_000), 10),
		"count1M":     cmapFontPage(countMap(1_000_000, 1), 1),
	} {
		b.Run(name, func(b *testing.B) {
			for range b.N {
				if _, err := pdf.Text(data); err != nil && !errors.Is(err, pdf.ErrTooLarge) {
					b.Fatal(err)
				}
			}
		})
	}
}

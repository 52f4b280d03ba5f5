package pdf_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/pdf"
)

// helvetica is the resources and font object of a page whose text shows in F1, WinAnsi
// encoded, the extractor's costliest ordinary encoding: it decodes a string through a slice
// of runes four times its length.
const (
	helveticaResources = "<< /Font << /F1 5 0 R >> >>"
	helvetica          = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
)

// longStrings is a one-page PDF whose content shows n strings of size bytes each, s
// repeated, each in a text object of its own, in F1 (helvetica).
func longStrings(n, size int, s string) []byte {
	one := strings.Repeat(s, size/len(s))
	return contentPage([]byte("/F1 12 Tf\n"+strings.Repeat("BT ("+one+") Tj ET\n", n)), helveticaResources, helvetica)
}

// TestTextLongStringsBounded (found by audit, fortieth session; measured at the
// forty-first): a content stream of long strings, 31 of one MiB in a 31 KB upload, cost
// Text some 290 MiB (410 MiB in a WinAnsi font, 600 MiB as one string of 31 MiB, 690 MiB
// of bytes that decode to U+FFFD), only for maxText to keep 4 MiB of it: each string was
// read, decoded and appended whole, the page's text trimmed, copied into the document's. A
// string longer than any line of a letter is now refused with the content that holds it
// (ErrTooLarge), and a page's text is decoded only until the document's text is full.
func TestTextLongStringsBounded(t *testing.T) {
	for name, data := range map[string][]byte{
		"31 strings of 1 MiB": longStrings(31, 1<<20, "A"),
		"a string of 31 MiB":  longStrings(1, 31<<20, "A"),
	} {
		for read, f := range publicReads {
			var err error
			grew := allocated(func() { err = f(data) })
			if !errors.Is(err, pdf.ErrTooLarge) {
				t.Errorf("%s: %s: %v, want ErrTooLarge", name, read, err)
			}
			if grew > 8<<20 {
				t.Errorf("%s: %s allocated %d MiB", name, read, grew>>20)
			}
		}
	}
	// Strings within the bound, 30 MiB of them, more text than Text returns: the document's
	// text is cut where it was, and what it does not keep is neither decoded nor copied.
	for name, s := range map[string][2]string{
		"letters":                 {"A", "A"},
		"words":                   {"Dear Minister, ", "Dear Minister, "},
		"two-byte characters":     {"\xff", "\u00ff"},
		"spaces and then letters": {strings.Repeat(" ", 40_000) + strings.Repeat("B", 20_000), ""},
	} {
		data := longStrings(500, 60_000, s[0])
		var text string
		var err error
		grew := allocated(func() { text, err = pdf.Text(data) })
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if want := wantLongStrings(500, 60_000, s[0], s[1]); text != want {
			t.Errorf("%s: %d bytes of text, %.20q…; want %d, %.20q…", name, len(text), text, len(want), want)
		}
		// Before: 350 to 620 MiB; now 64 to 114 MiB: the content's strings as the extractor
		// reads them (30 MiB), and those decoded until the text is full (the most when
		// trimming drops much of what they decode to).
		if grew > 128<<20 {
			t.Errorf("%s: Text allocated %d MiB", name, grew>>20)
		}
	}
}

// wantLongStrings is the text Text reads from longStrings(n, size, s): each string decoded
// (s reads as decoded, or as itself when decoded is empty) and trimmed, a line each, cut at
// 4 MiB.
func wantLongStrings(n, size int, s, decoded string) string {
	line := strings.Repeat(s, size/len(s))
	if decoded != "" {
		line = strings.Repeat(decoded, size/len(s))
	}
	text := strings.Repeat(strings.TrimSpace(line)+"\n", n)
	return strings.ToValidUTF8(text[:4<<20], "")
}

// BenchmarkTextLongStrings is Text of 31 strings of 1 MiB in a 31 KB upload, and of 500
// strings of 60,000 bytes, 30 MiB of content that decodes to more text than Text keeps.
func BenchmarkTextLongStrings(b *testing.B) {
	for name, data := range map[string][]byte{
		"31x1MiB":   longStrings(31, 1<<20, "A"),
		"500x60000": longStrings(500, 60_000, "A"),
	} {
		b.Run(name, func(b *testing.B) {
			start := cpuTime(b)
			for b.Loop() {
				if _, err := pdf.Text(data); err != nil && !errors.Is(err, pdf.ErrTooLarge) {
					b.Fatal(err)
				}
			}
			reportCPU(b, start)
		})
	}
}

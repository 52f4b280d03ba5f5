package ocr

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParseLinks: pdfinfo -url prints the addresses a PDF's links hold, which its author
// chose, line breaks included: any output is read without failing, into distinct, trimmed,
// valid addresses, at most MaxLinks of them (more is ErrTooLarge), each from the output.
func FuzzParseLinks(f *testing.F) {
	f.Add("Page  Type          URL\n   1  Annotation    https://tfn.example/v/TFN-2026-000001/4koxopx4\n")
	f.Add("Page  Type          URL\n   1  Annotation    https://tfn.example/v/\nXXXX\n   2  Widget annotation  https://x.example/\n")
	f.Add("Page  Type          URL\n  12  Annotation    \n\n   1  Annotation    a\xff\n")
	f.Add("Page  Type          URL\n" + strings.Repeat("   1  Annotation    https://example.org/x\n", 3))
	f.Fuzz(func(t *testing.T, out string) {
		links, err := parseLinks(out)
		if err != nil {
			if !errors.Is(err, ErrTooLarge) || links != nil {
				t.Fatalf("%q: %q, %v", out, links, err)
			}
			return
		}
		if len(links) > MaxLinks {
			t.Fatalf("%d links read", len(links))
		}
		for i, l := range links {
			if !utf8.ValidString(l) || l != strings.TrimSpace(l) || slices.Contains(links[:i], l) {
				t.Fatalf("link %q of %q", l, links)
			}
			if !strings.Contains(strings.ToValidUTF8(out, "\uFFFD"), strings.SplitN(l, "\n", 2)[0]) {
				t.Fatalf("link %q is not in the output %q", l, out)
			}
		}
	})
}

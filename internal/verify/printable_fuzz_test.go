package verify

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/chancery/chancery/internal/script"
)

// FuzzPrintable checks Printable and PrintableLines on any text, as file names, seals and
// registries may give it: the result is valid UTF-8; nothing a terminal acts on or draws as
// nothing is left in it but a non-joiner where a script puts it or a variation selector
// after a symbol; escaping again changes nothing; printable text comes back as it was; and
// PrintableLines keeps the line breaks and nothing else of that kind.
//
//	go test ./internal/verify -run '^$' -fuzz '^FuzzPrintable$' -fuzztime 30s
func FuzzPrintable(f *testing.F) {
	for _, s := range []string{
		"valid: TFN-2026-000123 \"Exercise\"", "\x1b[2K\x1b[1Gvalid\u202e\u2028\u009b\xff",
		"\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", "foreign\u200cgovernment", "Letter.pdf\u034f",
		"careful \u26a0\ufe0f!", "a\nb\r\nc", "\U000e0100\u3164\u2800\ufffc", "\xed\xa0\x80", "\\x1b",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p := Printable(s)
		if !utf8.ValidString(p) {
			t.Fatalf("Printable(%+q) = %+q, not valid UTF-8", s, p)
		}
		for i, c := range p {
			if unprintable(c) && !script.NonJoinerInPlace(p, i) && !emojiSelector(p, i, c) {
				t.Fatalf("Printable(%+q) = %+q keeps %U at byte %d", s, p, c, i)
			}
		}
		if again := Printable(p); again != p {
			t.Fatalf("Printable(%+q) = %+q, and again %+q", s, p, again)
		}
		if utf8.ValidString(s) && !strings.ContainsFunc(s, unprintable) && p != s {
			t.Fatalf("Printable(%+q) = %+q changed printable text", s, p)
		}
		l := PrintableLines(s)
		if strings.Count(l, "\n") != strings.Count(s, "\n") {
			t.Fatalf("PrintableLines(%+q) = %+q: %d line breaks, want %d", s, l, strings.Count(l, "\n"), strings.Count(s, "\n"))
		}
		for _, line := range strings.Split(l, "\n") {
			if Printable(line) != line {
				t.Fatalf("PrintableLines(%+q) = %+q leaves %+q unescaped", s, l, line)
			}
		}
	})
}

package dispatch

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// FuzzPrintable: an answer from a mail server or a webhook endpoint, any bytes, is recorded as
// valid UTF-8 without control or formatting characters, with no run of spaces, in at most max
// bytes: the longest prefix of the whole answer so cleaned that ends between two characters
// and fits.
func FuzzPrintable(f *testing.F) {
	f.Add(hostileText, 500)
	f.Add("421 4.7.0 Try again later\r\n", 500)
	f.Add("550 5.1.1 <a@b.example>: Recipient address rejected\u2028", 20)
	f.Add("200 OK \xff\xfe\xc3", 3)
	f.Add("\u061c\u200f\ufeff \t\v\f\u0085\u00a0 x", 500)
	f.Add("", 0)
	f.Fuzz(func(t *testing.T, s string, max int) {
		if max < 0 || max > 1000 {
			return
		}
		got := printable(s, max)
		if !utf8.ValidString(got) || len(got) > max {
			t.Fatalf("printable(%q, %d) = %q: %d bytes, valid UTF-8 %v", s, max, got, len(got), utf8.ValidString(got))
		}
		for _, r := range got {
			if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
				t.Fatalf("printable(%q, %d) = %q, with %U", s, max, got, r)
			}
		}
		if strings.Contains(got, "  ") || strings.HasPrefix(got, " ") {
			t.Fatalf("printable(%q, %d) = %q: spaces not collapsed", s, max, got)
		}
		whole := printable(s, len(s)*3+3)
		if !strings.HasPrefix(whole, got) {
			t.Fatalf("printable(%q, %d) = %q, not a prefix of the whole answer %q", s, max, got, whole)
		}
		if len(got) < len(whole) {
			if _, n := utf8.DecodeRuneInString(whole[len(got):]); len(got)+n <= max {
				t.Fatalf("printable(%q, %d) = %q: the next character of %q fits", s, max, got, whole)
			}
		}
		if printable(got, max) != strings.TrimSpace(got) {
			t.Fatalf("printable(%q, %d) = %q, which is cleaned again as %q", s, max, got, printable(got, max))
		}
	})
}

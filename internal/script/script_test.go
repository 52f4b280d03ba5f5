package script

import (
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// TestViramas checks the table against the Unicode data of x/text, code point by code point.
func TestViramas(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if r >= 0xd800 && r <= 0xdfff {
			continue
		}
		if want := norm.NFC.PropertiesString(string(r)).CCC() == 9; unicode.Is(viramas, r) != want {
			t.Errorf("%U: in the table %v, of combining class 9 %v", r, !want, want)
		}
	}
}

func TestNonJoinerInPlace(t *testing.T) {
	for s, want := range map[string]bool{
		"\u0645\u06cc|\u062e\u0648\u0627\u0647\u0645": true,  // Persian: می‌خواهم
		"\u0645\u064e|\u062e":                         true,  // a fatha before it
		"\u0915\u094d|\u0937":                         true,  // Devanagari: a half form after the virama
		"\u0710|\u0712":                               true,  // Syriac
		"foreign|government":                          false, // Latin
		"\u0645\u06cc|":                               false, // at the end
		"|\u0645":                                     false, // at the start
		"\u0645\u06cc |\u062e":                        false, // after a space
		"\u0645\u06cc|x":                              false, // between scripts
		"x|\u0645":                                    false,
		"\u0915|\u0937":                               false, // Devanagari without a virama
		"\u0915\u094d|1":                              false, // a virama, then no letter
		"\u0645||\u062e":                              false, // two in a row
		"\u064e|\u062e":                               false, // a mark with no letter before it
	} {
		s = strings.ReplaceAll(s, "|", string(NonJoiner))
		i := strings.IndexRune(s, NonJoiner)
		if got := NonJoinerInPlace(s, i); got != want {
			t.Errorf("%+q: %v, want %v", s, got, want)
		}
	}
}

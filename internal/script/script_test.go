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
		"\u0628|\u064e\u0628":                         true,  // a fatha after it
		"\u0645|\u0627":                               true,  // before alef, which joins back
		"\u0627|\u0628":                               false, // after alef, which never joins the next
		"\u0631|\u0628":                               false, // after reh
		"\u0621|\u0628":                               false, // after hamza, which joins nothing
		"\u0628|\u0621":                               false, // before hamza
		"\u0915\u094d|x":                              false, // a virama, then a letter of another script
		"\u0710|\u0712":                               false, // Syriac: not taken
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

// TestJoiningTables: every code point of the two tables is an Arabic letter, in one of them
// only; a few are as ArabicShaping.txt gives them.
func TestJoiningTables(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		d, rj := unicode.Is(dualJoining, r), unicode.Is(rightJoining, r)
		if (d || rj) && !(unicode.Is(unicode.Arabic, r) && unicode.IsLetter(r)) {
			t.Errorf("%U is in a joining table but is not an Arabic letter", r)
		}
		if d && rj {
			t.Errorf("%U is in both tables", r)
		}
	}
	for r, want := range map[rune]string{
		0x0628: "D", 0x0645: "D", 0x06cc: "D", 0x06a9: "D", 0x06af: "D", 0x067e: "D", 0x0686: "D", // beh, meem, Farsi yeh, keheh, gaf, peh, tcheh
		0x0627: "R", 0x062f: "R", 0x0631: "R", 0x0632: "R", 0x0698: "R", 0x0648: "R", 0x0629: "R", // alef, dal, reh, zain, jeh, waw, teh marbuta
		0x0621: "", 0x0640: "", 0x0674: "", // hamza (U), tatweel (C), high hamza (U)
	} {
		got := ""
		switch {
		case unicode.Is(dualJoining, r):
			got = "D"
		case unicode.Is(rightJoining, r):
			got = "R"
		}
		if got != want {
			t.Errorf("%U: joining type %q, want %q", r, got, want)
		}
	}
}

// TestNonJoinerInPlaceElsewhere: at a byte that holds no non-joiner, or out of range, the
// answer is false, never a panic.
func TestNonJoinerInPlaceElsewhere(t *testing.T) {
	s := "\u0645\u06cc\u200c\u062e"
	for _, i := range []int{-1, 0, 1, 2, len(s) - 1, len(s), len(s) + 1} {
		if NonJoinerInPlace(s, i) {
			t.Errorf("byte %d of %+q: true, want false", i, s)
		}
	}
	if !NonJoinerInPlace(s, 4) {
		t.Errorf("byte 4 of %+q: false, want true", s)
	}
}

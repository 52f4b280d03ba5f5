// Package script holds what Chancery knows of how scripts are written, where a character
// that is invisible elsewhere is part of the text: the zero-width non-joiner.
package script

import (
	"unicode"
	"unicode/utf8"
)

// NonJoiner is U+200C ZERO WIDTH NON-JOINER.
const NonJoiner = '\u200c'

// joining are the scripts whose letters join their neighbours, where a non-joiner keeps two
// letters apart and shows it: Persian writes "می‌خواهم" with one between its first two
// letters, and Kurdish, Urdu and Pashto use it as Persian does.
var joining = []*unicode.RangeTable{unicode.Arabic, unicode.Syriac, unicode.Nko, unicode.Mongolian, unicode.Adlam}

// viramas are the characters of canonical combining class 9 (Virama), as the Unicode of
// golang.org/x/text/unicode/norm has them (TestViramas checks every code point): after
// one, a non-joiner asks for the half form of an Indic consonant.
var viramas = &unicode.RangeTable{
	R16: []unicode.Range16{
		{Lo: 0x094D, Hi: 0x094D, Stride: 1},
		{Lo: 0x09CD, Hi: 0x09CD, Stride: 1},
		{Lo: 0x0A4D, Hi: 0x0A4D, Stride: 1},
		{Lo: 0x0ACD, Hi: 0x0ACD, Stride: 1},
		{Lo: 0x0B4D, Hi: 0x0B4D, Stride: 1},
		{Lo: 0x0BCD, Hi: 0x0BCD, Stride: 1},
		{Lo: 0x0C4D, Hi: 0x0C4D, Stride: 1},
		{Lo: 0x0CCD, Hi: 0x0CCD, Stride: 1},
		{Lo: 0x0D3B, Hi: 0x0D3C, Stride: 1},
		{Lo: 0x0D4D, Hi: 0x0D4D, Stride: 1},
		{Lo: 0x0DCA, Hi: 0x0DCA, Stride: 1},
		{Lo: 0x0E3A, Hi: 0x0E3A, Stride: 1},
		{Lo: 0x0EBA, Hi: 0x0EBA, Stride: 1},
		{Lo: 0x0F84, Hi: 0x0F84, Stride: 1},
		{Lo: 0x1039, Hi: 0x103A, Stride: 1},
		{Lo: 0x1714, Hi: 0x1715, Stride: 1},
		{Lo: 0x1734, Hi: 0x1734, Stride: 1},
		{Lo: 0x17D2, Hi: 0x17D2, Stride: 1},
		{Lo: 0x1A60, Hi: 0x1A60, Stride: 1},
		{Lo: 0x1B44, Hi: 0x1B44, Stride: 1},
		{Lo: 0x1BAA, Hi: 0x1BAB, Stride: 1},
		{Lo: 0x1BF2, Hi: 0x1BF3, Stride: 1},
		{Lo: 0x2D7F, Hi: 0x2D7F, Stride: 1},
		{Lo: 0xA806, Hi: 0xA806, Stride: 1},
		{Lo: 0xA82C, Hi: 0xA82C, Stride: 1},
		{Lo: 0xA8C4, Hi: 0xA8C4, Stride: 1},
		{Lo: 0xA953, Hi: 0xA953, Stride: 1},
		{Lo: 0xA9C0, Hi: 0xA9C0, Stride: 1},
		{Lo: 0xAAF6, Hi: 0xAAF6, Stride: 1},
		{Lo: 0xABED, Hi: 0xABED, Stride: 1},
	},
	R32: []unicode.Range32{
		{Lo: 0x10A3F, Hi: 0x10A3F, Stride: 1},
		{Lo: 0x11046, Hi: 0x11046, Stride: 1},
		{Lo: 0x11070, Hi: 0x11070, Stride: 1},
		{Lo: 0x1107F, Hi: 0x1107F, Stride: 1},
		{Lo: 0x110B9, Hi: 0x110B9, Stride: 1},
		{Lo: 0x11133, Hi: 0x11134, Stride: 1},
		{Lo: 0x111C0, Hi: 0x111C0, Stride: 1},
		{Lo: 0x11235, Hi: 0x11235, Stride: 1},
		{Lo: 0x112EA, Hi: 0x112EA, Stride: 1},
		{Lo: 0x1134D, Hi: 0x1134D, Stride: 1},
		{Lo: 0x11442, Hi: 0x11442, Stride: 1},
		{Lo: 0x114C2, Hi: 0x114C2, Stride: 1},
		{Lo: 0x115BF, Hi: 0x115BF, Stride: 1},
		{Lo: 0x1163F, Hi: 0x1163F, Stride: 1},
		{Lo: 0x116B6, Hi: 0x116B6, Stride: 1},
		{Lo: 0x1172B, Hi: 0x1172B, Stride: 1},
		{Lo: 0x11839, Hi: 0x11839, Stride: 1},
		{Lo: 0x1193D, Hi: 0x1193E, Stride: 1},
		{Lo: 0x119E0, Hi: 0x119E0, Stride: 1},
		{Lo: 0x11A34, Hi: 0x11A34, Stride: 1},
		{Lo: 0x11A47, Hi: 0x11A47, Stride: 1},
		{Lo: 0x11A99, Hi: 0x11A99, Stride: 1},
		{Lo: 0x11C3F, Hi: 0x11C3F, Stride: 1},
		{Lo: 0x11D44, Hi: 0x11D45, Stride: 1},
		{Lo: 0x11D97, Hi: 0x11D97, Stride: 1},
		{Lo: 0x11F41, Hi: 0x11F42, Stride: 1},
	},
}

// NonJoinerInPlace reports whether the non-joiner at byte i of s is where the scripts that
// need it put it, as IDNA's CONTEXTJ rule (RFC 5892, appendix A.1) allows it: between two
// letters of a joining script (marks after the first skipped), or after a virama and before
// a letter. Anywhere else it changes nothing a reader sees and only makes two strings differ.
func NonJoinerInPlace(s string, i int) bool {
	rest := s[i+utf8.RuneLen(NonJoiner):]
	next, _ := utf8.DecodeRuneInString(rest)
	if !unicode.IsLetter(next) {
		return false
	}
	before := s[:i]
	prev, size := utf8.DecodeLastRuneInString(before)
	if size > 0 && unicode.Is(viramas, prev) {
		return true
	}
	for size > 0 && unicode.Is(unicode.M, prev) {
		before = before[:len(before)-size]
		prev, size = utf8.DecodeLastRuneInString(before)
	}
	if !unicode.IsLetter(prev) {
		return false
	}
	for _, script := range joining {
		if unicode.Is(script, prev) && unicode.Is(script, next) {
			return true
		}
	}
	return false
}

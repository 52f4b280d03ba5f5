// Package script holds what Chancery knows of how scripts are written, where a character
// that is invisible elsewhere is part of the text: the zero-width non-joiner.
package script

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// NonJoiner is U+200C ZERO WIDTH NON-JOINER.
const NonJoiner = '\u200c'

// dualJoining and rightJoining are the Arabic letters of Joining_Type D (they join on both
// sides) and R (they join only to the letter before them, in reading order), from Unicode's
// ArabicShaping.txt (version 12.1). A non-joiner changes what a reader sees only after a letter that would
// join the next one (D) and before a letter that would join back (D or R): after alef, dal,
// reh or waw, or before hamza, it is invisible, and stays refused. Arabic letters of later
// Unicode versions, absent here, are refused beside one too: refusing is the safe side.
var dualJoining = &unicode.RangeTable{
	R16: []unicode.Range16{
		{Lo: 0x0620, Hi: 0x0620, Stride: 1},
		{Lo: 0x0626, Hi: 0x0626, Stride: 1},
		{Lo: 0x0628, Hi: 0x0628, Stride: 1},
		{Lo: 0x062a, Hi: 0x062e, Stride: 1},
		{Lo: 0x0633, Hi: 0x063f, Stride: 1},
		{Lo: 0x0641, Hi: 0x0647, Stride: 1},
		{Lo: 0x0649, Hi: 0x064a, Stride: 1},
		{Lo: 0x066e, Hi: 0x066f, Stride: 1},
		{Lo: 0x0678, Hi: 0x0687, Stride: 1},
		{Lo: 0x069a, Hi: 0x06bf, Stride: 1},
		{Lo: 0x06c1, Hi: 0x06c2, Stride: 1},
		{Lo: 0x06cc, Hi: 0x06cc, Stride: 1},
		{Lo: 0x06ce, Hi: 0x06ce, Stride: 1},
		{Lo: 0x06d0, Hi: 0x06d1, Stride: 1},
		{Lo: 0x06fa, Hi: 0x06fc, Stride: 1},
		{Lo: 0x06ff, Hi: 0x06ff, Stride: 1},
		{Lo: 0x0750, Hi: 0x0758, Stride: 1},
		{Lo: 0x075c, Hi: 0x076a, Stride: 1},
		{Lo: 0x076d, Hi: 0x0770, Stride: 1},
		{Lo: 0x0772, Hi: 0x0772, Stride: 1},
		{Lo: 0x0775, Hi: 0x0777, Stride: 1},
		{Lo: 0x077a, Hi: 0x077f, Stride: 1},
		{Lo: 0x08a0, Hi: 0x08a9, Stride: 1},
		{Lo: 0x08af, Hi: 0x08b0, Stride: 1},
		{Lo: 0x08b3, Hi: 0x08b4, Stride: 1},
		{Lo: 0x08b6, Hi: 0x08b8, Stride: 1},
		{Lo: 0x08ba, Hi: 0x08bd, Stride: 1},
		{Lo: 0x08c5, Hi: 0x08c6, Stride: 1},
	},
}

var rightJoining = &unicode.RangeTable{
	R16: []unicode.Range16{
		{Lo: 0x0622, Hi: 0x0625, Stride: 1},
		{Lo: 0x0627, Hi: 0x0627, Stride: 1},
		{Lo: 0x0629, Hi: 0x0629, Stride: 1},
		{Lo: 0x062f, Hi: 0x0632, Stride: 1},
		{Lo: 0x0648, Hi: 0x0648, Stride: 1},
		{Lo: 0x0671, Hi: 0x0673, Stride: 1},
		{Lo: 0x0675, Hi: 0x0677, Stride: 1},
		{Lo: 0x0688, Hi: 0x0699, Stride: 1},
		{Lo: 0x06c0, Hi: 0x06c0, Stride: 1},
		{Lo: 0x06c3, Hi: 0x06cb, Stride: 1},
		{Lo: 0x06cd, Hi: 0x06cd, Stride: 1},
		{Lo: 0x06cf, Hi: 0x06cf, Stride: 1},
		{Lo: 0x06d2, Hi: 0x06d3, Stride: 1},
		{Lo: 0x06d5, Hi: 0x06d5, Stride: 1},
		{Lo: 0x06ee, Hi: 0x06ef, Stride: 1},
		{Lo: 0x0759, Hi: 0x075b, Stride: 1},
		{Lo: 0x076b, Hi: 0x076c, Stride: 1},
		{Lo: 0x0771, Hi: 0x0771, Stride: 1},
		{Lo: 0x0773, Hi: 0x0774, Stride: 1},
		{Lo: 0x0778, Hi: 0x0779, Stride: 1},
		{Lo: 0x08aa, Hi: 0x08ac, Stride: 1},
		{Lo: 0x08ae, Hi: 0x08ae, Stride: 1},
		{Lo: 0x08b1, Hi: 0x08b2, Stride: 1},
		{Lo: 0x08b9, Hi: 0x08b9, Stride: 1},
	},
}

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

// NonJoinerInPlace reports whether the non-joiner at byte i of s is where the languages that
// need it put it, within what IDNA's CONTEXTJ rule (RFC 5892, appendix A.1) allows: between
// an Arabic letter that joins on both sides and one that joins back (marks on either side
// skipped), as Persian, Kurdish, Urdu and Pashto write it, or after a virama and before a
// letter of the virama's script, where it asks for the half form of an Indic consonant.
// Anywhere else it changes nothing a reader sees and only makes two strings differ. Other
// joining scripts (Syriac, N'Ko, Mongolian …) are not taken: refusing is the safe side.
// It is false when s holds no non-joiner at byte i.
func NonJoinerInPlace(s string, i int) bool {
	if i < 0 || i > len(s) || !strings.HasPrefix(s[i:], string(NonJoiner)) {
		return false
	}
	after := s[i+utf8.RuneLen(NonJoiner):]
	next, size := utf8.DecodeRuneInString(after)
	for size > 0 && unicode.In(next, unicode.Mn, unicode.Me) {
		after = after[size:]
		next, size = utf8.DecodeRuneInString(after)
	}
	before := s[:i]
	prev, size := utf8.DecodeLastRuneInString(before)
	if size > 0 && unicode.Is(viramas, prev) {
		return sameScript(prev, next) && unicode.IsLetter(next)
	}
	for size > 0 && unicode.In(prev, unicode.Mn, unicode.Me) {
		before = before[:len(before)-size]
		prev, size = utf8.DecodeLastRuneInString(before)
	}
	return unicode.Is(dualJoining, prev) && unicode.In(next, dualJoining, rightJoining)
}

// sameScript reports whether a and b are of one script (Unicode's Script property).
func sameScript(a, b rune) bool {
	for _, t := range unicode.Scripts {
		if unicode.Is(t, a) {
			return unicode.Is(t, b)
		}
	}
	return false
}

// JoiningBreaks returns, in order, the indexes of the non-joiners of rs that keep apart two
// letters a reader would otherwise see joined, as a space would ("می‌رساند", Persian's "I
// convey", is drawn "می" and "رساند"): after a letter that joins the next (an Arabic letter
// that joins on both sides, a tatweel or a joiner) and before one that joins back, with what
// joining passes over skipped between (marks, format characters such as the zero-width
// space, and other non-joiners; Unicode's Joining_Type T). A letter of another joining script
// (Syriac, N'Ko, Mongolian …), or an Arabic letter absent from the tables, is taken to join:
// a break is the safe side. After an alef, or after a virama, where it asks only for another
// form of the consonants, within one word, it keeps nothing apart. Each run of what joining
// passes over that holds a non-joiner is read once, and no other, so that the time is linear
// in len(rs), however many non-joiners and marks a run holds.
func JoiningBreaks(rs []rune) []int {
	var out []int
	for n := 0; n < len(rs); n++ {
		if rs[n] != NonJoiner {
			continue
		}
		// rs[i:k] is the run that joining passes over around the run's first non-joiner,
		// rs[n], between rs[i-1] and rs[k]. Only such runs are read: most of a text is
		// letters, which need no table but one comparison here.
		i, k := n, n+1
		for i > 0 && transparent(rs[i-1]) {
			i--
		}
		for k < len(rs) && transparent(rs[k]) {
			k++
		}
		if i > 0 && k < len(rs) && (unicode.Is(dualJoining, rs[i-1]) || joinsUnknown(rs[i-1])) &&
			(unicode.In(rs[k], dualJoining, rightJoining) || joinsUnknown(rs[k])) {
			for m := n; m < k; m++ {
				if rs[m] == NonJoiner {
					out = append(out, m)
				}
			}
		}
		n = k - 1 // the run's other non-joiners are answered; rs[k] is not in a run
	}
	return out
}

// joiner is U+200D ZERO WIDTH JOINER, which joins the letters on both sides of it.
const joiner = '\u200d'

// transparent reports whether joining passes over r: a mark, or a format character other
// than the joiner (Joining_Type T; a non-joiner beside another keeps the same letters apart).
func transparent(r rune) bool {
	return r != joiner && unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf)
}

// joiningScripts are the scripts other than Arabic whose letters join their neighbours.
var joiningScripts = []*unicode.RangeTable{
	unicode.Syriac, unicode.Nko, unicode.Mongolian, unicode.Mandaic, unicode.Manichaean,
	unicode.Psalter_Pahlavi, unicode.Sogdian, unicode.Old_Uyghur, unicode.Hanifi_Rohingya,
	unicode.Adlam, unicode.Phags_Pa, unicode.Chorasmian,
}

// joinsUnknown reports whether r joins its neighbours on both sides though the tables
// (dualJoining, rightJoining) do not say so, or may: a tatweel or a joiner, which join both
// sides, a letter of another joining script, or an Arabic letter absent from the tables that
// is not one of those of Unicode 12.1 that join nothing (hamza, high hamza, small waw and
// yeh, low alef).
func joinsUnknown(r rune) bool {
	switch r {
	case '\u0640', joiner:
		return true
	case '\u0621', '\u0674', '\u06e5', '\u06e6', '\u08ad':
		return false
	}
	if !unicode.IsLetter(r) {
		return false
	}
	if unicode.Is(unicode.Arabic, r) {
		return !unicode.In(r, dualJoining, rightJoining)
	}
	return unicode.In(r, joiningScripts...)
}

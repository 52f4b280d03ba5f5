// Package lookalike tells whether two strings read alike: a member name, a recipient name, a
// class or a tag that reads as another without being it lets one identity pose as another, or a
// letter escape a rule written for it.
package lookalike

import (
	"strings"
	"unicode"

	"github.com/mtibben/confusables"
	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// Skeleton maps s to a form in which strings a reader could take for one another are equal:
// compatibility characters (full-width letters, no-break spaces) replaced by what they stand
// for (NFKC); characters drawn as nothing (format characters, variation selectors, other
// default-ignorable code points, the object replacement character) dropped; blanks (see
// blank) at the ends dropped and each run of them made one space; then Unicode's
// confusable skeleton (UTS #39: Cyrillic, Greek and Armenian look-alikes, dashes, "rn" for
// "m", "l" for "1" and "I"), case folded before and after. A skeleton is only ever compared
// with another, never shown or stored as a name.
func Skeleton(s string) string {
	s = strings.Map(func(c rune) rune {
		switch {
		case blank(c):
			return ' '
		case unicode.In(c, unicode.Other_Default_Ignorable_Code_Point, unicode.Variation_Selector, unicode.Cf), c == '\uFFFC':
			return -1
		}
		return c
	}, norm.NFKC.String(s))
	s = strings.Join(strings.Fields(s), " ")
	fold := cases.Fold()
	return fold.String(confusables.Skeleton(fold.String(s)))
}

// blank reports whether c is drawn as an empty space: Unicode's spaces, and characters that
// are not spaces but whose glyphs are empty cells (found by reading every glyph of the
// Noto and DejaVu fonts, and HarfBuzz's exceptions to default-ignorable), which would
// otherwise be kept ("dana\u2800" reads as "dana"): U+2800 BRAILLE PATTERN BLANK, U+1D159
// MUSICAL SYMBOL NULL NOTEHEAD, and the Hangul fillers U+115F, U+1160, U+3164 and U+FFA0.
// The fillers are default-ignorable, but HarfBuzz, like Uniscribe, draws them as spacing
// glyphs, which the fonts leave empty: "ri\u3164ta" reads as "ri ta", not "rita".
func blank(c rune) bool {
	switch c {
	case '\u2800', '\U0001D159', '\u115F', '\u1160', '\u3164', '\uFFA0':
		return true
	}
	return unicode.IsSpace(c)
}

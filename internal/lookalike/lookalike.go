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
// default-ignorable code points) dropped; blanks (spaces of any kind, and the blank Braille
// pattern) at the ends dropped and each run of them made one space; then Unicode's
// confusable skeleton (UTS #39: Cyrillic, Greek and Armenian look-alikes, dashes, "rn" for
// "m", "l" for "1" and "I"), case folded before and after. A skeleton is only ever compared
// with another, never shown or stored as a name.
func Skeleton(s string) string {
	s = strings.Map(func(c rune) rune {
		if unicode.In(c, unicode.Other_Default_Ignorable_Code_Point, unicode.Variation_Selector, unicode.Cf) {
			return -1
		}
		return c
	}, norm.NFKC.String(s))
	s = strings.Join(strings.FieldsFunc(s, blank), " ")
	fold := cases.Fold()
	return fold.String(confusables.Skeleton(fold.String(s)))
}

// blank reports whether c is drawn as a space: Unicode's spaces and U+2800 BRAILLE PATTERN
// BLANK, a symbol with nothing in its cell, which is neither a space nor default-ignorable
// and so otherwise kept ("dana\u2800" reads as "dana").
func blank(c rune) bool { return unicode.IsSpace(c) || c == '\u2800' }

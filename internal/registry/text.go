package registry

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/chancery/chancery/internal/i18n"
	"github.com/mtibben/confusables"
	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// invisibleNames names the invisible characters most used to make look-alike text, for
// error messages that say which one was found.
var invisibleNames = map[rune]string{
	'\u00ad': "soft hyphen",
	'\u061c': "arabic letter mark",
	'\u115f': "hangul choseong filler",
	'\u1160': "hangul jungseong filler",
	'\u180e': "mongolian vowel separator",
	'\u200b': "zero width space",
	'\u200c': "zero width non-joiner",
	'\u200d': "zero width joiner",
	'\u200e': "left-to-right mark",
	'\u200f': "right-to-left mark",
	'\u2028': "line separator",
	'\u2029': "paragraph separator",
	'\u202a': "left-to-right embedding",
	'\u202b': "right-to-left embedding",
	'\u202c': "pop directional formatting",
	'\u202d': "left-to-right override",
	'\u202e': "right-to-left override",
	'\u2060': "word joiner",
	'\u2066': "left-to-right isolate",
	'\u2067': "right-to-left isolate",
	'\u2068': "first strong isolate",
	'\u2069': "pop directional isolate",
	'\u2800': "braille pattern blank",
	'\u3164': "hangul filler",
	'\ufeff': "zero width no-break space",
	'\uffa0': "halfwidth hangul filler",
}

// forbidden reports whether c may not appear in stored text: control characters (C0, DEL,
// C1), format characters (bidirectional controls, zero-width characters, the byte-order
// mark), line and paragraph separators, and the blank letters that render as nothing. They
// either move a terminal's cursor or make two different strings look the same, so that a
// class or a tag would read as one the policy names without being it.
func forbidden(c rune) bool {
	if _, ok := invisibleNames[c]; ok {
		return true
	}
	return unicode.IsControl(c) || unicode.In(c, unicode.Cf, unicode.Zl, unicode.Zp)
}

// checkChars refuses a field with a character that forbidden reports, naming the character
// and its code point, and a field that is not valid UTF-8. A multiline field may hold line
// feeds.
//
// Invalid UTF-8 is refused for every field, not only for those checkText checks: SQLite
// stores such bytes, PostgreSQL refuses them, so the same request succeeded on one backend
// and failed on the other, an office on SQLite could not be moved to PostgreSQL, and a
// statement's JSON signed U+FFFD where the store kept the original bytes.
func checkChars(what, s string, multiline bool) error {
	for i, c := range s {
		if c == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return i18n.Errorf(ErrInvalid, "%s is not valid UTF-8 (byte %d)", i18n.Msg(what), i)
			}
		}
		if multiline && c == '\n' || !forbidden(c) {
			continue
		}
		if name, ok := invisibleNames[c]; ok {
			return i18n.Errorf(ErrInvalid, "%s contains the invisible character %s (%U) at byte %d: type it again without it", i18n.Msg(what), name, c, i)
		} else if !unicode.IsControl(c) {
			return i18n.Errorf(ErrInvalid, "%s contains the invisible character (%U) at byte %d: type it again without it", i18n.Msg(what), c, i)
		}
		return i18n.Errorf(ErrInvalid, "%s contains the control character (%U) at byte %d: type it again without it", i18n.Msg(what), c, i)
	}
	return nil
}

// nfc returns s in Unicode normalization form C, so that text typed with combining marks and
// the same text typed precomposed are stored, and compared by the policy, as one string.
func nfc(s string) string { return norm.NFC.String(s) }

// nfcAll returns ss normalized (see nfc), in a new slice.
func nfcAll(ss []string) []string {
	if ss == nil {
		return nil
	}
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = nfc(s)
	}
	return out
}

// nameForms returns the forms under which two names read as one: the Unicode skeleton
// (UTS #39, confusables.txt) of the name in NFKC, and of the name case-folded. Characters
// that are drawn as nothing (default-ignorable: variation selectors, the combining grapheme
// joiner) are dropped first; the other invisible ones are refused by checkChars. Two names
// with a form in common ("rita" and "Rita", "r\u0456ta" in Cyrillic, "ｒｉｔａ" in full width,
// "rnartin" and "martin", "Ian" and "lan") look alike to a reader of a release statement,
// the audit trail or a page. A skeleton is for comparing only, never shown or stored.
func nameForms(name string) [2]string {
	name = strings.Map(func(c rune) rune {
		if unicode.In(c, unicode.Other_Default_Ignorable_Code_Point, unicode.Variation_Selector, unicode.Cf) {
			return -1
		}
		return c
	}, norm.NFKC.String(name))
	return [2]string{confusables.Skeleton(name), confusables.Skeleton(cases.Fold().String(name))}
}

// lookAlike returns the first of names, other than name itself, that a reader could take
// for name (see nameForms), or "" if there is none.
func lookAlike(name string, names []string) string {
	f := nameForms(name)
	for _, n := range names {
		if n == name {
			continue
		}
		if g := nameForms(n); f[0] == g[0] || f[0] == g[1] || f[1] == g[0] || f[1] == g[1] {
			return n
		}
	}
	return ""
}

// lookAlikeScripts are the scripts whose letters are drawn like Latin ones (Cyrillic а, е,
// о, р, с; Greek Α, Ο, ν; Armenian օ, ս; Cherokee Ꭺ): a word that mixes two of them reads as
// a word of one.
var lookAlikeScripts = []struct {
	name  string
	table *unicode.RangeTable
}{{"Latin", unicode.Latin}, {"Cyrillic", unicode.Cyrillic}, {"Greek", unicode.Greek}, {"Armenian", unicode.Armenian}, {"Cherokee", unicode.Cherokee}}

// checkOneScript refuses text with a word whose letters come from two of lookAlikeScripts
// ("D\u0435fence" with a Cyrillic е). Policies match addressees and subjects as written
// ("Ministry of Defence" in letter.addressees): such a word would keep a letter out of the
// rule meant for it while it reads, to its reviewers and on paper, as the word the rule names.
func checkOneScript(what, s string) error {
	for _, w := range strings.FieldsFunc(s, func(c rune) bool { return !unicode.IsLetter(c) && !unicode.IsMark(c) }) {
		first := ""
		for _, c := range w {
			for _, sc := range lookAlikeScripts {
				if !unicode.Is(sc.table, c) {
					continue
				}
				if first == "" {
					first = sc.name
				} else if sc.name != first {
					return i18n.Errorf(ErrInvalid, "%s mixes %s and %s letters in the word %q: type it again in one script", i18n.Msg(what), first, sc.name, w)
				}
			}
		}
	}
	return nil
}

// oneSpace returns s without leading or trailing spaces, with each run of spaces of any kind
// (no-break, thin, ideographic) as one ASCII space: "Ministry\u00a0of Defence " reads as
// "Ministry of Defence", and is stored as it reads, so that a policy naming it matches it.
func oneSpace(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(c rune) bool { return c == ' ' || unicode.Is(unicode.Zs, c) }), " ")
}

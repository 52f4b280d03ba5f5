package registry

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/chancery/chancery/internal/i18n"
	"github.com/chancery/chancery/internal/lookalike"
	"github.com/chancery/chancery/internal/script"
	"golang.org/x/text/unicode/norm"
)

// invisibleNames names the invisible characters most used to make look-alike text, for
// error messages that say which one was found.
var invisibleNames = map[rune]string{
	'\u00ad':     "soft hyphen",
	'\u061c':     "arabic letter mark",
	'\u115f':     "hangul choseong filler",
	'\u1160':     "hangul jungseong filler",
	'\u180e':     "mongolian vowel separator",
	'\u200b':     "zero width space",
	'\u200c':     "zero width non-joiner",
	'\u200d':     "zero width joiner",
	'\u200e':     "left-to-right mark",
	'\u200f':     "right-to-left mark",
	'\u2028':     "line separator",
	'\u2029':     "paragraph separator",
	'\u202a':     "left-to-right embedding",
	'\u202b':     "right-to-left embedding",
	'\u202c':     "pop directional formatting",
	'\u202d':     "left-to-right override",
	'\u202e':     "right-to-left override",
	'\u2060':     "word joiner",
	'\u2066':     "left-to-right isolate",
	'\u2067':     "right-to-left isolate",
	'\u2068':     "first strong isolate",
	'\u2069':     "pop directional isolate",
	'\u2800':     "braille pattern blank",
	'\u3164':     "hangul filler",
	'\ufeff':     "zero width no-break space",
	'\uffa0':     "halfwidth hangul filler",
	'\ufffc':     "object replacement character",
	'\U0001d159': "musical symbol null notehead",
}

// forbidden reports whether c may not appear in stored text: control characters (C0, DEL,
// C1), format characters (bidirectional controls, zero-width characters, the byte-order
// mark), line and paragraph separators, the blank letters that render as nothing, and the
// other default-ignorable code points and variation selectors, which the letters' fonts
// draw as nothing too (the combining grapheme joiner, Khmer's inherent vowels, Mongolian's
// variation selectors, those not yet assigned). They either move a terminal's cursor or
// make two different strings look the same, so that a class or a tag would read as one the
// policy names without being it, and an addressee as one a rule matches.
func forbidden(c rune) bool {
	if _, ok := invisibleNames[c]; ok {
		return true
	}
	return unicode.IsControl(c) || unicode.In(c, unicode.Cf, unicode.Zl, unicode.Zp,
		unicode.Other_Default_Ignorable_Code_Point, unicode.Variation_Selector)
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
		// A comment may have lines, and a variation selector after an emoji ("\u2764\ufe0f"
		// as phones type it): no rule reads a comment.
		if multiline && (c == '\n' || unicode.Is(unicode.Variation_Selector, c)) || !forbidden(c) || script.NonJoinerInPlace(s, i) {
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

// NormalName returns a typed member or recipient name as such names are stored and looked up
// (NFC), for a caller that keys something else by it, such as the sign-in's failure count
// per account: "Rene\u0301e" and "Ren\u00e9e" are one account.
func NormalName(name string) string { return nfc(name) }

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

// lookAlike returns the first of names, other than name itself, that a reader could take
// for name (lookalike.Skeleton), or "" if there is none.
func lookAlike(name string, names []string) string {
	sk := lookalike.Skeleton(name)
	for _, n := range names {
		if n != name && lookalike.Skeleton(n) == sk {
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

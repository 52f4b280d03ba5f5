package script

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

//go:generate go run gen_forms.go -ucd /usr/share/unicode/UnicodeData.txt -o forms_table.go

// Shape is how an Arabic presentation form (U+FB50–FDFF, U+FE70–FEFC) is drawn: the tag of
// its decomposition in Unicode's UnicodeData.txt. A text typed in such forms, as old systems
// and some PDF text layers give Arabic, says by each form whether its letters are drawn
// joined to the ones beside them; NFKC, which maps each form to its letters, forgets it. The
// Arabic mathematical letters (U+1EE00–1EEFF, their initial, tailed and stretched ones too)
// join nothing (Joining_Type U), and NFKC maps them to letters that join: they count among
// the forms here, isolated.
type Shape uint8

const (
	NotForm  Shape = iota // not a presentation form
	Isolated              // joined on neither side
	Final                 // joined to the letter before it only
	Initial               // joined to the letter after it only
	Medial                // joined on both sides
)

// FormShape returns the shape of presentation form r, Isolated for an Arabic mathematical
// letter, or NotForm.
func FormShape(r rune) Shape {
	switch {
	case r >= firstForm && r <= lastForm:
		return formShapes[r-firstForm]
	case r >= firstMath && r <= lastMath && unicode.IsLetter(r):
		return Isolated
	}
	return NotForm
}

// firstMath and lastMath bound the block of Arabic mathematical alphabetic symbols, whose
// UTF-8 begins with mathLead.
const (
	firstMath = 0x1EE00
	lastMath  = 0x1EEFF
	mathLead  = "\xf0\x9e"
)

// FormsApart returns text with a non-joiner put where its presentation forms draw two
// letters apart: where neither of two letters, one of them a form at least, draws a stroke
// toward the other. A form draws one as its shape says (an initial or medial form toward the
// letter after it, a final or medial form toward the letter before it); a letter that is not
// a form draws none toward a form, as a shaper draws it beside one (the forms join nothing:
// Joining_Type U), save across a joiner beside it, and the tatweel always does. So an isolated or final
// form before a letter, or an isolated or initial form after one, keeps them apart; where a
// single stroke reaches the other letter ("\ufec9\ufeca", an isolated then a final ain,
// drawn as a plain ain before a final one is), the two are drawn touching and are taken as
// joined, and a non-joiner typed between them, which changes no form, is removed. The
// non-joiner is put after what joining passes over between the two (marks, format
// characters, the joiner). NFKC then makes the forms letters and leaves the
// non-joiner, so that the text reads as it does typed in letters with a non-joiner where it
// draws them apart: JoiningBreaks says whether that non-joiner keeps the letters apart (after
// an alef, or before a hamza, it keeps nothing apart, as it does typed). A ligature's letters
// (lam-alef, U+FDF2 Allah) are joined among themselves; only its shape on each side counts.
// text itself is returned when it holds no presentation form.
func FormsApart(text string) string {
	i := formStart(text)
	if i < 0 {
		return text
	}
	var b strings.Builder
	// The last character joining does not pass over: whether it is a letter or a form,
	// and whether it draws a stroke toward the next letter whatever follows it (an
	// initial or medial form, a tatweel).
	prevLetter, prevForm, prevStroke := false, false, false
	// Since the last character joining does not pass over: whether a joiner is the first of
	// the joiners and non-joiners there (what that character meets after it), and the last
	// (what the next character meets before it), and whether a non-joiner is among them.
	zwjFirst, zwjLast, zwnj := false, false, false
	done := 0    // text[:done] is in b
	between := i // text[between:] begins with what joining passes over after that character
	for j, r := range text[i:] {
		if r == joiner {
			zwjFirst = zwjFirst || !zwnj
			zwjLast = true
			continue
		}
		if transparent(r) {
			if r == NonJoiner {
				zwnj, zwjLast = true, false
			}
			continue
		}
		s := FormShape(r)
		form := s != NotForm
		letter := form || unicode.IsLetter(r)
		// Whether the letter before draws a stroke toward r, and r one toward it: a letter
		// that is not a form does across a joiner beside it, not across a non-joiner.
		forward := prevStroke || !prevForm && zwjFirst
		back := s == Final || s == Medial || r == tatweel || !form && zwjLast
		if prevLetter && letter && (prevForm || form) && (!forward && !back || zwnj) {
			if b.Cap() == 0 {
				b.Grow(len(text) + 64)
			}
			switch {
			case !forward && !back:
				b.WriteString(text[done : i+j])
				b.WriteRune(NonJoiner)
				done = i + j
			default:
				// The forms draw the two touching whatever is between them: a non-joiner
				// there changes no form, and keeps nothing apart.
				b.WriteString(text[done:between])
				for _, c := range text[between : i+j] {
					if c != NonJoiner {
						b.WriteRune(c)
					}
				}
				done = i + j
			}
		}
		prevLetter, prevForm = letter, form
		prevStroke = s == Initial || s == Medial || r == tatweel
		zwjFirst, zwjLast, zwnj = false, false, false
		between = i + j + utf8.RuneLen(r)
	}
	if done == 0 {
		return text
	}
	b.WriteString(text[done:])
	return b.String()
}

// tatweel is U+0640 ARABIC TATWEEL, a stroke that joins the letters on both sides of it.
const tatweel = '\u0640'

// formStart returns the index of the character of text that joining does not pass over
// before its first presentation form or mathematical letter (0 if there is none), or -1 when
// text holds neither: it looks for the first bytes of their UTF-8 (U+F000 to U+FFFF begin with
// 0xEF, U+1E000 to U+1EFFF with 0xF0 0x9E), so that a text without them is read at the speed
// of strings.IndexByte.
func formStart(text string) int {
	i := indexForm(text, "\xef")
	end := len(text)
	if i >= 0 {
		end = i
	}
	if j := indexForm(text[:end], mathLead); j >= 0 {
		i = j
	}
	if i < 0 {
		return -1
	}
	// The character before a form counts: step back to the one joining does not pass over
	// before it.
	for i > 0 {
		r, n := utf8.DecodeLastRuneInString(text[:i])
		i -= n
		if r != joiner && !transparent(r) {
			break
		}
	}
	return i
}

// indexForm returns the index of the first form (FormShape) of text whose UTF-8 begins with
// lead, or -1.
func indexForm(text, lead string) int {
	for i := 0; ; {
		j := strings.Index(text[i:], lead)
		if j < 0 {
			return -1
		}
		i += j
		if r, _ := utf8.DecodeRuneInString(text[i:]); FormShape(r) != NotForm {
			return i
		}
		i++
	}
}

// CountForms returns how many presentation forms and mathematical letters (FormShape) text
// holds, counted no further than limit: past it, the number returned is limit+1.
func CountForms(text string, limit int) int {
	n := 0
	for _, lead := range [...]string{"\xef", mathLead} {
		for i := 0; n <= limit; {
			j := strings.Index(text[i:], lead)
			if j < 0 {
				break
			}
			i += j
			r, size := utf8.DecodeRuneInString(text[i:])
			if FormShape(r) != NotForm {
				n++
			}
			i += size
		}
	}
	return n
}

package pdf

import (
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/bidi"
)

// Kinds of characters as logicalLine orders them.
const (
	kindNeutral = iota // white space, punctuation, marks, controls: resolved from their neighbours
	kindLTR            // a left-to-right letter
	kindRTL            // a right-to-left letter (Hebrew, Arabic, Syriac, Thaana, N'Ko…)
	kindEN             // a European digit (and Extended Arabic-Indic, which the algorithm reads so)
	kindAN             // an Arabic-Indic digit
)

// logicalLines returns text, whose lines hold the characters a page draws in the order it
// draws them, with each line holding right-to-left letters put back in the order in which it
// was written (logicalLine); lines end at line feeds and form feeds. Pages draw a line's
// glyphs in visual order, left to right, as Chancery's letters and most writers do: read in
// that order, every Arabic or Hebrew word comes out reversed, and a line's runs of
// different directions in the wrong order.
func logicalLines(text string) string {
	if !HasRTL(text) {
		return text
	}
	var b strings.Builder
	b.Grow(len(text))
	for len(text) > 0 {
		end := strings.IndexAny(text, "\n\f")
		if end < 0 {
			end = len(text)
		}
		line := text[:end]
		if HasRTL(line) {
			line = logicalLine(line)
		}
		b.WriteString(line)
		if end < len(text) {
			b.WriteByte(text[end])
			end++
		}
		text = text[end:]
	}
	return b.String()
}

// HasRTL reports whether s holds a right-to-left letter (Arabic, Hebrew, …).
func HasRTL(s string) bool {
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if bidiKind(r) == kindRTL {
			return true
		}
		i += n
	}
	return false
}

func bidiKind(r rune) int {
	p, _ := bidi.LookupRune(r)
	switch p.Class() {
	case bidi.L:
		return kindLTR
	case bidi.R, bidi.AL:
		return kindRTL
	case bidi.EN:
		return kindEN
	case bidi.AN:
		return kindAN
	}
	return kindNeutral
}

// logicalLine returns a line read in visual order (left to right) in logical order: the
// Unicode bidirectional algorithm run over the visual line (its resolution of weak and
// neutral characters simplified, explicit controls read as neutral), whose reordering undoes
// the one that laid the line out, as PDF readers do. The line's own direction is not written
// in a page: it is that of the side its first letter stands on when only one side fits (a
// left-to-right line starts with a left-to-right letter on the left, a right-to-left one
// with a right-to-left letter on the right), and otherwise that of most of its letters.
func logicalLine(line string) string {
	rs := []rune(line)
	kinds := make([]int, len(rs))
	var nL, nR int
	firstStrong, lastStrong := kindNeutral, kindNeutral
	for i, r := range rs {
		k := bidiKind(r)
		kinds[i] = k
		switch k {
		case kindLTR:
			nL++
		case kindRTL:
			nR++
		}
		if k == kindLTR || k == kindRTL {
			if firstStrong == kindNeutral {
				firstStrong = k
			}
			lastStrong = k
		}
	}
	ltrLeft, rtlRight := firstStrong == kindLTR, lastStrong == kindRTL
	rtl := rtlRight && !ltrLeft || ltrLeft == rtlRight && nR > nL
	base := kindLTR
	if rtl {
		base = kindRTL
	}
	// Separators between two digits of a kind, and a European digit's currency and percent
	// signs, are part of the figure (rules W4, W5); a European digit after a left-to-right
	// letter reads as one (W7).
	for i := 1; i+1 < len(rs); i++ {
		if kinds[i] != kindNeutral || kinds[i-1] != kinds[i+1] || kinds[i-1] != kindEN && kinds[i-1] != kindAN {
			continue
		}
		if p, _ := bidi.LookupRune(rs[i]); p.Class() == bidi.CS || kinds[i-1] == kindEN && p.Class() == bidi.ES {
			kinds[i] = kinds[i-1]
		}
	}
	isET := func(i int) bool {
		p, _ := bidi.LookupRune(rs[i])
		return kinds[i] == kindNeutral && p.Class() == bidi.ET
	}
	for i := 0; i < len(rs); {
		if !isET(i) {
			i++
			continue
		}
		j := i
		for j < len(rs) && isET(j) {
			j++
		}
		if i > 0 && kinds[i-1] == kindEN || j < len(rs) && kinds[j] == kindEN {
			for k := i; k < j; k++ {
				kinds[k] = kindEN
			}
		}
		i = j
	}
	strong := base
	for i, k := range kinds {
		switch k {
		case kindLTR, kindRTL:
			strong = k
		case kindEN:
			if strong == kindLTR {
				kinds[i] = kindLTR
			}
		}
	}
	// Neutrals between characters of one direction take it (figures count as right to left),
	// the others the line's (N1, N2).
	dir := func(k int) int {
		if k == kindEN || k == kindAN {
			return kindRTL
		}
		return k
	}
	for i := 0; i < len(rs); {
		if kinds[i] != kindNeutral {
			i++
			continue
		}
		j := i
		for j < len(rs) && kinds[j] == kindNeutral {
			j++
		}
		before, after := base, base
		if i > 0 {
			before = dir(kinds[i-1])
		}
		if j < len(rs) {
			after = dir(kinds[j])
		}
		k := base
		if before == after {
			k = before
		}
		for ; i < j; i++ {
			kinds[i] = k
		}
	}
	levels := make([]int, len(rs))
	maxLevel := 0
	for i, k := range kinds {
		switch {
		case !rtl && k == kindRTL:
			levels[i] = 1
		case !rtl && (k == kindEN || k == kindAN):
			levels[i] = 2
		case rtl && k == kindRTL:
			levels[i] = 1
		case rtl:
			levels[i] = 2
		}
		maxLevel = max(maxLevel, levels[i])
	}
	// From the highest level to the lowest odd one, every run at that level or higher is
	// reversed (L2).
	for level := maxLevel; level >= 1; level-- {
		for i := 0; i < len(rs); {
			if levels[i] < level {
				i++
				continue
			}
			j := i
			for j < len(rs) && levels[j] >= level {
				j++
			}
			slices.Reverse(rs[i:j])
			slices.Reverse(levels[i:j])
			i = j
		}
	}
	return string(rs)
}

// Marks pdftotext writes around the runs of a line of another direction than the line's.
const (
	markRLE = '\u202b' // right-to-left embedding
	markLRE = '\u202a' // left-to-right embedding
	markPDF = '\u202c' // pop directional formatting
)

// ScreenOrder returns text with each line that pdftotext wrote in the order its runs stand
// on the page put in logical order. pdftotext writes a line it takes for a right-to-left one
// in logical order, starting with a right-to-left embedding (U+202B); one it takes for a
// left-to-right line (a line of Arabic with figures and Latin words, as often as not) it
// writes in screen order: its runs from left to right, each right-to-left run's characters
// in logical order between a right-to-left embedding and a pop (U+202C). Read as it is, such
// a line has its Arabic runs in the wrong order, and a paragraph copied from it only half
// its word sequences. Such a line is made visual again (each embedded run reversed, the
// marks dropped) and put in logical order as a page's line is (logicalLine). Other lines are
// left as they are.
func ScreenOrder(text string) string {
	if !strings.ContainsRune(text, markRLE) {
		return text
	}
	lines := strings.Split(text, "\n")
	for i, line := range lines {
		rest := strings.TrimLeft(line, "\f") // a page's first line
		if v, ok := visualLine(rest); ok {
			lines[i] = line[:len(line)-len(rest)] + logicalLine(v)
		}
	}
	return strings.Join(lines, "\n")
}

// visualLine returns line, written by pdftotext in screen order, in visual order, and false
// for a line not so written: a right-to-left line (one embedded run, the whole line; or one
// that embeds left-to-right runs), or one that holds no embedded run.
func visualLine(line string) (string, bool) {
	if strings.ContainsRune(line, markLRE) {
		return "", false
	}
	if t := strings.TrimSpace(line); strings.HasPrefix(t, string(markRLE)) && strings.IndexRune(t, markPDF) == len(t)-len(string(markPDF)) {
		return "", false // a right-to-left line, whole
	}
	var b strings.Builder
	rs := []rune(line)
	runs := 0
	for i := 0; i < len(rs); i++ {
		switch rs[i] {
		case markRLE:
			j := i + 1
			for j < len(rs) && rs[j] != markPDF && rs[j] != markRLE {
				j++
			}
			if j == len(rs) || rs[j] != markPDF {
				return "", false
			}
			run := slices.Clone(rs[i+1 : j])
			slices.Reverse(run)
			b.WriteString(string(run))
			runs++
			i = j
		case markPDF:
			return "", false
		default:
			b.WriteRune(rs[i])
		}
	}
	return b.String(), runs > 0
}

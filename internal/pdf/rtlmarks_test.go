package pdf_test

import (
	"strings"
	"testing"
	"unicode"

	"github.com/chancery/chancery/internal/pdf"
)

// TestMarkedArabicWordsWhole: pdftotext gives back whole the Arabic words whose letters carry
// marks (the tanwin of "وفقاً", a shadda, a damma), as a reader copies them: the characters of
// a mark's cluster were carried by the mark, drawn before its base in visual order, so
// "اعتباراً" read "اعتبار اً" and "ويُحوَّل" "و يُح وَّ ل", and a paragraph copied out of the
// letter no longer had the letter's words. The marks themselves are left out of the
// comparison: pdftotext's own bidirectional ordering puts a mark that hangs past the left
// end of a line (the tanwin of the line's last word) before the line.
func TestMarkedArabicWordsWhole(t *testing.T) {
	words := strings.Fields("اعتباراً وفقاً ويُحوَّل يُرجى جداً أيضاً المحترم شكراً مُحمَّد الدفاع")
	body := strings.Repeat(strings.Join(words, " ")+" ", 5)
	doc, err := pdf.RenderRelease("text/plain", []byte(body), head, footer, nil)
	if err != nil {
		t.Fatal(err)
	}
	letters := func(s string) []string {
		s = strings.Map(func(r rune) rune {
			if unicode.Is(unicode.Mn, r) {
				return -1
			}
			return r
		}, s)
		return strings.FieldsFunc(s, func(r rune) bool { return !unicode.Is(unicode.Arabic, r) })
	}
	known := map[string]bool{}
	for _, w := range letters(strings.Join(words, " ")) {
		known[w] = true
	}
	got := letters(run(t, "pdftotext", writeTemp(t, "marks.pdf", doc), "-"))
	if len(got) != 5*len(words) {
		t.Errorf("pdftotext gives %d Arabic words, want %d: %q", len(got), 5*len(words), got)
	}
	for _, w := range got {
		if !known[w] {
			t.Errorf("pdftotext gives %q, not a word of the letter", w)
		}
	}
}

package script

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// TestFormShapesAreNormsForms: the generated table is of the Unicode of x/text's norm, whose
// NFKC makes the forms letters: a code point of the presentation forms' blocks, or of the
// Arabic mathematical letters' (isolated), has a shape exactly when NFKC changes it, and
// nothing outside them has one. Each shape agrees with how
// its letters join (dualJoining, rightJoining): a form joined to the letter after it ends
// with a letter that joins on both sides, one joined to the letter before it begins with one
// that joins back.
func TestFormShapesAreNormsForms(t *testing.T) {
	if formsUnicode != norm.Version {
		t.Errorf("the table is of Unicode %s, NFKC of %s: go generate ./internal/script with UnicodeData.txt of %s", formsUnicode, norm.Version, norm.Version)
	}
	joinsBoth := func(r rune) bool { return r == '\u0640' || unicode.Is(dualJoining, r) }
	for r := rune(0); r <= 0x10FFFF; r++ {
		s := FormShape(r)
		inBlocks := r >= 0xFB50 && r <= 0xFDFF || r >= 0xFE70 && r <= 0xFEFC || r >= 0x1EE00 && r <= 0x1EEFF
		if !inBlocks {
			if s != NotForm {
				t.Errorf("U+%04X, out of the presentation forms' blocks, has shape %d", r, s)
			}
			continue
		}
		letters := []rune(norm.NFKC.String(string(r)))
		if changed := string(letters) != string(r); changed != (s != NotForm) {
			t.Errorf("U+%04X: shape %d, NFKC %+q", r, s, string(letters))
			continue
		}
		var bare []rune // its letters without marks and spaces
		for _, l := range letters {
			if unicode.IsLetter(l) {
				bare = append(bare, l)
			}
		}
		if len(bare) == 0 {
			continue
		}
		first, last := bare[0], bare[len(bare)-1]
		if (s == Initial || s == Medial) && !joinsBoth(last) {
			t.Errorf("U+%04X, shape %d, joins the letter after it, but ends with U+%04X", r, s, last)
		}
		if (s == Final || s == Medial) && !joinsBoth(first) && !unicode.Is(rightJoining, first) {
			t.Errorf("U+%04X, shape %d, joins the letter before it, but begins with U+%04X", r, s, first)
		}
	}
	for r, want := range map[rune]Shape{
		0xFE8F: Isolated, 0xFE90: Final, 0xFE91: Initial, 0xFE92: Medial, // beh
		0xFEFB: Isolated, 0xFEFC: Final, 0xFEF5: Isolated, 0xFEF6: Final, // lam-alef
		0xFDF2: Isolated, 0xFB94: Initial, 0xFBFD: Final, 0xFE71: Medial, 0xFE73: NotForm,
		0x0628: NotForm, 0xFEFF: NotForm,
		0x1EE01: Isolated, 0x1EE21: Isolated, 0x1EE61: Isolated, 0x1EEF0: NotForm, 0x1EE04: NotForm,
	} {
		if got := FormShape(r); got != want {
			t.Errorf("FormShape(U+%04X) = %d, want %d", r, got, want)
		}
	}
}

// TestFormsApart: a non-joiner is put where presentation forms draw letters apart (neither
// draws a stroke toward the other), after the marks and format characters between them, and
// nowhere else.
func TestFormsApart(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"\ufeb5\ufeeb", "\ufeb5\u200c\ufeeb"},                     // isolated, initial
		{"\ufeb7\ufeec", "\ufeb7\ufeec"},                           // initial, medial
		{"\ufe90\u0628", "\ufe90\u200c\u0628"},                     // final before a letter
		{"\u0628\ufe91", "\u0628\u200c\ufe91"},                     // a letter before an initial form
		{"\ufe91\u0628 \u0628\ufe90", "\ufe91\u0628 \u0628\ufe90"}, // a letter where the form joins it
		{"\ufe8f\u064e\u200b\ufe8f", "\ufe8f\u064e\u200b\u200c\ufe8f"},
		{"\ufe8f\u200d\ufe8f", "\ufe8f\u200d\u200c\ufe8f"}, // a joiner changes no form
		{"\ufe8f\u200d\u0628", "\ufe8f\u200d\u0628"},       // but draws a letter toward it
		{"\u0628\u200d\ufe8f", "\u0628\u200d\ufe8f"},
		{"\ufec9\ufeca", "\ufec9\ufeca"}, // a single stroke: drawn touching
		{"\ufe91\ufe8f", "\ufe91\ufe8f"},
		{"\ufe8f\u0640\ufe8f", "\ufe8f\u0640\ufe8f"}, // the tatweel's strokes
		{"\ufe8f \ufe8f. \ufe8f", "\ufe8f \ufe8f. \ufe8f"},
		{"x\ufe8f", "x\u200c\ufe8f"}, // JoiningBreaks keeps nothing apart after x
		{"\u0301\ufe8f", "\u0301\ufe8f"},
		{"\ufe91\ufefc\ufe8f", "\ufe91\ufefc\u200c\ufe8f"},
		// Arabic mathematical letters, initial (U+1EE21) and stretched (U+1EE61) ones too,
		// join nothing.
		{"\U0001ee01\U0001ee21\U0001ee61", "\U0001ee01\u200c\U0001ee21\u200c\U0001ee61"},
		{"\u0628\U0001ee01\u0628", "\u0628\u200c\U0001ee01\u200c\u0628"},
		{"\U0001f600\u0628\U0001ee01", "\U0001f600\u0628\u200c\U0001ee01"},
	} {
		if got := FormsApart(tc.in); got != tc.want {
			t.Errorf("FormsApart(%+q) = %+q, want %+q", tc.in, got, tc.want)
		}
	}
}

// TestFormsApartLeavesOtherText: a text without presentation forms is returned as it is,
// byte for byte, whatever else it holds (other characters whose UTF-8 begins as theirs do,
// the zero-width no-break space, letters, marks, non-joiners).
func TestFormsApartLeavesOtherText(t *testing.T) {
	alphabet := []rune("a \u0627\u0628\u0621\u0640\u064e\u200b\u200c\u200d\ufeff\ufb4f\ufe6f\ufefd\uff21\uf900\u0712\u4e2d\U0001e900\U0001ee04\U0001eef0\U0001f600\n")
	rng := rand.New(rand.NewPCG(3, 5))
	for range 20000 {
		rs := make([]rune, rng.IntN(16))
		for i := range rs {
			rs[i] = alphabet[rng.IntN(len(alphabet))]
		}
		if s := string(rs); FormsApart(s) != s {
			t.Fatalf("FormsApart(%+q) = %+q", s, FormsApart(s))
		}
	}
	persian := strings.Repeat("با سلام، به استحضار می\u200cرساند که گزارش\u200cها ارسال می\u200cشوند. ", 20)
	if got := FormsApart(persian); got != persian {
		t.Errorf("FormsApart changed a Persian text without presentation forms")
	}
	for _, s := range []string{persian, "\ufeff" + persian, "\u4e2d\uff0c\ufb4f\ufefd"} {
		if formStart(s) >= 0 {
			t.Errorf("formStart found a form in %+q", s)
		}
	}
	if n := CountForms("\U0001f600\ufe8f\U0001ee01\U0001ee04\U0001eef0\u0628", 10); n != 2 {
		t.Errorf("CountForms = %d, want 2", n)
	}
	for _, s := range []string{"\xef\xad", "\xef\xad\x90\xef", "\ufe8f\xef\xbb\ufe8f", "\xf0\x9e\xb8"} {
		if got := FormsApart(s); got != s {
			t.Errorf("FormsApart(%+q) = %+q, want it as it is", s, got)
		}
	}
}

// TestFormsApartNonJoinerBetweenTouchingForms: a non-joiner typed between two letters that
// presentation forms draw touching changes no form, so it keeps nothing apart: it is
// removed, and a non-joiner between letters that are drawn apart, or between two letters
// that are not forms, stays.
func TestFormsApartNonJoinerBetweenTouchingForms(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"\ufe91\u200c\ufe90", "\ufe91\ufe90"},             // initial, final
		{"\ufe92\u200c\ufe92", "\ufe92\ufe92"},             // medial, medial
		{"\ufec9\u200c\ufeca", "\ufec9\ufeca"},             // a single stroke
		{"\ufe91\u200c\u0628", "\ufe91\u0628"},             // an initial form before a letter
		{"\u0628\u200c\ufe90", "\u0628\ufe90"},             // a letter before a final form
		{"\ufe91\u064e\u200c\ufe90", "\ufe91\u064e\ufe90"}, // with a mark
		{"\ufe91\u200c\u200d\u200c\ufe90", "\ufe91\u200d\ufe90"},
		{"\ufe8f\u0640\u200c\ufe8f", "\ufe8f\u0640\ufe8f"}, // the tatweel's stroke
		{"\ufe8f\u200c\ufe8f", "\ufe8f\u200c\u200c\ufe8f"}, // apart: it stays
		{"\u0628\u200c\u0628\ufe90", "\u0628\u200c\u0628\ufe90"},
		{"\u0628\u200c\u0628 \ufe91\u200c\ufe90", "\u0628\u200c\u0628 \ufe91\ufe90"},
	} {
		if got := FormsApart(tc.in); got != tc.want {
			t.Errorf("FormsApart(%+q) = %+q, want %+q", tc.in, got, tc.want)
		}
	}
}

// TestFormsApartNonJoinerAfterJoiner: a letter that is not a form joins a form across a
// joiner only when the joiner, not a non-joiner, is the character beside it: "\u0628" then a
// joiner then a non-joiner stops at the non-joiner, and is drawn apart from the form after
// them. Such a non-joiner stays, and the letters are kept apart.
func TestFormsApartNonJoinerAfterJoiner(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		// The joiner beside the plain letter: drawn touching, the non-joiner removed.
		{"\ufe8f\u200c\u200d\u0628", "\ufe8f\u200d\u0628"},
		{"\u0628\u200d\u200c\ufe8f", "\u0628\u200d\ufe8f"},
		// The non-joiner beside it: drawn apart, the non-joiner kept.
		{"\ufe8f\u200d\u200c\u0628", "\ufe8f\u200d\u200c\u200c\u0628"},
		{"\u0628\u200c\u200d\ufe8f", "\u0628\u200c\u200d\u200c\ufe8f"},
		{"\ufe8f\u200d\u200c\u064e\u0628", "\ufe8f\u200d\u200c\u064e\u200c\u0628"},
		// A form drawing its own stroke touches whatever is between.
		{"\ufe91\u200d\u200c\u0628", "\ufe91\u200d\u0628"},
	} {
		if got := FormsApart(tc.in); got != tc.want {
			t.Errorf("FormsApart(%+q) = %+q, want %+q", tc.in, got, tc.want)
		}
	}
}

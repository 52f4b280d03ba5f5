package identify

import (
	"strings"
	"testing"
)

// TestSameTextPresentationForms: a text typed in Arabic presentation forms reads as its
// letters drawn as the forms draw them: apart where neither of two letters draws a stroke
// toward the other. "گزارش‌ها" (Persian's "reports", a non-joiner between
// sheen and heh) in forms has an isolated sheen then an initial heh: it is the text with the
// non-joiner, or with a space, and not "گزارشها", the letters joined; the forms that join
// sheen and heh (initial, medial) are the letters joined. "می‌رساند" likewise, with a final
// yeh before an isolated reh.
func TestSameTextPresentationForms(t *testing.T) {
	const (
		apart      = "\u06af\u0632\u0627\u0631\u0634\u200c\u0647\u0627" // گزارش‌ها
		joined     = "\u06af\u0632\u0627\u0631\u0634\u0647\u0627"       // گزارشها
		formsApart = "\ufb94\ufeb0\ufe8d\ufead\ufeb5\ufeeb\ufe8e"       // sheen isolated, heh initial
		formsJoin  = "\ufb94\ufeb0\ufe8d\ufead\ufeb7\ufeec\ufe8e"       // sheen initial, heh medial
		convey     = "\u0645\u06cc\u200c\u0631\u0633\u0627\u0646\u062f" // می‌رساند
		conveyForm = "\ufee3\ufbfd\ufead\ufeb3\ufe8e\ufee7\ufeaa"       // yeh final, reh isolated
	)
	for _, tc := range []struct {
		letter, query string
		same          bool
	}{
		{apart, formsApart, true},
		{strings.ReplaceAll(apart, "\u200c", " "), formsApart, true},
		{joined, formsApart, false},
		{joined, formsJoin, true},
		{apart, formsJoin, false},
		{convey, conveyForm, true},
		{"به استحضار " + convey, "به استحضار " + conveyForm, true},
		// A final form before a letter, an initial form after one, draw them apart.
		{"\u0628\u200c\u0628", "\ufe90\u0628", true},
		{"\u0628\u0628", "\ufe90\u0628", false},
		{"\u0628\u200c\u0628", "\u0628\ufe91", true},
		{"\u0628\u0628", "\ufe91\u0628", true},
		{"\u0628\u0628", "\u0628\ufe90", true},
		// A mark between them stays with the letter before.
		{"\u0628\u064e\u200c\u0628", "\ufe8f\u064e\ufe8f", true},
		{"\u0628\u064e\u0628", "\ufe91\u064e\ufe90", true},
		// Lam-alef: its final form joins the letter before, its isolated form does not; its
		// lam and alef are joined. After alef, nothing is kept apart.
		{"\u0628\u0644\u0627", "\ufe91\ufefc", true},
		{"\u0628\u200c\u0644\u0627", "\ufe8f\ufefb", true},
		{"\u0628\u0644\u0627", "\ufe8f\ufefb", false},
		{"\u0644\u0627\u0628", "\ufefb\ufe8f", true},
		{"\u0627\u0644\u0644\u0647", "\ufdf2", true},
		{"\u0628 \u0627\u0644\u0644\u0647", "\ufe8f\ufdf2", true},
		// Hamza joins nothing: an isolated form before it keeps nothing apart.
		{"\u0628\u0621", "\ufe8f\ufe80", true},
		// A single stroke between two letters draws them touching, as a plain ain before a
		// final one is drawn (the forms join nothing): both are the letters joined.
		{"\u0639\u0639", "\ufec9\ufeca", true},
		{"\u0639\u0639", "\u0639\ufeca", true},
		{"\u0639\u200c\u0639", "\ufec9\ufeca", false},
		{"\u0628\u0628", "\ufe8f\u200d\u0628", true},
		{"\u0628\u0628", "\ufe8f\u0640\ufe8f", true},
	} {
		if got := SameText(tc.letter, tc.query); got != tc.same {
			t.Errorf("SameText(%+q, %+q) = %v, want %v (%q)", tc.letter, tc.query, got, tc.same, Normalize(tc.query))
		}
		if n := Normalize(tc.query); Normalize(n) != n {
			t.Errorf("Normalize(Normalize(%+q)) = %q, want %q", tc.query, Normalize(n), n)
		}
	}
}

// TestSameTextPresentationFormsNonJoinerBetweenTouchingForms: a non-joiner between two
// presentation forms drawn touching (an initial form then a final one) changes nothing a
// reader sees, so the text is the letters joined, not two words.
func TestSameTextPresentationFormsNonJoinerBetweenTouchingForms(t *testing.T) {
	for _, tc := range []struct {
		letter, query string
		same          bool
	}{
		{"\u0628\u200c\u0628", "\ufe91\u200c\ufe90", false},
		{"\u0628 \u0628", "\ufe91\u200c\ufe90", false},
		{"\u0628\u0628", "\ufe91\u200c\ufe90", true},
		{"\u0639\u200c\u0639", "\ufec9\u200c\ufeca", false},
		{"\u0639\u0639", "\ufec9\u200c\ufeca", true},
		{"\u0628\u200c\u0628", "\ufe91\u200c\u0628", false},
		{"\u0628\u200c\u0628", "\u0628\u200c\ufe90", false},
		{"\u0628\u200c\u0628", "\ufe8f\u200c\ufe8f", true},
		{"\u0628\u200c\u0628", "\u0628\u200c\u0628", true},
	} {
		if got := SameText(tc.letter, tc.query); got != tc.same {
			t.Errorf("SameText(%+q, %+q) = %v, want %v (%q)", tc.letter, tc.query, got, tc.same, Normalize(tc.query))
		}
		if n := Normalize(tc.query); Normalize(n) != n {
			t.Errorf("Normalize(Normalize(%+q)) = %q, want %q", tc.query, Normalize(n), n)
		}
	}
}

// TestSameTextPresentationFormsJoinerThenNonJoiner: a plain letter after a joiner then a
// non-joiner is drawn apart from the form before them, as it is from a letter: the text is
// two words, not the letters a joiner alone draws touching.
func TestSameTextPresentationFormsJoinerThenNonJoiner(t *testing.T) {
	for _, tc := range []struct {
		letter, query string
		same          bool
	}{
		{"\u0628\u0628", "\ufe8f\u200d\u200c\u0628", false},
		{"\u0628\u200d\u200c\u0628", "\ufe8f\u200d\u200c\u0628", true},
		{"\u0628\u0628", "\u0628\u200c\u200d\ufe8f", false},
		{"\u0628\u200c\u200d\u0628", "\u0628\u200c\u200d\ufe8f", true},
		{"\u0628\u0628", "\ufe8f\u200c\u200d\u0628", true},
		{"\u0628\u0628", "\ufe8f\u200d\u0628", true},
	} {
		if got := SameText(tc.letter, tc.query); got != tc.same {
			t.Errorf("SameText(%+q, %+q) = %v, want %v (%q)", tc.letter, tc.query, got, tc.same, Normalize(tc.query))
		}
		if n := Normalize(tc.query); Normalize(n) != n {
			t.Errorf("Normalize(Normalize(%+q)) = %q, want %q", tc.query, Normalize(n), n)
		}
	}
}

// TestSameTextArabicMathematicalLetters: Arabic mathematical letters (U+1EE00–1EEFF), the
// initial and medial ones too, join nothing: a text of them reads as its letters kept apart,
// as the isolated presentation forms do, and not as the letters joined.
func TestSameTextArabicMathematicalLetters(t *testing.T) {
	for _, tc := range []struct {
		letter, query string
		same          bool
	}{
		{"\u0628\u200c\u0628", "\U0001ee01\U0001ee01", true}, // beh, beh
		{"\u0628 \u0628", "\U0001ee01\U0001ee01", true},
		{"\u0628\u0628", "\U0001ee01\U0001ee01", false},
		{"\u0628\u0628", "\U0001ee21\U0001ee21", false}, // initial beh, initial beh
		{"\u0628\u200c\u0628", "\U0001ee21\U0001ee21", true},
		{"\u0628\u200c\u0628", "\u0628\U0001ee01", true},
		{"\u0628\u200c\u0628", "\ufe91\u200c\U0001ee01", false},
		// After alef, nothing is kept apart.
		{"\u0627\u0628", "\U0001ee00\U0001ee01", true},
		{"\u0628\u200c\u0627", "\U0001ee01\U0001ee00", true},
	} {
		if got := SameText(tc.letter, tc.query); got != tc.same {
			t.Errorf("SameText(%+q, %+q) = %v, want %v (%q)", tc.letter, tc.query, got, tc.same, Normalize(tc.query))
		}
		if n := Normalize(tc.query); Normalize(n) != n {
			t.Errorf("Normalize(Normalize(%+q)) = %q, want %q", tc.query, Normalize(n), n)
		}
	}
}

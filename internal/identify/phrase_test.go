package identify

import "testing"

// TestHasPhrase: a phrase is found as OCR reads a stamp (case, dashes, accents, look-alike
// digits, one letter misread in a long word), and not when its words are apart or some lack.
func TestHasPhrase(t *testing.T) {
	const banner = "DRAFT — NOT AN OFFICIAL DOCUMENT"
	for _, c := range []struct {
		text string
		want bool
	}{
		{"Ministry.\nDRAFT — NOT AN OFFICIAL DOCUMENT\nPage 1", true},
		{"draft - not an official document", true},
		{"DRAFT—NOT AN 0FFICIAL D0CUMENT", true},
		{"DRAFT — NOT AN OFFIClAL DOCUMENT", true},
		{"DRAET — NOT AN OFFICIAL DOCUMENI", true},
		{"DRAFT — NOT AN OFFICIAL DOCUMENT", true},
		{"draft not official document", false},
		{"DRAFT — NOT A OFFICIAL DOCUMENT", false},
		{"This draft is not an official document.", false},
		{"NOT AN OFFICIAL DOCUMENT", false},
		{"DRAFT — NOT AN OFFICIAL", false},
		{"DR AFT — NOT AN OFFICIAL DOCUMENT", false},
		{"", false},
	} {
		if got := HasPhrase(c.text, "unrelated words here", banner); got != c.want {
			t.Errorf("HasPhrase(%q) = %v, want %v", c.text, got, c.want)
		}
	}
	if !HasPhrase("APERÇU DE PROJET — DOCUMENT NON OFFICIEL", "aperçu de projet document non officiel") ||
		!HasPhrase("APERCU DE PROJET - DOCUMENT NON OFFICIEL", "APERÇU DE PROJET — DOCUMENT NON OFFICIEL") {
		t.Error("the French banner with and without its cedilla")
	}
	if HasPhrase("anything", "", " — ") {
		t.Error("a phrase without words is found")
	}
}

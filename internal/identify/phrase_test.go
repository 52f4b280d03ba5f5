package identify

import (
	"reflect"
	"testing"
)

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

// TestComputeFinding: ComputeFinding gives Compute's fingerprint and HasPhrase's answer, in
// one reading of the text.
func TestComputeFinding(t *testing.T) {
	banners := []string{"DRAFT — NOT AN OFFICIAL DOCUMENT", "PROJET — DOCUMENT NON OFFICIEL"}
	p := NewPhrases(banners...)
	for _, text := range []string{
		"Sir, the exercise takes place in March. DRAFT — NOT AN OFFICIAL DOCUMENT. Yours faithfully.",
		"Sir, the exercise takes place in March. DRAFI NOT AN OFFICAL DOCUMENT",
		"Monsieur, PROJET - DOCUMENT NON OFFICIEL, l'exercice a lieu en mars.",
		"Sir, this draft is not an official document yet.",
		"",
	} {
		fp, found := ComputeFinding(text, p)
		if want := Compute(text); !reflect.DeepEqual(fp, want) {
			t.Errorf("ComputeFinding(%q) gave the fingerprint %+v, want Compute's %+v", text, fp, want)
		}
		if want := HasPhrase(text, banners...); found != want || p.In(text) != want {
			t.Errorf("ComputeFinding(%q) found %v, In %v; want HasPhrase's %v", text, found, p.In(text), want)
		}
	}
	if _, found := ComputeFinding("DRAFT — NOT AN OFFICIAL DOCUMENT", nil); found {
		t.Error("no phrases, and one found")
	}
}

// TestInClause: a phrase is found within a clause; a sentence with its words on either side
// of a comma, a colon or an Arabic comma does not hold it.
func TestInClause(t *testing.T) {
	p := NewPhrases("DRAFT — NOT AN OFFICIAL DOCUMENT", "PROJET — DOCUMENT NON OFFICIEL", "مسودة — ليست وثيقة رسمية")
	for _, c := range []struct {
		text string
		want bool
	}{
		{"Ministry.\nDRAFT — NOT AN OFFICIAL DOCUMENT\nPage 1", true},
		{"DRAFT - NOT AN 0FFICIAL DOCUMENT.", true},
		{"Sir, (DRAFT — NOT AN OFFICIAL DOCUMENT) yours", true},
		{"مسودة — ليست وثيقة رسمية", true},
		{"The paper is a draft, not an official document.", false},
		{"draft: not an official document: this file is not a released letter", false},
		{"Ce projet, document non officiel, vous est transmis.", false},
		{"المرفق مسودة، ليست وثيقة رسمية", false},
	} {
		if got := p.InClause(c.text); got != c.want {
			t.Errorf("InClause(%q) = %v, want %v", c.text, got, c.want)
		}
	}
}

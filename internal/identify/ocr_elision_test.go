package identify

import (
	"strings"
	"testing"
)

// TestCompareScanFrenchElidedNegation: French negates a verb beginning with a vowel or an h
// by "n'" alone in "Votre demande n'a pu être satisfaite" (could not be), which Normalize
// joins to the verb ("na") or keeps apart ("n" when the text puts the apostrophe's word
// apart). Its addition or removal turns the sentence around, yet it was one letter more or
// less, a misreading: a copy that granted the request read as the letter that refused it.
// OCR's misreadings of such sentences stay noise.
func TestCompareScanFrenchElidedNegation(t *testing.T) {
	const letter = "Monsieur le Directeur, nous accusons réception de votre courrier du 3 mars. " +
		"Votre demande n'a pu être satisfaite dans le délai, et le ministère n'avait pu en informer " +
		"vos services. Il n'y a pas lieu de revenir sur ce point. Veuillez agréer nos salutations."
	if c := CompareScan(letter, letter, ""); !c.Same() {
		t.Fatalf("the letter read as printed: %+v", c.Runs)
	}
	for name, change := range map[string][2]string{
		"n'a dropped":      {"demande n'a pu", "demande a pu"},
		"n'avait dropped":  {"ministère n'avait pu", "ministère avait pu"},
		"n'y dropped":      {"Il n'y a", "Il y a"},
		"n'informer added": {"en informer", "en n'informer"},
	} {
		scan := strings.Replace(letter, change[0], change[1], 1)
		if scan == letter {
			t.Fatalf("%s: %q is not in the letter", name, change[0])
		}
		if c := CompareScan(letter, scan, ""); c.Same() {
			t.Errorf("%s: %q for %q is not material", name, change[1], change[0])
		}
		if c := CompareScan(scan, letter, ""); c.Same() {
			t.Errorf("%s, the other way: %q for %q is not material", name, change[0], change[1])
		}
	}
	// The text of a PDF may hold "n'" apart from its verb: it is the same negation.
	apart := strings.Replace(letter, "demande n'a pu", "demande n' a pu", 1)
	if c := CompareScan(apart, strings.Replace(letter, "demande n'a pu", "demande a pu", 1), ""); c.Same() {
		t.Errorf("n' apart from its verb, dropped: not material")
	}
	if c := CompareScan(apart, letter, ""); !c.Same() {
		t.Errorf("n' apart from its verb, read joined: %+v", c.Runs)
	}
	// Misreadings stay noise: a letter misread in a word, accents, a speck.
	for _, misread := range []string{
		strings.Replace(letter, "demande", "dernande", 1),
		strings.Replace(letter, "satisfaite", "satisfalte", 1),
		strings.Replace(letter, "réception", "reception", 1),
		strings.Replace(letter, "nous accusons", "nous ee accusons", 1),
		strings.Replace(letter, "informer", "inforrner", 1),
	} {
		if c := CompareScan(letter, misread, ""); !c.Same() {
			t.Errorf("a misreading is material: %+v", c.Runs)
		}
	}
}

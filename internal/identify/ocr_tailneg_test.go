package identify

import "testing"

// TestCompareScanTailNegation: after a letter's last word, a few groups of up to three letters
// are what OCR reads of its QR code and seal, and noise; but a negation among them ("Or
// not.", "No.", "ou pas", "non") says something, and was forgiven: pages ending "The Ministry
// will pay the sum. Or not." read as the text that ends "will pay the sum.".
func TestCompareScanTailNegation(t *testing.T) {
	const letter = "The Ministry will pay the sum agreed with the Treasury before the end of the month."
	for _, tail := range []string{"Or not.", "No.", "Ou pas.", "Non.", "Or not. dea"} {
		if c := CompareScan(letter, letter+"\n"+tail, ""); c.Same() {
			t.Errorf("%q after the letter's end: not material", tail)
		}
	}
	if c := CompareScan(letter, letter+"\ndea ii uo", ""); !c.Same() {
		t.Errorf("a QR code's groups after the letter's end: %v", materialRuns(c))
	}
}

package identify

import (
	"strings"
	"testing"
)

// TestComparePages: the letter page's comparison of a PDF's text with its pages rendered and
// read (ComparePages) tells changes that the rules for scans forgive as misreadings, and still
// forgives what OCR reads otherwise on a clean page (folded shapes, letters of languages it
// lacks) and a running header the text layer holds elsewhere.
func TestComparePages(t *testing.T) {
	const base = "The Ministry will pay 10.5 million euros to the contractor hired for the works, as agreed with Mr Sørensen and Mr Dvořák. The Treasury is informed of this decision."
	for _, c := range []struct {
		name        string
		text, pages string
		scan, page  bool // material for CompareScan, for ComparePages
	}{
		{"the same", base, base, false, false},
		{"million for billion", base, strings.Replace(base, "million", "billion", 1), false, true},
		{"hired for fired", base, strings.Replace(base, "hired", "fired", 1), false, true},
		{"a decimal point lost", base, strings.Replace(base, "10.5", "105", 1), false, true},
		{"short words the pages add", base, strings.Replace(base, "informed of this decision.", "informed of this decision if so.", 1), false, true},
		{"a figure changed", base, strings.Replace(base, "10.5", "70.5", 1), true, true},
		{"shapes OCR confuses", base, strings.NewReplacer("Ministry", "Mlnistry", "informed", "inforrned", "of this", "0f this").Replace(base), false, false},
		{"letters OCR's languages lack", base, strings.NewReplacer("Sørensen", "Sgrensen", "Dvořák", "Dvofák").Replace(base), false, false},
		{"a stroke read as an e", base, strings.Replace(base, "Mr Sørensen", "Mr Serensen", 1), false, false},
		{"a caron read as a diaeresis", strings.Replace(base, "Mr Sørensen", "Mr Kovač", 1), strings.Replace(base, "Mr Sørensen", "Mr Kovaë", 1), false, false},
		{"a German umlaut misread", strings.Replace(base, "Mr Sørensen", "Mrs Müller", 1), strings.Replace(base, "Mr Sørensen", "Mrs Miller", 1), false, false},
		{"a letter changed beside one they lack", base, strings.Replace(base, "Sørensen", "Sgrensan", 1), true, true},
		{"a mark read from a logo", base, "l " + base, false, false},
	} {
		if got := !CompareScan(c.text, c.pages, "").Same(); got != c.scan {
			t.Errorf("%s: CompareScan material %v, want %v", c.name, got, c.scan)
		}
		if got := !ComparePages(c.text, c.pages).Same(); got != c.page {
			t.Errorf("%s: ComparePages material %v, want %v: %+v", c.name, got, c.page, ComparePages(c.text, c.pages).Runs)
		}
	}
}

// TestComparePagesMovedRuns: a page's running header that the text layer holds after the
// page's body, where OCR reads it first, is no difference (a multi-page letter laid out by
// Chancery's renderer, pagesbench); words swapped within a sentence are, and so is a header
// changed on its way.
func TestComparePagesMovedRuns(t *testing.T) {
	const (
		body1  = "The Ministry will pay the sum agreed with the Treasury before the end of the month."
		body2  = "The contractor will deliver the works in three parts, each inspected on site."
		header = "Ministry of Foreign Affairs MFA-2026-0002 Page 2 of 2"
	)
	text := body1 + "\f" + body2 + "\n" + header
	pages := body1 + "\f" + header + "\n" + body2
	if c := ComparePages(text, pages); !c.Same() {
		t.Errorf("a running header read first: %+v; want no difference", c.Runs)
	}
	if c := ComparePages(text, strings.Replace(pages, "Page 2 of 2", "Page 2 of 3", 1)); c.Same() {
		t.Error("a header that moved and changed: no difference")
	}
	swapped := "The Ministry will pay 1,000 euros to X and 5,000 euros to Y."
	if c := ComparePages(swapped, "The Ministry will pay 5,000 euros to X and 1,000 euros to Y."); c.Same() {
		t.Error("figures swapped within a sentence: no difference")
	}
}

// TestComparePagesRunMovedWithinPage: a line of a list moved within a page's body, from the
// offers accepted to those rejected, or from first to second place in an order of merit,
// changes what the letter says, and is a difference; a running header read at the top of its
// page, where the text layer holds it at the foot, is not (TestComparePagesMovedRuns), and
// neither is one the text layer holds at the top of the page before.
func TestComparePagesRunMovedWithinPage(t *testing.T) {
	for _, c := range []struct{ name, text, pages string }{
		{"a line moved from one list to another",
			"The Ministry decided as follows.\nAccepted offers:\nAlpha Works of Paris\nBeta Builders of Lyon\nRejected offers:\nGamma Group of Nice\nDelta Company of Lille\nThe Treasury is informed.",
			"The Ministry decided as follows.\nAccepted offers:\nAlpha Works of Paris\nRejected offers:\nGamma Group of Nice\nDelta Company of Lille\nBeta Builders of Lyon\nThe Treasury is informed."},
		{"two names of an order of merit swapped",
			"The candidates in order of merit: Alice Jeanne Martin Lyon, Bernard Paul Petit Paris, who is appointed.",
			"The candidates in order of merit: Bernard Paul Petit Paris, Alice Jeanne Martin Lyon, who is appointed."},
	} {
		if cmp := ComparePages(c.text, c.pages); cmp.Same() {
			t.Errorf("%s: no difference: %+v", c.name, cmp.Runs)
		}
	}
	const header = "Ministry of Foreign Affairs MFA-2026-0002 Page 2 of 2"
	body := "The contractor will deliver the works in three parts, each inspected on site."
	if c := ComparePages("First page.\f"+body+"\n"+header, "First page.\f"+header+"\n"+body); !c.Same() {
		t.Errorf("a running header read first: %+v; want no difference", c.Runs)
	}
}

// TestComparePagesBarReadForL: Tesseract reads the "l" of a French elided article before a
// capital ("l’Ambassadeur") as a bar, "|’Ambassadeur": a misreading of a clean page, not a
// difference. A bar between words stays a mark, and a word changed beside it a difference.
func TestComparePagesBarReadForL(t *testing.T) {
	const text = "Je vous prie d’agréer, Monsieur l’Ambassadeur, l’expression de ma très haute considération."
	for _, pages := range []string{
		"Je vous prie d’agréer, Monsieur |’Ambassadeur, l’expression de ma très haute considération.",
		"Je vous prie d’agréer, Monsieur |'Ambassadeur, |’expression de ma très haute considération.",
	} {
		if c := ComparePages(text, pages); !c.Same() {
			t.Errorf("%q: %+v; want no difference", pages, c.Runs)
		}
	}
	if c := ComparePages(text, "Je vous prie d’agréer, Monsieur |’Ambassadrice, l’expression de ma très haute considération."); c.Same() {
		t.Error("another word beside the bar: no difference")
	}
	if c := ComparePages("Le montant est de 100 euros.", "Le montant est de | 100 euros."); !c.Same() {
		t.Errorf("a bar between words: %+v; want no difference", c.Runs)
	}
}

// TestComparePagesUnreadLetterIsNotAnyLetter: a letter OCR's languages lack is read as the
// letter it is written on ("ř" as "r") or one OCR was seen to take it for ("ř" as "f", "ø" as
// "g"), not as any letter: a text layer that writes "hired" with a Maltese "ħ", or "not" as
// "ńoŧ", does not hide pages that show "fired" or "now".
func TestComparePagesUnreadLetterIsNotAnyLetter(t *testing.T) {
	const base = "The Ministry will not pay the contractor hired for the works before they are inspected."
	for _, c := range []struct{ text, pages string }{
		{strings.Replace(base, "not", "ńoŧ", 1), strings.Replace(base, "not", "now", 1)},
		{strings.Replace(base, "hired", "ħired", 1), strings.Replace(base, "hired", "fired", 1)},
		{strings.Replace(base, "contractor", "contractoř", 1), strings.Replace(base, "contractor", "contractos", 1)},
		{strings.Replace(base, "works", "wørks", 1), strings.Replace(base, "works", "warks", 1)},
	} {
		if cmp := ComparePages(c.text, c.pages); cmp.Same() {
			t.Errorf("%q against %q: no difference", c.text, c.pages)
		}
	}
	for _, c := range []struct{ text, pages string }{
		{"Mr Sørensen, Mr Dvořák and Ms Łukasiewicz agreed.", "Mr Sorensen, Mr Dvorak and Ms Lukasiewicz agreed."},
		{"Mr Sørensen, Mr Dvořák and Ms Łukasiewicz agreed.", "Mr Sgrensen, Mr Dvofák and Ms Lukasiewicz agreed."},
		{"Mr Sørensen, Mr Dvořák and Ms Łukasiewicz agreed.", "Mr Sørensen, Mr Dvořák and Ms Łukasiewicz agreed."},
	} {
		if cmp := ComparePages(c.text, c.pages); !cmp.Same() {
			t.Errorf("%q against %q: %+v; want no difference", c.text, c.pages, cmp.Runs)
		}
	}
}

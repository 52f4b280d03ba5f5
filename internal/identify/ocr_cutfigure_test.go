package identify

import "testing"

// TestCompareScanCutInsideAFigure: a scan that lacks the letter's end, or its beginning, is a
// part of the letter (Partial), unless it stops or starts inside a figure whose groups of
// digits the letter separates with spaces: cropped after "will pay 1" of "will pay 1 500 000
// euros", it shows another figure, and was the letter's part.
func TestCompareScanCutInsideAFigure(t *testing.T) {
	const head = "The ministry of the interior writes to the embassy of the republic about the trucks that are to be moved across the border in the coming weeks, under the agreement signed last year between the two governments and the joint staff."
	const figure = " The ministry will pay 1 500 000 euros to the carrier"
	const tail = " before the end of the month, and the embassy is asked to confirm the schedule by return."
	letter := head + figure + tail
	for _, c := range []struct {
		name, scan string
		same       bool
	}{
		{"the end not scanned", head + " The ministry will pay", true},
		{"cropped after a whole figure", head + figure, true},
		{"cropped after the figure's first group", head + " The ministry will pay 1", false},
		{"cropped after its second group", head + " The ministry will pay 1 500", false},
		{"the beginning not scanned", "to the carrier" + tail, true},
		{"starting at the figure's last group", "000 euros to the carrier" + tail, false},
	} {
		got := CompareScan(letter, c.scan, "")
		if got.Same() != c.same {
			t.Errorf("%s: Same = %v, want %v (%+v)", c.name, got.Same(), c.same, got.Runs)
		}
		if c.same && !got.Partial {
			t.Errorf("%s: not Partial", c.name)
		}
	}
}

// TestCompareScanPagesEndingOnAFigure: a scan of the letter's second page only, or its first,
// is a part of the letter when the first ends a sentence on a figure ("by 31 December
// 2026.") and the second begins with another (a paragraph's number, "2."): they are two
// figures, not one the scan cut.
func TestCompareScanPagesEndingOnAFigure(t *testing.T) {
	const first = "The ministry of the interior writes to the embassy of the republic about the trucks that are to be moved across the border in the coming weeks, under the agreement signed last year between the two governments and the joint staff. The works end by 31 December 2026."
	const second = "2. The contractor will move 277 trucks before the end of the month, and the embassy is asked to confirm the schedule by return of mail to the ministry."
	for _, sep := range []string{"\n\n", "\f", "\n"} {
		letter := first + sep + second
		for _, scan := range []string{first, second} {
			got := CompareScan(letter, scan, "")
			if !got.Same() || !got.Partial {
				t.Errorf("%q, then %q: a scan of %.20q: Same %v, Partial %v, want a part of the letter (%+v)", first[len(first)-10:], sep, scan, got.Same(), got.Partial, got.Runs)
			}
		}
	}
}

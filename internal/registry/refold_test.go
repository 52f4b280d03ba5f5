package registry

import (
	"context"
	"strings"
	"testing"
)

// greekLetter is a letter in Greek whose heading keeps, in capitals, the dialytika and the
// tonos of a word's ΐ: U+03AA U+0301, which has no capital of its own.
const greekLetter = "Αξιότιμε κύριε Υπουργέ,\n\nΑΠΟΣΤΟΛΗ ΠΡΩΤΕΪ́ΝΗΣ\n\nΣας ενημερώνουμε ότι η δεύτερη " +
	"αποστολή θα αναχωρήσει από τη βόρεια περιφέρεια εντός των επόμενων εβδομάδων, σε συνεργασία με " +
	"τις εθνικές αρχές. Κάθε φάση θα ανακοινώνεται εκ των προτέρων στους αξιωματικούς συνδέσμους.\n\n" +
	"Με εκτίμηση\n"

// TestRereadFingerprintsOfFoldThatComposes: the builds before this one folded a text once,
// and read "Ϊ́" (U+03AA U+0301) otherwise than its small letter ΐ: the fingerprints of a
// letter holding it, a plain-text version's too, are read again, and the letter is found by
// its text typed in small letters.
func TestRereadFingerprintsOfFoldThatComposes(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	ref, _ := o.released(t, greekLetter)
	// The fingerprints an earlier build stored, whose folding this build does not make: those
	// of the text without U+03AA and U+0301 stand for them.
	last := o.letterRow(t, ref).ID
	stored := storedAsBefore(t, o.r, last, func(text string) (string, error) {
		return strings.Map(func(r rune) rune {
			if r == 0x03aa || r == 0x0301 {
				return -1
			}
			return r
		}, text), nil
	})
	readAgainThrough(t, o, last)
	r, n := readAgain(t, o)
	if n != stored {
		t.Errorf("%d fingerprints replaced, want %d: the plain-text version's was not read again", n, stored)
	}
	small := strings.Replace(greekLetter, "ΑΠΟΣΤΟΛΗ ΠΡΩΤΕΪ́ΝΗΣ", "αποστολη πρωτεΐνης", 1)
	for name, text := range map[string]string{"typed in small letters": small, "as released": greekLetter} {
		if got, err := r.Identify(ctx, Actor{}, text); err != nil || got.Outcome != Valid || got.Reference != ref {
			t.Errorf("%s, after its fingerprints were read again: %+v, %v", name, got, err)
		}
	}
}

package identify

import (
	"strings"
	"testing"
	"time"
)

// TestCompareScanCodesInARow: a run of the letter's words with its check code several times
// in a row is cut, code by code, in polynomial time. The search of each code's cut searched
// again, for every cut of the code before it, the cuts of the codes after it: with seven
// codes of 16 characters (the letter's first code, named as its check code, as
// FuzzCompareScan names it) against a scan that no cut makes noise, the comparison ran for
// more than a minute, each code more taking some fifteen times as long. A genuine reading of the
// codes is still noise, a reading with more than a misreading after them still material.
func TestCompareScanCodesInARow(t *testing.T) {
	code := "abcdefgh12345678"
	for _, tc := range []struct {
		codes int
		tail  string
		same  bool
	}{
		{3, "", true},
		{3, strings.Repeat("q", 18), false},
		{7, strings.Repeat("q", 8), false},
	} {
		letter := "pay " + strings.TrimSpace(strings.Repeat(code+" ", tc.codes)) + " now"
		scan := strings.Repeat(code, tc.codes)
		if len(scan) > maxCodeRun-len(tc.tail) {
			scan = scan[:maxCodeRun-len(tc.tail)]
		}
		scan = "pay " + scan + tc.tail + " now"
		done := make(chan bool, 1)
		go func() { done <- CompareScan(letter, scan, code).Same() }()
		select {
		case same := <-done:
			if same != tc.same {
				t.Errorf("%d codes in a row read as %q: same %v, want %v", tc.codes, scan, same, tc.same)
			}
		case <-time.After(time.Minute):
			t.Fatalf("%d codes in a row read as %q: not compared within a minute", tc.codes, scan)
		}
	}
}

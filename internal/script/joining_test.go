package script

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
)

// breaksJoiningAt is JoiningBreaks read at one index, each neighbour looked for on its own.
func breaksJoiningAt(rs []rune, i int) bool {
	if rs[i] != NonJoiner {
		return false
	}
	j, k := i-1, i+1
	for j >= 0 && transparent(rs[j]) {
		j--
	}
	for k < len(rs) && transparent(rs[k]) {
		k++
	}
	return j >= 0 && k < len(rs) && (unicode.Is(dualJoining, rs[j]) || joinsUnknown(rs[j])) &&
		(unicode.In(rs[k], dualJoining, rightJoining) || joinsUnknown(rs[k]))
}

// TestJoiningBreaks: the non-joiners JoiningBreaks finds are those that keep two joining
// letters apart, each read at its own place, in texts of letters, marks and format
// characters.
func TestJoiningBreaks(t *testing.T) {
	alphabet := []rune("a \u0627\u0628\u062f\u0621\u0640\u0712\u0915\u094d\u0301\u0654\u200b\u200c\u200c\u200d\u2060\ufeff")
	rng := rand.New(rand.NewPCG(7, 11))
	for range 20000 {
		rs := make([]rune, rng.IntN(12))
		for i := range rs {
			rs[i] = alphabet[rng.IntN(len(alphabet))]
		}
		var want []int
		for i := range rs {
			if breaksJoiningAt(rs, i) {
				want = append(want, i)
			}
		}
		if got := JoiningBreaks(rs); !slices.Equal(got, want) {
			t.Fatalf("JoiningBreaks(%q) = %v, want %v", string(rs), got, want)
		}
	}
}

// TestJoiningBreaksLinear: a text of many non-joiners and marks between two letters, which a
// pasted text may be, is read in time linear in its length.
func TestJoiningBreaksLinear(t *testing.T) {
	for _, run := range []string{"\u200c", "\u0301\u200c"} {
		rs := []rune("\u0628" + strings.Repeat(run, 100000) + "\u0628")
		start := time.Now()
		if n := len(JoiningBreaks(rs)); n != 100000 {
			t.Errorf("%d breaks, want 100000", n)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%d runes of %q read in %v", len(rs), run, d)
		}
	}
}

package seal

import (
	"slices"
	"testing"
)

// TestPrefixDigests: each digest is that of the prefix, as DigestOf makes it.
func TestPrefixDigests(t *testing.T) {
	b := []byte("%PDF-1.7 a revision %%EOF\nan update %%EOF\n")
	ends := []int{0, 10, 26, len(b)}
	var want []Digest
	for _, e := range ends {
		want = append(want, DigestOf(b[:e]))
	}
	if got := PrefixDigests(b, ends); !slices.Equal(got, want) {
		t.Errorf("%v, want %v", got, want)
	}
}

package identify

import (
	"strings"
	"testing"
)

// TestNormalizeZeroWidthCost: the non-joiners of a Persian text, dropped or read as breaks
// between words, cost Normalize no more than a fifth more memory than the same text with
// spaces in their places: the text is made again (NFKC, case folding) only when what a
// dropped character kept apart composes.
func TestNormalizeZeroWidthCost(t *testing.T) {
	persian := strings.Repeat("به استحضار می\u200cرساند که گزارش\u200cها ارسال می\u200cشوند و هزینه ۱۲۰۰ است. ", 60)
	spaced := strings.ReplaceAll(persian, "\u200c", " ")
	bytes := func(text string) int64 {
		return testing.Benchmark(func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Normalize(text)
			}
		}).AllocedBytesPerOp()
	}
	if got, base := bytes(persian), bytes(spaced); got > base*6/5 {
		t.Errorf("Normalize of a Persian text with its non-joiners allocates %d bytes, %d with spaces for them", got, base)
	}
	if Normalize(persian) != Normalize(spaced) {
		t.Errorf("Normalize(%q) = %q, want %q", persian[:60], Normalize(persian), Normalize(spaced))
	}
}

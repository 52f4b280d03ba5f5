package identify

import (
	"strings"
	"testing"
	"time"
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

// TestNormalizeManyNonJoiners: a pasted text of many non-joiners between two letters (a
// request may hold megabytes of them) is normalized in time linear in its length.
func TestNormalizeManyNonJoiners(t *testing.T) {
	text := "\u0628" + strings.Repeat("\u200c", 40000) + "\u0628"
	start := time.Now()
	if got := Normalize(text); got != "\u0628 \u0628" {
		t.Errorf("Normalize = %q", got)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("40,000 non-joiners normalized in %v", d)
	}
}

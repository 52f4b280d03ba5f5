package identify_test

import (
	"testing"

	"github.com/chancery/chancery/internal/identify"
	"github.com/chancery/chancery/internal/identify/synth"
)

func BenchmarkCompute(b *testing.B) {
	c := synth.Corpus{Seed: 1, FamilySize: 6}
	texts := make([]string, 100)
	for i := range texts {
		texts[i] = c.Letter(i).Text()
	}
	for i := 0; b.Loop(); i++ {
		identify.Compute(texts[i%len(texts)])
	}
}

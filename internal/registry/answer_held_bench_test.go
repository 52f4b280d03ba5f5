package registry

import (
	"context"
	"testing"
)

// BenchmarkKeptAnswerHeld is BenchmarkKeptAnswerUncached with the kept answers held in memory
// (store.DB.HoldAnswers, as serve does): the same 200 letters, answered without reading the
// store.
//
//	go test ./internal/registry -run '^$' -bench 'KeptAnswer(Held|Uncached)' -benchtime 20000x
func BenchmarkKeptAnswerHeld(b *testing.B) {
	ctx := context.Background()
	o, digests := releasedForBench(b)
	done := make(chan error, 1)
	stop := o.r.cfg.DB.HoldAnswers(1<<30, func(_ int, _ int64, err error) { done <- err })
	defer stop()
	if err := <-done; err != nil {
		b.Fatal(err)
	}
	if n, _ := o.r.cfg.DB.HeldAnswers(); n != len(digests) {
		b.Fatalf("%d answers held, want %d", n, len(digests))
	}
	benchKeptAnswers(ctx, b, o, digests)
}

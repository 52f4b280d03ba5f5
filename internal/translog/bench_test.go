package translog

import (
	"context"
	"crypto/rand"
	"fmt"
	"sync"
	"testing"

	"golang.org/x/mod/sumdb/tlog"
)

// BenchmarkAppend measures durable appends of 512-byte entries with each writer waiting for
// its own append before the next. The full comparison with Tessera is bench/cmd/appendbench.
func BenchmarkAppend(b *testing.B) {
	for _, writers := range []int{1, 16, 256} {
		b.Run(fmt.Sprintf("writers=%d", writers), func(b *testing.B) {
			s, _ := newSigner(b)
			_, l := openLog(b, b.TempDir(), s)
			ctx := context.Background()
			entry := make([]byte, 512)
			rand.Read(entry)
			var next sync.WaitGroup
			work := make(chan struct{}, b.N)
			for range b.N {
				work <- struct{}{}
			}
			close(work)
			b.ResetTimer()
			for range writers {
				next.Add(1)
				go func() {
					defer next.Done()
					e := append([]byte(nil), entry...)
					for range work {
						rand.Read(e[:16])
						if _, err := l.Append(ctx, e); err != nil {
							b.Error(err)
							return
						}
					}
				}()
			}
			next.Wait()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "appends/s")
		})
	}
}

// proofLogSize is the size of the log BenchmarkInclusionProof proves against.
const proofLogSize = 1 << 20

// BenchmarkInclusionProof measures inclusion proof generation (read from the stored tiles)
// and verification in a log of 1,048,576 entries, which it builds first (about 15 s).
func BenchmarkInclusionProof(b *testing.B) {
	s, _ := newSigner(b)
	_, l := openLog(b, b.TempDir(), s)
	ctx := context.Background()
	var wg sync.WaitGroup
	next := make(chan int, 1024)
	go func() {
		for i := range proofLogSize {
			next <- i
		}
		close(next)
	}()
	leaves := make([]tlog.Hash, proofLogSize)
	for range 512 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				e := fmt.Appendf(nil, "entry %d", i)
				idx, err := l.Append(ctx, e)
				if err != nil {
					b.Error(err)
					return
				}
				leaves[idx] = tlog.RecordHash(e)
			}
		}()
	}
	wg.Wait()
	head := l.Head()
	if head.Size != proofLogSize {
		b.Fatalf("size %d", head.Size)
	}
	b.Run("generate", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			i := int64(0)
			for pb.Next() {
				i = (i*7919 + 104729) % proofLogSize
				if _, err := l.InclusionProof(ctx, i, head.Size); err != nil {
					b.Error(err)
					return
				}
			}
		})
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "proofs/s")
	})
	proofs := make([]tlog.RecordProof, 1024)
	for i := range proofs {
		p, err := l.InclusionProof(ctx, int64(i*1021), head.Size)
		if err != nil {
			b.Fatal(err)
		}
		proofs[i] = p
	}
	b.Run("verify", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			j := i % len(proofs)
			if err := tlog.CheckRecord(proofs[j], head.Size, head.Root, int64(j*1021), leaves[j*1021]); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "proofs/s")
	})
}

package translog

import (
	"context"
	"crypto/rand"
	"fmt"
	"sync"
	"testing"
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

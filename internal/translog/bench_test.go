package translog

import (
	"context"
	"crypto/rand"
	"fmt"
	"sync"
	"testing"

	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/store/storetest"
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

// BenchmarkReadPostgres measures what a read of the published tree costs on PostgreSQL, where
// each read transaction also reads the stored head to check that it extends the published
// one (viewPublished): an entry and an entry bundle (their tile cached), an inclusion proof
// (from the cache alone), a read transaction with the head check and nothing else, and one
// without it.
func BenchmarkReadPostgres(b *testing.B) {
	url := storetest.PostgresURL(b)
	s, _ := newSigner(b)
	dbs, logs := openSharedAt(b, url, s, 1)
	db, l := dbs[0], logs[0]
	ctx := context.Background()
	const size = 1000
	entries := make([][]byte, size)
	for i := range entries {
		entries[i] = fmt.Appendf(nil, "entry %d", i)
	}
	for i := 0; i < size; i += 100 {
		if _, err := l.AppendAllTx(ctx, entries[i:i+100], nil); err != nil {
			b.Fatal(err)
		}
	}
	for _, c := range []struct {
		name string
		read func(i int64) error
	}{
		{"entry", func(i int64) error { _, err := l.Entry(ctx, i); return err }},
		{"bundle", func(i int64) error {
			_, err := l.ReadTile(ctx, tlog.Tile{H: TileHeight, L: EntriesLevel, N: i / TileWidth, W: TileWidth})
			if i/TileWidth == size/TileWidth {
				_, err = l.ReadTile(ctx, tlog.Tile{H: TileHeight, L: EntriesLevel, N: i / TileWidth, W: size % TileWidth})
			}
			return err
		}},
		{"proof", func(i int64) error { _, err := l.InclusionProof(ctx, i, size); return err }},
		{"view-with-head-check", func(int64) error {
			return l.viewPublished(ctx, func(*store.Tx, int64) error { return nil })
		}},
		{"view", func(int64) error { return db.View(ctx, func(*store.Tx) error { return nil }) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.RunParallel(func(pb *testing.PB) {
				i := int64(0)
				for pb.Next() {
					i = (i*7919 + 104729) % size
					if err := c.read(i); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

package cosigned

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/translog"
	"github.com/chancery/chancery/internal/witness"
	"golang.org/x/mod/sumdb/note"
)

// BenchmarkWitnessedAppends measures durable appends of 512-byte entries by 1, 16 and 256
// writers (each waits for its own append, as in translog's BenchmarkAppend) with 0, 1 and 3
// Chancery witnesses on loopback and a quorum of all of them, and the time from each append's
// start until a checkpoint the quorum cosigned covers it (with no witnesses: until the log's
// own checkpoint does). The witnesses run in this process, on the same two cores.
//
//	go test ./internal/cosigned -run '^$' -bench WitnessedAppends -benchtime 20000x
func BenchmarkWitnessedAppends(b *testing.B) {
	for _, interval := range []time.Duration{-1, witness.DefaultMinInterval} {
		for _, n := range []int{0, 1, 3} {
			for _, writers := range []int{1, 16, 256} {
				if n == 0 && interval > 0 {
					continue // nothing is sent: the same as interval=-1
				}
				b.Run(fmt.Sprintf("interval=%s/witnesses=%d/writers=%d", interval, n, writers), func(b *testing.B) {
					benchWitnessed(b, n, writers, interval)
				})
			}
		}
	}
}

func benchWitnessed(b *testing.B, witnesses, writers int, interval time.Duration) {
	ctx := context.Background()
	db, err := store.OpenSQLite(ctx, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	skey, vkey, _ := note.GenerateKey(rand.Reader, "bench.example/log")
	signer, _ := note.NewSigner(skey)
	lg, err := translog.Open(ctx, db, translog.Config{Origin: signer.Name(), Signer: signer, Create: true})
	if err != nil {
		b.Fatal(err)
	}
	defer lg.Close()
	err = db.Update(ctx, func(tx *store.Tx) error {
		for i := range witnesses {
			dir := b.TempDir()
			st, err := witness.OpenStore(ctx, dir)
			if err != nil {
				return err
			}
			b.Cleanup(func() { st.Close() })
			key, err := witness.LoadKey(dir, fmt.Sprintf("w%d.bench.example", i))
			if err != nil {
				return err
			}
			if _, err := st.AddLog(ctx, signer.Name(), vkey); err != nil {
				return err
			}
			srv := httptest.NewServer(witness.NewServer(st, key, nil))
			b.Cleanup(srv.Close)
			if err := tx.AddWitness(ctx, store.Witness{Name: fmt.Sprintf("w%d", i), URL: srv.URL, VKey: key.VerifierKey(), AddedAt: time.Now()}); err != nil {
				return err
			}
		}
		return SetQuorum(ctx, tx, witnesses)
	})
	if err != nil {
		b.Fatal(err)
	}
	h, err := Open(ctx, db, lg)
	if err != nil {
		b.Fatal(err)
	}
	h.MinInterval = interval
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	go h.Run(runCtx, nil, nil)

	base := lg.Head().Size
	starts := make([]time.Time, b.N)
	covered := make([]time.Time, b.N)
	// The watcher notes when each entry is first covered by the head Heads serves.
	watchDone := make(chan struct{})
	go func() {
		defer close(watchDone)
		next := int64(0)
		for next < int64(b.N) {
			changed, published := h.watch(), lg.Published()
			if hd := h.Head(); hd != nil {
				now := time.Now()
				for ; next < int64(b.N) && base+next < hd.Size; next++ {
					covered[next] = now
				}
			}
			if next == int64(b.N) {
				return
			}
			select {
			case <-changed:
			case <-published:
			case <-runCtx.Done():
				return
			}
		}
	}()

	entry := make([]byte, 512)
	rand.Read(entry)
	work := make(chan struct{}, b.N)
	for range b.N {
		work <- struct{}{}
	}
	close(work)
	var wg sync.WaitGroup
	b.ResetTimer()
	for range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e := append([]byte(nil), entry...)
			for range work {
				rand.Read(e[:16])
				start := time.Now()
				idx, err := lg.Append(ctx, e)
				if err != nil {
					b.Error(err)
					return
				}
				starts[idx-base] = start
			}
		}()
	}
	wg.Wait()
	elapsed := b.Elapsed()
	select {
	case <-watchDone:
	case <-time.After(time.Minute):
		b.Fatalf("the witnesses did not cosign the last checkpoint within a minute: log %d, served %+v, base %d, N %d", lg.Head().Size, h.Head(), base, b.N)
	}
	b.StopTimer()
	lat := make([]time.Duration, b.N)
	for i := range lat {
		lat[i] = covered[i].Sub(starts[i])
	}
	slices.Sort(lat)
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "appends/s")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-cosigned-ms")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-cosigned-ms")
}

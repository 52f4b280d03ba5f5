package monitor_test

import (
	"context"
	"testing"

	"github.com/chancery/chancery/internal/entry"
	"github.com/chancery/chancery/internal/monitor"
	"github.com/chancery/chancery/internal/translog"
	"golang.org/x/mod/sumdb/note"
)

// BenchmarkFirstPass measures a monitor's first pass over a log of 10,000 entries served over
// loopback HTTP (every tile and bundle fetched and checked, every entry described), against
// the log's own fsck, `chancery log verify`, on the same database in the same run.
func BenchmarkFirstPass(b *testing.B) {
	const n = 10_000
	keys := newLogKeys(b, "bench.example/log")
	o := newOffice(b, keys)
	o.appendKeys(n - int(o.size()))
	size := o.size()
	ctx := context.Background()
	b.Run("monitor", func(b *testing.B) {
		for b.Loop() {
			m, err := monitor.New(monitor.Config{Logs: []monitor.Log{{URL: o.url, Key: keys.vkey}},
				Report: func(context.Context, monitor.Report) error { return nil }})
			if err != nil {
				b.Fatal(err)
			}
			if err := m.Pass(ctx); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(size)*float64(b.N)/b.Elapsed().Seconds(), "entries/s")
	})
	b.Run("log-verify", func(b *testing.B) {
		v, err := note.NewVerifier(keys.vkey)
		if err != nil {
			b.Fatal(err)
		}
		check := func(_ int64, e []byte) error {
			_, err := entry.Decode(e)
			return err
		}
		for b.Loop() {
			if _, err := translog.Verify(ctx, o.db, v, nil, check, nil); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(size)*float64(b.N)/b.Elapsed().Seconds(), "entries/s")
	})
}

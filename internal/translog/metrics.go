package translog

import (
	"time"

	"github.com/chancery/chancery/internal/metrics"
)

// observeBatch records a committed batch in the metrics: its size, and for each acknowledged
// append the time to its commit and to the checkpoint that includes it. It runs on the
// sequencer, after the head is published and before the appenders are woken, so it reads the
// clock once per batch, not once per append.
func observeBatch(batch []*request, results []result, committed time.Time) {
	published := time.Now()
	n := 0
	for i, r := range batch {
		if results[i].err != nil {
			continue
		}
		n += len(r.entries)
		metrics.AppendSeconds.Observe(committed.Sub(r.start).Seconds())
		metrics.AppendToCheckpointSeconds.Observe(published.Sub(r.start).Seconds())
	}
	metrics.BatchEntries.Observe(float64(n))
	metrics.CheckpointsPublished.Inc()
}

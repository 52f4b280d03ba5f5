package metrics

import "github.com/prometheus/client_golang/prometheus"

// Witnesses. The witness label is the office's own name for the witness ('chancery witness
// add NAME'), an operator's label, never anything from a letter.
var (
	witnessAlerts = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "chancery_witness_alerts_total",
		Help: "Alerts about witnesses: refusals of the log's checkpoints, bad cosignatures, witnesses ahead of the log, repeated failures.",
	}, []string{"witness"})
	// CosignedSize is the size of the checkpoint served: the newest that the witness quorum
	// cosigned (the log's own latest with a quorum of zero).
	CosignedSize = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "chancery_log_cosigned_size",
		Help: "Size of the newest checkpoint that the witness quorum cosigned.",
	})
)

// WitnessAlert counts an alert about the witness named name.
func WitnessAlert(name string) { witnessAlerts.WithLabelValues(name).Inc() }

func init() {
	registered = append(registered, witnessAlerts, CosignedSize)
}

// Package metrics holds Chancery's Prometheus collectors: the log's size and latencies, the
// registry's releases, withdrawals and verify answers, leadership, database errors and HTTP
// requests. `chancery serve --metrics-listen ADDR` serves them with [Handler] on a listener of
// their own, apart from the public site.
//
// The collectors are package variables so that translog, registry, store and server record
// into them with one call and no wiring; this package imports none of Chancery's, so any of
// them may import it. Every metric is registered in [Registry], never in Prometheus's global
// one.
//
// Labels are closed sets fixed by the code (outcomes, route patterns, status codes, operation
// names). No label carries a reference, a subject, a name, a digest or a check code: the
// metrics endpoint may be scraped by people who must not learn the office's correspondence.
package metrics

import (
	"net/http"
	"strconv"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Registry holds every Chancery collector, the Go runtime's and the process's, once [Handler]
// has been called: the collectors are registered then rather than at start, since building the
// Go runtime's collector and checking every descriptor cost every run of the command line a
// millisecond or two (issue 19: `chancery verify` of a folder), and only a server serves them.
var Registry = prometheus.NewRegistry()

// registered lists the collectors of this package's files, for register.
var registered []prometheus.Collector

// register registers every collector in Registry, and makes the series of the closed label
// sets exist at zero.
var register = sync.OnceFunc(func() {
	Registry.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	Registry.MustRegister(registered...)
	for _, k := range withdrawalKinds {
		withdrawals.WithLabelValues(k)
	}
	for _, o := range outcomes {
		verifyAnswers.WithLabelValues(o)
	}
	for _, op := range []string{OpBegin, OpCommit, OpLogBatch, OpLogFollow} {
		dbErrors.WithLabelValues(op)
	}
})

// latencyBuckets span a group commit on a fast disk (100 µs) to a stalled database (10 s).
var latencyBuckets = prometheus.ExponentialBucketsRange(0.0001, 10, 16)

// The log.
var (
	// LogSize is the size of the latest checkpoint this process published or loaded.
	LogSize = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "chancery_log_entries",
		Help: "Entries in the transparency log: the size of the latest checkpoint this process published or loaded.",
	})
	// AppendSeconds is, per acknowledged append, the time from the call to the commit of its
	// batch (the registry change, the tiles and the fsync).
	AppendSeconds = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "chancery_log_append_seconds",
		Help:    "Time from an append's call to the durable commit of the batch that holds it.",
		Buckets: latencyBuckets,
	})
	// AppendToCheckpointSeconds is, per acknowledged append, the time from the call to the
	// publication of a signed checkpoint that includes it.
	AppendToCheckpointSeconds = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "chancery_log_append_to_checkpoint_seconds",
		Help:    "Time from an append's call to the publication of a signed checkpoint that includes it.",
		Buckets: latencyBuckets,
	})
	// BatchEntries is the number of entries each committed batch appended.
	BatchEntries = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "chancery_log_batch_entries",
		Help:    "Entries appended by each committed batch of the sequencer.",
		Buckets: prometheus.ExponentialBuckets(1, 4, 8),
	})
	// CheckpointsPublished counts the checkpoints this process signed and published.
	CheckpointsPublished = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "chancery_log_checkpoints_published_total",
		Help: "Signed checkpoints this process published (one per committed batch).",
	})
	// Leader is 1 while this process sequences the log, 0 while another does or none does.
	// With SQLite a serving process always sequences; with several servers on one database,
	// the leader election sets it (see SetLeader), and a server holds the lease only while it
	// has appends, so the servers of a quiet office all show 0.
	Leader = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "chancery_log_leader",
		Help: "1 while this process sequences the log, 0 while another process does or none does (a quiet office on PostgreSQL).",
	})
)

// SetLeader records whether this process sequences the log.
func SetLeader(leading bool) {
	if leading {
		Leader.Set(1)
	} else {
		Leader.Set(0)
	}
}

// The registry.
var (
	// Releases counts letters released.
	Releases = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "chancery_releases_total",
		Help: "Letters released (each logged with its release statement).",
	})
	withdrawals = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "chancery_withdrawals_total",
		Help: "Released letters withdrawn, by kind: retraction or supersession.",
	}, []string{"kind"})
	verifyAnswers = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "chancery_verify_answers_total",
		Help: "Answers to verification requests (by digest, reference, check code or text), by outcome.",
	}, []string{"outcome"})
)

// Withdrawal kinds and verify outcomes, as the registry names them. They are listed here
// (rather than imported) so that the series exist from the start, at zero, and so that no other
// value can become a label.
var (
	withdrawalKinds = []string{"retraction", "supersession"}
	outcomes        = []string{"valid", "retracted", "superseded", "draft", "altered", "unknown"}
)

// Withdrawn counts a withdrawal of kind "retraction" or "supersession"; other kinds are
// counted as "other".
func Withdrawn(kind string) { withdrawals.WithLabelValues(closed(kind, withdrawalKinds)).Inc() }

// VerifyAnswer counts a verification answer with this outcome; an outcome outside the
// registry's set is counted as "other".
func VerifyAnswer(outcome string) { verifyAnswers.WithLabelValues(closed(outcome, outcomes)).Inc() }

// closed returns v if it is one of set, else "other": a label value never comes from input.
func closed(v string, set []string) string {
	for _, s := range set {
		if s == v {
			return s
		}
	}
	return "other"
}

// The database.
var dbErrors = prometheus.NewCounterVec(prometheus.CounterOpts{
	Name: "chancery_database_errors_total",
	Help: "Database failures, by operation: begin (a transaction could not start), commit (it could not commit), log_batch (a sequencer batch failed and was rolled back), log_follow (a server not sequencing could not read the log's head the others stored).",
}, []string{"op"})

// Database operations that DatabaseError counts.
const (
	OpBegin     = "begin"
	OpCommit    = "commit"
	OpLogBatch  = "log_batch"
	OpLogFollow = "log_follow"
)

// DatabaseError counts a failed database operation (OpBegin, OpCommit, OpLogBatch,
// OpLogFollow).
func DatabaseError(op string) {
	dbErrors.WithLabelValues(closed(op, []string{OpBegin, OpCommit, OpLogBatch, OpLogFollow})).Inc()
}

// HTTP.
var (
	httpRequests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "chancery_http_requests_total",
		Help: "HTTP requests served, by route pattern (e.g. \"GET /v/{ref}\") and status code.",
	}, []string{"route", "code"})
	httpSeconds = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "chancery_http_request_duration_seconds",
		Help:    "Time to serve an HTTP request, by route pattern.",
		Buckets: latencyBuckets,
	}, []string{"route"})
)

// HTTPRequest records a served request. route must be the pattern the request matched (never
// its path, which may hold a reference or a check code), or "" for none.
func HTTPRequest(route string, code int, seconds float64) {
	if route == "" {
		route = "unmatched"
	}
	httpRequests.WithLabelValues(route, statusText(code)).Inc()
	httpSeconds.WithLabelValues(route).Observe(seconds)
}

// statusCodes holds the label values of the status codes, so that counting a request does not
// format one.
var statusCodes [600]string

func statusText(code int) string {
	if code >= 100 && code < len(statusCodes) {
		return statusCodes[code]
	}
	return strconv.Itoa(code)
}

func init() {
	for c := 100; c < len(statusCodes); c++ {
		statusCodes[c] = strconv.Itoa(c)
	}
	registered = append(registered,
		LogSize, AppendSeconds, AppendToCheckpointSeconds, BatchEntries, CheckpointsPublished, Leader,
		Releases, withdrawals, verifyAnswers, dbErrors, httpRequests, httpSeconds,
	)
}

// Handler serves the metrics in Prometheus's exposition formats.
func Handler() http.Handler {
	register()
	return promhttp.HandlerFor(Registry, promhttp.HandlerOpts{Registry: Registry})
}

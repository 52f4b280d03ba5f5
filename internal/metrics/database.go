package metrics

import "github.com/prometheus/client_golang/prometheus"

// Write transactions. Concurrent writes share one transaction (group commit): updates ÷
// commits is how many writes each commit (and its fsync or WAL flush) carried.
var (
	// DatabaseUpdates counts the store's write transactions as callers see them: each call of
	// store.DB.Update that reached the database.
	DatabaseUpdates = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "chancery_database_updates_total",
		Help: "Write transactions requested (calls of the store's Update that reached the database).",
	})
	// DatabaseCommits counts the commits of the store's group transactions, each holding one
	// or more updates and made durable once.
	DatabaseCommits = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "chancery_database_commits_total",
		Help: "Commits of write transactions, each holding one or more updates (group commit) and made durable once.",
	})
	// DatabaseWriterBusy counts the time the store's one writer spent in group transactions,
	// from their begin (on PostgreSQL, with the wait for the writer lock that every server
	// takes turns on) to their commit's end. Its rate is the share of time the writer was
	// busy: near 1, writes queue, and that writer bounds what the server can take in.
	DatabaseWriterBusy = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "chancery_database_writer_busy_seconds_total",
		Help: "Time the store's writer spent running write transactions (group transactions, begin to commit, with PostgreSQL's writer lock wait); a rate near 1 means writes queue.",
	})
)

func init() {
	registered = append(registered, DatabaseUpdates, DatabaseCommits, DatabaseWriterBusy)
}

package metrics

import "github.com/prometheus/client_golang/prometheus"

// Write transactions. On SQLite, concurrent writes share one transaction and its fsync (group
// commit): updates ÷ commits is how many writes each fsync carried.
var (
	// DatabaseUpdates counts the store's write transactions as callers see them: each call of
	// store.DB.Update that reached the database.
	DatabaseUpdates = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "chancery_database_updates_total",
		Help: "Write transactions requested (calls of the store's Update that reached the database).",
	})
	// DatabaseCommits counts the commits of the SQLite store's group transactions, each
	// holding one or more updates and synced once.
	DatabaseCommits = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "chancery_database_commits_total",
		Help: "Commits of write transactions on the SQLite store, each holding one or more updates (group commit) and synced once.",
	})
)

func init() {
	registered = append(registered, DatabaseUpdates, DatabaseCommits)
}

package office

import (
	"context"
	"log/slog"
	"time"

	"github.com/chancery/chancery/internal/cosigned"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/store"
)

// identificationInterval is how often a server on a shared database looks for the drafts and
// releases that the other servers stored, as the cosigned heads look for their cosignatures.
// A look that finds nothing is one indexed read.
const identificationInterval = 250 * time.Millisecond

// followIdentification keeps the registry's identification indexes up with what the other
// servers on the same database take in and release, so that every server identifies a
// letter released through any of them. It returns a function that stops it. A failed
// refresh is retried at the next tick; meanwhile identification misses what it has not read.
func followIdentification(reg *registry.Registry, logger *slog.Logger) (stop func()) {
	return every(logger, identificationInterval, "identification index not refreshed", "identification index refreshed again", reg.RefreshIdentification)
}

// witnessesInterval is how often a server on a shared database rereads the witnesses and the
// quorum: two small reads.
const witnessesInterval = 250 * time.Millisecond

// followWitnesses puts in force, within witnessesInterval, the witnesses and quorum that an
// admin set through another server on the same database: its checkpoints, seals and trust
// root follow them, and its witness client sends to the witnesses now configured. It returns
// a function that stops it. A failed read is retried at the next tick; meanwhile the
// configuration read last stays.
func followWitnesses(heads *cosigned.Heads, logger *slog.Logger) (stop func()) {
	return every(logger, witnessesInterval, "witness configuration not reread", "witness configuration reread again", heads.ReloadIfChanged)
}

// schemaInterval is how often a server on a shared database reads the schema version: one
// read of a table of a few dozen rows.
const schemaInterval = time.Second

// followSchema notices, within schemaInterval, that a newer build migrated the database while
// this server runs (docs/operations.md says to stop every server first): the store then
// refuses every write and read (store.ErrSchemaNewer), /readyz answers that the store is
// unavailable, and the failure is logged, once a minute while the server runs. Writes are
// refused from the migration on whether or not this has run, since each Update reads the
// version itself. It returns a function that stops it.
func followSchema(db *store.DB, logger *slog.Logger) (stop func()) {
	return every(logger, schemaInterval, "schema version not read, or newer than this build's", "schema version read again", db.CheckSchema)
}

// failureLogInterval is how often every logs a failure that goes on: the first is logged at
// once, the next a minute later, with how many there were.
const failureLogInterval = time.Minute

// every runs f at each tick of interval until the returned function is called, which waits
// for the run under way. An error is logged with msg: the first of a run of them at once,
// then at most once per failureLogInterval, with their count, and the first success after
// them with again. Logged at each tick, a database down for an hour wrote some 28,000 lines
// for each follower.
func every(logger *slog.Logger, interval time.Duration, msg, again string, f func(context.Context) error) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(interval)
		defer t.Stop()
		failures := 0
		var logged time.Time
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			err := f(ctx)
			switch {
			case ctx.Err() != nil:
			case err != nil:
				failures++
				if failures == 1 || time.Since(logged) >= failureLogInterval {
					logger.Warn(msg, "err", err, "failures", failures)
					logged = time.Now()
				}
			case failures > 0:
				logger.Info(again, "failures", failures)
				failures = 0
			}
		}
	}()
	return func() { cancel(); <-stopped }
}

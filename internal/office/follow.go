package office

import (
	"context"
	"log/slog"
	"time"

	"github.com/chancery/chancery/internal/cosigned"
	"github.com/chancery/chancery/internal/registry"
)

// identificationInterval is how often a server on a shared database looks for the drafts and
// releases that the other servers stored, as the cosigned heads look for their cosignatures.
// A look that finds nothing is one indexed read.
const identificationInterval = 250 * time.Millisecond

// followIdentification keeps the registry's identification indexes up with what the other
// servers on the same database take in and release, so that every server identifies a
// letter released through any of them. It returns a function that stops it. A failed
// refresh is retried at the next tick; meanwhile identification misses what it has not read.
func followIdentification(reg *registry.Registry) (stop func()) {
	return every(identificationInterval, "identification index not refreshed", reg.RefreshIdentification)
}

// witnessesInterval is how often a server on a shared database rereads the witnesses and the
// quorum: two small reads.
const witnessesInterval = 250 * time.Millisecond

// followWitnesses puts in force, within witnessesInterval, the witnesses and quorum that an
// admin set through another server on the same database: its checkpoints, seals and trust
// root follow them, and its witness client sends to the witnesses now configured. It returns
// a function that stops it. A failed read is retried at the next tick; meanwhile the
// configuration read last stays.
func followWitnesses(heads *cosigned.Heads) (stop func()) {
	return every(witnessesInterval, "witness configuration not reread", heads.ReloadIfChanged)
}

// every runs f at each tick of interval until the returned function is called, which waits
// for the run under way; an error is logged with msg.
func every(interval time.Duration, msg string, f func(context.Context) error) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			if err := f(ctx); err != nil && ctx.Err() == nil {
				slog.Warn(msg, "err", err)
			}
		}
	}()
	return func() { cancel(); <-stopped }
}

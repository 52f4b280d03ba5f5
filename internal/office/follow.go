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
// letter released through any of them. It returns a function that stops it.
func followIdentification(reg *registry.Registry) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(identificationInterval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			if err := reg.RefreshIdentification(ctx); err != nil && ctx.Err() == nil {
				// Retried at the next tick; meanwhile identification misses what it has not read.
				slog.Warn("identification index not refreshed", "err", err)
			}
		}
	}()
	return func() { cancel(); <-stopped }
}

// witnessesInterval is how often a server on a shared database rereads the witnesses and the
// quorum: two small reads.
const witnessesInterval = 250 * time.Millisecond

// followWitnesses puts in force, within witnessesInterval, the witnesses and quorum that an
// admin set through another server on the same database: its checkpoints, seals and trust
// root follow them, and its witness client sends to the witnesses now configured. It returns
// a function that stops it.
func followWitnesses(heads *cosigned.Heads) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(witnessesInterval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			if err := heads.ReloadIfChanged(ctx); err != nil && ctx.Err() == nil {
				// Retried at the next tick; meanwhile the configuration read last stays.
				slog.Warn("witness configuration not reread", "err", err)
			}
		}
	}()
	return func() { cancel(); <-stopped }
}

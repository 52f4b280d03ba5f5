package cosigned

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/chancery/chancery/internal/metrics"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/translog"
	"github.com/chancery/chancery/internal/witness"
	"golang.org/x/mod/sumdb/tlog"
)

// Run sends the log's checkpoints to the configured witnesses and records their cosignatures,
// until ctx ends. It follows changes of the configuration (Reload), and wakes the witness
// client at every checkpoint the log publishes. alert, if not nil, is told of what an operator
// must look at (see witness.Options.OnAlert), first of what CheckWitnesses alerted.
func (h *Heads) Run(ctx context.Context, logger *slog.Logger, alert func(witness string, err error)) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	h.logger = logger
	h.startMu.Lock()
	found := h.startAlerts
	h.startAlerts = nil
	h.startMu.Unlock()
	if alert != nil {
		for _, a := range found {
			alert(a.witness, a.err)
		}
	}
	for ctx.Err() == nil {
		cfg := h.cfg.Load()
		// The previous pool has stopped: what it said of witnesses no longer configured goes
		// (a removed witness's "ahead" kept /readyz at 503 until a restart).
		h.keepBehind(cfg)
		var clients []*witness.Client
		keys := map[string]string{}
		cosigned, err := h.cosignedSizes(ctx, cfg)
		if err != nil && ctx.Err() == nil {
			logger.Warn("the sizes the witnesses cosigned before are not known", "err", err)
		}
		for _, w := range cfg.Witnesses {
			c, err := witness.NewClient(w.Name, w.URL, w.VKey, nil)
			if err != nil {
				logger.Error("witness not usable", "witness", w.Name, "err", err)
				continue
			}
			clients = append(clients, c)
			keys[w.Name] = w.VKey
		}
		pool := witness.NewPool(logSource{h.log}, clients, witness.Options{
			Logger:      logger,
			MinInterval: h.MinInterval,
			Cosigned:    cosigned,
			OnCosignature: func(ctx context.Context, size int64, cp []byte, c witness.Cosignature) error {
				if err := h.Record(ctx, cp, size, keys[c.Witness], c.Line, c.Time); err != nil {
					return err
				}
				h.setBehind(c.Witness, keys[c.Witness], "")
				return nil
			},
			OnAlert: func(name string, err error) {
				logger.Error("witness alert", "witness", name, "err", err)
				metrics.WitnessAlert(name)
				if why := refusal(name, err); why != "" {
					h.setBehind(name, keys[name], why)
				}
				if alert != nil {
					alert(name, err)
				}
			},
		})
		h.pool.Store(pool)
		// Taken before the pool starts: its first round sends what is published until then,
		// and what is published after closes this channel.
		published := h.log.Published()
		pctx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() {
			defer close(done)
			pool.Run(pctx)
		}()
		h.follow(ctx, cfg, pool, published)
		cancel()
		<-done
	}
}

// startAlert is an alert of CheckWitnesses, for Run's alert function.
type startAlert struct {
	witness string
	err     error
}

// cosignedSizes returns, by witness name, the largest size each configured witness cosigned
// since it was added (witness.Options.Cosigned). A witness removed and added again, with the
// same key, after its operator reset the log on their side (a witness never cosigns a second
// history, so 'log accept-restore' asks for that) holds less than it cosigned before its
// removal, and has forgotten nothing it was asked to keep. The time compared is the
// cosignature's own: one made in the first moments after the addition by a witness whose
// clock is behind is passed over.
func (h *Heads) cosignedSizes(ctx context.Context, cfg *Config) (map[string]int64, error) {
	out := map[string]int64{}
	err := h.db.View(ctx, func(tx *store.Tx) error {
		for _, w := range cfg.Witnesses {
			c, err := tx.LatestCosignatureSince(ctx, w.VKey, w.AddedAt)
			if errors.Is(err, store.ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			out[w.Name] = c.Size
		}
		return nil
	})
	return out, err
}

// refusal is why the witness name will not cosign this log, as err from it says (Behind's
// text), or "" when err does not say that it refuses the log.
func refusal(name string, err error) string {
	switch {
	case errors.Is(err, witness.ErrAhead):
		// Behind names the witness: the error's own "witness NAME: " goes.
		why := strings.TrimPrefix(err.Error(), "witness "+name+": ")
		return why + ": the database was restored from an old backup, or the witness was shown another history; it will not cosign until this log is past that size on the same history"
	case errors.Is(err, witness.ErrRejected):
		return "it refused this log's checkpoint as inconsistent with what it cosigned before (a fork)"
	}
	return ""
}

// refreshInterval is how often a server whose log is ahead of its cosigned head looks for
// cosignatures that other servers of the same database stored: each server's witness client
// learns only what its own requests bring back, and a witness cosigns a checkpoint once.
const refreshInterval = 250 * time.Millisecond

// follow wakes pool at every checkpoint the log publishes after published was taken, until
// ctx ends or the configuration changes.
func (h *Heads) follow(ctx context.Context, cfg *Config, pool *witness.Pool, published <-chan struct{}) {
	tick := time.NewTicker(refreshInterval)
	defer tick.Stop()
	for {
		// published is kept until it fires. Taken again at every wake, as it was, a checkpoint
		// published while this woke for a change of the head was lost: the pool, idle at the
		// size it had cosigned, was never told, and a seal waited its whole SealWait for a
		// witness that was up (a CI run's TestWitnessRestoredBackup, forty-seventh session).
		changed := h.watch()
		if h.cfg.Load() != cfg {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-published:
			// The next channel first: what is published from now on closes it.
			published = h.log.Published()
			pool.Notify()
		case <-changed:
		case <-tick.C:
			if hd := h.head.Load(); cfg.Quorum > 0 && (hd == nil || hd.Size < h.log.Head().Size) {
				after := int64(-1)
				if hd != nil {
					after = hd.Size
				}
				if err := h.refresh(ctx, after); err != nil && ctx.Err() == nil {
					h.logger.Warn("cosigned checkpoints not refreshed", "err", err)
				}
			}
		}
	}
}

// Status returns what the running witness client knows of each witness, nil before Run.
func (h *Heads) Status() []witness.WitnessStatus {
	if p := h.pool.Load(); p != nil {
		return p.Status()
	}
	return nil
}

// logSource is the log as the witness client sees it.
type logSource struct{ l *translog.Log }

func (s logSource) Latest() (int64, []byte) {
	head := s.l.Head()
	return head.Size, head.Checkpoint
}

func (s logSource) ConsistencyProof(ctx context.Context, old, size int64) ([]tlog.Hash, error) {
	return s.l.ConsistencyProof(ctx, old, size)
}

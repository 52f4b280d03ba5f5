package cosigned

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/chancery/chancery/internal/metrics"
	"github.com/chancery/chancery/internal/witness"
)

// DefaultCheckWait bounds CheckWitnesses's wait for each witness (they are asked at once).
const DefaultCheckWait = 5 * time.Second

// CheckWitnesses asks each configured witness, in parallel and for at most wait, where it
// stands with the log (witness.Probe), before a server appends anything: the data
// directory's published.checkpoint remembers only what this server published, and a
// database restored from a backup older than what the office's other servers published
// (or restored into a new data directory) passes that check. A witness that holds a larger
// tree than the stored log, or a tree that the stored log does not extend, is recorded as
// refusing the log (Behind), which halts the log's appends as the witness client's alert
// does: appending would sign a second tree of a size already published. CheckWitnesses then
// returns an error wrapping witness.ErrAhead or witness.ErrRejected that names every such
// witness. A witness that answers ahead is asked again, after the log has read the head that
// other servers of a PostgreSQL database stored, for as long as that head holds the size the
// witness named (checkWitness), so that a server that starts while another sequences is not
// halted. A witness that cannot tell (unreachable
// within wait, not knowing the log) is logged as a warning and does not hold the start: the
// witness client halts the appends if it finds it ahead once it answers.
func (h *Heads) CheckWitnesses(ctx context.Context, wait time.Duration, logger *slog.Logger) error {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	cfg := h.cfg.Load()
	cosigned, err := h.cosignedSizes(ctx, cfg)
	if err != nil {
		logger.Warn("the sizes the witnesses cosigned before are not known", "err", err)
	}
	errs := make([]error, len(cfg.Witnesses))
	var wg sync.WaitGroup
	for i, w := range cfg.Witnesses {
		c, err := witness.NewClient(w.Name, w.URL, w.VKey, nil)
		if err != nil {
			logger.Warn("witness not asked before sequencing", "witness", w.Name, "err", err)
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			var held int64
			held, errs[i] = h.checkWitness(ctx, c, wait)
			if before, ok := cosigned[w.Name]; ok && errs[i] == nil && held >= 0 && held < before {
				err := fmt.Errorf("witness %s: %w: it cosigned size %d, it held %d", w.Name, witness.ErrForgot, before, held)
				logger.Error("witness alert", "witness", w.Name, "err", err)
				metrics.WitnessAlert(w.Name)
				h.startMu.Lock()
				h.startAlerts = append(h.startAlerts, startAlert{w.Name, err})
				h.startMu.Unlock()
			}
		}()
	}
	wg.Wait()
	var refusals []error
	for i, err := range errs {
		w := cfg.Witnesses[i]
		switch why := refusal(w.Name, err); {
		case err == nil:
		case why != "":
			h.setBehind(w.Name, w.VKey, why)
			refusals = append(refusals, err)
		default:
			logger.Warn("witness not reached before sequencing: whether it holds a larger tree than the log is not known; the witness client halts the appends if it does",
				"witness", w.Name, "wait", wait, "err", err)
		}
	}
	return errors.Join(refusals...)
}

// checkWitness is CheckWitnesses's question to one witness. A witness that answers ahead is
// ahead of the database only if the stored log, read after its answer, is shorter than the
// size it named: another server of the database may have stored, and had the witness cosign,
// heads this server has not read yet (the witness's cosignatures follow the database's
// commits), and does so again at each question while it sequences without pause. So the
// question is asked again while the stored log holds what the witness names, until wait
// has passed; the witness client then decides, with its own grace (witness.Options).
func (h *Heads) checkWitness(ctx context.Context, c *witness.Client, wait time.Duration) (held int64, err error) {
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	for {
		held, _, err := witness.ProbeHeld(ctx, c, logSource{h.log})
		var ahead *witness.AheadError
		if !errors.As(err, &ahead) {
			return held, err
		}
		if rerr := h.log.Refresh(ctx); ctx.Err() != nil {
			return -1, fmt.Errorf("witness %s: it named sizes the database held, and a larger one at each question, until the wait ended: %w", c.Name(), ctx.Err())
		} else if rerr != nil {
			return -1, errors.Join(err, rerr)
		}
		if h.log.Head().Size < ahead.Size {
			return -1, err
		}
	}
}

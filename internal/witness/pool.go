package witness

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/chancery/chancery/internal/checkpoint"
	"golang.org/x/mod/sumdb/tlog"
)

// Log is the log whose checkpoints a Pool sends.
type Log interface {
	// Latest returns the log's newest size and signed checkpoint. It is called often and
	// must not block on writers.
	Latest() (size int64, signedCheckpoint []byte)
	// ConsistencyProof proves that the tree of size old is a prefix of the tree of size new;
	// 0 < old <= new <= the latest size.
	ConsistencyProof(ctx context.Context, old, new int64) ([]tlog.Hash, error)
}

// Defaults of Options.
const (
	// DefaultMinInterval spaces the requests to one witness: at most ten a second. A request
	// carries the newest checkpoint, so the checkpoints committed meanwhile cost nothing, and
	// a checkpoint waits at most this long (plus one round trip) to be sent.
	DefaultMinInterval = 100 * time.Millisecond
	// DefaultMaxBackoff caps the wait before retrying a witness that failed: a witness that
	// comes back is caught up within this long.
	DefaultMaxBackoff = time.Minute
	// alertAfter is how many failures in a row of a transient kind (the witness is down,
	// answers 5xx) make an alert. Refusals alert at once.
	alertAfter = 5
	// firstBackoff is the first wait after a failure; each failure in a row doubles it.
	firstBackoff = 500 * time.Millisecond
	// aheadGrace is how long a witness may hold a larger tree than the log before it is a
	// failure (ErrAhead, alerted): on a server that follows another's sequencing the log's
	// head is a moment older than the stored one, which the other server's client may have
	// had the witness cosign already.
	aheadGrace = 5 * time.Second
)

// Options configures a Pool.
type Options struct {
	// MinInterval is the least time between two requests to one witness: DefaultMinInterval
	// if zero, none (only one request in flight) if negative.
	MinInterval time.Duration
	// MaxBackoff caps the exponential wait after failures: DefaultMaxBackoff if zero.
	MaxBackoff time.Duration
	// OnCosignature persists a cosignature of the checkpoint of the given size. An error makes
	// the pool obtain it again later (the witness cosigns the same checkpoint again).
	OnCosignature func(ctx context.Context, size int64, checkpoint []byte, c Cosignature) error
	// OnAlert is told of what an operator must look at: a witness refusing the log's
	// checkpoint (ErrRejected), a bad cosignature, a witness that does not know the log or
	// its key, a witness that has cosigned a larger tree than the log has (for longer than
	// aheadGrace), a witness that holds a smaller tree than it cosigned for this pool
	// (ErrForgot), and repeated failures. It is called from the witness's goroutine and must
	// not block for long.
	OnAlert func(witness string, err error)
	// Logger receives a line per failure; nil discards them.
	Logger *slog.Logger
	// Cosigned is, by witness name, the largest size the witness cosigned before the pool
	// started (kept by OnCosignature): a witness that names a smaller one forgot it
	// (ErrForgot).
	Cosigned map[string]int64
}

// ErrAhead: a witness has cosigned a larger tree than the log now has. The log was restored
// from an old backup, or another history was shown to the witness; the witness will not
// cosign this log's checkpoints until the log grows past its size on the same history.
var ErrAhead = errors.New("witness holds a larger tree than the log")

// WitnessStatus is what a Pool knows of one witness.
type WitnessStatus struct {
	Name        string
	URL         string
	VerifierKey string
	// Size is the witness's size for the log as the pool last learned it (from a cosignature
	// or a 409 answer); -1 until the witness has answered.
	Size int64
	// CosignedSize is the size of the latest checkpoint the witness cosigned through this
	// pool and OnCosignature accepted; -1 before the first.
	CosignedSize int64
	// CosignedAt is that cosignature's timestamp.
	CosignedAt time.Time
	// LastError is the latest failure; empty once a request succeeds.
	LastError   string
	LastErrorAt time.Time
	// Failures counts the failed requests in a row.
	Failures int
}

// Pool keeps every configured witness up to date with a log: each witness has its own
// goroutine that sends it the log's newest checkpoint whenever the log has grown past what
// the witness cosigned. A slow or unreachable witness delays no one else, and Notify never
// blocks the log's writers.
type Pool struct {
	log     Log
	opt     Options
	members []*member
}

type member struct {
	c    *Client
	wake chan struct{} // a new checkpoint exists; capacity 1, so wakes coalesce

	mu sync.Mutex
	st WitnessStatus
	// alerted is the kind of refusal (urgentKinds) last alerted since the last cosignature,
	// nil if none.
	alerted error
}

// NewPool returns a pool sending log's checkpoints to witnesses. Run starts it.
func NewPool(log Log, witnesses []*Client, opt Options) *Pool {
	if opt.MinInterval == 0 {
		opt.MinInterval = DefaultMinInterval
	}
	if opt.MaxBackoff <= 0 {
		opt.MaxBackoff = DefaultMaxBackoff
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	p := &Pool{log: log, opt: opt}
	for _, c := range witnesses {
		m := &member{c: c, wake: make(chan struct{}, 1)}
		m.st = WitnessStatus{Name: c.Name(), URL: c.URL(), VerifierKey: c.VerifierKey(), Size: -1, CosignedSize: -1}
		m.wake <- struct{}{} // the first round sends the current checkpoint
		p.members = append(p.members, m)
	}
	return p
}

// Notify tells the pool that the log has a new checkpoint. It never blocks.
func (p *Pool) Notify() {
	for _, m := range p.members {
		select {
		case m.wake <- struct{}{}:
		default:
		}
	}
}

// Status returns what the pool knows of each witness, in the order they were given.
func (p *Pool) Status() []WitnessStatus {
	out := make([]WitnessStatus, len(p.members))
	for i, m := range p.members {
		m.mu.Lock()
		out[i] = m.st
		m.mu.Unlock()
	}
	return out
}

// Run keeps the witnesses up to date until ctx is done, then returns once every witness's
// goroutine has stopped.
func (p *Pool) Run(ctx context.Context) {
	var wg sync.WaitGroup
	for _, m := range p.members {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.follow(ctx, m)
		}()
	}
	wg.Wait()
}

// follow is one witness's loop: wait for a checkpoint the witness has not cosigned, respect
// the interval, send it, and learn from the answer.
func (p *Pool) follow(ctx context.Context, m *member) {
	known := int64(-1)    // the witness's size, -1 unknown
	cosigned := int64(-1) // the size of the last cosignature persisted
	conflicts := 0        // 409 answers in a row
	forgot := int64(-1)   // the size cosigned when the witness was last found to have forgotten it
	named := int64(0)     // the largest size a 409 named since the last cosignature
	var last time.Time    // when the last request was sent
	backoff := time.Duration(0)
	ahead := int64(-1) // the witness's size when it held more than the log: wait for the log to reach it
	var aheadErr error // ErrAhead, not yet a failure: within aheadGrace of aheadSince
	var aheadSince time.Time
	// The largest size it cosigned before the pool started, -1 if none.
	before, ok := p.opt.Cosigned[m.c.Name()]
	if !ok {
		before = -1
	}
	// held is what the witness holds, as it answered: a size smaller than one it cosigned
	// is alerted, once per size it forgot; it is still sent the log's checkpoints, which it
	// cosigns from what it holds.
	held := func(size int64) {
		if top := max(cosigned, before); size < top && forgot != top {
			forgot = top
			p.forgot(m, fmt.Errorf("witness %s: %w: it cosigned size %d, it holds %d", m.c.Name(), ErrForgot, top, size))
		}
	}
	for {
		if ahead >= 0 {
			// Nothing to send until the log reaches the witness's size (the witness then
			// cosigns it again, or answers that it holds another root at that size: a fork);
			// then at once, not after the backoff the refusals built up. Until aheadGrace has
			// passed, this is no failure: the log may be a moment behind the stored one.
			if size, _ := p.log.Latest(); size < ahead {
				var grace *time.Timer
				var graceC <-chan time.Time
				if aheadErr != nil {
					wait := aheadGrace - time.Since(aheadSince)
					if wait <= 0 {
						backoff = p.fail(m, aheadErr, backoff)
						aheadErr = nil
						continue
					}
					grace = time.NewTimer(wait)
					graceC = grace.C
				}
				select {
				case <-ctx.Done():
				case <-m.wake:
				case <-graceC:
				}
				if grace != nil {
					grace.Stop()
				}
				if ctx.Err() != nil {
					return
				}
				continue
			}
			ahead, backoff, aheadErr = -1, 0, nil
		}
		if backoff > 0 {
			if !sleep(ctx, backoff) {
				return
			}
		} else {
			size, _ := p.log.Latest()
			if size == 0 || size == cosigned {
				select {
				case <-ctx.Done():
					return
				case <-m.wake:
				}
				continue
			}
		}
		if wait := p.opt.MinInterval - time.Since(last); p.opt.MinInterval > 0 && wait > 0 {
			if !sleep(ctx, wait) {
				return
			}
		}
		// Drain a pending wake: this round sends the newest checkpoint anyway.
		select {
		case <-m.wake:
		default:
		}
		size, cp := p.log.Latest()
		if size == 0 || size == cosigned {
			backoff = 0
			continue
		}
		last = time.Now()
		cos, err := p.send(ctx, m, known, size, cp)
		if ctx.Err() != nil {
			return
		}
		var conflict *ConflictError
		switch {
		case err == nil:
			held(max(known, 0)) // the old size sent, which it held
			known, conflicts, backoff, named = size, 0, 0, 0
			if perr := p.persist(ctx, size, cp, cos); perr != nil {
				err = perr
			} else {
				cosigned = size
				m.mu.Lock()
				m.st.Size, m.st.CosignedSize, m.st.CosignedAt = size, size, cos.Time
				m.st.LastError, m.st.Failures = "", 0
				m.alerted = nil
				m.mu.Unlock()
				continue
			}
		case errors.As(err, &conflict):
			// A witness that another sender moved on since (servers of one database each
			// send it the log's checkpoints) names a larger size than the one sent: routine,
			// not a failure, however often the log's growth makes it so.
			// Only a size larger than every one it named since its last cosignature counts
			// as moved on: one that names sizes up and down is refused as before.
			if conflict.Size > named {
				named, conflicts = conflict.Size, 0
			}
			held(conflict.Size)
			known = conflict.Size
			m.mu.Lock()
			m.st.Size = known
			m.mu.Unlock()
			conflicts++
			if known > size {
				// Ask again once the log has reached it; a failure only if it does not
				// within aheadGrace.
				aheadErr = fmt.Errorf("witness %s: %w: it cosigned size %d, the log has %d", m.c.Name(), ErrAhead, known, size)
				aheadSince = time.Now()
				ahead, known, conflicts = known, -1, 0
				continue
			} else if conflicts <= 2 {
				// Resend at once from the size the witness holds.
				backoff = 0
				continue
			}
		}
		backoff = p.fail(m, err, backoff)
	}
}

// send sends the checkpoint of size to the witness with a proof from its size known (at most
// size), or from 0 when the pool does not know it (the witness answers 409 with its size if
// it has one).
func (p *Pool) send(ctx context.Context, m *member, known, size int64, cp []byte) (Cosignature, error) {
	old := max(known, 0)
	var proof []tlog.Hash
	if old > 0 && old < size {
		var err error
		proof, err = p.log.ConsistencyProof(ctx, old, size)
		if err != nil {
			return Cosignature{}, fmt.Errorf("witness %s: consistency proof from %d to %d: %w", m.c.Name(), old, size, err)
		}
	}
	if n, err := checkpoint.Size(cp); err != nil || n != size {
		return Cosignature{}, fmt.Errorf("witness %s: the log's checkpoint is not of size %d: %v", m.c.Name(), size, err)
	}
	return m.c.AddCheckpoint(ctx, old, proof, cp)
}

func (p *Pool) persist(ctx context.Context, size int64, cp []byte, cos Cosignature) error {
	if p.opt.OnCosignature == nil {
		return nil
	}
	if err := p.opt.OnCosignature(ctx, size, cp, cos); err != nil {
		return fmt.Errorf("witness %s: keep cosignature of size %d: %w", cos.Witness, size, err)
	}
	return nil
}

// urgentKinds are the failures that alert at once: the witness refuses the log or this
// server, and retrying does not change its mind.
var urgentKinds = []error{ErrRejected, ErrBadCosignature, ErrAhead, ErrUnknownLog, ErrForbidden}

// fail records a failed round, alerts if it should, and returns the next backoff. A refusal
// (urgentKinds) alerts when it is the first of its kind since the last cosignature, not only
// when it is the first failure: a witness that was unreachable for a while (restarted with
// the database's restore) and then answers that it holds a larger tree is alerted, and its
// alert halts the log's appends (cosigned.Heads). Other failures alert at the alertAfter-th
// in a row.
func (p *Pool) fail(m *member, err error, backoff time.Duration) time.Duration {
	var kind error
	for _, k := range urgentKinds {
		if errors.Is(err, k) {
			kind = k
			break
		}
	}
	m.mu.Lock()
	m.st.LastError, m.st.LastErrorAt = err.Error(), time.Now().UTC()
	m.st.Failures++
	failures := m.st.Failures
	urgent := kind != nil && kind != m.alerted
	if kind != nil {
		m.alerted = kind
	}
	m.mu.Unlock()
	p.opt.Logger.Warn("witness: request failed", "witness", m.c.Name(), "failures", failures, "err", err)
	if p.opt.OnAlert != nil && (urgent || failures == alertAfter) {
		p.opt.OnAlert(m.c.Name(), err)
	}
	backoff = max(2*backoff, firstBackoff)
	return min(backoff, p.opt.MaxBackoff)
}

// forgot reports err, an ErrForgot, as the witness's last error and alerts it: not a failed
// round, the witness answers as it should from what it holds.
func (p *Pool) forgot(m *member, err error) {
	m.mu.Lock()
	m.st.LastError, m.st.LastErrorAt = err.Error(), time.Now().UTC()
	m.mu.Unlock()
	p.opt.Logger.Warn("witness: lost its state", "witness", m.c.Name(), "err", err)
	if p.opt.OnAlert != nil {
		p.opt.OnAlert(m.c.Name(), err)
	}
}

// sleep waits for d or until ctx is done, and reports whether d passed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

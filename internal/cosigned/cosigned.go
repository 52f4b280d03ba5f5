// Package cosigned keeps the office's view of its log as its witnesses see it: the witnesses
// and the quorum the office configured, every cosignature they returned, and the newest
// checkpoint that the quorum cosigned. That checkpoint, with its cosignature lines, is the one
// the registry serves at /log/checkpoint and builds seals and proofs against, so that a
// verifier whose trust root names the witnesses accepts them.
//
// With a quorum of zero, nothing waits for witnesses: the log's own latest checkpoint is the
// head, as before witnesses existed.
package cosigned

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chancery/chancery/internal/checkpoint"
	"github.com/chancery/chancery/internal/metrics"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/translog"
	"github.com/chancery/chancery/internal/witness"
)

// ErrNotCosigned is returned when no checkpoint that the witness quorum cosigned covers an
// entry yet, after the configured wait.
var ErrNotCosigned = errors.New("not yet cosigned by the witness quorum")

// quorumSetting is the settings row that holds the quorum.
const quorumSetting = "witness_quorum"

// Head is a checkpoint of the log with the cosignatures the office holds for it.
type Head struct {
	translog.Head
	// Cosignatures are the configured witnesses' cosignatures of the checkpoint, whose lines
	// Head.Checkpoint carries after the log's signature. Empty with a quorum of zero.
	Cosignatures []Cosignature
}

// Cosignature is one witness's cosignature of a head.
type Cosignature struct {
	Witness string    // the office's name for the witness
	VKey    string    // its verifier key
	At      time.Time // the time the witness signed
}

// Config is the office's witness configuration.
type Config struct {
	Witnesses []store.Witness
	Quorum    int
}

// Heads tracks the newest cosigned head. Its methods are safe for concurrent use.
type Heads struct {
	db  *store.DB
	log *translog.Log

	// MinInterval is the least time between two requests to one witness (see
	// witness.Options.MinInterval); set it before Run.
	MinInterval time.Duration

	mu      sync.Mutex // serializes Reload and Record's recomputation
	cfg     atomic.Pointer[Config]
	head    atomic.Pointer[Head] // nil while nothing meets the quorum, or with quorum 0
	changed chan struct{}        // closed and replaced when head or cfg changes (under chMu)
	chMu    sync.Mutex

	// behind holds, by witness name, why it will not cosign this log: it holds a larger tree
	// of this log than the log has (the database was restored from an old backup, or another
	// history was shown to it), or it refused the log's checkpoint as inconsistent. It is
	// said of the witness's key: one removed and added again under its name with another key
	// is another witness.
	behindMu sync.Mutex
	behind   map[string]behindWhy

	// recMu guards the cosignatures waiting to be stored (see store).
	recMu       sync.Mutex
	recPending  *cosignatureBatch
	recFlushing bool

	// startAlerts are the alerts of CheckWitnesses, which Run gives its alert function
	// once: the witnesses the check alerted are up to date when the witness client starts.
	startMu     sync.Mutex
	startAlerts []startAlert

	// logger is Run's.
	logger *slog.Logger

	// pool is the running witness client, for its status (see Run).
	pool atomic.Pointer[witness.Pool]
}

// Open loads the configuration and the newest cosigned head from db.
func Open(ctx context.Context, db *store.DB, log *translog.Log) (*Heads, error) {
	h := &Heads{db: db, log: log, changed: make(chan struct{})}
	if err := h.Reload(ctx); err != nil {
		return nil, err
	}
	return h, nil
}

// LoadConfig reads the office's witnesses and quorum in tx.
func LoadConfig(ctx context.Context, tx *store.Tx) (*Config, error) {
	ws, err := tx.Witnesses(ctx)
	if err != nil {
		return nil, err
	}
	c := &Config{Witnesses: ws}
	v, err := tx.Setting(ctx, quorumSetting)
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		return nil, err
	default:
		if c.Quorum, err = strconv.Atoi(v); err != nil {
			return nil, fmt.Errorf("witness quorum %q: %w", v, err)
		}
	}
	return c, nil
}

// SetQuorum records the quorum in tx; it must be between 0 and the number of witnesses.
func SetQuorum(ctx context.Context, tx *store.Tx, n int) error {
	ws, err := tx.Witnesses(ctx)
	if err != nil {
		return err
	}
	if n < 0 || n > len(ws) {
		return fmt.Errorf("quorum %d out of range 0..%d (the number of witnesses)", n, len(ws))
	}
	return tx.SetSetting(ctx, quorumSetting, strconv.Itoa(n))
}

// Reload rereads the configuration and the newest cosigned head from the store: after a
// change of witnesses or quorum, and on servers that share a database with another.
func (h *Heads) Reload(ctx context.Context) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.reload(ctx)
}

// reload is Reload, with h.mu held.
func (h *Heads) reload(ctx context.Context) error {
	var cfg *Config
	var head *Head
	err := h.db.View(ctx, func(tx *store.Tx) error {
		var err error
		if cfg, err = LoadConfig(ctx, tx); err != nil {
			return err
		}
		head, err = latest(ctx, tx, cfg, -1)
		return err
	})
	if err != nil {
		return fmt.Errorf("cosigned checkpoints: %w", err)
	}
	if head != nil {
		ok, err := h.served(ctx, head)
		if err != nil {
			return fmt.Errorf("cosigned checkpoints: %w", err)
		}
		if !ok {
			head = nil
		}
	}
	h.cfg.Store(cfg)
	h.head.Store(head)
	if head != nil {
		metrics.CosignedSize.Set(float64(head.Size))
	}
	h.wake()
	return nil
}

// ReloadIfChanged rereads the witnesses and the quorum, and reloads (Reload) when they are not
// the ones in force: another server on the same database changed them. A server that kept its
// own would count a removed witness's cosignatures, serve checkpoints below a raised quorum,
// and name the old witnesses in its trust root, until it restarted.
func (h *Heads) ReloadIfChanged(ctx context.Context) error {
	var cfg *Config
	err := h.db.View(ctx, func(tx *store.Tx) error {
		var err error
		cfg, err = LoadConfig(ctx, tx)
		return err
	})
	if err != nil {
		return fmt.Errorf("cosigned checkpoints: %w", err)
	}
	if cfg.same(h.cfg.Load()) {
		return nil
	}
	return h.Reload(ctx)
}

// same reports whether c and o name the same witnesses, in the same order, and quorum.
func (c *Config) same(o *Config) bool {
	return c.Quorum == o.Quorum && slices.EqualFunc(c.Witnesses, o.Witnesses, func(a, b store.Witness) bool {
		return a.Name == b.Name && a.URL == b.URL && a.VKey == b.VKey
	})
}

// latest returns the newest head larger than after that cfg's quorum cosigned, nil if none or
// if the quorum is 0.
func latest(ctx context.Context, tx *store.Tx, cfg *Config, after int64) (*Head, error) {
	if cfg.Quorum == 0 {
		return nil, nil
	}
	names := map[string]string{}
	var keys []string
	// One Ed25519 key under two names (configured before AddWitness refused it) counts once:
	// a cosignature does not sign the witness's name, so its line can be relabelled. The
	// first name of a key, by name, is the one that counts.
	seen := map[string]bool{}
	for _, w := range cfg.Witnesses {
		id := w.VKey
		if pub, err := seal.PublicKeyOf(w.VKey); err == nil {
			id = string(pub)
		}
		if seen[id] {
			continue
		}
		seen[id] = true
		names[w.VKey] = w.Name
		keys = append(keys, w.VKey)
	}
	note, cosigs, err := tx.LatestCosigned(ctx, keys, cfg.Quorum, after)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	cp, err := checkpoint.Parse(noteText(note))
	if err != nil {
		return nil, fmt.Errorf("stored checkpoint: %w", err)
	}
	out := &Head{Head: translog.Head{Size: cp.Size, Root: cp.Root}}
	signed := slices.Clone(note)
	for _, c := range cosigs {
		signed = append(signed, c.Line...)
		out.Cosignatures = append(out.Cosignatures, Cosignature{Witness: names[c.VKey], VKey: c.VKey, At: c.At})
	}
	out.Checkpoint = signed
	return out, nil
}

// noteText returns the text of a signed note: everything up to the blank line before the
// signatures.
func noteText(note []byte) []byte {
	for i := 0; i+1 < len(note); i++ {
		if note[i] == '\n' && note[i+1] == '\n' {
			return note[:i+1]
		}
	}
	return note
}

// Config returns the configuration in force.
func (h *Heads) Config() *Config { return h.cfg.Load() }

// Quorum returns the quorum in force.
func (h *Heads) Quorum() int { return h.cfg.Load().Quorum }

// Head returns the head to serve: the log's latest checkpoint with a quorum of zero, else the
// newest checkpoint that the quorum cosigned, with the cosignature lines. It returns nil when
// a quorum is set and no checkpoint meets it yet.
func (h *Heads) Head() *Head {
	if h.cfg.Load().Quorum == 0 {
		return &Head{Head: *h.log.Head()}
	}
	return h.head.Load()
}

// Covering returns the head to serve once it covers entry index, waiting up to wait for the
// witnesses; after that it returns an error wrapping ErrNotCosigned.
func (h *Heads) Covering(ctx context.Context, index int64, wait time.Duration) (*Head, error) {
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for {
		// Take the channels before reading the heads, so that no change is missed in between.
		changed, published := h.watch(), h.log.Published()
		if hd := h.Head(); hd != nil && index < hd.Size {
			return hd, nil
		}
		if h.Quorum() > 0 && index >= h.log.Head().Size {
			// Not even the log's own head covers it yet: that is quick, and not the witnesses'.
			timer.Reset(wait)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-changed:
		case <-published:
		case <-timer.C:
			if why := h.Behind(); why != "" {
				return nil, fmt.Errorf("log entry %d: %w: %s", index, ErrNotCosigned, why)
			}
			return nil, fmt.Errorf("log entry %d: %w after %s", index, ErrNotCosigned, wait)
		}
	}
}

// Record stores a witness's cosignature of checkpoint (as the log signed it) and makes the
// checkpoint the head if it now meets the quorum and is newer.
func (h *Heads) Record(ctx context.Context, checkpointNote []byte, size int64, vkey string, line []byte, at time.Time) error {
	err := h.store(ctx, pendingCosignature{note: checkpointNote, c: store.Cosignature{Size: size, VKey: vkey, Line: line, At: at}})
	if err != nil {
		return fmt.Errorf("record cosignature: %w", err)
	}
	cfg := h.cfg.Load()
	if cfg.Quorum == 0 {
		return nil
	}
	if cur := h.head.Load(); cur != nil && cur.Size > size {
		return nil
	}
	if err := h.refresh(ctx, size-1); err != nil {
		return fmt.Errorf("record cosignature: %w", err)
	}
	return nil
}

// refresh makes the newest checkpoint larger than after that the quorum cosigned the head, if
// it is newer than the head: after a cosignature is stored here, and periodically, for the
// cosignatures that other servers of the same database store.
func (h *Heads) refresh(ctx context.Context, after int64) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	// The configuration is read under h.mu, which Reload holds while it replaces it: read
	// before, it could be the one a Reload replaced meanwhile, and a head that met only the
	// old quorum, or counted a removed witness, would replace the one Reload chose.
	cfg := h.cfg.Load()
	if cfg.Quorum == 0 {
		return nil
	}
	var head *Head
	err := h.db.View(ctx, func(tx *store.Tx) error {
		var err error
		head, err = latest(ctx, tx, cfg, after)
		return err
	})
	if err != nil {
		return err
	}
	if head != nil {
		ok, err := h.served(ctx, head)
		if err != nil || !ok {
			return err
		}
	}
	if cur := h.head.Load(); head != nil && (cur == nil || head.Size >= cur.Size) {
		h.head.Store(head)
		metrics.CosignedSize.Set(float64(head.Size))
		h.wake()
	}
	return nil
}

// served reports whether this server's log serves the tree of head, a checkpoint the store
// holds cosigned. Servers on one database share the cosignatures, so another server's
// witnesses may have cosigned a checkpoint this server's log has not followed yet (it reads
// the stored head every 100 ms): made the head, it would be served at /log/checkpoint while
// the log answers 404 for its tiles, and every proof against it would be refused as beyond
// the tree. So the log first follows the stored head, which the checkpoint was before its
// witnesses saw it. A stored log that does not extend what the log published
// (*translog.RollbackError), or a head whose root is not the log's at its size, is not
// served.
func (h *Heads) served(ctx context.Context, head *Head) (bool, error) {
	var rb *translog.RollbackError
	if head.Size > h.log.Head().Size {
		if err := h.log.Refresh(ctx); errors.As(err, &rb) {
			return false, nil
		} else if err != nil {
			return false, err
		}
	}
	lh := h.log.Head()
	switch {
	case head.Size > lh.Size:
		return false, nil
	case head.Size == lh.Size:
		return head.Root == lh.Root, nil
	}
	root, err := h.log.TreeHash(ctx, head.Size)
	if errors.As(err, &rb) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	return root == head.Root, nil
}

// pendingCosignature is a cosignature waiting to be stored, with the checkpoint it signs.
type pendingCosignature struct {
	note []byte
	c    store.Cosignature
}

// cosignatureBatch is the cosignatures stored by one transaction.
type cosignatureBatch struct {
	items []pendingCosignature
	done  chan struct{} // closed once errs is set
	errs  []error       // each item's outcome
}

// store makes p durable. Cosignatures are stored by group commit: the witnesses of one
// checkpoint answer at about the same time, and every transaction waits for its fsync, as
// the log's own batches do; those that arrive while one is being written share the next.
func (h *Heads) store(ctx context.Context, p pendingCosignature) error {
	h.recMu.Lock()
	b := h.recPending
	if b == nil {
		b = &cosignatureBatch{done: make(chan struct{})}
		h.recPending = b
	}
	i := len(b.items)
	b.items = append(b.items, p)
	if h.recFlushing {
		h.recMu.Unlock()
		<-b.done
		return b.errs[i]
	}
	h.recFlushing = true
	h.recMu.Unlock()
	// This caller writes batches until none is pending; the others wait for theirs.
	ctx = context.WithoutCancel(ctx)
	for {
		h.recMu.Lock()
		cur := h.recPending
		h.recPending = nil
		if cur == nil {
			h.recFlushing = false
			h.recMu.Unlock()
			return b.errs[i]
		}
		h.recMu.Unlock()
		// One refused cosignature (another checkpoint of its size is stored: a fork) must not
		// fail the others: each is written in its own savepoint.
		cur.errs = make([]error, len(cur.items))
		err := h.db.Update(ctx, func(tx *store.Tx) error {
			for j, p := range cur.items {
				cur.errs[j] = tx.Savepoint(ctx, func() error { return tx.AddCosignature(ctx, p.note, p.c) })
			}
			return nil
		})
		if err != nil {
			for j := range cur.errs {
				cur.errs[j] = err
			}
		}
		close(cur.done)
	}
}

// behindWhy is why a witness, of verifier key vkey, will not cosign this log.
type behindWhy struct {
	vkey, why string
}

// setBehind records why the witness name, of verifier key vkey, will not cosign this log (""
// when it cosigned again).
func (h *Heads) setBehind(name, vkey, why string) {
	h.behindMu.Lock()
	defer h.behindMu.Unlock()
	defer h.haltWhileBehind()
	if why == "" {
		delete(h.behind, name)
		return
	}
	if h.behind == nil {
		h.behind = map[string]behindWhy{}
	}
	h.behind[name] = behindWhy{vkey: vkey, why: why}
}

// haltWhileBehind halts the log's appends while a witness refuses it (it holds a larger tree,
// or one the log does not extend: each append would sign a checkpoint of a size already
// published under another root), and resumes them once none does. Called with behindMu held.
func (h *Heads) haltWhileBehind() {
	if h.log == nil {
		return
	}
	if len(h.behind) == 0 {
		h.log.Resume()
		return
	}
	h.log.Halt(h.behindText())
}

// keepBehind forgets why witnesses that cfg does not name, with the same key, would not
// cosign.
func (h *Heads) keepBehind(cfg *Config) {
	h.behindMu.Lock()
	defer h.behindMu.Unlock()
	defer h.haltWhileBehind()
	for name, b := range h.behind {
		if !slices.ContainsFunc(cfg.Witnesses, func(w store.Witness) bool { return w.Name == name && w.VKey == b.vkey }) {
			delete(h.behind, name)
		}
	}
}

// Unready says why the witnesses cannot meet the quorum: the reasons of Behind, when the
// configured witnesses that do not refuse this log are fewer than the quorum (a key under two
// names counts once, as for the head, and does not refuse while one of its names does not). It is "" while they are enough, and with a quorum of
// zero: one witness's refusal, which is its own word (a size in a 409 answer is not signed),
// does not stop an office whose other witnesses cosign.
func (h *Heads) Unready() string {
	cfg := h.cfg.Load()
	if cfg.Quorum == 0 {
		return ""
	}
	// Each key, under whichever of its names does not refuse the log: one refusing name does
	// not take the key away while another still has it cosign.
	h.behindMu.Lock()
	keys := map[string]bool{}
	for _, w := range cfg.Witnesses {
		id := w.VKey
		if pub, err := seal.PublicKeyOf(w.VKey); err == nil {
			id = string(pub)
		}
		b, refuses := h.behind[w.Name]
		keys[id] = keys[id] || !refuses || b.vkey != w.VKey
	}
	h.behindMu.Unlock()
	able := 0
	for _, ok := range keys {
		if ok {
			able++
		}
	}
	if able >= cfg.Quorum {
		return ""
	}
	return h.Behind()
}

// Behind says why witnesses will not cosign this log, or "" when none refuses.
func (h *Heads) Behind() string {
	h.behindMu.Lock()
	defer h.behindMu.Unlock()
	return h.behindText()
}

// behindText is Behind, with behindMu held.
func (h *Heads) behindText() string {
	names := slices.Sorted(maps.Keys(h.behind))
	var out []string
	for _, n := range names {
		out = append(out, fmt.Sprintf("witness %s: %s", n, h.behind[n].why))
	}
	return strings.Join(out, "; ")
}

func (h *Heads) watch() <-chan struct{} {
	h.chMu.Lock()
	defer h.chMu.Unlock()
	return h.changed
}

func (h *Heads) wake() {
	h.chMu.Lock()
	close(h.changed)
	h.changed = make(chan struct{})
	h.chMu.Unlock()
}

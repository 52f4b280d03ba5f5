package translog

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/chancery/chancery/internal/metrics"
	"github.com/chancery/chancery/internal/store"
	"golang.org/x/mod/sumdb/tlog"
)

// followInterval is how often a server that is not sequencing reads the stored head, to serve
// what the other servers appended.
const followInterval = 100 * time.Millisecond

// askedSpacing is the least time between two reads of the stored head made for callers of
// Refresh: however many ask (a request for a proof or a tile beyond the tree asks, and anyone
// may send such requests without end), a server reads the stored head for them at most a
// hundred times a second, besides its own look every followInterval.
const askedSpacing = 10 * time.Millisecond

// idleLinger is how long a sequencer with nothing to sequence keeps the lease: long enough for
// its writers, just answered, to append again without a hand-over, short enough that another
// server's appends do not wait long for an idle holder.
const idleLinger = 5 * time.Millisecond

// leadership is how the logs of several servers on one PostgreSQL database take turns
// sequencing (docs/design/log-sequencer.md). A server sequences only while it holds the
// store's sequencer lease, which it takes when it has appends waiting and gives up when it has
// none left or another server is waiting for it. Fencing: the first batch after taking the
// lease claims a new epoch unless the stored one is still its own, and every batch checks the
// epoch, in the batch's own transaction under the store's writer lock; a server that lost the
// lease without noticing (it was paused) finds the epoch moved and commits nothing.
//
// A nil *leadership (SQLite) sequences alone: every method is then a no-op.
type leadership struct {
	lease *store.Lease
	// ctx ends when the log closes, to stop waiting for the lease.
	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{} // closed when follow returns

	// Owned by the sequencer goroutine.
	epoch   int64 // the epoch this server claimed; 0 before its first claim
	fresh   bool  // the lease was taken since the last batch: the epoch is to confirm or claim
	claimed int64 // the epoch the running batch claimed, kept once it commits
	// contended: the last batch found another server waiting for the lease.
	contended bool

	mu      sync.Mutex
	leading bool // for Leading: holds the lease and committed under it

	// asked wakes follow for a read of the stored head that callers of Refresh wait for.
	asked   chan struct{}
	readsMu sync.Mutex
	waiting *headRead // the read that the callers since the last read began wait for
	stopped bool      // follow has returned: no read is made any more
	// onAsk and onRead are for tests, called under readsMu: as a caller joins waiting, and
	// as a read that callers wait for begins.
	onAsk, onRead func()
}

// headRead is a read of the stored head that callers of Refresh wait for: err is its
// outcome once done is closed.
type headRead struct {
	done chan struct{}
	err  error
}

func (rd *headRead) finish(err error) {
	if rd != nil {
		rd.err = err
		close(rd.done)
	}
}

// ask returns the read of the stored head that a caller of Refresh waits for: the next one
// follow begins, shared by every caller until it begins. A read under way began before the
// caller asked, and may have missed the tree the caller met: it does not count.
func (ld *leadership) ask() (*headRead, error) {
	ld.readsMu.Lock()
	defer ld.readsMu.Unlock()
	if ld.stopped {
		return nil, ErrClosed
	}
	if ld.waiting == nil {
		ld.waiting = &headRead{done: make(chan struct{})}
		select {
		case ld.asked <- struct{}{}:
		default:
		}
	}
	if ld.onAsk != nil {
		ld.onAsk()
	}
	return ld.waiting, nil
}

// take returns the read that the callers of Refresh so far wait for, which begins now, or nil
// when none waits.
func (ld *leadership) take() *headRead {
	ld.readsMu.Lock()
	defer ld.readsMu.Unlock()
	rd := ld.waiting
	ld.waiting = nil
	select {
	case <-ld.asked:
	default:
	}
	if rd != nil && ld.onRead != nil {
		ld.onRead()
	}
	return rd
}

// stopReads answers the callers of Refresh still waiting, once follow has returned, and
// those to come, with ErrClosed.
func (ld *leadership) stopReads() {
	ld.readsMu.Lock()
	defer ld.readsMu.Unlock()
	ld.stopped = true
	ld.waiting.finish(ErrClosed)
	ld.waiting = nil
}

func newLeadership(db *store.DB) *leadership {
	lease := db.NewLease()
	if lease == nil {
		return nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &leadership{lease: lease, ctx: ctx, cancel: cancel, done: make(chan struct{}), asked: make(chan struct{}, 1)}
}

// acquire blocks until this server holds the lease.
func (ld *leadership) acquire() error {
	if ld == nil || ld.lease.Held() {
		return nil
	}
	if err := ld.lease.Acquire(ld.ctx); err != nil {
		return err
	}
	ld.fresh = true
	ld.contended = false
	return nil
}

// claim reports whether the next batch is to claim the sequencing: the first batch after
// taking the lease does.
func (ld *leadership) claim() bool {
	return ld != nil && ld.fresh && ld.lease.Held()
}

// fence checks, inside the batch's transaction, that this server may commit: that it holds
// the lease and that no other server claimed the sequencing since it took it. e is the
// stored epoch, read in the transaction under the writer lock; claimed says that the
// transaction claimed it (see claim), so that e is this server's new epoch. contended, read
// with it, says whether another server waits for the lease (see yield).
func (ld *leadership) fence(e int64, claimed, contended bool) error {
	if ld == nil {
		return nil
	}
	ld.claimed = 0
	ld.contended = contended
	if !ld.lease.Held() {
		return fmt.Errorf("%w: the sequencer lease was lost", store.ErrDeposed)
	}
	switch {
	case claimed:
		ld.claimed = e
		return nil
	case e == ld.epoch && ld.epoch != 0:
		return nil
	default:
		return fmt.Errorf("%w (epoch %d, this server's %d)", store.ErrDeposed, e, ld.epoch)
	}
}

// maxReplay is the most entries appended by other servers that catchUp hashes into this
// server's tree rather than loading the stored tree's edge.
const maxReplay = 4 * TileWidth

// catchUp returns the builder for the stored tree, which another server extended since this
// one (whose tree is b, which it may change) last sequenced, checked against the stored
// head's root and against pub, the head this server published last: the stored tree must
// extend it (see extendsPublished). When the others appended a few batches, it adds their
// leaf hashes to b, from runs (read with the head, see Tx.SequencerStateAfter) and from the
// stored level-0 hash tiles for those beyond, and returns them; b then holds the hashes but not
// the entries (see builder.addLeaf). b is pub's tree or a smaller one that pub extends, so
// the roots met on the way, pub's then the stored one, prove the extension without a read.
// Otherwise it loads the stored tree's edge, a read per tile level and those of the hashes the
// root needs, and reads the stored tree's hashes at pub's size.
func catchUp(ctx context.Context, db *store.DB, tx *store.Tx, b *builder, pub *Head, stored store.LogHead, runs []store.LeafRun) (*builder, []tlog.Hash, error) {
	if stored.Size > b.size && stored.Size-b.size <= maxReplay {
		var leaves []tlog.Hash
		var err error
		for _, to := range []struct {
			size int64
			root []byte
		}{{pub.Size, pub.Root[:]}, {stored.Size, stored.Root}} {
			if to.size <= b.size || err != nil {
				continue
			}
			var more []tlog.Hash
			if more, err = replay(ctx, tx, b, to.size, runs); err != nil {
				break
			}
			leaves = append(leaves, more...)
			var root tlog.Hash
			if root, err = b.root(); err == nil && string(root[:]) != string(to.root) {
				err = errors.New("another root")
			}
		}
		if err == nil {
			b.takeDirty() // stored by the servers that appended them
			return b, leaves, nil
		}
		// b is spoilt; the edge is loaded below, and its checks say what is wrong.
	}
	b, err := loadEdge(ctx, tx, stored.Size)
	if err != nil {
		return nil, nil, fmt.Errorf("load tree edge: %w", err)
	}
	b.fallback = &storeHashReader{ctx: ctx, db: db}
	root, err := b.root()
	if err != nil {
		return nil, nil, fmt.Errorf("recompute root: %w", err)
	}
	if string(root[:]) != string(stored.Root) {
		return nil, nil, fmt.Errorf("stored tiles give root %s at size %d, but the head says %x", root, stored.Size, stored.Root)
	}
	if err := extendsPublished(ctx, tx, pub, stored); err != nil {
		return nil, nil, err
	}
	return b, nil, nil
}

// replay adds to b the leaf hashes of the stored entries from b.size to size, taken from runs
// where they hold them and otherwise read from their level-0 hash tiles in tx, and returns
// them. The entries themselves are not read: the root that catchUp checks covers the hashes,
// and the entries are what the stored bundles hold.
func replay(ctx context.Context, tx *store.Tx, b *builder, size int64, runs []store.LeafRun) ([]tlog.Hash, error) {
	leaves := make([]tlog.Hash, 0, size-b.size)
	for b.size < size {
		tile, at := b.size/TileWidth, int(b.size%TileWidth)
		for len(runs) > 0 && runs[0].Tile < tile {
			runs = runs[1:]
		}
		var first int
		var hashes []byte
		if len(runs) > 0 && runs[0].Tile == tile && runs[0].First <= at {
			first, hashes = runs[0].First, runs[0].Hashes
		} else {
			t, err := tx.Tile(ctx, 0, tile)
			if err != nil {
				return nil, err
			}
			hashes = t.Data[:min(len(t.Data), t.Width*tlog.HashSize)]
		}
		i := at - first
		if i < 0 || (i+1)*tlog.HashSize > len(hashes) {
			return nil, fmt.Errorf("hash tile 0/%d holds leaves %d to %d, not leaf %d", tile, first, first+len(hashes)/tlog.HashSize-1, at)
		}
		for ; (i+1)*tlog.HashSize <= len(hashes) && b.size < size; i++ {
			var leaf tlog.Hash
			copy(leaf[:], hashes[i*tlog.HashSize:])
			if err := b.addLeaf(leaf); err != nil {
				return nil, err
			}
			leaves = append(leaves, leaf)
		}
	}
	return leaves, nil
}

// completeBundle reads, when the batch's k entries could complete an entry bundle whose first
// entries b does not hold (they were appended by other servers, see replay), those entries,
// so that the bundle can be stored whole. It is a read per completed bundle, where reading
// every other server's entries in each turn was a read per batch.
func completeBundle(ctx context.Context, tx *store.Tx, b *builder, k int) error {
	bundle, from, ok := b.lacksPrefix(k)
	if !ok {
		return nil
	}
	first, data, err := tx.EntriesFrom(ctx, bundle, 0)
	if err != nil {
		return err
	}
	if first != 0 {
		return fmt.Errorf("entry bundle %d: stored entries start at %d", bundle, first)
	}
	prefix, err := bundlePrefix(data, from)
	if err != nil {
		return fmt.Errorf("entry bundle %d: %w", bundle, err)
	}
	b.setPrefix(prefix)
	return nil
}

// finish records the outcome of a batch.
func (ld *leadership) finish(err error) {
	if ld == nil {
		return
	}
	if err == nil {
		if ld.claimed != 0 {
			ld.epoch = ld.claimed
		}
		ld.fresh = false
		// A batch that handed the lease over (see handOver) committed without it.
		ld.setLeading(ld.lease.Held())
		return
	}
	if errors.Is(err, store.ErrDeposed) {
		ld.lease.Release()
		ld.setLeading(false)
	}
}

// yield gives the lease up after a batch that found another server waiting for it: each
// turn under contention is one batch. That batch carries every append that reached this server
// while it waited for its turn (the sequencer takes its queue only once it holds the lease),
// so turns of several batches would only add small batches of the appenders answered
// meanwhile, while the other servers' appenders wait (measured: 25 ms turns were slower). A
// server with nothing left to sequence and no one waiting keeps the lease for idleLinger
// (see idle).
func (ld *leadership) yield() {
	if ld == nil || !ld.lease.Held() || !ld.contended {
		return
	}
	ld.release()
}

// handOver gives the lease up inside a batch that found another server waiting, right after
// the batch's state statement, instead of after its commit (yield): the next holder's wake-up,
// BEGIN and writer-lock request then overlap this batch's write and its COMMIT's WAL flush,
// rather than following them. It is safe because the lease only decides which server tries
// to sequence; the order of batches is the writer lock's. This batch passed its fence under
// the writer lock, which it keeps until it commits or rolls back, and the next holder claims
// its new epoch under the same lock, so strictly after this batch ends: the batch cannot
// commit after the next holder's, and the next holder reads the head this batch wrote.
func (ld *leadership) handOver() {
	if ld == nil || !ld.contended || !ld.lease.Held() {
		return
	}
	ld.release()
}

// idle returns a channel that fires when the sequencer, holding the lease, has had nothing to
// sequence for idleLinger; nil (never) when it does not hold the lease.
func (ld *leadership) idle() <-chan time.Time {
	if ld == nil || !ld.lease.Held() {
		return nil
	}
	return time.After(idleLinger)
}

// release gives the lease up.
func (ld *leadership) release() {
	ld.lease.Release()
	ld.setLeading(false)
}

func (ld *leadership) setLeading(v bool) {
	ld.mu.Lock()
	changed := ld.leading != v
	ld.leading = v
	ld.mu.Unlock()
	if changed {
		metrics.SetLeader(v)
	}
}

// close stops waiting for the lease and the following, and gives the lease up. The sequencer
// has stopped.
func (ld *leadership) close() {
	if ld == nil {
		return
	}
	ld.cancel()
	<-ld.done
	ld.setLeading(false)
	ld.lease.Close()
}

// follow keeps the head, and the leaf index, up with what the other servers append, until the
// log closes: it reads the stored head every followInterval while another server may be
// sequencing, and for the callers of Refresh, who share a read, at most every askedSpacing.
func (l *Log) follow() {
	ld := l.lead
	defer close(ld.done)
	defer ld.stopReads()
	t := time.NewTicker(followInterval)
	defer t.Stop()
	var reported RollbackError
	var asked time.Time // when the last read that callers of Refresh waited for began
	for {
		var rd *headRead
		select {
		case <-ld.ctx.Done():
			return
		case <-t.C:
			if ld.lease.Held() {
				continue // no one else appends
			}
		case <-ld.asked:
			if wait := askedSpacing - time.Since(asked); wait > 0 {
				select {
				case <-ld.ctx.Done():
					return
				case <-time.After(wait):
				}
			}
			rd = ld.take()
			asked = time.Now()
		}
		err := l.refresh(ld.ctx)
		if err != nil && ld.ctx.Err() != nil {
			// The close cut the read short: its callers are told the log closed, as Refresh
			// says, not the canceled context of the log's own.
			rd.finish(ErrClosed)
		} else {
			rd.finish(err)
		}
		var rb *RollbackError
		switch {
		case errors.As(err, &rb):
			// Said once for each stored log found wrong, not at every look.
			if *rb != reported {
				reported = *rb
				l.logger().Error("the stored log does not extend the checkpoint this server published: it serves that checkpoint and appends nothing", "err", err)
			}
		case err != nil && ld.ctx.Err() == nil:
			// A look at the head, not a batch: the sequencer counts its own.
			metrics.DatabaseError(metrics.OpLogFollow)
		}
	}
}

// logger is the Config's Logger, or slog.Default().
func (l *Log) logger() *slog.Logger {
	if l.cfg.Logger != nil {
		return l.cfg.Logger
	}
	return slog.Default()
}

// Refresh publishes the head that other servers on a shared database stored, if it is newer
// than the one this server serves and extends it, rather than at the follower's next look: for
// a caller that met a checkpoint of this log, as the cosignatures other servers stored, or a
// request for a proof or a tile of its tree, and must serve that tree. It waits for a read of
// the stored head that begins after it is called, which it shares with every other caller
// meanwhile, and such reads begin at most every askedSpacing (10 ms): however many callers
// there are, one read at a time, a hundred a second at most (before, each caller made its
// own, and a flood of anonymous requests for tiles beyond the tree cost as many database
// transactions). It returns a *RollbackError, and publishes nothing, when the stored log does
// not extend what this server published, ErrClosed once the log is closed, and ctx's error
// if ctx ends first. With SQLite, where this server is the log's only sequencer, it does
// nothing.
func (l *Log) Refresh(ctx context.Context) error {
	if l.lead == nil {
		return nil
	}
	rd, err := l.lead.ask()
	if err != nil {
		return err
	}
	select {
	case <-rd.done:
		return rd.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// refresh publishes the stored head if it is newer than the one this server serves and
// extends it; it returns a *RollbackError, and publishes nothing, when the stored log does not
// extend what this server published (see extendsPublished).
func (l *Log) refresh(ctx context.Context) error {
	cur := l.Head()
	var stored store.LogHead
	err := l.db.View(ctx, func(tx *store.Tx) error {
		var err error
		if stored, err = tx.LogHead(ctx); err != nil {
			return err
		}
		return extendsPublished(ctx, tx, cur, stored)
	})
	l.noteSetBack(err)
	if err != nil {
		return err
	}
	if stored.Size == cur.Size {
		return nil
	}
	if err := l.leaves.load(ctx, l.db, stored.Size); err != nil {
		return err
	}
	var root tlog.Hash
	copy(root[:], stored.Root)
	l.publish(&Head{Size: stored.Size, Root: root, Checkpoint: stored.Checkpoint})
	return nil
}

// SetBack returns, with several servers on one PostgreSQL database, the RollbackError that
// the last look at the stored log found (a batch, or a read of the head another server
// stored): the database was set back under this server, which then appends nothing and
// serves the checkpoint it published until an operator decides. It is nil while the stored
// log extends that checkpoint, and always with SQLite.
func (l *Log) SetBack() *RollbackError {
	return l.setBack.Load()
}

// noteSetBack records what a look at the stored log that ended with err found: a
// RollbackError, or, when err is nil, that the stored log extends the published head. Other
// errors (the database did not answer) say nothing about it.
func (l *Log) noteSetBack(err error) {
	var rb *RollbackError
	switch {
	case err == nil:
		l.setBack.Store(nil)
	case errors.As(err, &rb):
		l.setBack.Store(rb)
	}
}

// Leading reports whether this server sequences the log: always with SQLite; with
// PostgreSQL, while it holds the sequencer lease and has committed under it. A server that
// does not lead still takes appends (it takes the lease for them) and serves reads.
func (l *Log) Leading() bool {
	ld := l.lead
	if ld == nil {
		return true
	}
	ld.mu.Lock()
	defer ld.mu.Unlock()
	return ld.leading && ld.lease.Held()
}

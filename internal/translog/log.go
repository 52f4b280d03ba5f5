package translog

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chancery/chancery/internal/checkpoint"
	"github.com/chancery/chancery/internal/metrics"
	"github.com/chancery/chancery/internal/store"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Errors that callers branch on.
var (
	ErrClosed        = errors.New("log is closed")
	ErrEntryTooLarge = fmt.Errorf("entry larger than %d bytes", MaxEntrySize)
	ErrEmptyEntry    = errors.New("empty entry")
	// ErrHeadMoved means the stored log grew behind this sequencer's back: another process is
	// sequencing the same log. The batch is refused so the log cannot fork.
	ErrHeadMoved = errors.New("log head moved: another sequencer is writing this log")
	// ErrNoLog means the store holds no log and Config.Create was not set: the store is not
	// the office's (a wrong database), and a new log there would fork the office's.
	ErrNoLog = errors.New("the store holds no log")
	// ErrOtherKey means that the stored log's checkpoint is signed by another log key: the
	// store holds another office's log under the same origin, and signing on there would
	// give it two keys.
	ErrOtherKey = errors.New("the stored log is another key's")
	// ErrLogCreated means that another process created a log in the store while this one was
	// creating its own: the store is that process's office's.
	ErrLogCreated = errors.New("another process created a log in this store meanwhile")
)

// Config configures a Log.
type Config struct {
	// Origin is the checkpoint origin line, e.g. "registry.example.org/log". It is fixed when
	// the log is created; opening a log with another origin fails.
	Origin string
	// Signer signs checkpoints. Its name must be Origin.
	Signer note.Signer
	// MaxBatch bounds the entries committed in one transaction (default 4096).
	MaxBatch int
	// Create lets Open create the log, empty, in a store that holds none. Only a new office
	// sets it: a log created anywhere else would be a second log signed with the same key.
	Create bool
	// Logger receives what the log says while it runs (a stored log found not to extend the
	// published checkpoint); nil means slog.Default().
	Logger *slog.Logger
}

// Head is a published checkpoint and what it commits to.
type Head struct {
	Size int64
	Root tlog.Hash
	// Checkpoint is the signed note.
	Checkpoint []byte
}

// Log is an open transparency log. Its methods are safe for concurrent use.
type Log struct {
	db   *store.DB
	cfg  Config
	wg   sync.WaitGroup
	head atomic.Pointer[Head]

	// The queue of appends waiting for the sequencer. Appenders add to pending under mu and
	// wake the sequencer; the sequencer takes the whole queue, commits it, sets each request's
	// result and closes the queue's ticket, which wakes every appender of that queue at once.
	// (A channel per request and a send per append cost a fifth of the sequencer's time with
	// 256 writers.)
	mu      sync.Mutex
	pending []*request
	ticket  chan struct{}
	closed  bool
	wake    chan struct{}
	// While the sequencer gathers a batch (see gather), the appender that brings pending to
	// want signals full and clears want.
	want int
	full chan struct{}

	// b is owned by the sequencer goroutine.
	b *builder
	// leaves finds entries by leaf hash.
	leaves *leafIndex
	// cache holds full tiles for reads.
	cache *tileCache
	// lead takes turns sequencing with the other servers on a shared database (nil: SQLite).
	lead *leadership
	// checked is the last pair of heads viewPublished found sound.
	checked atomic.Pointer[checkedHeads]
	// setBack is what the last look at the stored log found when it did not extend the head
	// this server published (see SetBack); nil when it did.
	setBack atomic.Pointer[RollbackError]
	// halted is why appends fail (see Halt); nil when they do not.
	halted atomic.Pointer[HaltedError]

	// changed is closed and cleared when a head is published (see Published).
	changedMu sync.Mutex
	changed   chan struct{}
}

// TxFunc records, inside the log's transaction, the registry change that an entry logs. index is
// the entry's index in the log. If it returns an error, the entry is not appended and that
// error is returned by AppendTx; other appends in the same batch are unaffected.
type TxFunc func(tx *store.Tx, index int64) error

type request struct {
	ctx     context.Context
	entries [][]byte // one, or the entries of AppendAllTx, logged together at consecutive indexes
	fn      TxFunc
	res     result    // set by the sequencer before it closes the request's ticket
	start   time.Time // when Append was called, for the latency metrics
	// state settles, once, whether the batch takes the request (taken) or its caller, whose
	// context ended first, gives it up (abandoned): see AppendTx.
	state atomic.Int32
}

// Request states.
const (
	queued int32 = iota
	taken
	abandoned
)

// take reports whether the sequencer may run r in its batch: r is taken unless its caller
// abandoned it. A batch whose transaction is tried again takes r again.
func (r *request) take() bool {
	if r.ctx.Err() != nil {
		r.state.CompareAndSwap(queued, abandoned)
	}
	return r.state.CompareAndSwap(queued, taken) || r.state.Load() == taken
}

type result struct {
	index int64
	err   error
}

// Open opens the log in db and starts its sequencer; Close stops it. A store without a log
// gets a new, empty one if cfg.Create is set; otherwise Open fails with ErrNoLog.
func Open(ctx context.Context, db *store.DB, cfg Config) (*Log, error) {
	if cfg.Origin == "" {
		return nil, errors.New("open log: empty origin")
	}
	if cfg.Signer == nil || cfg.Signer.Name() != cfg.Origin {
		return nil, fmt.Errorf("open log: the signer's key name must be the origin %q", cfg.Origin)
	}
	if cfg.MaxBatch <= 0 {
		cfg.MaxBatch = 4096
	}
	l := &Log{db: db, cfg: cfg, ticket: make(chan struct{}), wake: make(chan struct{}, 1), full: make(chan struct{}, 1), leaves: newLeafIndex(),
		cache: newTileCache(64 << 20)}
	if err := l.load(ctx); err != nil {
		return nil, fmt.Errorf("open log: %w", err)
	}
	if err := l.leaves.load(ctx, db, l.Head().Size); err != nil {
		return nil, fmt.Errorf("open log: %w", err)
	}
	metrics.LogSize.Set(float64(l.Head().Size))
	l.lead = newLeadership(db)
	if l.lead != nil {
		go l.follow()
	}
	l.wg.Add(1)
	go l.sequence()
	return l, nil
}

// load reads the head and the tree's right edge from the store, creating an empty log (with a
// signed checkpoint of size 0) if there is none and the configuration says to.
func (l *Log) load(ctx context.Context) error {
	var head store.LogHead
	err := l.db.View(ctx, func(tx *store.Tx) error {
		var err error
		head, err = tx.LogHead(ctx)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		if !l.cfg.Create {
			return ErrNoLog
		}
		l.b = &builder{}
		return l.db.Update(ctx, func(tx *store.Tx) error {
			// Read again under the writer lock: another process creating a log at the same
			// time (two `init` on one PostgreSQL database) passed the check above too, and
			// the head's upsert would leave one log whose head each thinks it signed.
			switch _, err := tx.LogHead(ctx); {
			case err == nil:
				return ErrLogCreated
			case !errors.Is(err, store.ErrNotFound):
				return err
			}
			h, err := l.commitHead(ctx, tx, l.b)
			if err != nil {
				return err
			}
			l.head.Store(h)
			return nil
		})
	}
	if err != nil {
		return err
	}
	if head.Origin != l.cfg.Origin {
		return fmt.Errorf("the stored log's origin is %q, not %q", head.Origin, l.cfg.Origin)
	}
	if !signedBy(head.Checkpoint, l.cfg.Signer) {
		return fmt.Errorf("%w: the stored checkpoint is not signed by this log key (%s+%08x)", ErrOtherKey, l.cfg.Signer.Name(), l.cfg.Signer.KeyHash())
	}
	b, err := loadBuilder(ctx, l.db, head.Size)
	if err != nil {
		return err
	}
	root, err := b.root()
	if err != nil {
		return fmt.Errorf("recompute root: %w", err)
	}
	if string(root[:]) != string(head.Root) {
		return fmt.Errorf("stored tiles give root %s at size %d, but the head says %x", root, head.Size, head.Root)
	}
	l.b = b
	h := &Head{Size: head.Size, Root: root, Checkpoint: head.Checkpoint}
	l.head.Store(h)
	return nil
}

// signedBy reports whether the signed note cp carries a signature by s's key (its name and
// key hash; the signature itself is the database's word, as is the rest of the head).
func signedBy(cp []byte, s note.Signer) bool {
	_, err := note.Open(cp, note.VerifierList())
	var u *note.UnverifiedNoteError
	if !errors.As(err, &u) {
		return false
	}
	for _, sig := range u.Note.UnverifiedSigs {
		if sig.Name == s.Name() && sig.Hash == s.KeyHash() {
			return true
		}
	}
	return false
}

// loadBuilder loads the partial tiles at the tree's right edge.
func loadBuilder(ctx context.Context, db *store.DB, size int64) (*builder, error) {
	var b *builder
	err := db.View(ctx, func(tx *store.Tx) error {
		var err error
		b, err = loadEdge(ctx, tx, size)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("load tree edge: %w", err)
	}
	b.fallback = &storeHashReader{ctx: ctx, db: db}
	return b, nil
}

// loadEdge reads the partial tiles at the right edge of the tree of size entries in tx.
func loadEdge(ctx context.Context, tx *store.Tx, size int64) (*builder, error) {
	b := &builder{size: size}
	// Entry bundle, then hash tiles level by level while the level has nodes.
	for level := EntriesLevel; ; level++ {
		count := size
		if level > 0 {
			count = size >> uint(TileHeight*level)
		}
		if count == 0 {
			break
		}
		e := edge{n: count / TileWidth, w: int(count % TileWidth)}
		if e.w == 0 {
			// The last tile is full: the edge is the full tile before it.
			e.n--
			e.w = TileWidth
		}
		t, err := tx.Tile(ctx, level, e.n)
		if err != nil {
			return nil, err
		}
		if t.Width < e.w {
			return nil, fmt.Errorf("tile %d/%d has width %d, want %d", level, e.n, t.Width, e.w)
		}
		if level == EntriesLevel {
			e.data, err = bundlePrefix(t.Data, e.w)
			if err != nil {
				return nil, fmt.Errorf("tile %d/%d: %w", level, e.n, err)
			}
			e.data = e.data[:len(e.data):len(e.data)] // appends must not write into t.Data
			e.stored, e.storedBytes = e.w, len(e.data)
		} else {
			if len(t.Data) < e.w*tlog.HashSize {
				return nil, fmt.Errorf("tile %d/%d: short data", level, e.n)
			}
			e.data = append(make([]byte, 0, TileWidth*tlog.HashSize), t.Data[:e.w*tlog.HashSize]...)
		}
		for len(b.edges) <= level+1 {
			b.edges = append(b.edges, edge{})
		}
		b.edges[level+1] = e
	}
	return b, nil
}

// Head returns the latest published checkpoint.
func (l *Log) Head() *Head { return l.head.Load() }

// Published returns a channel that is closed when a checkpoint newer than the current head is
// published. Watchers (the witness client, waiting seals) take a new channel after each wake.
func (l *Log) Published() <-chan struct{} {
	l.changedMu.Lock()
	defer l.changedMu.Unlock()
	if l.changed == nil {
		l.changed = make(chan struct{})
	}
	return l.changed
}

// publish makes h the head and wakes the watchers.
func (l *Log) publish(h *Head) {
	// Never back: the sequencer and the follower (leader.go) both publish.
	for {
		cur := l.head.Load()
		if cur != nil && cur.Size >= h.Size {
			return
		}
		if l.head.CompareAndSwap(cur, h) {
			break
		}
	}
	metrics.LogSize.Set(float64(h.Size))
	l.changedMu.Lock()
	if l.changed != nil {
		close(l.changed)
		l.changed = nil
	}
	l.changedMu.Unlock()
}

// Append appends entry and returns its index once the entry is durable and included in a
// published checkpoint. If ctx ends while the entry waits for a batch, Append returns its
// error and the entry is not appended; once a batch has taken the entry, Append waits for
// that batch's outcome whatever ctx does, so that its answer always says what happened.
func (l *Log) Append(ctx context.Context, entry []byte) (int64, error) {
	return l.AppendTx(ctx, entry, nil)
}

// AppendTx appends entry like Append, running fn in the same transaction first, so that the
// entry and the registry change it records commit together or not at all. As with Append, an
// error means that neither committed (save a commit whose outcome is unknown, an error
// wrapping store.ErrCommitUnknown: see store's durability contract), and an index that both
// did, even if ctx ended meanwhile: the caller's work after the commit (publishing what the
// change made public, updating what it keeps in memory) must not be skipped because its
// client went away.
func (l *Log) AppendTx(ctx context.Context, entry []byte, fn TxFunc) (int64, error) {
	return l.AppendAllTx(ctx, [][]byte{entry}, fn)
}

// AppendAllTx appends entries at consecutive indexes, in one transaction with fn, as AppendTx
// appends one: all of them and fn's change commit together, or none does. fn is given the
// first entry's index, and AppendAllTx returns it.
func (l *Log) AppendAllTx(ctx context.Context, entries [][]byte, fn TxFunc) (int64, error) {
	if len(entries) == 0 {
		return 0, ErrEmptyEntry
	}
	for _, e := range entries {
		if len(e) == 0 {
			return 0, ErrEmptyEntry
		}
		if len(e) > MaxEntrySize {
			return 0, fmt.Errorf("%w: %d bytes", ErrEntryTooLarge, len(e))
		}
	}
	if h := l.Halted(); h != nil {
		return 0, h
	}
	r := &request{ctx: ctx, entries: entries, fn: fn, start: time.Now()}
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return 0, ErrClosed
	}
	l.pending = append(l.pending, r)
	ticket := l.ticket
	if l.want > 0 && len(l.pending) >= l.want {
		l.want = 0
		select {
		case l.full <- struct{}{}:
		default:
		}
	}
	// Signalled under mu, so that Close cannot close wake in between.
	select {
	case l.wake <- struct{}{}:
	default: // the sequencer is already awake
	}
	l.mu.Unlock()
	select {
	case <-ticket:
	case <-ctx.Done():
		if r.state.CompareAndSwap(queued, abandoned) {
			return 0, ctx.Err()
		}
		<-ticket // taken: the batch's commit decides, and ends soon
	}
	return r.res.index, r.res.err
}

// Close stops the sequencer after committing the appends already queued.
func (l *Log) Close() error {
	l.mu.Lock()
	if !l.closed {
		l.closed = true
		close(l.wake)
	}
	l.mu.Unlock()
	l.wg.Wait()
	l.lead.close()
	return nil
}

// sequence is the sequencer: it takes whatever appends are waiting, commits them in one
// transaction, and answers them. There is no batching timer: a batch is whatever arrived while
// the previous one was being committed, which is what makes throughput grow with concurrency.
func (l *Log) sequence() {
	defer l.wg.Done()
	var spare []*request
	// writers is how many appenders were in flight when the last batch was answered, and took
	// how long that batch took to commit: see gather.
	var writers int
	var took time.Duration
	// missed: the last gather waited in vain (the appenders answered were not coming back
	// soon, as when each does other work between appends); the next batch does not wait.
	var missed bool
	for {
		var open bool
		select {
		case _, open = <-l.wake:
		case <-l.lead.idle():
			l.lead.release()
			continue
		}
		if open {
			if missed {
				missed = false
			} else {
				missed = !l.gather(writers, took)
			}
			// With several servers, wait for the lease before taking the queue, not after:
			// what the appenders send while another server sequences joins this server's
			// first batch of its turn. On failure commit tries again and fails the batch.
			_ = l.lead.acquire()
		}
		l.mu.Lock()
		empty := len(l.pending) == 0 // only this goroutine takes from pending
		l.mu.Unlock()
		if empty {
			l.lead.yield()
			if !open {
				return
			}
			continue
		}
		var queue []*request
		var ticket chan struct{}
		start := time.Now()
		// The first batch takes the queue once its transaction holds the writer lock (see
		// commit); the rest of a queue longer than MaxBatch follows in batches of its own.
		rest := l.commit(nil, func() []*request {
			l.mu.Lock()
			queue, ticket = l.pending, l.ticket
			l.pending, l.ticket = spare[:0], make(chan struct{})
			l.mu.Unlock()
			return queue
		})
		for len(rest) > 0 {
			rest = l.commit(rest, nil)
		}
		took = time.Since(start)
		l.mu.Lock()
		waiting := len(l.pending)
		l.mu.Unlock()
		writers = len(queue) + waiting
		l.lead.yield()
		close(ticket)
		clear(queue) // let the entries go
		spare = queue[:0]
		if !open {
			return
		}
	}
}

// maxGather bounds how long the sequencer waits for appenders to come back (see gather).
const maxGather = 2 * time.Millisecond

// gather waits, before the sequencer takes a batch, for the appenders it has just answered to
// append again, until writers appends are waiting or a fraction of the last batch's commit
// time (took) has passed. Without it, the sequencer takes the queue the moment it answers a
// batch, which holds only the appenders that arrived during that batch: under steady load the
// appenders split into two cohorts that take turns, and each commit (one fsync, or one WAL
// flush and a dozen round trips, whatever its size) carries half of them. Waiting a little
// for the answered cohort lets one commit carry all of them. One appender, or appenders that
// are all back, do not wait at all. It reports false when it waited the whole time in vain.
func (l *Log) gather(writers int, took time.Duration) bool {
	limit := min(took/4, maxGather)
	if writers <= 1 || limit <= 0 {
		return true
	}
	l.mu.Lock()
	if len(l.pending) >= writers || l.closed {
		l.mu.Unlock()
		return true
	}
	select {
	case <-l.full: // a signal left from an earlier gather that timed out
	default:
	}
	l.want = writers
	l.mu.Unlock()
	t := time.NewTimer(limit)
	filled := true
	select {
	case <-l.full:
	case <-t.C:
		filled = false
	}
	t.Stop()
	l.mu.Lock()
	l.want = 0
	l.mu.Unlock()
	return filled
}

// commit sequences one batch, the first MaxBatch entries of batch or, with take, of what take
// returns, and returns the requests left for the next batches. take is called once the batch's
// transaction holds the writer lock (or when the batch fails before): with several servers,
// the batch then holds every append that arrived while the previous holder of the lease
// wrote and committed its own, rather than those that arrived before this server took the
// lease over (see handOver).
func (l *Log) commit(batch []*request, take func() []*request) (rest []*request) {
	ctx := context.Background()
	takeBatch := func() {
		if take == nil {
			return
		}
		batch, rest = l.split(take())
		take = nil
	}
	if take == nil {
		batch, rest = l.split(batch)
	}
	if err := l.lead.acquire(); err != nil {
		takeBatch()
		for _, r := range batch {
			r.res = result{err: fmt.Errorf("append: %w", err)}
		}
		return rest
	}
	b := l.b.clone()
	var results []result
	var head *Head
	var first int64
	var leaves []tlog.Hash
	var caught []tlog.Hash // leaves of the entries other servers appended, if replayed
	var caughtFrom int64
	var caughtUp *Head // the stored head caught up with, if another server sequenced
	var written []store.Tile
	err := l.db.Update(ctx, func(tx *store.Tx) error {
		written = nil
		takeBatch()
		results = make([]result, len(batch))
		leaves = make([]tlog.Hash, 0, len(batch))
		claim := l.lead.claim()
		stored, epoch, contended, runs, err := tx.SequencerStateAfter(ctx, claim, b.size)
		if err != nil {
			return err
		}
		if err := l.lead.fence(epoch, claim, contended); err != nil {
			return err
		}
		l.lead.handOver()
		pub := l.Head()
		if l.lead != nil && stored.Size <= pub.Size {
			// Shorter, or as long with another root: the database was set back under this
			// server (see extendsPublished). Longer: catchUp checks it.
			if err := extendsPublished(ctx, tx, pub, stored); err != nil {
				return err
			}
		}
		if stored.Size != b.size {
			if l.lead == nil {
				return fmt.Errorf("%w (stored size %d, expected %d)", ErrHeadMoved, stored.Size, b.size)
			}
			// Another server sequenced since this one last did: go on from the stored tree.
			caughtFrom = b.size
			if b, caught, err = catchUp(ctx, l.db, tx, b, pub, stored, runs); err != nil {
				return err
			}
			caughtUp = &Head{Size: stored.Size, Checkpoint: stored.Checkpoint}
			copy(caughtUp.Root[:], stored.Root)
		}
		entries := 0
		for _, r := range batch {
			entries += len(r.entries)
		}
		if err := completeBundle(ctx, tx, b, entries); err != nil {
			return err
		}
		first = b.size
		for i, r := range batch {
			if !r.take() {
				results[i].err = context.Cause(r.ctx)
				continue
			}
			if r.fn != nil {
				idx := b.size
				if err := tx.Savepoint(ctx, func() error { return callTxFunc(r.fn, tx, idx) }); err != nil {
					if errors.Is(err, store.ErrTxAborted) {
						// The database rolled the whole transaction back, the changes
						// of the requests before this one with it: the batch fails.
						return err
					}
					results[i].err = err
					continue
				}
			}
			results[i].index = b.size
			for _, e := range r.entries {
				leaf, err := b.add(e)
				if err != nil {
					return err
				}
				leaves = append(leaves, leaf)
			}
		}
		if len(leaves) == 0 {
			return nil
		}
		var chunks []store.EntryChunk
		var tiles []store.Tile
		for _, t := range b.takeDirty() {
			if t.chunk {
				chunks = append(chunks, store.EntryChunk{Bundle: t.n, Start: t.start, Width: t.w, Data: t.data})
			} else {
				tiles = append(tiles, store.Tile{Level: t.level, Index: t.n, Width: t.w, Data: t.data})
			}
		}
		if head, err = l.signHead(b); err != nil {
			return err
		}
		written = tiles
		return tx.WriteLogBatch(ctx, chunks, tiles, l.storeHead(head))
	})
	committed := time.Now()
	takeBatch() // the transaction failed to start
	if results == nil {
		results = make([]result, len(batch))
	}
	l.lead.finish(err)
	l.noteSetBack(err)
	if err != nil {
		metrics.DatabaseError(metrics.OpLogBatch)
		for i := range results {
			if results[i].err == nil {
				results[i].err = fmt.Errorf("append: %w", err)
			}
		}
		// The store is the truth, if it extends what was published: reload the edge rather
		// than trust what the failed batch did.
		if b, h, lerr := l.reload(); lerr == nil {
			l.b = b
			l.publish(h)
		}
	} else {
		l.b = b
		if head == nil && caughtUp != nil {
			// Every append of the batch failed: b is the stored tree, checked to extend
			// the published head, and is published so that b is never ahead of it.
			l.leaves.load(ctx, l.db, caughtUp.Size)
			l.publish(caughtUp)
		}
		if head != nil {
			if l.lead != nil {
				// Index what the other servers appended first (load is a no-op if it is
				// indexed, and add if it was not next).
				l.leaves.add(caughtFrom, caught)
				l.leaves.load(ctx, l.db, first)
			}
			l.leaves.add(first, leaves)
			// The hash tiles just stored are what the next proofs read (the right edge of
			// every level): readers take them from the cache, not from the store.
			for _, t := range written {
				if t.Level == EntriesLevel {
					continue
				}
				l.cache.put(tileKey{t.Level, t.Index}, t.Width, t.Data[:len(t.Data):len(t.Data)])
			}
			l.publish(head)
			observeBatch(batch, results, committed)
		}
	}
	for i, r := range batch {
		r.res = results[i]
	}
	return rest
}

// split divides q into a batch of at most MaxBatch entries, and the rest: a request's
// entries are never split, and a request of more than MaxBatch entries is a batch of its own.
func (l *Log) split(q []*request) (batch, rest []*request) {
	n, entries := 0, 0
	for n < len(q) && (n == 0 || entries+len(q[n].entries) <= l.cfg.MaxBatch) {
		entries += len(q[n].entries)
		n++
	}
	return q[:n], q[n:]
}

// callTxFunc runs fn, turning a panic into an error: one caller's bug must not take down the
// sequencer, and with it every other caller's append.
func callTxFunc(fn TxFunc, tx *store.Tx, index int64) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("append: panic in transaction function: %v", p)
		}
	}()
	return fn(tx, index)
}

// commitHead signs a checkpoint for b's tree and records it as the log's head in tx.
func (l *Log) commitHead(ctx context.Context, tx *store.Tx, b *builder) (*Head, error) {
	h, err := l.signHead(b)
	if err != nil {
		return nil, err
	}
	if err := tx.SetLogHead(ctx, l.storeHead(h)); err != nil {
		return nil, err
	}
	return h, nil
}

// signHead signs a checkpoint for b's tree.
func (l *Log) signHead(b *builder) (*Head, error) {
	root, err := b.root()
	if err != nil {
		return nil, fmt.Errorf("tree hash: %w", err)
	}
	c := checkpoint.Checkpoint{Origin: l.cfg.Origin, Size: b.size, Root: root}
	signed, err := note.Sign(&note.Note{Text: string(c.Marshal())}, l.cfg.Signer)
	if err != nil {
		return nil, fmt.Errorf("sign checkpoint: %w", err)
	}
	return &Head{Size: b.size, Root: root, Checkpoint: signed}, nil
}

// SignStatus signs, with the log key, the word that the release at log index release had
// outcome, and revocations key-revoked entries of its signers' keys, in the tree of h, a head
// of this log (checkpoint.Status). The caller answers for both: it must have read the
// letter's state after h was published.
func (l *Log) SignStatus(h *Head, release int64, outcome string, revocations int) ([]byte, error) {
	st := checkpoint.Status{Origin: l.cfg.Origin, Size: h.Size, Root: h.Root, Release: release, Outcome: outcome, Revocations: int64(revocations)}
	if _, err := checkpoint.ParseStatus(st.Marshal()); err != nil {
		return nil, err
	}
	signed, err := note.Sign(&note.Note{Text: string(st.Marshal())}, l.cfg.Signer)
	if err != nil {
		return nil, fmt.Errorf("sign status: %w", err)
	}
	return signed, nil
}

// storeHead is h as the store records it.
func (l *Log) storeHead(h *Head) store.LogHead {
	return store.LogHead{Origin: l.cfg.Origin, Size: h.Size, Root: h.Root[:], Checkpoint: h.Checkpoint}
}

// reload reads the edge and head back from the store; on PostgreSQL, only if the stored log
// extends the published head.
func (l *Log) reload() (*builder, *Head, error) {
	ctx := context.Background()
	var head store.LogHead
	err := l.db.View(ctx, func(tx *store.Tx) error {
		var err error
		head, err = tx.LogHead(ctx)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	if l.lead != nil {
		// A store set back under this server is not taken as its tree (see extendsPublished).
		if err := l.db.View(ctx, func(tx *store.Tx) error { return extendsPublished(ctx, tx, l.Head(), head) }); err != nil {
			return nil, nil, err
		}
	}
	b, err := loadBuilder(ctx, l.db, head.Size)
	if err != nil {
		return nil, nil, err
	}
	var root tlog.Hash
	copy(root[:], head.Root)
	return b, &Head{Size: head.Size, Root: root, Checkpoint: head.Checkpoint}, nil
}

package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/stdlib"
)

// Lease timing. A holder proves it is alive by sending a query at least every leaseKeepalive;
// PostgreSQL ends a session idle for leaseTimeout, which frees the lock: so a holder that is
// paused (SIGSTOP, a frozen VM) or cut off loses the lease within leaseTimeout, while one that
// crashed loses it as soon as its connection closes.
const (
	leaseTimeout   = 3 * time.Second
	leaseKeepalive = leaseTimeout / 4
)

// Lease is the log sequencer's leadership among the servers on one PostgreSQL database: a
// session-level advisory lock held on a connection of its own. Holding it is what lets a
// server sequence; the fencing epoch (Tx.SequencerEpoch, Tx.ClaimSequencer) is what makes a
// holder that lost it without noticing unable to commit. Its methods are safe for concurrent
// use.
type Lease struct {
	db   *DB
	pool *sql.DB
	mu   sync.Mutex // serializes the use of conn
	conn *sql.Conn
	held atomic.Bool
	// stop ends the keepalive of the current holding.
	stop chan struct{}
}

// NewLease returns the store's sequencer lease, or nil for SQLite, where the data
// directory's lock already makes one server the only sequencer.
func (db *DB) NewLease() *Lease {
	if db.dialect != Postgres {
		return nil
	}
	cfg := db.pg.Copy()
	cfg.RuntimeParams["idle_session_timeout"] = fmt.Sprint(leaseTimeout.Milliseconds())
	cfg.RuntimeParams["application_name"] = db.pg.RuntimeParams["application_name"] + " sequencer"
	pool := stdlib.OpenDB(*cfg)
	pool.SetMaxOpenConns(1)
	return &Lease{db: db, pool: pool}
}

// Acquire blocks until this process holds the lease, or ctx ends. It is a no-op while the
// lease is held. A process whose build is older than the database's schema (ErrSchemaNewer)
// gives the lease up at once, so that a server of the newer build can sequence, and fails.
func (l *Lease) Acquire(ctx context.Context) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.held.Load() {
		return nil
	}
	// A session left idle while the lease was not held may have timed out: one retry on a
	// new one.
	var err error
	for range 2 {
		if l.conn == nil {
			if l.conn, err = l.pool.Conn(ctx); err != nil {
				return fmt.Errorf("store: sequencer lease: %w", err)
			}
		}
		// Waiting is announced by the shared lock, given up in the statement that took the
		// lease. Subqueries kept apart (OFFSET 0) run in order: announce, wait, withdraw.
		_, err = l.conn.ExecContext(ctx, `SELECT pg_advisory_unlock_shared($1, $3) FROM (
				SELECT pg_advisory_lock($1, $2) FROM (
					SELECT pg_advisory_lock_shared($1, $3) OFFSET 0) announce OFFSET 0) wait`,
			lockClass, lockLeader, lockWaiting)
		if err == nil {
			if err := l.db.checkSchema(ctx, l.conn); err != nil {
				l.discard()
				return fmt.Errorf("store: sequencer lease: %w", err)
			}
			l.held.Store(true)
			l.stop = make(chan struct{})
			go l.keepalive(l.stop)
			return nil
		}
		// Whether a cancelled lock request was granted is unknown: end the session, which
		// frees it if it was.
		l.discard()
		if ctx.Err() != nil {
			return fmt.Errorf("store: sequencer lease: %w", ctx.Err())
		}
	}
	return fmt.Errorf("store: sequencer lease: %w", err)
}

// Held reports whether this process holds the lease, as far as it knows: a holder that was
// paused learns that it lost the lease at its next keepalive.
func (l *Lease) Held() bool { return l.held.Load() }

// Release gives the lease up. It returns once the lease is no longer held as far as this
// process knows (Held reports false); the unlock statement is sent in the background, holding
// l.mu, so that the sequencer, which releases the lease inside a batch for the next server
// (translog's handOver), goes on with its batch instead of waiting for the unlock's round
// trip. Acquire and Close wait for it.
func (l *Lease) Release() {
	l.mu.Lock()
	if !l.held.Load() {
		l.mu.Unlock()
		return
	}
	l.drop()
	go func() {
		defer l.mu.Unlock()
		if _, err := l.conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1, $2)`, lockClass, lockLeader); err != nil {
			l.discard()
		}
	}()
}

// Close gives the lease up and closes its connection.
func (l *Lease) Close() error {
	l.mu.Lock()
	if l.held.Load() {
		l.drop()
	}
	l.discard()
	l.mu.Unlock()
	return l.pool.Close()
}

// keepalive sends a query every leaseKeepalive while the lease is held, so that PostgreSQL
// does not end the session, and notices when it did. The query reads the schema version: a
// holder that finds the database migrated by a newer build gives the lease up (ErrSchemaNewer).
func (l *Lease) keepalive(stop chan struct{}) {
	t := time.NewTicker(leaseKeepalive)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		l.mu.Lock()
		select {
		case <-stop:
			l.mu.Unlock()
			return
		default:
		}
		ctx, cancel := context.WithTimeout(context.Background(), leaseTimeout)
		err := l.db.checkSchema(ctx, l.conn)
		cancel()
		if err != nil {
			l.lost()
		}
		l.mu.Unlock()
	}
}

// lost records that the session holding the lease is gone. l.mu is held.
func (l *Lease) lost() {
	if l.held.Load() {
		l.drop()
	}
	l.discard()
}

// drop marks the lease not held and stops its keepalive. l.mu is held.
func (l *Lease) drop() {
	l.held.Store(false)
	close(l.stop)
}

// discard closes the session, not returning it to the pool. l.mu is held.
func (l *Lease) discard() {
	if l.conn == nil {
		return
	}
	l.conn.Raw(func(any) error { return driver.ErrBadConn })
	l.conn.Close()
	l.conn = nil
}

// ErrDeposed means that another server claimed the sequencer's epoch: this one lost the lease
// (it was paused, or cut off from the database) and must not commit what it sequenced.
var ErrDeposed = errors.New("another server took over sequencing the log")

// SequencerEpoch returns the fencing epoch of the log's sequencer: the number of times a
// server claimed the sequencing, 0 before the first claim.
func (t *Tx) SequencerEpoch(ctx context.Context) (int64, error) {
	var e int64
	err := t.queryRow(ctx, `SELECT epoch FROM log_sequencer WHERE id = 1`).Scan(&e)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("sequencer epoch: %w", err)
	}
	return e, nil
}

// ClaimSequencer makes this transaction's process the log's sequencer and returns its new
// epoch. Inside Update, under the writer lock, it is ordered with every batch: a batch that
// checks its epoch after the claim commits finds it changed.
func (t *Tx) ClaimSequencer(ctx context.Context) (int64, error) {
	var e int64
	err := t.queryRow(ctx, `INSERT INTO log_sequencer (id, epoch) VALUES (1, 1)
		ON CONFLICT (id) DO UPDATE SET epoch = log_sequencer.epoch + 1 RETURNING epoch`).Scan(&e)
	if err != nil {
		return 0, fmt.Errorf("claim the sequencer: %w", err)
	}
	return e, nil
}

// LeafRun is a run of leaf hashes (TileHashSize bytes each) from the level-0 hash tile Tile,
// from the tile's hash First on: the leaf hashes of entries Tile*256+First and after.
type LeafRun struct {
	Tile   int64
	First  int
	Hashes []byte
}

// TileHashSize is the size of a hash in a hash tile.
const TileHashSize = 32

// SequencerStateAfter is SequencerState that also returns, in the same statement on
// PostgreSQL, the leaf hashes stored after the first size entries that sit in level-0 hash
// tile size/256 and the one after it: those of the entries other servers appended since this
// one last sequenced at size, which it has to add to its tree. With several servers every
// turn starts with that catching up, and a statement of its own for it was a round trip more
// in each turn. The leaf hashes are all the tree needs, a sixteenth of the bytes of 512-byte
// entries: reading the entries instead had PostgreSQL detoast and send each of them to every
// other server, and each server hash them again (docs/benchmarks.md). Runs are in tile
// order, one per tile that has such hashes; hashes beyond the next tile are not returned
// (Tx.Tile reads them). On SQLite no one else appends: runs is nil.
func (t *Tx) SequencerStateAfter(ctx context.Context, claim bool, size int64) (head LogHead, epoch int64, contended bool, runs []LeafRun, err error) {
	if t.dialect != Postgres {
		head, epoch, contended, err = t.SequencerState(ctx, claim)
		return head, epoch, contended, nil, err
	}
	epochSQL := `COALESCE((SELECT s.epoch FROM log_sequencer s WHERE s.id = 1), 0)`
	with := ``
	if claim {
		with = `claim AS (
				INSERT INTO log_sequencer (id, epoch) VALUES (1, 1)
				ON CONFLICT (id) DO UPDATE SET epoch = log_sequencer.epoch + 1 RETURNING epoch
			), `
		epochSQL = `(SELECT epoch FROM claim)`
	}
	// The head's row comes first (k = 0), then the tiles by index. The tiles are read in the
	// statement's snapshot, the head's: their hashes cover at least the entries it counts.
	// Of tile size/256 only the hashes from entry size%256 on are sent.
	// Waiting sessions: as in SequencerState.
	rows, err := t.query(ctx, `WITH `+with+`state AS (
			SELECT h.origin, h.size, h.root, h.checkpoint, `+epochSQL+` AS epoch,
				NOT pg_try_advisory_xact_lock($1, $2) AS contended
			FROM log_head h WHERE h.id = 1
		)
		SELECT 0 AS k, origin, size, root, checkpoint, epoch, contended,
			0::bigint AS idx, 0 AS first, NULL::bytea AS data FROM state
		UNION ALL
		SELECT 1, NULL, NULL, NULL, NULL, NULL, NULL, idx, CASE WHEN idx = $3 THEN $4 ELSE 0 END,
			substring(data FROM CASE WHEN idx = $3 THEN $4 * $5 + 1 ELSE 1 END) FROM log_tiles
			WHERE level = 0 AND (idx = $3 AND width > $4 OR idx = $3 + 1)
		ORDER BY k, idx`, lockClass, lockWaiting, size/256, int(size%256), TileHashSize)
	if err != nil {
		return LogHead{}, 0, false, nil, fmt.Errorf("sequencer state: %w", err)
	}
	defer rows.Close()
	var found bool
	for rows.Next() {
		var k int
		var origin sql.NullString
		var hsize, e sql.NullInt64
		var c sql.NullBool
		var root, cp, data []byte
		var idx int64
		var first int
		if err := rows.Scan(&k, &origin, &hsize, &root, &cp, &e, &c, &idx, &first, &data); err != nil {
			return LogHead{}, 0, false, nil, fmt.Errorf("sequencer state: %w", err)
		}
		if k == 0 {
			found = true
			head = LogHead{Origin: origin.String, Size: hsize.Int64, Root: root, Checkpoint: cp}
			epoch, contended = e.Int64, c.Bool
			continue
		}
		if len(data)%TileHashSize != 0 {
			return LogHead{}, 0, false, nil, fmt.Errorf("sequencer state: hash tile 0/%d: %d bytes from hash %d", idx, len(data), first)
		}
		runs = append(runs, LeafRun{Tile: idx, First: first, Hashes: data})
	}
	if err := rows.Err(); err != nil {
		return LogHead{}, 0, false, nil, fmt.Errorf("sequencer state: %w", err)
	}
	if !found {
		return LogHead{}, 0, false, nil, fmt.Errorf("log head: %w", ErrNotFound)
	}
	return head, epoch, contended, runs, nil
}

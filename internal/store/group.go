package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/chancery/chancery/internal/metrics"
)

// Group commit. SQLite has one writer, and a commit is durable only once its WAL frames are
// fsynced: a few milliseconds on a real disk, during which every other writer waits. A busy
// office's small transactions (a letter created, approved, signed, its seal kept) would each
// pay a whole fsync in turn. Instead, the Update calls that arrive while one transaction
// commits are run together in the next one, one after the other, each inside a savepoint of
// its own, and committed with a single fsync.
//
// PostgreSQL's writers take turns on the writer lock (postgres.go), held until each commit's
// WAL is flushed; with one transaction per Update, every turn also paid a BEGIN, the lock, a
// COMMIT and the hand-over of the lock to the next backend, which on a busy machine waits for a
// processor at each step. The calls of one process are grouped there the same way: a group
// transaction takes the lock once, and the other processes' groups take their turns between.
//
// Each call keeps the contract of Update: it sees every write committed or grouped before it
// (the calls are still serialized); if its function fails or panics, its savepoint is rolled
// back, which undoes its writes and nothing else, and its caller gets its error (or panic);
// it returns nil only after the commit that holds its writes is durable. A caller's context
// done while its call runs fails the call at its next statement, never the statement under
// way (Tx.statementCtx), whose end by the database would take the whole group with it. If
// anything fails at the level of the transaction (a savepoint that cannot be released or
// rolled back, because SQLite rolled the whole transaction back after an I/O error or an
// interrupt, or the commit itself), the transaction is rolled back and every call in it gets
// an error.

// maxGroup bounds the calls committed together, so that a backlog is committed in steps.
const maxGroup = 64

// call is one Update waiting for a group transaction.
type call struct {
	ctx      context.Context
	fn       func(*Tx) error
	err      error
	panicked any
	done     chan struct{}
}

// committer runs the Update calls of a store in group transactions.
type committer struct {
	db     *DB
	mu     sync.Mutex
	queue  []*call
	closed bool
	wake   chan struct{} // signalled when the queue gains a call
	stop   chan struct{}
	done   chan struct{}
}

func startCommitter(db *DB) *committer {
	c := &committer{db: db, wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	go c.run()
	return c
}

var errClosed = errors.New("store is closed")

// close stops the committer once the group transaction under way, if any, has committed;
// calls still queued fail without running.
func (c *committer) close() {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	close(c.stop)
	<-c.done
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, cl := range c.queue {
		cl.err = fmt.Errorf("store: begin: %w", errClosed)
		close(cl.done)
	}
	c.queue = nil
}

func (c *committer) update(ctx context.Context, fn func(*Tx) error) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	cl := &call{ctx: ctx, fn: fn, done: make(chan struct{})}
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return fmt.Errorf("store: begin: %w", errClosed)
	}
	c.queue = append(c.queue, cl)
	c.mu.Unlock()
	select {
	case c.wake <- struct{}{}:
	default:
	}
	// Once queued, the call is waited for whatever its context says: its function may be
	// running, and its outcome is known only after the commit. A call whose context is done
	// before its turn does not run.
	<-cl.done
	if cl.panicked != nil {
		panic(cl.panicked)
	}
	return cl.err
}

func (c *committer) run() {
	defer close(c.done)
	for {
		select {
		case <-c.wake:
		case <-c.stop:
			return
		}
		// Everyone who arrived while the previous transaction committed goes in the next one.
		for {
			c.mu.Lock()
			n := min(len(c.queue), maxGroup)
			batch := c.queue[:n:n]
			c.queue = c.queue[n:]
			c.mu.Unlock()
			if n == 0 {
				break
			}
			metrics.DatabaseUpdates.Add(float64(n))
			start := time.Now()
			c.commit(batch)
			metrics.DatabaseWriterBusy.Add(time.Since(start).Seconds())
			for _, cl := range batch {
				close(cl.done)
			}
			select {
			case <-c.stop:
				return
			default:
			}
		}
	}
}

// commit runs batch in one transaction and records each call's outcome.
func (c *committer) commit(batch []*call) {
	ctx := context.Background() // the transaction outlives any one caller's context
	sqlTx, err := c.db.w.BeginTx(ctx, nil)
	if err != nil {
		metrics.DatabaseError(metrics.OpBegin)
		for _, cl := range batch {
			cl.err = fmt.Errorf("store: begin: %w", err)
		}
		return
	}
	var xid string
	if c.db.dialect == Postgres {
		if xid, err = c.db.beginPostgres(ctx, sqlTx); err != nil {
			metrics.DatabaseError(metrics.OpBegin)
			sqlTx.Rollback()
			for _, cl := range batch {
				cl.err = err
			}
			return
		}
	}
	tx := &Tx{tx: sqlTx, dialect: c.db.dialect, stmts: &c.db.ws, answers: c.db.answers, grouped: true}
	committed := false
	defer func() { c.db.batchDone(tx, committed) }()
	// abort rolls the whole transaction back: every call not already failed fails with err.
	abort := func(err error) {
		sqlTx.Rollback()
		for _, cl := range batch {
			if cl.err == nil && cl.panicked == nil {
				cl.err = err
			}
		}
	}
	if len(batch) == 1 {
		// Alone, the call needs no savepoint: its failure rolls the transaction back.
		cl := batch[0]
		if err := cl.ctx.Err(); err != nil {
			cl.err = fmt.Errorf("store: begin: %w", err)
			sqlTx.Rollback()
			return
		}
		if cl.panicked, cl.err = runCall(cl, tx); cl.err != nil || cl.panicked != nil || tx.aborted != nil {
			abort(tx.aborted)
			return
		}
	} else {
		ok := 0
		for i, cl := range batch {
			if err := cl.ctx.Err(); err != nil {
				cl.err = fmt.Errorf("store: begin: %w", err)
				continue
			}
			name := fmt.Sprintf("group%d", i)
			if _, err := sqlTx.ExecContext(ctx, "SAVEPOINT "+name); err != nil {
				abort(fmt.Errorf("store: group savepoint: %w", err))
				return
			}
			ops := len(tx.answerOps)
			cl.panicked, cl.err = runCall(cl, tx)
			if tx.aborted != nil {
				// The calls before this one lost their writes with the transaction.
				abort(tx.aborted)
				return
			}
			if cl.err != nil || cl.panicked != nil {
				tx.answerOps = tx.answerOps[:ops]
				if _, err := sqlTx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT "+name); err != nil {
					abort(fmt.Errorf("store: group rollback to savepoint: %w", err))
					return
				}
			} else {
				ok++
			}
			if _, err := sqlTx.ExecContext(ctx, "RELEASE SAVEPOINT "+name); err != nil {
				abort(fmt.Errorf("store: group release savepoint: %w", err))
				return
			}
		}
		if ok == 0 {
			sqlTx.Rollback()
			return
		}
	}
	if c.db.dialect == Postgres {
		if err := c.db.commitPostgres(sqlTx, xid); err != nil {
			metrics.DatabaseError(metrics.OpCommit)
			abort(err)
			return
		}
	} else if err := commitSQLite(sqlTx); err != nil {
		metrics.DatabaseError(metrics.OpCommit)
		abort(sqliteCommitError(err))
		return
	}
	metrics.DatabaseCommits.Inc()
	committed = true
	if tx.membersChanged {
		c.db.membersVersion.Add(1)
	}
	if c.db.committed != nil {
		select {
		case c.db.committed <- struct{}{}:
		default:
		}
	}
}

// commitSQLite commits an SQLite transaction; tests replace it to fail as a disk would.
var commitSQLite = (*sql.Tx).Commit

// sqliteCommitError is the error of Update for err, a failed SQLite COMMIT. An I/O error
// there (most often the WAL's fsync) comes after SQLite wrote the transaction's frames to the
// WAL, its commit frame included: it leaves them out of the WAL index, so that nothing in this
// process sees them, but the recovery that runs when the database is next opened after a crash
// reads them back, and the transaction is then committed. Its outcome is unknown
// (ErrCommitUnknown), not a failure. Any other error (a deferred constraint) is SQLite's
// refusal, before anything was written.
func sqliteCommitError(err error) error {
	var coded interface{ Code() int }
	if errors.As(err, &coded) && coded.Code()&0xff == sqliteIOErr {
		return fmt.Errorf("store: commit: %w; %w until the database is next opened", err, ErrCommitUnknown)
	}
	return fmt.Errorf("store: commit: %w", err)
}

// sqliteIOErr is SQLITE_IOERR, the primary code of every I/O error.
const sqliteIOErr = 10

// runCall runs the call's function, catching a panic to hand it back to the caller.
func runCall(cl *call, tx *Tx) (panicked any, err error) {
	defer func() {
		if p := recover(); p != nil {
			panicked = p
		}
	}()
	return nil, cl.fn(tx)
}

// Package store is Chancery's storage seam: one relational database that holds the registry
// state and the transparency log side by side, so that a registry change and the log entry
// that records it commit in the same transaction.
//
// The seam is SQL itself: each backend (SQLite, the embedded default; PostgreSQL to scale out)
// supplies a driver, a dialect and its migrations, and every method below is hand-written SQL
// that runs on all of them. The conformance suite in package storetest runs against every
// backend.
//
// Durability contract: when [DB.Update] returns nil, the transaction is on stable storage (the
// SQLite WAL is fsynced with synchronous=FULL; PostgreSQL commits with synchronous_commit=on).
// When it returns an error, nothing the function wrote is visible, ever, with two exceptions,
// whose errors wrap [ErrCommitUnknown]: a PostgreSQL COMMIT whose answer was lost and whose
// outcome could not be learnt afterwards (the database unreachable for 20 s) may have
// committed; an SQLite COMMIT that failed with an I/O error (the WAL's fsync failed) is not
// visible to this process, but may be found committed when the database is next opened after
// a crash. Update calls that arrive while a transaction commits share the next transaction
// (group commit, group.go): each runs in a savepoint of its own, so a failing one undoes only
// its own writes, and none returns nil before the shared commit is durable; a database that
// rolls the whole transaction back (ErrTxAborted) fails them all.
//
// Concurrency contract: Update transactions are serialized (one writer at a time); View
// transactions run concurrently with each other and with Update, each on a consistent snapshot
// of the last committed state.
//
// Not-found contract: a lookup that finds nothing returns an error wrapping [ErrNotFound],
// never a zero value with a nil error.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/chancery/chancery/internal/metrics"
)

// ErrNotFound is wrapped by every lookup that finds nothing.
var ErrNotFound = errors.New("not found")

// ErrTxAborted is wrapped by the error of a savepoint that could not be rolled back or
// released because the database had already rolled the whole transaction back: SQLite does so
// after some failed statements (an I/O error; a full disk, for a statement without a
// statement journal), and then runs the statements that follow outside any transaction, each
// committed at once. Nothing more may be written in such a transaction: [Tx.Savepoint], and
// the statements of the Tx's methods, refuse to run, and the caller must fail the whole
// transaction.
var ErrTxAborted = errors.New("the transaction was rolled back")

// ErrCommitUnknown is wrapped by the error of an Update whose commit failed without its
// outcome being known: the transaction may be committed (see the durability contract).
var ErrCommitUnknown = errors.New("the commit's outcome is unknown")

// Dialect names a backend.
type Dialect string

// SQLite is the embedded default backend.
const SQLite Dialect = "sqlite"

// DB is an open store.
type DB struct {
	dialect Dialect
	// migratedFrom is the schema version the store's opening migrated from (MigratedFrom).
	migratedFrom int
	// lockWait, set while the opening's migration on PostgreSQL takes the writer lock, is
	// called when another session holds it (beginPostgres), before this one waits for it.
	lockWait func()
	// w is the write pool. For SQLite it has a single connection, which serializes writers.
	w *sql.DB
	// r is the read pool.
	r *sql.DB
	// ws and rs hold the statements prepared on w and r, by query text.
	ws, rs stmtCache
	// readGate, on SQLite, admits one-row lookups (readOne) to r in the order they came, as
	// many at a time as r has connections: database/sql hands a freed connection to a waiter
	// taken at random, which under a burst of lookups left some waiting many times longer
	// than the rest (the p99 of public verify lookups, docs/benchmarks.md). A goroutine
	// blocked on a channel is woken in arrival order.
	readGate chan struct{}
	// committed, if set, is signalled (without blocking) after each commit.
	committed chan struct{}
	// scrubLater asks the checkpointer to truncate the WAL once readers let it (ScrubWAL).
	scrubLater chan struct{}
	// onClose runs after both pools are closed.
	onClose func() error
	// checkpoints, on SQLite, is the checkpointer's connection (sqlite.go).
	checkpoints *sql.DB
	// pg is the connection configuration of a PostgreSQL store, for its dedicated sessions.
	pg *pgConfig
	// group, on SQLite, runs Update calls in group transactions (group.go).
	group *committer
	// answers, on SQLite, holds kept answers in memory once HoldAnswers is called
	// (answer_memory.go).
	answers *answerMirror

	// schemaNewer is set once an Update, the sequencer lease or CheckSchema found the
	// PostgreSQL database migrated by a newer build (ErrSchemaNewer).
	schemaNewer atomic.Bool
	// fenced, on PostgreSQL, is set once opening the store migrated it: from then on every
	// Update reads the schema version after taking the writer lock (beginPostgres).
	fenced atomic.Bool

	// membersVersion counts the commits of this process that changed a member row.
	membersVersion atomic.Uint64

	closeOnce sync.Once
	closeErr  error
}

// MembersVersion changes after every commit, by this process, of a transaction that changed a
// member's roles, token or disabled state; it changes before that Update returns. A cache of
// members read at one version is current while the version is unchanged, provided no other
// process writes the store (true of SQLite under serve's lock, not of PostgreSQL).
func (db *DB) MembersVersion() uint64 { return db.membersVersion.Load() }

// Dialect reports the backend.
func (db *DB) Dialect() Dialect { return db.dialect }

// Close closes the database; later calls do nothing. It does not wait for running
// transactions, except on SQLite for the group transaction under way (group.go); Update
// calls still queued for the next one fail.
func (db *DB) Close() error {
	db.closeOnce.Do(func() {
		if db.group != nil {
			db.group.close()
		}
		db.rs.close()
		db.ws.close()
		db.closeErr = errors.Join(db.r.Close(), db.w.Close())
		if db.onClose != nil {
			db.closeErr = errors.Join(db.closeErr, db.onClose())
		}
	})
	return db.closeErr
}

// Tx is a transaction, read-write inside [DB.Update], read-only inside [DB.View]. A Tx must
// not be used after the function it was passed to returns.
type Tx struct {
	tx      *sql.Tx
	dialect Dialect
	stmts   *stmtCache
	sp      int
	// membersChanged is set by a write to a member row (see DB.MembersVersion).
	membersChanged bool
	// answers is the store's held answers (nil on PostgreSQL and in View); answerOps the
	// writes to the answers table and revokedKey a key revocation, for it (answer_memory.go).
	answers    *answerMirror
	answerOps  []answerOp
	revokedKey bool
	// grouped is set in a group transaction (group.go), which several callers share.
	grouped bool
	// aborted is set once a savepoint finds the transaction rolled back (ErrTxAborted).
	aborted error
	// conn is the connection of a copy's transaction (copyUpdate), through which the copy
	// sends rows with COPY; nil otherwise.
	conn *sql.Conn
}

// statementCtx is the context a statement of t runs with. In a group transaction a caller's
// cancellation must not reach a statement under way: the database would end it by breaking
// the shared connection (pgx) or by rolling the whole transaction back (SQLite's interrupt),
// failing every call in the group. A caller whose context is done before a statement fails at
// that statement, without it reaching the database, and its savepoint alone is undone.
func (t *Tx) statementCtx(ctx context.Context) context.Context {
	if t.grouped && ctx.Err() == nil {
		return context.WithoutCancel(ctx)
	}
	return ctx
}

// Update runs fn in a read-write transaction and commits it if fn returns nil. When Update
// returns nil the transaction is durable (see the package documentation). If fn returns an
// error or panics, what fn wrote is rolled back and the error (or panic) is returned
// unchanged.
func (db *DB) Update(ctx context.Context, fn func(*Tx) error) (err error) {
	if db.group != nil {
		return db.group.update(ctx, fn)
	}
	// Only a read-only snapshot (OpenSQLiteSnapshot) has no committer.
	return errReadOnly
}

var errReadOnly = errors.New("store: update: the store is opened read-only")

// View runs fn in a read-only transaction on a consistent snapshot. It fails at once, with
// ErrSchemaNewer, once an Update, the sequencer lease or CheckSchema of a PostgreSQL store
// found the database migrated by a newer build: the rows may be in a layout this build does
// not know.
func (db *DB) View(ctx context.Context, fn func(*Tx) error) error {
	if db.schemaNewer.Load() {
		return fmt.Errorf("store: begin read: %w", ErrSchemaNewer)
	}
	var opts *sql.TxOptions
	if db.dialect == Postgres {
		// One snapshot for the whole transaction; SQLite's read transactions have one anyway.
		opts = &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
	}
	tx, err := db.r.BeginTx(ctx, opts)
	if err != nil {
		metrics.DatabaseError(metrics.OpBegin)
		return fmt.Errorf("store: begin read: %w", err)
	}
	defer tx.Rollback()
	return fn(&Tx{tx: tx, dialect: db.dialect, stmts: &db.rs})
}

// Savepoint runs fn inside a savepoint of t. If fn returns an error, everything fn wrote is
// undone, the rest of the transaction is kept, and the error is returned. This is how the log
// sequencer commits many callers' changes in one transaction while failing each on its own.
func (t *Tx) Savepoint(ctx context.Context, fn func() error) error {
	if t.aborted != nil {
		return t.aborted
	}
	ctx = t.statementCtx(ctx)
	t.sp++
	name := fmt.Sprintf("sp%d", t.sp)
	ops := len(t.answerOps)
	if _, err := t.tx.ExecContext(ctx, "SAVEPOINT "+name); err != nil {
		return fmt.Errorf("store: savepoint: %w", err)
	}
	if err := fn(); err != nil {
		t.answerOps = t.answerOps[:ops] // undone: the rows stay forgotten (answer_memory.go)
		if _, rerr := t.tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT "+name); rerr != nil {
			return errors.Join(err, t.abort(fmt.Errorf("store: rollback to savepoint: %w", rerr)))
		}
		if _, rerr := t.tx.ExecContext(ctx, "RELEASE SAVEPOINT "+name); rerr != nil {
			return errors.Join(err, t.abort(fmt.Errorf("store: release savepoint: %w", rerr)))
		}
		return err
	}
	if _, err := t.tx.ExecContext(ctx, "RELEASE SAVEPOINT "+name); err != nil {
		return t.abort(fmt.Errorf("store: release savepoint: %w", err))
	}
	return nil
}

// abort records that a savepoint statement failed, err: the savepoint is gone with the
// transaction (SQLite rolled it back, or the connection broke), and no statement may run in
// t any more (ErrTxAborted).
func (t *Tx) abort(err error) error {
	t.aborted = fmt.Errorf("%w: %w", ErrTxAborted, err)
	return t.aborted
}

// stmtCache keeps one prepared statement per query text for a pool, so that each query is
// parsed once per connection rather than at every call: parsing was a fifth of the CPU time of
// a release. The set of queries is fixed by the code, so the cache is bounded.
type stmtCache struct {
	db *sql.DB
	m  sync.Map // query text -> *sql.Stmt, or pending while it is being prepared

	// mu guards closed and the start of a background prepare: close waits for every prepare
	// started, because a prepare that holds a connection while the pool closes returns it
	// later, and SQLite's last connection to close removes the -wal and -shm files (a copy
	// or removal of the directory after Close returned would race with it).
	mu       sync.Mutex
	closed   bool
	inflight sync.WaitGroup
	cancel   context.CancelFunc
	ctx      context.Context
}

var pending = new(int)

// stmt returns the transaction's statement for query, or nil when it is not prepared yet. A
// statement is prepared on the pool in the background, because the transaction may hold the
// pool's only connection (SQLite's writer).
func (c *stmtCache) stmt(ctx context.Context, tx *sql.Tx, query string) *sql.Stmt {
	s := c.prepared(query)
	if s == nil {
		return nil
	}
	// The transaction's statement reuses what is prepared on the transaction's connection.
	return tx.StmtContext(ctx, s)
}

func (c *stmtCache) close() {
	c.mu.Lock()
	c.closed = true
	if c.cancel != nil {
		c.cancel()
	}
	c.mu.Unlock()
	c.inflight.Wait()
	c.m.Range(func(_, v any) bool {
		if s, ok := v.(*sql.Stmt); ok {
			s.Close()
		}
		return true
	})
}

func (t *Tx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if t.aborted != nil {
		return nil, t.aborted
	}
	ctx = t.statementCtx(ctx)
	if s := t.stmts.stmt(ctx, t.tx, query); s != nil {
		return s.ExecContext(ctx, args...)
	}
	return t.tx.ExecContext(ctx, query, args...)
}

// byteOrder is the ORDER BY term that sorts the text column col by its UTF-8 bytes (code point
// order) on both backends. SQLite's default collation compares bytes; a PostgreSQL database
// sorts by the collation it was created with, and one created with a language's collation
// (en_US.UTF-8, an ICU locale) puts "a" before "B" and ignores hyphens, so lists of recipients,
// webhooks and witnesses came out in another order than on SQLite.
func (t *Tx) byteOrder(col string) string {
	if t.dialect == Postgres {
		return col + ` COLLATE "C"`
	}
	return col
}

func (t *Tx) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if t.aborted != nil {
		return nil, t.aborted
	}
	ctx = t.statementCtx(ctx)
	if s := t.stmts.stmt(ctx, t.tx, query); s != nil {
		return s.QueryContext(ctx, args...)
	}
	return t.tx.QueryContext(ctx, query, args...)
}

func (t *Tx) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	if t.aborted != nil {
		// A row cannot carry another error: a done context keeps the statement from the
		// database (its Scan returns context.Canceled).
		done, cancel := context.WithCancel(ctx)
		cancel()
		return t.tx.QueryRowContext(done, query, args...)
	}
	ctx = t.statementCtx(ctx)
	if s := t.stmts.stmt(ctx, t.tx, query); s != nil {
		return s.QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, query, args...)
}

// notFound turns sql.ErrNoRows into an error wrapping ErrNotFound.
func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s: %w", what, ErrNotFound)
	}
	return fmt.Errorf("%s: %w", what, err)
}

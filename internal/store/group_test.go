package store_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/metrics"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/store/storetest"
	dto "github.com/prometheus/client_model/go"
)

func counter(t *testing.T, c interface{ Write(*dto.Metric) error }) float64 {
	t.Helper()
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		t.Fatal(err)
	}
	return m.GetCounter().GetValue()
}

// TestGroupCommit holds the writer while many Update calls queue, then lets them commit as one
// group transaction: each failing, panicking or cancelled call must leave no trace and get its
// own outcome, every other call must be committed, and the group must take one commit.
func TestGroupCommit(t *testing.T) {
	t.Run("SQLite", func(t *testing.T) {
		dir := t.TempDir()
		testGroupCommit(t, func() *store.DB { return openSQLite(t, dir) })
	})
	t.Run("Postgres", func(t *testing.T) {
		url := storetest.PostgresURL(t)
		testGroupCommit(t, func() *store.DB { return openPostgres(t, url) })
	})
}

// testGroupCommit is TestGroupCommit on the store open opens, each time on the same database.
func testGroupCommit(t *testing.T, open func() *store.DB) {
	ctx := t.Context()
	db := open()
	groupedTable(t, db)
	insert := func(tx *store.Tx, k int) error { return insertK(ctx, tx, k) }
	release := holdWriter(t, db)
	commits, busy := counter(t, metrics.DatabaseCommits), counter(t, metrics.DatabaseWriterBusy)
	held := time.Now()

	errBoom := errors.New("boom")
	const n = 40
	outcome := make([]any, n+1) // nil, an error, or a recovered panic
	var wg sync.WaitGroup
	cctx, cancel := context.WithCancel(ctx)
	for k := 1; k <= n; k++ {
		wg.Go(func() {
			defer func() {
				if p := recover(); p != nil {
					outcome[k] = fmt.Sprint("panic: ", p)
				}
			}()
			c := ctx
			if k == n {
				c = cctx // cancelled while it waits: it must not run
			}
			err := db.Update(c, func(tx *store.Tx) error {
				if err := insert(tx, k); err != nil {
					return err
				}
				switch {
				case k%5 == 0:
					return errBoom
				case k%7 == 0:
					panic("seven")
				case k%11 == 0:
					// A statement that fails in the database (the held call's row): PostgreSQL
					// refuses every statement after it until its savepoint is rolled back.
					return insert(tx, 0)
				case k%3 == 0:
					// A savepoint inside a grouped call (as the log sequencer makes them): the
					// inner failure undoes only the inner write.
					err := tx.Savepoint(ctx, func() error {
						if err := insert(tx, 1000+k); err != nil {
							return err
						}
						return errBoom
					})
					if !errors.Is(err, errBoom) {
						return fmt.Errorf("inner savepoint: %v", err)
					}
				}
				return nil
			})
			if err != nil {
				outcome[k] = err
			}
		})
	}
	for db.QueuedUpdates() < n {
		runtime.Gosched()
	}
	cancel()
	time.Sleep(20 * time.Millisecond) // the writer stays busy with the held call meanwhile
	minHeld := time.Since(held)       // the held call's transaction began before held
	err := release()
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if got := counter(t, metrics.DatabaseWriterBusy) - busy; got < minHeld.Seconds() {
		t.Errorf("the writer counted %.3f s busy, less than the %.3f s it was held", got, minHeld.Seconds())
	}
	if got := counter(t, metrics.DatabaseCommits) - commits; got != 2 {
		t.Errorf("%v commits after the held one started, want 2 (it, then one group of %d calls)", got, n)
	}

	want := []int{0}
	for k := 1; k <= n; k++ {
		switch o := outcome[k]; {
		case k == n:
			if err, ok := o.(error); !ok || !errors.Is(err, context.Canceled) {
				t.Errorf("call %d (cancelled): %v, want context.Canceled", k, o)
			}
		case k%5 == 0:
			if err, ok := o.(error); !ok || !errors.Is(err, errBoom) {
				t.Errorf("call %d: %v, want its own error", k, o)
			}
		case k%7 == 0:
			if o != "panic: seven" {
				t.Errorf("call %d: %v, want its own panic", k, o)
			}
		case k%11 == 0:
			if _, ok := o.(error); !ok {
				t.Errorf("call %d: %v, want the database's error", k, o)
			}
		default:
			if o != nil {
				t.Errorf("call %d: %v", k, o)
			}
			want = append(want, k)
		}
	}
	if got := groupedRows(t, db); !slices.Equal(got, want) {
		t.Errorf("committed rows %v, want %v", got, want)
	}

	// Reopened, the database holds exactly what was acknowledged.
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = open()
	defer db.Close()
	if got := groupedRows(t, db); !slices.Equal(got, want) {
		t.Errorf("after reopening: rows %v, want %v", got, want)
	}
}

// TestGroupCommitAfterClose: an Update on a closed store fails and runs nothing.
func TestGroupCommitAfterClose(t *testing.T) {
	db := openSQLite(t, t.TempDir())
	db.Close()
	ran := false
	err := db.Update(t.Context(), func(tx *store.Tx) error { ran = true; return nil })
	if err == nil || ran {
		t.Fatalf("Update on a closed store: err %v, ran %v", err, ran)
	}
}

// TestGroupCommitCancelledCaller cancels the contexts of some grouped calls while a long
// write of theirs runs (clients that went away mid-request). The database would end that
// statement by breaking the connection (pgx) or by rolling the whole transaction back
// (SQLite's interrupt), failing every call grouped with it. Instead each cancelled call must
// fail on its own, with its writes undone, and the others must commit.
func TestGroupCommitCancelledCaller(t *testing.T) {
	t.Run("SQLite", func(t *testing.T) { testGroupCommitCancelledCaller(t, openSQLite(t, t.TempDir())) })
	t.Run("Postgres", func(t *testing.T) { testGroupCommitCancelledCaller(t, openPostgres(t, storetest.PostgresURL(t))) })
}

func testGroupCommitCancelledCaller(t *testing.T, db *store.DB) {
	ctx := t.Context()
	defer db.Close()
	groupedTable(t, db)
	release := holdWriter(t, db)
	const n = 6
	errs := make([]error, n+1)
	var wg sync.WaitGroup
	for k := 1; k <= n; k++ {
		wg.Go(func() {
			cctx, cancel := context.WithCancel(ctx)
			defer cancel()
			errs[k] = db.Update(cctx, func(tx *store.Tx) error {
				if err := insertK(cctx, tx, k); err != nil {
					return err
				}
				if k%2 == 1 {
					// A write of 30,000 rows, cancelled after 2 ms.
					time.AfterFunc(2*time.Millisecond, cancel)
					if err := store.ExecTx(cctx, tx, `INSERT INTO grouped (k) WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 30000)
						SELECT $1 * 1000000 + x FROM c`, k); err != nil {
						return err
					}
					// On a loaded machine the timer may fire only after the write: the next
					// statement waits for it.
					<-cctx.Done()
				}
				return insertK(cctx, tx, 100+k)
			})
		})
	}
	for db.QueuedUpdates() < n {
		runtime.Gosched()
	}
	err := release()
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	var want []int
	for k := 1; k <= n; k++ {
		if k%2 == 1 {
			if !errors.Is(errs[k], context.Canceled) {
				t.Errorf("call %d (cancelled): %v, want context.Canceled", k, errs[k])
			}
			continue
		}
		if errs[k] != nil {
			t.Errorf("call %d: %v", k, errs[k])
		}
		want = append(want, k, 100+k)
	}
	slices.Sort(want)
	want = append([]int{0}, want...)
	if got := groupedRows(t, db); !slices.Equal(got, want) {
		t.Errorf("committed rows %v, want %v", got, want)
	}
}

// TestGroupCommitLastCallFails queues, in this order, a call that succeeds, then one whose
// statement fails in the database: the last call's savepoint is rolled back before the group
// commits, so the first call's row is committed and the second's is not.
func TestGroupCommitLastCallFails(t *testing.T) {
	t.Run("SQLite", func(t *testing.T) { testGroupCommitLastCallFails(t, openSQLite(t, t.TempDir())) })
	t.Run("Postgres", func(t *testing.T) { testGroupCommitLastCallFails(t, openPostgres(t, storetest.PostgresURL(t))) })
}

func testGroupCommitLastCallFails(t *testing.T, db *store.DB) {
	ctx := t.Context()
	defer db.Close()
	groupedTable(t, db)
	insert := func(tx *store.Tx, k int) error { return insertK(ctx, tx, k) }
	release := holdWriter(t, db)
	errs := make([]chan error, 2)
	for i, fn := range []func(tx *store.Tx) error{
		func(tx *store.Tx) error { return insert(tx, 1) },
		func(tx *store.Tx) error {
			if err := insert(tx, 2); err != nil {
				return err
			}
			return insert(tx, 0) // the held call's row: PostgreSQL aborts the transaction
		},
	} {
		errs[i] = make(chan error, 1)
		go func() { errs[i] <- db.Update(ctx, fn) }()
		for db.QueuedUpdates() < i+1 {
			runtime.Gosched()
		}
	}
	if err := release(); err != nil {
		t.Fatal(err)
	}
	if err := <-errs[0]; err != nil {
		t.Errorf("the first call: %v", err)
	}
	if err := <-errs[1]; err == nil || strings.Contains(err.Error(), "store: group") {
		t.Errorf("the last call: %v, want its own statement's error", err)
	}
	if got := groupedRows(t, db); !slices.Equal(got, []int{0, 1}) {
		t.Errorf("committed rows %v, want [0 1]", got)
	}
}

// groupedTable creates the table the group commit tests write, with one column k.
func groupedTable(t *testing.T, db *store.DB) {
	t.Helper()
	if err := db.ExecForTest(t.Context(), `CREATE TABLE grouped (k INTEGER PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
}

// insertK inserts k into the table groupedTable made.
func insertK(ctx context.Context, tx *store.Tx, k int) error {
	return store.ExecTx(ctx, tx, `INSERT INTO grouped (k) VALUES ($1)`, k)
}

// holdWriter runs an Update that inserts 0 and holds the writer until the returned function
// is called; that function waits for the Update and returns its error.
func holdWriter(t *testing.T, db *store.DB) func() error {
	ctx := t.Context()
	hold, holding := make(chan struct{}), make(chan struct{})
	held := make(chan error, 1)
	go func() {
		held <- db.Update(ctx, func(tx *store.Tx) error {
			close(holding)
			<-hold
			return insertK(ctx, tx, 0)
		})
	}()
	<-holding
	return func() error {
		close(hold)
		return <-held
	}
}

// groupedRows returns the rows of the table groupedTable made, in order.
func groupedRows(t *testing.T, db *store.DB) []int {
	t.Helper()
	ctx := t.Context()
	var got []int
	err := db.View(ctx, func(tx *store.Tx) error {
		var err error
		got, err = store.IntsTx(ctx, tx, `SELECT k FROM grouped ORDER BY k`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// TestPostgresCommitFailureCounted makes a group's COMMIT fail on PostgreSQL (a deferred
// unique constraint, checked only then): every call in it gets an error, nothing is
// committed, and chancery_database_errors_total{op="commit"} counts it, as on SQLite.
func TestPostgresCommitFailureCounted(t *testing.T) {
	db := openPostgres(t, storetest.PostgresURL(t))
	defer db.Close()
	ctx := t.Context()
	if err := db.ExecForTest(ctx, `CREATE TABLE grouped (k INTEGER, UNIQUE (k) DEFERRABLE INITIALLY DEFERRED)`); err != nil {
		t.Fatal(err)
	}
	before := commitErrors(t)
	err := db.Update(ctx, func(tx *store.Tx) error {
		if err := insertK(ctx, tx, 1); err != nil {
			return err
		}
		return insertK(ctx, tx, 1) // accepted until COMMIT
	})
	if err == nil || !strings.Contains(err.Error(), "commit") {
		t.Fatalf("Update whose COMMIT fails: %v, want a commit error", err)
	}
	if got := groupedRows(t, db); len(got) != 0 {
		t.Errorf("rows %v after a failed commit, want none", got)
	}
	if got := commitErrors(t) - before; got != 1 {
		t.Errorf("commit errors counted: %v, want 1", got)
	}
}

// commitErrors reads chancery_database_errors_total{op="commit"} from the metrics handler.
func commitErrors(t *testing.T) float64 {
	t.Helper()
	rec := httptest.NewRecorder()
	metrics.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	for line := range strings.Lines(rec.Body.String()) {
		if v, ok := strings.CutPrefix(line, `chancery_database_errors_total{op="commit"} `); ok {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil {
				t.Fatal(err)
			}
			return f
		}
	}
	t.Fatal("no commit error series in /metrics")
	return 0
}

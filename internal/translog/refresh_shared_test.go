package translog

import (
	"errors"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/store/storetest"
)

// TestRefreshCallersShareOneRead: while a read of the stored head is under way (here held
// back by a lock on the head's table), the callers of Refresh that come meanwhile start no
// read of their own: they wait, together, for the next one, and are all answered by it. A
// request for a proof, an entry or a tile beyond the tree calls Refresh, and anyone may send
// such requests without end: before, each made its own read, a database transaction for
// every anonymous request (found by review of 7942e0a, sixtieth session: 3,000 requests for
// a tile beyond the tree, 2,600 transactions).
func TestRefreshCallersShareOneRead(t *testing.T) {
	l, url := oneSharedLog(t)
	ctx := t.Context()
	const callers = 8
	joined, reads := make(chan struct{}, callers), 0
	l.lead.readsMu.Lock()
	l.lead.onAsk = func() { joined <- struct{}{} }
	l.lead.onRead = func() { reads++ }
	l.lead.readsMu.Unlock()
	admin, lock := lockLogHead(t, url)
	// readsUnderWay counts the sessions waiting for the lock on log_head: the reads of the
	// stored head under way.
	readsUnderWay := func() int {
		t.Helper()
		var n int
		if err := admin.QueryRowContext(ctx, `SELECT count(*) FROM pg_locks
			WHERE relation = 'log_head'::regclass AND NOT granted`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	errs := make(chan error, callers)
	for range callers {
		go func() { errs <- l.Refresh(ctx) }()
	}
	// Each caller either joins the read to come, or makes a read of its own, which waits for
	// the lock.
	for n := 0; n < callers; {
		select {
		case <-joined:
			n++
		case <-time.After(10 * time.Millisecond):
			if got := readsUnderWay(); got > 1 {
				t.Fatalf("%d reads of the stored head under way at once for %d callers of Refresh, want one", got, callers)
			}
		}
	}
	if got := readsUnderWay(); got > 1 {
		t.Fatalf("%d reads of the stored head under way at once for %d callers of Refresh, want one", got, callers)
	}
	if err := lock.Rollback(); err != nil {
		t.Fatal(err)
	}
	for range callers {
		if err := <-errs; err != nil {
			t.Errorf("refresh: %v", err)
		}
	}
	l.lead.readsMu.Lock()
	defer l.lead.readsMu.Unlock()
	if reads > 2 {
		t.Errorf("%d reads of the stored head for %d callers who came while one was under way, want at most 2", reads, callers)
	}
}

// TestRefreshReadsAreSpaced: the reads of the stored head that callers of Refresh wait for
// begin at least askedSpacing apart, however soon the next caller comes: a client sending
// requests for tiles beyond the tree one after the other, each answered before the next is
// sent, cost a read of the head each, as fast as the database answered.
func TestRefreshReadsAreSpaced(t *testing.T) {
	l, _ := oneSharedLog(t)
	ctx := t.Context()
	var began []time.Time
	l.lead.readsMu.Lock()
	l.lead.onRead = func() { began = append(began, time.Now()) }
	l.lead.readsMu.Unlock()
	for i := range 5 {
		if err := l.Refresh(ctx); err != nil {
			t.Fatalf("refresh %d: %v", i, err)
		}
	}
	l.lead.readsMu.Lock()
	defer l.lead.readsMu.Unlock()
	if len(began) != 5 {
		t.Fatalf("%d reads of the stored head for 5 callers one after the other, want 5", len(began))
	}
	var gaps []string
	short := false
	for i := 1; i < len(began); i++ {
		gap := began[i].Sub(began[i-1])
		gaps = append(gaps, gap.String())
		short = short || gap < askedSpacing
	}
	if short {
		t.Errorf("reads of the stored head for callers of Refresh began %v apart, want at least %v", gaps, askedSpacing)
	}
}

// TestRefreshAfterClose: a caller of Refresh once the log is closed is answered ErrClosed
// at once, rather than waiting for a read no one will make.
func TestRefreshAfterClose(t *testing.T) {
	url := storetest.PostgresURL(t)
	s, _ := newSigner(t)
	_, logs := openSharedAt(t, url, s, 1)
	l := logs[0]
	l.Close()
	if err := l.Refresh(t.Context()); !errors.Is(err, ErrClosed) {
		t.Errorf("refresh of a closed log: %v, want %v", err, ErrClosed)
	}
}

package monitor_test

import (
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/monitor"
	"github.com/chancery/chancery/internal/translog"
)

// stepClock is a clock that moves only when Run waits: each wait stops Run until the test
// has looked, then moves the clock by the time waited.
type stepClock struct {
	mu     sync.Mutex
	now    time.Time
	waits  chan time.Duration
	resume chan struct{}
}

// newStepClock gives Run the clock's waits until ctx is done.
func newStepClock(t *testing.T, ctx context.Context) *stepClock {
	c := &stepClock{now: time.Now(), waits: make(chan time.Duration), resume: make(chan struct{})}
	monitor.SetWait(t, func(d time.Duration) <-chan time.Time {
		select {
		case c.waits <- d:
		case <-ctx.Done():
			return nil
		}
		select {
		case <-c.resume:
		case <-ctx.Done():
			return nil
		}
		c.mu.Lock()
		defer c.mu.Unlock()
		c.now = c.now.Add(d)
		at := make(chan time.Time, 1)
		at <- c.now
		return at
	})
	return c
}

// add moves the clock by d.
func (c *stepClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func (c *stepClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// run runs m until the test ends, and returns what it warned of.
func run(t *testing.T, ctx context.Context, cancel func(), m *monitor.Monitor, interval time.Duration) func() []error {
	var mu sync.Mutex
	var warnings []error
	done := make(chan error, 1)
	go func() {
		done <- m.Run(ctx, interval, func(err error) { mu.Lock(); warnings = append(warnings, err); mu.Unlock() })
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	return func() []error {
		mu.Lock()
		defer mu.Unlock()
		return warnings
	}
}

// countCheckpoints serves the office's log, counting the requests for its checkpoint.
func countCheckpoints(o *office, n *atomic.Int64) {
	o.setServe(func(w http.ResponseWriter, r *http.Request, h http.Handler) {
		if r.URL.Path == "/log/checkpoint" {
			n.Add(1)
		}
		h.ServeHTTP(w, r)
	})
}

// TestUnfinishedLogWaitsAfterCatchingUp: a log unfinished pass after pass (a log key can sign
// a tree of 2^62 entries, a few distinct ones repeated) was passed over again at once, for
// ever, with no rest (here its 4 bundles were 4 passes in a row, where 2 are given now).
// After CatchUpPasses passes in a row it has one pass every interval, as the other logs, which
// keep theirs meanwhile.
func TestUnfinishedLogWaitsAfterCatchingUp(t *testing.T) {
	monitor.SetCatchUpPasses(t, 2)
	ka, kb := newLogKeys(t, "huge.example/log"), newLogKeys(t, "small.example/log")
	a, b := newOffice(t, ka), newOffice(t, kb)
	a.appendKeys(3 * translog.TileWidth) // 4 entry bundles: 4 passes of one bundle
	var fetchedA, fetchedB atomic.Int64
	countCheckpoints(a, &fetchedA)
	countCheckpoints(b, &fetchedB)
	ctx, cancel := context.WithCancel(context.Background())
	clock := newStepClock(t, ctx)
	c := &collector{}
	m, err := monitor.New(monitor.Config{
		Logs:       []monitor.Log{{URL: a.url, Key: ka.vkey}, {URL: b.url, Key: kb.vkey}},
		StatePath:  filepath.Join(t.TempDir(), "state.json"),
		Report:     c.report,
		Now:        clock.Now,
		MaxEntries: translog.TileWidth,
	})
	if err != nil {
		t.Fatal(err)
	}
	run(t, ctx, cancel, m, time.Hour)
	for i, want := range [][2]int64{{2, 1}, {3, 2}, {4, 3}} {
		if i > 0 {
			clock.resume <- struct{}{}
		}
		d := <-clock.waits // Run waits, and stays there while the test looks
		if d != time.Hour || fetchedA.Load() != want[0] || fetchedB.Load() != want[1] {
			t.Fatalf("wait %d of %s after %d passes over the unfinished log and %d over the other; want %d and %d",
				i, d, fetchedA.Load(), fetchedB.Load(), want[0], want[1])
		}
	}
	held := false
	for _, r := range ofType(c.take(), monitor.TypeCheckpoint) {
		held = held || r.Log == ka.origin && r.Size == a.size()
	}
	if !held {
		t.Fatal("the log that needed 4 passes was not checked in 4")
	}
}

// TestOtherLogsKeepTheirInterval: while a log catches up, pass after pass, the other logs are
// passed over whenever their interval is over, not after it has caught up.
func TestOtherLogsKeepTheirInterval(t *testing.T) {
	ka, kb := newLogKeys(t, "long.example/log"), newLogKeys(t, "other.example/log")
	a, b := newOffice(t, ka), newOffice(t, kb)
	a.appendKeys(3 * translog.TileWidth) // 4 passes of one bundle, in a row
	ctx, cancel := context.WithCancel(context.Background())
	clock := newStepClock(t, ctx)
	var fetchedA, fetchedB atomic.Int64
	a.setServe(func(w http.ResponseWriter, r *http.Request, h http.Handler) {
		if r.URL.Path == "/log/checkpoint" {
			fetchedA.Add(1)
			clock.add(time.Hour) // each of its passes takes the interval
		}
		h.ServeHTTP(w, r)
	})
	countCheckpoints(b, &fetchedB)
	m, err := monitor.New(monitor.Config{
		Logs:       []monitor.Log{{URL: a.url, Key: ka.vkey}, {URL: b.url, Key: kb.vkey}},
		StatePath:  filepath.Join(t.TempDir(), "state.json"),
		Report:     (&collector{}).report,
		Now:        clock.Now,
		MaxEntries: translog.TileWidth,
	})
	if err != nil {
		t.Fatal(err)
	}
	run(t, ctx, cancel, m, time.Hour)
	<-clock.waits
	if fetchedA.Load() != 4 || fetchedB.Load() != 4 {
		t.Fatalf("%d passes over the log catching up, %d over the other; want 4 and 4", fetchedA.Load(), fetchedB.Load())
	}
}

// TestVaryingFailuresWarnedOnce: in continuous mode, a failure was warned of unless its message
// was the previous pass's, and whoever serves a log varies the message with the bytes it
// serves (a bad entry bundle of another length each pass): a warning each pass (5 in 5
// passes before). A log's failures are warned of once per kind until a pass of it succeeds.
func TestVaryingFailuresWarnedOnce(t *testing.T) {
	keys := newLogKeys(t, "warned.example/log")
	o := newOffice(t, keys)
	keylessBundles(o)
	ctx, cancel := context.WithCancel(context.Background())
	clock := newStepClock(t, ctx)
	c := &collector{}
	m, err := monitor.New(monitor.Config{
		Logs:      []monitor.Log{{URL: o.url, Key: keys.vkey}},
		StatePath: filepath.Join(t.TempDir(), "state.json"),
		Report:    c.report,
		Now:       clock.Now,
	})
	if err != nil {
		t.Fatal(err)
	}
	warnings := run(t, ctx, cancel, m, time.Hour)
	// Run waits after each pass, and stays there while the test looks.
	<-clock.waits
	next := func() {
		clock.resume <- struct{}{}
		<-clock.waits
	}
	for range 4 {
		next()
	}
	if w := warnings(); len(w) != 1 || !errors.Is(w[0], monitor.ErrUnsound) {
		t.Fatalf("warnings over 5 passes: %v", w)
	}

	// Served as it is, the log is checked; a failure after that is warned of again.
	o.setServe(nil)
	next()
	if cp := ofType(c.take(), monitor.TypeCheckpoint); len(cp) != 1 {
		t.Fatalf("checkpoints: %+v", cp)
	}
	keylessBundles(o)
	o.appendKeys(1)
	next()
	next()
	if w := warnings(); len(w) != 2 || !errors.Is(w[1], monitor.ErrUnsound) {
		t.Fatalf("warnings: %v", w)
	}
}

package witness

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"
)

// followerLog is the log as a server that follows another one's sequencing sees it: an older
// head of the same history until it reads the stored one (every 100 ms in serve).
type followerLog struct {
	lg   *testLog
	mu   sync.Mutex
	size int64
	cp   []byte
}

func (f *followerLog) Latest() (int64, []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.size, f.cp
}

func (f *followerLog) ConsistencyProof(ctx context.Context, old, new int64) ([]tlog.Hash, error) {
	return f.lg.ConsistencyProof(ctx, old, new)
}

// catchUp makes the follower see the log's latest head.
func (f *followerLog) catchUp() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.size, f.cp = f.lg.Latest()
}

// TestFollowerBehindTheWitness: on a server that follows another's sequencing (servers of one
// PostgreSQL database), the log's head is a moment older than the stored one, and the other
// server's client may have had the witness cosign the newer tree already. The witness then
// answers this server's request with a larger size (409): that is no restored backup. The pool
// raises no alert while the log catches up within a few seconds, and once its head reaches
// the witness's size it is cosigned, without waiting for the log to grow again.
func TestFollowerBehindTheWitness(t *testing.T) {
	ctx := context.Background()
	k := newLogKey(t)
	lg := newTestLog(t, k, "main")
	w := startChanceryWitness(t, "", "", k.vkey)
	c := newClient(t, "w", w.url, w.key.VerifierKey())
	lg.grow(3)
	f := &followerLog{lg: lg}
	f.catchUp() // the follower sees size 3
	lg.grow(2)
	// The sequencing server's client has the witness cosign size 5.
	if _, err := c.AddCheckpoint(ctx, 0, nil, mustLatest(lg)); err != nil {
		t.Fatal(err)
	}
	rec := newRecorder(t, c)
	p := NewPool(f, []*Client{c}, rec.options())
	runPool(t, p)
	waitFor(t, "the follower's first request", func() bool { return status(p, "w").Size == 5 })
	time.Sleep(200 * time.Millisecond)
	f.catchUp() // the follower reads the stored head, size 5, and the log stays idle
	p.Notify()
	waitCosigned(t, p, "w", 5)
	if rec.alerted("w", ErrAhead) {
		t.Errorf("a follower a moment behind the witness was alerted as a restored log: %v", rec.alerts["w"])
	}
}

func mustLatest(l *testLog) []byte {
	_, cp := l.Latest()
	return cp
}

// TestWitnessMovedOnByAnotherSender: servers of one database each send the witness the log's
// checkpoints, so while the log grows fast one server's request often finds the witness moved
// on by another's (409 naming a larger size than the one sent). That is routine (docs: "a 409
// is not an alert"): the pool resends from the size named, and does not count it as a failure,
// back off, or alert after five in a row.
func TestWitnessMovedOnByAnotherSender(t *testing.T) {
	ctx := context.Background()
	k := newLogKey(t)
	lg := newTestLog(t, k, "main")
	lg.grow(2)
	var w *chanceryWitness
	var other *Client
	var mu sync.Mutex
	rounds := 0
	w = startChanceryWitnessWrapped(t, "", "", func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			mu.Lock()
			if rounds < 10 {
				// Another server has the witness cosign the latest checkpoint first, and the
				// log grows on.
				rounds++
				size, cp := lg.Latest()
				held := int64(0)
				if _, err := other.AddCheckpoint(ctx, 0, nil, cp); err != nil {
					var c *ConflictError
					if errors.As(err, &c) {
						held = c.Size
						_, err = other.AddCheckpoint(ctx, held, lg.proof(held, size), cp)
					}
					if err != nil {
						t.Error(err)
					}
				}
				lg.grow(1)
			}
			mu.Unlock()
			h.ServeHTTP(rw, r)
		})
	}, k.vkey)
	// The other server reaches the same witness (its store and key) unwrapped.
	direct := httptest.NewServer(NewServer(w.st, w.key, nil))
	defer direct.Close()
	other = newClient(t, "other", direct.URL, w.key.VerifierKey())
	c := newClient(t, "w", w.url, w.key.VerifierKey())
	rec := newRecorder(t, c)
	opt := rec.options()
	opt.MaxBackoff = time.Minute // a backoff would show as a wait the test outlasts
	p := NewPool(lg, []*Client{c}, opt)
	runPool(t, p)
	deadline := time.Now().Add(20 * time.Second)
	for {
		mu.Lock()
		done := rounds >= 10
		mu.Unlock()
		size, _ := lg.Latest()
		if done && status(p, "w").CosignedSize == size {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not cosigned within 20 s: %+v", status(p, "w"))
		}
		p.Notify()
		time.Sleep(20 * time.Millisecond)
	}
	if len(rec.alerts["w"]) != 0 {
		t.Errorf("alerted for a witness moved on by another sender: %v", rec.alerts["w"])
	}
}

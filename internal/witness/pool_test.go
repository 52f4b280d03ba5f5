package witness

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"
)

// recorder keeps what a pool hands to its callbacks.
type recorder struct {
	t      testing.TB
	vkeys  map[string]string // witness name -> verifier key
	mu     sync.Mutex
	sizes  map[string][]int64 // witness -> sizes cosigned, in order
	alerts map[string][]error
}

func newRecorder(t testing.TB, clients ...*Client) *recorder {
	r := &recorder{t: t, vkeys: map[string]string{}, sizes: map[string][]int64{}, alerts: map[string][]error{}}
	for _, c := range clients {
		r.vkeys[c.Name()] = c.VerifierKey()
	}
	return r
}

func (r *recorder) options() Options {
	return Options{
		MinInterval: -1,
		MaxBackoff:  firstBackoff,
		OnCosignature: func(ctx context.Context, size int64, cp []byte, c Cosignature) error {
			if err := checkCosignature(r.vkeys[c.Witness], cp, c.Line); err != nil {
				r.t.Error(err) // not Fatal: this runs on the pool's goroutine
			}
			r.mu.Lock()
			defer r.mu.Unlock()
			r.sizes[c.Witness] = append(r.sizes[c.Witness], size)
			return nil
		},
		OnAlert: func(w string, err error) {
			r.mu.Lock()
			defer r.mu.Unlock()
			r.alerts[w] = append(r.alerts[w], err)
		},
	}
}

func (r *recorder) alerted(w string, target error) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, err := range r.alerts[w] {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}

func runPool(t testing.TB, p *Pool) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { p.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
}

func status(p *Pool, name string) WitnessStatus {
	for _, s := range p.Status() {
		if s.Name == name {
			return s
		}
	}
	panic("no witness " + name)
}

// waitCosigned waits until the pool reports that witness cosigned size.
func waitCosigned(t testing.TB, p *Pool, name string, size int64) {
	t.Helper()
	waitFor(t, fmt.Sprintf("%s to cosign size %d", name, size), func() bool { return status(p, name).CosignedSize == size })
}

// A slow witness delays no other; a witness that is down is retried and catches up when it
// comes back.
func TestPoolCatchesUp(t *testing.T) {
	k := newLogKey(t)
	lg := newTestLog(t, k, "main")
	fast := startChanceryWitness(t, "", "", k.vkey)
	gate := make(chan struct{})
	slow := startChanceryWitnessWrapped(t, "", "", func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-gate:
			case <-r.Context().Done():
				return
			}
			h.ServeHTTP(w, r)
		})
	}, k.vkey)
	fc := newClient(t, "fast", fast.url, fast.key.VerifierKey())
	sc := newClient(t, "slow", slow.url, slow.key.VerifierKey())
	rec := newRecorder(t, fc, sc)
	p := NewPool(lg, []*Client{fc, sc}, rec.options())
	runPool(t, p)

	for range 3 {
		lg.grow(2)
		p.Notify()
		size, _ := lg.Latest()
		waitCosigned(t, p, "fast", size)
	}
	if s := status(p, "slow"); s.CosignedSize != -1 {
		t.Fatalf("the slow witness cosigned size %d through a closed gate", s.CosignedSize)
	}

	// The fast witness goes down; the log grows; the slow one is let through.
	fast.stop()
	lg.grow(3)
	p.Notify()
	waitFor(t, "a failed request to the stopped witness", func() bool { return status(p, "fast").Failures > 0 })
	close(gate)
	size, _ := lg.Latest()
	waitCosigned(t, p, "slow", size)

	// The fast witness comes back on its address with its database: it catches up.
	startChanceryWitness(t, fast.dir, fast.addr)
	waitCosigned(t, p, "fast", size)
	if s := status(p, "fast"); s.Failures != 0 || s.LastError != "" || s.Size != size {
		t.Errorf("after catching up: %+v", s)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if n := len(rec.sizes["fast"]); n < 4 || rec.sizes["fast"][n-1] != size {
		t.Errorf("fast witness's cosignatures: %v", rec.sizes["fast"])
	}
}

// A witness refusing a forked log, and one holding more than a log restored from an old
// backup, raise alerts; the restored log is cosigned again once it grows past the witness.
func TestPoolForkAndRollback(t *testing.T) {
	ctx := context.Background()
	k := newLogKey(t)
	lg := newTestLog(t, k, "main")
	w := startChanceryWitness(t, "", "", k.vkey)
	c := newClient(t, "w", w.url, w.key.VerifierKey())
	lg.grow(5)
	size, cp := lg.Latest()
	if _, err := c.AddCheckpoint(ctx, 0, nil, cp); err != nil {
		t.Fatal(err)
	}

	fork := newTestLog(t, k, "fork")
	fork.grow(7)
	rec := newRecorder(t, c)
	p := NewPool(fork, []*Client{c}, rec.options())
	runPool(t, p)
	waitFor(t, "an alert about the fork", func() bool { return rec.alerted("w", ErrRejected) })
	if s := status(p, "w"); s.Size != size || s.CosignedSize != -1 {
		t.Errorf("status after the fork: %+v", s)
	}

	// The same history, restored short of what the witness cosigned.
	restored := newTestLog(t, k, "main")
	restored.grow(int(size) - 2)
	rec2 := newRecorder(t, c)
	p2 := NewPool(restored, []*Client{c}, rec2.options())
	runPool(t, p2)
	waitFor(t, "an alert about the rollback", func() bool { return rec2.alerted("w", ErrAhead) })
	restored.grow(4)
	p2.Notify()
	rsize, _ := restored.Latest()
	waitCosigned(t, p2, "w", rsize)
}

package witness

import (
	"context"
	"errors"
	"testing"
)

// A witness that forgets what it cosigned for the log (its database lost and made again, or
// restored from an old backup) answers 409 with a smaller size than it cosigned, and would
// cosign a fork branching off after that size: the pool alerts it, once, and still has it
// cosign the log from what it holds.
func TestPoolAlertsAWitnessThatForgot(t *testing.T) {
	k := newLogKey(t)
	lg := newTestLog(t, k, "main")
	w := startChanceryWitness(t, "", "", k.vkey)
	c := newClient(t, "forgetful", w.url, w.key.VerifierKey())
	rec := newRecorder(t, c)
	p := NewPool(lg, []*Client{c}, rec.options())
	runPool(t, p)

	lg.grow(5)
	p.Notify()
	waitCosigned(t, p, "forgetful", 5)

	// The witness's state goes back to the empty tree.
	if _, err := w.st.db.ExecContext(context.Background(), `UPDATE logs SET size = 0, root = $1 WHERE origin = $2`, emptyRoot[:], testOrigin); err != nil {
		t.Fatal(err)
	}
	for _, n := range []int64{8, 11} {
		lg.grow(3)
		p.Notify()
		waitCosigned(t, p, "forgetful", n)
	}
	if !rec.alerted("forgetful", ErrForgot) {
		t.Errorf("a witness that forgot the tree of size 5 it cosigned: alerts %v, want %v", rec.alerts["forgetful"], ErrForgot)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	n := 0
	for _, err := range rec.alerts["forgetful"] {
		if errors.Is(err, ErrForgot) {
			n++
		}
	}
	if n > 1 {
		t.Errorf("alerted %d times, want once", n)
	}
}

// The same across a restart of the server: the pool is told what each witness cosigned
// before it started (Options.Cosigned, from the stored cosignatures).
func TestPoolAlertsAWitnessThatForgotBeforeItStarted(t *testing.T) {
	k := newLogKey(t)
	lg := newTestLog(t, k, "main")
	w := startChanceryWitness(t, "", "", k.vkey)
	c := newClient(t, "forgetful", w.url, w.key.VerifierKey())
	lg.grow(4)
	rec := newRecorder(t, c)
	opt := rec.options()
	opt.Cosigned = map[string]int64{"forgetful": 3} // cosigned by an earlier run; the witness holds nothing now
	p := NewPool(lg, []*Client{c}, opt)
	runPool(t, p)
	p.Notify()
	waitCosigned(t, p, "forgetful", 4)
	if !rec.alerted("forgetful", ErrForgot) {
		t.Errorf("a witness that forgot the tree of size 3 it cosigned before the pool started: alerts %v, want %v", rec.alerts["forgetful"], ErrForgot)
	}
}

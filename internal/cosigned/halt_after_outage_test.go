package cosigned

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/translog"
	"github.com/chancery/chancery/internal/witness"
)

// A witness that was unreachable for a while (a restore restarts it, or the network) and then
// answers that it holds a larger tree than the log halts the log's appends, as one that says
// so at its first answer does: the failures before it are of another kind.
func TestWitnessAheadAfterAnOutageHaltsTheAppends(t *testing.T) {
	ctx := context.Background()
	db, lg := openTestLog(t)
	if _, err := lg.Append(ctx, []byte("entry")); err != nil {
		t.Fatal(err)
	}
	var requests atomic.Int64
	wit := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if requests.Add(1) <= 2 {
			http.Error(w, "restarting", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "text/x.tlog.size")
		w.WriteHeader(http.StatusConflict)
		w.Write([]byte("7\n"))
	}))
	t.Cleanup(wit.Close)
	key, err := witness.LoadKey(t.TempDir(), "restarted.example")
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(ctx, func(tx *store.Tx) error {
		return tx.AddWitness(ctx, store.Witness{Name: "restarted", URL: wit.URL, VKey: key.VerifierKey(), AddedAt: time.Now()})
	})
	if err != nil {
		t.Fatal(err)
	}
	h, err := Open(ctx, db, lg)
	if err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); h.Run(runCtx, nil, nil) }()
	t.Cleanup(func() { cancel(); <-done })
	// Two failures (backoffs of 0.5 s and 1 s), the 409, then the 5 s grace.
	deadline := time.Now().Add(15 * time.Second)
	for lg.Halted() == nil {
		if time.Now().After(deadline) {
			t.Fatalf("after %d requests, the witness at 7 never halted the log at 1 (behind %q)", requests.Load(), h.Behind())
		}
		time.Sleep(50 * time.Millisecond)
	}
	var halted *translog.HaltedError
	if _, err := lg.Append(ctx, []byte("a fork's entry")); !errors.As(err, &halted) {
		t.Fatalf("append: %v, want it halted", err)
	}
	if got := lg.Head().Size; got != 1 {
		t.Fatalf("the log grew to %d", got)
	}
}

package cosigned

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/translog"
	"github.com/chancery/chancery/internal/witness"
)

// TestEveryCheckpointReachesTheWitness: entries appended one after the other, each waiting for
// the quorum's cosignature as a release's seal does. The witness client's follow loop took the
// log's Published channel again at every wake; one that woke for a change of the head (each
// cosignature makes one) dropped the channel a checkpoint had just closed, the pool was never
// told of it, and the seal waited its whole SealWait for a witness that was up (a CI run's
// TestWitnessRestoredBackup waited a minute; found by audit, forty-eighth session). Before the
// fix this failed in three runs of three at the 13th, 30th and 51st append.
func TestEveryCheckpointReachesTheWitness(t *testing.T) {
	ctx := context.Background()
	h, lg := witnessedLog(t)
	for i := range 300 {
		idx, err := lg.Append(ctx, []byte("entry "+time.Now().String()))
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		if _, err := h.Covering(ctx, idx, 3*time.Second); err != nil {
			t.Fatalf("append %d (entry %d): after %s: %v (pool: %+v)", i, idx, time.Since(start).Round(time.Millisecond), err, h.Status())
		}
	}
}

// witnessedLog is a log with one witness, a quorum of 1 and the witness client running.
func witnessedLog(t *testing.T) (*Heads, *translog.Log) {
	t.Helper()
	ctx := context.Background()
	db, lg, vkey := openTestLogKey(t)
	dir := t.TempDir()
	st, err := witness.OpenStore(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	key, err := witness.LoadKey(dir, "w0.example")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddLog(ctx, "test.example/log", vkey); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(witness.NewServer(st, key, nil))
	t.Cleanup(srv.Close)
	err = db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.AddWitness(ctx, store.Witness{Name: "w0", URL: srv.URL, VKey: key.VerifierKey(), AddedAt: time.Now()}); err != nil {
			return err
		}
		return SetQuorum(ctx, tx, 1)
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lg.Append(ctx, []byte("entry 0")); err != nil {
		t.Fatal(err)
	}
	h, err := Open(ctx, db, lg)
	if err != nil {
		t.Fatal(err)
	}
	h.MinInterval = -1 // no wait between requests: as many rounds as the test can make
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); h.Run(runCtx, nil, nil) }()
	t.Cleanup(func() { stop(); <-done })
	return h, lg
}

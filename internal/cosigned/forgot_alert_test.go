package cosigned

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/witness"
)

// The start's check finds a witness that forgot what it cosigned, and has it cosign the
// log's head from what it holds: the witness client, started after, finds it up to date and
// has nothing to alert. The operator's alert (serve's --witness-alert-webhook, Run's alert)
// is still told of it, once.
func TestForgetfulWitnessFoundAtStartIsAlerted(t *testing.T) {
	ctx := context.Background()
	db, lg, key, srv := logWithAWitness(t, "forgetful.example")
	head := lg.Head()
	added := time.Now().Add(-time.Hour)
	err := db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.AddWitness(ctx, store.Witness{Name: "forgetful", URL: srv.URL, VKey: key.VerifierKey(), AddedAt: added}); err != nil {
			return err
		}
		return tx.AddCosignature(ctx, head.Checkpoint, store.Cosignature{Size: 2, VKey: key.VerifierKey(), Line: []byte("— forgetful.example AAAA\n"), At: time.Now()})
	})
	if err != nil {
		t.Fatal(err)
	}
	h, err := Open(ctx, db, lg)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.CheckWitnesses(ctx, time.Second, nil); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var alerts []error
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		h.Run(rctx, nil, func(name string, err error) {
			mu.Lock()
			defer mu.Unlock()
			alerts = append(alerts, err)
		})
	}()
	// The witness client has the witness cosign the head and keeps the cosignature.
	deadline := time.Now().Add(5 * time.Second)
	for {
		var n int64
		err := db.View(ctx, func(tx *store.Tx) error {
			c, err := tx.LatestCosignatureBy(ctx, key.VerifierKey())
			n = c.Size
			return err
		})
		if err == nil && n == 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the witness client kept no cosignature of the head: %d, %v", n, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	<-done
	mu.Lock()
	defer mu.Unlock()
	if len(alerts) != 1 || !errors.Is(alerts[0], witness.ErrForgot) {
		t.Errorf("alerts: %v, want one %v", alerts, witness.ErrForgot)
	}
}

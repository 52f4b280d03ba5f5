package cosigned

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/syncbuf"
	"github.com/chancery/chancery/internal/witness"
)

// A witness removed, reset by its operator and added again (what docs/operations.md asks
// after 'log accept-restore': a witness never cosigns a second history) holds less than the
// cosignatures it made before its removal, which stay in the database. Those say nothing of
// what the witness added again must hold: neither the start's check nor the witness client
// alerts it as one that forgot. A cosignature made since it was added again still counts.
func TestReaddedWitnessIsNotAlertedForWhatItCosignedBefore(t *testing.T) {
	ctx := context.Background()
	db, lg, key, srv := logWithAWitness(t, "readded.example")
	head := lg.Head()
	added := time.Now()
	err := db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.AddWitness(ctx, store.Witness{Name: "readded", URL: srv.URL, VKey: key.VerifierKey(), AddedAt: added}); err != nil {
			return err
		}
		// What it cosigned before it was removed, an hour before it was added again.
		return tx.AddCosignature(ctx, head.Checkpoint, store.Cosignature{Size: 2, VKey: key.VerifierKey(), Line: []byte("— readded.example AAAA\n"), At: added.Add(-time.Hour)})
	})
	if err != nil {
		t.Fatal(err)
	}
	h, err := Open(ctx, db, lg)
	if err != nil {
		t.Fatal(err)
	}
	var logs syncbuf.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	if err := h.CheckWitnesses(ctx, time.Second, logger); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(logs.String(), witness.ErrForgot.Error()) {
		t.Errorf("the start's check alerts a witness added again for what it cosigned before its removal:\n%s", logs.String())
	}
	sizes, err := h.cosignedSizes(ctx, h.cfg.Load())
	if err != nil {
		t.Fatal(err)
	}
	if n, ok := sizes["readded"]; ok {
		t.Errorf("the witness client is told the witness cosigned size %d, before it was added again", n)
	}
	err = db.Update(ctx, func(tx *store.Tx) error {
		return tx.AddCosignature(ctx, head.Checkpoint, store.Cosignature{Size: 3, VKey: key.VerifierKey(), Line: []byte("— readded.example BBBB\n"), At: added})
	})
	if err != nil {
		t.Fatal(err)
	}
	if sizes, err = h.cosignedSizes(ctx, h.cfg.Load()); err != nil || sizes["readded"] != 3 {
		t.Errorf("a cosignature made since the witness was added: %v, %v; want size 3", sizes, err)
	}
}

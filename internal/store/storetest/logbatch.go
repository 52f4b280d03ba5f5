package storetest

import (
	"context"
	"errors"
	"testing"

	"github.com/chancery/chancery/internal/store"
)

// testLogBatch: WriteLogBatch has the effect of PutEntryChunk, PutTile and SetLogHead in turn
// (a completed bundle's chunks go, a narrower tile changes nothing), and a batch whose chunk
// is already stored writes nothing. SequencerState reads the head with the epoch, and claims
// a new epoch when asked.
func testLogBatch(t *testing.T, db *store.DB) {
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		return tx.WriteLogBatch(ctx, []store.EntryChunk{{Bundle: 7, Start: 0, Width: 2, Data: []byte("ab")}},
			[]store.Tile{tile(0, 0, 3), tile(1, 0, 1)}, head(5))
	})
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		wantTile(t, ctx, tx, store.Tile{Level: store.EntriesLevel, Index: 7, Width: 2, Data: []byte("ab")})
		wantTile(t, ctx, tx, tile(0, 0, 3))
		wantTile(t, ctx, tx, tile(1, 0, 1))
		wantHead(t, ctx, tx, head(5))
		return nil
	})
	full := tile(store.EntriesLevel, 7, 256)
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		return tx.WriteLogBatch(ctx, []store.EntryChunk{{Bundle: 8, Start: 0, Width: 1, Data: []byte("x")}},
			[]store.Tile{full, tile(0, 0, 9), tile(1, 0, 1)}, head(9))
	})
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		wantTile(t, ctx, tx, full)
		wantTile(t, ctx, tx, store.Tile{Level: store.EntriesLevel, Index: 8, Width: 1, Data: []byte("x")})
		wantTile(t, ctx, tx, tile(0, 0, 9))
		wantHead(t, ctx, tx, head(9))
		return nil
	})
	err := db.Update(context.Background(), func(tx *store.Tx) error {
		return tx.WriteLogBatch(context.Background(), []store.EntryChunk{{Bundle: 8, Start: 0, Width: 1, Data: []byte("y")}},
			[]store.Tile{tile(0, 0, 10)}, head(10))
	})
	if !errors.Is(err, store.ErrConflict) {
		t.Errorf("a batch whose chunk is stored: %v, want ErrConflict", err)
	}
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		wantTile(t, ctx, tx, tile(0, 0, 9))
		wantHead(t, ctx, tx, head(9))
		return nil
	})

	for i, c := range []struct {
		claim bool
		epoch int64
	}{{false, 0}, {true, 1}, {false, 1}, {true, 2}, {false, 2}} {
		update(t, db, func(ctx context.Context, tx *store.Tx) error {
			h, e, _, err := tx.SequencerState(ctx, c.claim)
			if err != nil {
				return err
			}
			if h.Size != 9 || e != c.epoch {
				t.Errorf("state %d (claim %v): size %d epoch %d, want 9 and %d", i, c.claim, h.Size, e, c.epoch)
			}
			return nil
		})
	}
}

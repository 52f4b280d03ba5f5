package store

import (
	"context"
	"fmt"
)

// EntryChunk is a run of framed entries of a partial entry bundle: Width entries from entry
// Start of bundle Bundle (see Tx.PutEntryChunk).
type EntryChunk struct {
	Bundle int64
	Start  int
	Width  int
	Data   []byte
}

// SequencerState is what the log sequencer reads at the start of each batch, in one
// statement: the log's head and the sequencer's fencing epoch (0 before the first claim).
// With claim, it first claims the sequencing as ClaimSequencer does, and the epoch is the new
// one.
func (t *Tx) SequencerState(ctx context.Context, claim bool) (LogHead, int64, error) {
	var claimed int64
	if claim && t.dialect != Postgres {
		// No data-modifying WITH: two statements, each a call into the same process.
		var err error
		if claimed, err = t.ClaimSequencer(ctx); err != nil {
			return LogHead{}, 0, err
		}
		claim = false
	}
	query := `SELECT h.origin, h.size, h.root, h.checkpoint,
			COALESCE((SELECT s.epoch FROM log_sequencer s WHERE s.id = 1), 0)
		FROM log_head h WHERE h.id = 1`
	if claim {
		query = `WITH claim AS (
				INSERT INTO log_sequencer (id, epoch) VALUES (1, 1)
				ON CONFLICT (id) DO UPDATE SET epoch = log_sequencer.epoch + 1 RETURNING epoch
			)
			SELECT h.origin, h.size, h.root, h.checkpoint, (SELECT epoch FROM claim)
			FROM log_head h WHERE h.id = 1`
	}
	var h LogHead
	var epoch int64
	err := t.queryRow(ctx, query).Scan(&h.Origin, &h.Size, &h.Root, &h.Checkpoint, &epoch)
	if err != nil {
		return LogHead{}, 0, notFound(err, "log head")
	}
	if claimed != 0 {
		epoch = claimed
	}
	return h, epoch, nil
}

// WriteLogBatch stores what one batch of the log sequencer wrote: the new chunks of partial
// entry bundles, the tiles that changed, and the new head, with the effect of PutEntryChunk,
// PutTile and SetLogHead called in that order. On PostgreSQL it is one statement, since
// every statement is a round trip to the database and the sequencer commits one batch at a
// time; on SQLite the statements are calls into the same process.
func (t *Tx) WriteLogBatch(ctx context.Context, chunks []EntryChunk, tiles []Tile, head LogHead) error {
	if t.dialect != Postgres {
		for _, c := range chunks {
			if err := t.PutEntryChunk(ctx, c.Bundle, c.Start, c.Width, c.Data); err != nil {
				return err
			}
		}
		for _, tile := range tiles {
			if err := t.PutTile(ctx, tile); err != nil {
				return err
			}
		}
		return t.SetLogHead(ctx, head)
	}
	cBundle := make([]int64, len(chunks))
	cStart := make([]int32, len(chunks))
	cWidth := make([]int32, len(chunks))
	cData := make([][]byte, len(chunks))
	for i, c := range chunks {
		cBundle[i], cStart[i], cWidth[i], cData[i] = c.Bundle, int32(c.Start), int32(c.Width), c.Data
	}
	tLevel := make([]int32, len(tiles))
	tIdx := make([]int64, len(tiles))
	tWidth := make([]int32, len(tiles))
	tData := make([][]byte, len(tiles))
	full := []int64{} // full entry bundles, whose chunks go (as in PutTile)
	for i, tile := range tiles {
		tLevel[i], tIdx[i], tWidth[i], tData[i] = int32(tile.Level), tile.Index, int32(tile.Width), tile.Data
		if tile.Level == EntriesLevel && tile.Width == 256 {
			full = append(full, tile.Index)
		}
	}
	// Data-modifying CTEs all see the snapshot the statement started with, so none may touch
	// a row another one writes: the chunks inserted belong to partial bundles, and the chunks
	// deleted to bundles this batch completed.
	_, err := t.exec(ctx, `WITH chunks AS (
			INSERT INTO log_entry_chunks (bundle, start, width, data)
			SELECT * FROM unnest($1::bigint[], $2::int[], $3::int[], $4::bytea[])
		), gone AS (
			DELETE FROM log_entry_chunks WHERE bundle = ANY($5::bigint[])
		), tiles AS (
			INSERT INTO log_tiles (level, idx, width, data)
			SELECT * FROM unnest($6::int[], $7::bigint[], $8::int[], $9::bytea[])
			ON CONFLICT (level, idx) DO UPDATE SET width = excluded.width, data = excluded.data
			WHERE excluded.width > log_tiles.width
		)
		INSERT INTO log_head (id, origin, size, root, checkpoint) VALUES (1, $10, $11, $12, $13)
		ON CONFLICT (id) DO UPDATE SET origin = excluded.origin, size = excluded.size,
			root = excluded.root, checkpoint = excluded.checkpoint`,
		cBundle, cStart, cWidth, cData, full, tLevel, tIdx, tWidth, tData,
		head.Origin, head.Size, head.Root, head.Checkpoint)
	return conflict(err, fmt.Sprintf("write log batch to size %d", head.Size))
}

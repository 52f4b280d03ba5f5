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
// statement: the log's head, the sequencer's fencing epoch (0 before the first claim), and
// whether another session waits for the sequencer lease (see Lease; always false on
// SQLite). With claim, it first claims the sequencing as ClaimSequencer does, and the epoch
// is the new one.
func (t *Tx) SequencerState(ctx context.Context, claim bool) (head LogHead, epoch int64, contended bool, err error) {
	var claimed int64
	if claim && t.dialect != Postgres {
		// No data-modifying WITH: two statements, each a call into the same process.
		if claimed, err = t.ClaimSequencer(ctx); err != nil {
			return LogHead{}, 0, false, err
		}
		claim = false
	}
	query := `SELECT h.origin, h.size, h.root, h.checkpoint,
			COALESCE((SELECT s.epoch FROM log_sequencer s WHERE s.id = 1), 0), false
		FROM log_head h WHERE h.id = 1`
	// A waiting session holds lockWaiting shared: the try-lock fails while one does. When it
	// succeeds, it is held to the end of the batch's transaction, so a session that starts
	// waiting meanwhile is seen by the next batch.
	const waiting = `NOT pg_try_advisory_xact_lock($1, $2)`
	var args []any
	switch {
	case claim:
		query = `WITH claim AS (
				INSERT INTO log_sequencer (id, epoch) VALUES (1, 1)
				ON CONFLICT (id) DO UPDATE SET epoch = log_sequencer.epoch + 1 RETURNING epoch
			)
			SELECT h.origin, h.size, h.root, h.checkpoint, (SELECT epoch FROM claim), ` + waiting + `
			FROM log_head h WHERE h.id = 1`
		args = []any{lockClass, lockWaiting}
	case t.dialect == Postgres:
		query = `SELECT h.origin, h.size, h.root, h.checkpoint,
				COALESCE((SELECT s.epoch FROM log_sequencer s WHERE s.id = 1), 0), ` + waiting + `
			FROM log_head h WHERE h.id = 1`
		args = []any{lockClass, lockWaiting}
	}
	err = t.queryRow(ctx, query, args...).Scan(&head.Origin, &head.Size, &head.Root, &head.Checkpoint, &epoch, &contended)
	if err != nil {
		return LogHead{}, 0, false, notFound(err, "log head")
	}
	if claimed != 0 {
		epoch = claimed
	}
	return head, epoch, contended, nil
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
		cBundle[i], cStart[i], cWidth[i], cData[i] = c.Bundle, int32(c.Start), int32(c.Width), packBundle(c.Data)
	}
	tLevel := make([]int32, len(tiles))
	tIdx := make([]int64, len(tiles))
	tWidth := make([]int32, len(tiles))
	tData := make([][]byte, len(tiles))
	full := []int64{} // full entry bundles, whose chunks go (as in PutTile)
	for i, tile := range tiles {
		tLevel[i], tIdx[i], tWidth[i], tData[i] = int32(tile.Level), tile.Index, int32(tile.Width), storedTile(tile)
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

// EntriesFrom returns the stored entries of entry bundle index from entry from on, in one
// statement, as framed entries and the index in the bundle of the first one returned (at most
// from: a full bundle comes whole). The log sequencer reads with it what other servers
// appended since it last sequenced; Tile would take a statement for the full bundle and
// another for the chunks of a partial one, and return the entries it already has.
func (t *Tx) EntriesFrom(ctx context.Context, index int64, from int) (first int, data []byte, err error) {
	rows, err := t.query(ctx, `SELECT 0 AS start, width, data FROM log_tiles WHERE level = -1 AND idx = $1
		UNION ALL
		SELECT start, width, data FROM log_entry_chunks WHERE bundle = $1 AND start + width > $2
		ORDER BY start`, index, from)
	if err != nil {
		return 0, nil, fmt.Errorf("entries %d+ of bundle %d: %w", from, index, err)
	}
	defer rows.Close()
	next := -1
	for rows.Next() {
		var start, width int
		var chunk []byte
		if err := rows.Scan(&start, &width, &chunk); err != nil {
			return 0, nil, fmt.Errorf("entries %d+ of bundle %d: %w", from, index, err)
		}
		if next < 0 {
			first, next = start, start
		}
		if start != next {
			return 0, nil, fmt.Errorf("entries %d+ of bundle %d: chunk at entry %d follows entry %d", from, index, start, next)
		}
		if chunk, err = unpackBundle(chunk); err != nil {
			return 0, nil, fmt.Errorf("entries %d+ of bundle %d: chunk at entry %d: %w", from, index, start, err)
		}
		next += width
		data = append(data, chunk...)
		if width == 256 {
			break // the full bundle
		}
	}
	if err := rows.Err(); err != nil {
		return 0, nil, fmt.Errorf("entries %d+ of bundle %d: %w", from, index, err)
	}
	if next < 0 {
		return 0, nil, fmt.Errorf("entries %d+ of bundle %d: %w", from, index, ErrNotFound)
	}
	return first, data, nil
}

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// LogHead is the log's latest state: its size, root hash and signed checkpoint. It changes only
// together with the tiles it covers.
type LogHead struct {
	Origin     string
	Size       int64
	Root       []byte
	Checkpoint []byte
}

// LogHead returns the log's head. It returns ErrNotFound before the first [Tx.SetLogHead].
func (t *Tx) LogHead(ctx context.Context) (LogHead, error) {
	var h LogHead
	err := t.queryRow(ctx, `SELECT origin, size, root, checkpoint FROM log_head WHERE id = 1`).
		Scan(&h.Origin, &h.Size, &h.Root, &h.Checkpoint)
	if err != nil {
		return LogHead{}, notFound(err, "log head")
	}
	return h, nil
}

// SetLogHead records the log's new head.
func (t *Tx) SetLogHead(ctx context.Context, h LogHead) error {
	_, err := t.exec(ctx, `INSERT INTO log_head (id, origin, size, root, checkpoint) VALUES (1, $1, $2, $3, $4)
		ON CONFLICT (id) DO UPDATE SET origin = excluded.origin, size = excluded.size,
			root = excluded.root, checkpoint = excluded.checkpoint`,
		h.Origin, h.Size, h.Root, h.Checkpoint)
	if err != nil {
		return fmt.Errorf("set log head: %w", err)
	}
	return nil
}

// Tile is a stored tile: hash tile at Level >= 0, entry bundle at Level -1. Width is the
// number of hashes or entries it holds (1 to 256).
type Tile struct {
	Level int
	Index int64
	Width int
	Data  []byte
}

// EntriesLevel is the level of entry bundles.
const EntriesLevel = -1

// PutTile stores a tile, replacing a narrower version of the same tile; a narrower or equal
// version of a stored tile changes nothing. Storing a full entry bundle drops its chunks.
func (t *Tx) PutTile(ctx context.Context, tile Tile) error {
	if tile.Level == EntriesLevel && tile.Width == 256 {
		if _, err := t.exec(ctx, `DELETE FROM log_entry_chunks WHERE bundle = $1`, tile.Index); err != nil {
			return fmt.Errorf("put tile %d/%d: %w", tile.Level, tile.Index, err)
		}
	}
	_, err := t.exec(ctx, `INSERT INTO log_tiles (level, idx, width, data) VALUES ($1, $2, $3, $4)
		ON CONFLICT (level, idx) DO UPDATE SET width = excluded.width, data = excluded.data
		WHERE excluded.width > log_tiles.width`,
		tile.Level, tile.Index, tile.Width, storedTile(tile))
	if err != nil {
		return fmt.Errorf("put tile %d/%d: %w", tile.Level, tile.Index, err)
	}
	return nil
}

// PutEntryChunk stores width framed entries of the partial entry bundle, starting at entry
// start within the bundle.
func (t *Tx) PutEntryChunk(ctx context.Context, bundle int64, start, width int, data []byte) error {
	_, err := t.exec(ctx, `INSERT INTO log_entry_chunks (bundle, start, width, data) VALUES ($1, $2, $3, $4)`,
		bundle, start, width, packBundle(data))
	return conflict(err, fmt.Sprintf("put entries %d+%d of bundle %d", start, width, bundle))
}

// Tile returns the widest stored version of a tile. A partial entry bundle is the
// concatenation of its chunks.
func (t *Tx) Tile(ctx context.Context, level int, index int64) (Tile, error) {
	tile := Tile{Level: level, Index: index}
	err := t.queryRow(ctx, `SELECT width, data FROM log_tiles WHERE level = $1 AND idx = $2`, level, index).
		Scan(&tile.Width, &tile.Data)
	if errors.Is(err, sql.ErrNoRows) && level == EntriesLevel {
		return t.chunkedBundle(ctx, index)
	}
	if err != nil {
		return Tile{}, notFound(err, fmt.Sprintf("tile %d/%d", level, index))
	}
	if level == EntriesLevel {
		if tile.Data, err = unpackBundle(tile.Data); err != nil {
			return Tile{}, fmt.Errorf("tile %d/%d: %w", level, index, err)
		}
	}
	return tile, nil
}

// storedTile returns the stored form of tile's data: entry bundles packed (bundle_pack.go),
// hash tiles as they are.
func storedTile(tile Tile) []byte {
	if tile.Level == EntriesLevel {
		return packBundle(tile.Data)
	}
	return tile.Data
}

func (t *Tx) chunkedBundle(ctx context.Context, index int64) (Tile, error) {
	rows, err := t.query(ctx, `SELECT start, width, data FROM log_entry_chunks WHERE bundle = $1 ORDER BY start`, index)
	if err != nil {
		return Tile{}, fmt.Errorf("tile %d/%d: %w", EntriesLevel, index, err)
	}
	defer rows.Close()
	tile := Tile{Level: EntriesLevel, Index: index}
	for rows.Next() {
		var start, width int
		var data []byte
		if err := rows.Scan(&start, &width, &data); err != nil {
			return Tile{}, fmt.Errorf("tile %d/%d: %w", EntriesLevel, index, err)
		}
		if start != tile.Width {
			return Tile{}, fmt.Errorf("tile %d/%d: chunk at entry %d follows entry %d", EntriesLevel, index, start, tile.Width)
		}
		if data, err = unpackBundle(data); err != nil {
			return Tile{}, fmt.Errorf("tile %d/%d: chunk at entry %d: %w", EntriesLevel, index, start, err)
		}
		tile.Width += width
		tile.Data = append(tile.Data, data...)
	}
	if err := rows.Err(); err != nil {
		return Tile{}, fmt.Errorf("tile %d/%d: %w", EntriesLevel, index, err)
	}
	if tile.Width == 0 {
		return Tile{}, fmt.Errorf("tile %d/%d: %w", EntriesLevel, index, ErrNotFound)
	}
	return tile, nil
}

// Tiles calls fn for each stored tile at level with index at least from, in index order.
func (t *Tx) Tiles(ctx context.Context, level int, from int64, fn func(Tile) error) error {
	rows, err := t.query(ctx, `SELECT idx, width, data FROM log_tiles WHERE level = $1 AND idx >= $2 ORDER BY idx`, level, from)
	if err != nil {
		return fmt.Errorf("read tiles at level %d: %w", level, err)
	}
	defer rows.Close()
	for rows.Next() {
		tile := Tile{Level: level}
		if err := rows.Scan(&tile.Index, &tile.Width, &tile.Data); err != nil {
			return fmt.Errorf("read tiles at level %d: %w", level, err)
		}
		if level == EntriesLevel {
			var err error
			if tile.Data, err = unpackBundle(tile.Data); err != nil {
				return fmt.Errorf("read tile %d/%d: %w", level, tile.Index, err)
			}
		}
		if err := fn(tile); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read tiles at level %d: %w", level, err)
	}
	return nil
}

package translog

import (
	"context"
	"errors"
	"fmt"

	"github.com/chancery/chancery/internal/store"
	"golang.org/x/mod/sumdb/tlog"
)

// ErrOutOfRange is wrapped when a read or proof asks for more than the published tree holds.
var ErrOutOfRange = errors.New("beyond the published tree")

// storeHashReader reads stored hashes from the tiles in the store: each hash is read from, or
// recomputed within, the tile that holds it.
type storeHashReader struct {
	ctx context.Context
	db  *store.DB
}

func (r *storeHashReader) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	var out []tlog.Hash
	err := r.db.View(r.ctx, func(tx *store.Tx) error {
		var err error
		out, err = readHashes(r.ctx, tx, nil, 0, indexes)
		return err
	})
	return out, err
}

// readHashes reads the stored hashes at indexes in tx, through cache if it is not nil, which
// may keep what it reads of the tree of size published (see readTile).
func readHashes(ctx context.Context, tx *store.Tx, cache *tileCache, published int64, indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	tiles := map[tileKey]store.Tile{}
	for i, idx := range indexes {
		t := tlog.TileForIndex(TileHeight, idx)
		k := tileKey{t.L, t.N}
		st, ok := tiles[k]
		if !ok {
			var err error
			st, err = readTile(ctx, tx, cache, published, k, t.W)
			if err != nil {
				return nil, fmt.Errorf("read hash %d: %w", idx, err)
			}
			tiles[k] = st
		}
		if st.Width < t.W {
			// Read first at a narrower width than this hash needs.
			var err error
			if st, err = readTile(ctx, tx, nil, 0, k, t.W); err != nil {
				return nil, fmt.Errorf("read hash %d: %w", idx, err)
			}
			tiles[k] = st
		}
		if st.Width < t.W {
			return nil, fmt.Errorf("read hash %d: tile %d/%d has width %d, need %d", idx, t.L, t.N, st.Width, t.W)
		}
		// A hash high inside its tile is computed from up to 128 of the tile's hashes; it is
		// a complete subtree's, so it never changes and is kept once computed.
		level, _ := tlog.SplitStoredHashIndex(idx)
		keep := cache != nil && level-t.L*TileHeight >= keepLevel
		if keep {
			if h, ok := cache.hash(idx); ok {
				out[i] = h
				continue
			}
		}
		h, err := tlog.HashFromTile(t, st.Data, idx)
		if err != nil {
			return nil, fmt.Errorf("read hash %d: %w", idx, err)
		}
		if keep {
			cache.putHash(idx, h)
		}
		out[i] = h
	}
	return out, nil
}

// keepLevel is the least height inside a tile of the hashes the cache keeps: those above it
// cost 16 to 128 hashings each to compute from the tile, those below at most 8.
const keepLevel = 4

// readTile reads a stored tile that the caller needs at width w or wider, through the cache
// when there is one. The cache keeps only the part of the tile inside the tree of size
// published, a tree that tx was checked to extend (viewPublished): the stored tile may be
// wider, holding entries other servers appended since, which a database set back under this
// server (see extendsPublished) may replace with others before this server publishes them.
// Without tx, it reads the cache alone and a tile it does not hold is errNotCached.
func readTile(ctx context.Context, tx *store.Tx, cache *tileCache, published int64, k tileKey, w int) (store.Tile, error) {
	if cache != nil {
		if t, ok := cache.get(k, w); ok {
			return store.Tile{Level: k.level, Index: k.n, Width: t.width, Data: t.data}, nil
		}
	}
	if tx == nil {
		return store.Tile{}, errNotCached
	}
	st, err := tx.Tile(ctx, k.level, k.n)
	if err != nil {
		return store.Tile{}, err
	}
	if cache != nil {
		if cw, data, ok := publishedPart(st, published); ok {
			cache.put(k, cw, data)
		}
	}
	return st, nil
}

// publishedPart returns the width and data of the part of the stored tile st inside the tree
// of size published, and false when that part is empty or cannot be cut.
func publishedPart(st store.Tile, published int64) (int, []byte, bool) {
	count := published // the nodes at the tile's level in that tree
	if st.Level > 0 {
		count = published >> uint(TileHeight*st.Level)
	}
	w := int(min(int64(st.Width), count-st.Index*TileWidth))
	switch {
	case w < 1:
		return 0, nil, false
	case w == st.Width:
		return w, st.Data, true
	case st.Level == EntriesLevel:
		data, err := bundlePrefix(st.Data, w)
		return w, data, err == nil
	case w*tlog.HashSize > len(st.Data):
		return 0, nil, false
	}
	return w, st.Data[:w*tlog.HashSize], true
}

// ReadTile returns the tile t (level -1 for an entry bundle) at width t.W, if the published
// tree holds it.
func (l *Log) ReadTile(ctx context.Context, t tlog.Tile) ([]byte, error) {
	size := l.Head().Size
	// The number of nodes at the tile's level in the published tree.
	count := size
	if t.L > 0 {
		count = size >> uint(TileHeight*t.L)
	}
	if t.W < 1 || t.W > TileWidth || t.N < 0 || t.N > count/TileWidth || t.N*TileWidth+int64(t.W) > count {
		return nil, fmt.Errorf("tile %s: %w", TilePath(t), ErrOutOfRange)
	}
	var data []byte
	err := l.withTile(ctx, tileKey{t.L, t.N}, t.W, func(st store.Tile) error {
		if st.Width < t.W {
			return fmt.Errorf("tile %s: stored width %d: %w", TilePath(t), st.Width, store.ErrNotFound)
		}
		var err error
		if t.L == EntriesLevel {
			data, err = bundlePrefix(st.Data, t.W)
			return err
		}
		data = st.Data[:t.W*tlog.HashSize]
		return nil
	})
	if err != nil {
		return nil, err
	}
	return data, nil
}

// withTile runs fn with the tile k, read at width w or wider: from the tile cache if it holds
// it, which needs no read transaction (the cache holds only what this server published, see
// readTile), and otherwise in a read transaction on a store that holds the published tree.
func (l *Log) withTile(ctx context.Context, k tileKey, w int, fn func(store.Tile) error) error {
	if st, err := readTile(ctx, nil, l.cache, 0, k, w); err == nil {
		return fn(st)
	}
	return l.viewPublished(ctx, func(tx *store.Tx, published int64) error {
		st, err := readTile(ctx, tx, l.cache, published, k, w)
		if err != nil {
			return err
		}
		return fn(st)
	})
}

// Entry returns the entry at index i of the published tree.
func (l *Log) Entry(ctx context.Context, i int64) ([]byte, error) {
	if i < 0 || i >= l.Head().Size {
		return nil, fmt.Errorf("entry %d: %w", i, ErrOutOfRange)
	}
	var entry []byte
	err := l.withTile(ctx, tileKey{EntriesLevel, i / TileWidth}, int(i%TileWidth)+1, func(st store.Tile) error {
		entries, err := SplitBundle(st.Data)
		if err != nil {
			return err
		}
		if int(i%TileWidth) >= len(entries) {
			return fmt.Errorf("entry %d: bundle too short: %w", i, store.ErrNotFound)
		}
		entry = entries[i%TileWidth]
		return nil
	})
	return entry, err
}

// LeafIndex returns the index of the first entry of the published tree whose RFC 6962 leaf
// hash is h.
func (l *Log) LeafIndex(ctx context.Context, h tlog.Hash) (int64, error) {
	size := l.Head().Size
	for _, idx := range l.leaves.candidates(h) {
		if idx >= size {
			continue
		}
		// The index holds hash prefixes: confirm against the stored leaf hash.
		got, err := l.TreeHashAt(ctx, idx)
		if err != nil {
			return 0, err
		}
		if got == h {
			return idx, nil
		}
	}
	return 0, fmt.Errorf("leaf %s: %w", h, store.ErrNotFound)
}

// TreeHashAt returns the leaf hash of entry i of the published tree, read from its level-0
// tile.
func (l *Log) TreeHashAt(ctx context.Context, i int64) (tlog.Hash, error) {
	if i < 0 || i >= l.Head().Size {
		return tlog.Hash{}, fmt.Errorf("leaf hash %d: %w", i, ErrOutOfRange)
	}
	var h []tlog.Hash
	err := l.withHashes(ctx, func(r tlog.HashReader) error {
		var err error
		h, err = r.ReadHashes([]int64{tlog.StoredHashIndex(0, i)})
		return err
	})
	if err != nil {
		return tlog.Hash{}, err
	}
	return h[0], nil
}

// errNotCached is a read from the tile cache alone (readTile without a transaction) that
// needs a tile the cache does not hold.
var errNotCached = errors.New("tile not cached")

// withHashes runs fn with a reader of the published tree's hashes: first from the tile cache
// alone, which holds the tiles the sequencer wrote and those of the published tree read since
// (readTile), without opening a read transaction; in a read transaction if the cache lacks a
// tile fn needs. fn may run twice, and must keep nothing of a failed run.
func (l *Log) withHashes(ctx context.Context, fn func(tlog.HashReader) error) error {
	if err := fn(l.hashReader(ctx, nil, 0)); !errors.Is(err, errNotCached) {
		return err
	}
	return l.viewPublished(ctx, func(tx *store.Tx, published int64) error {
		return fn(l.hashReader(ctx, tx, published))
	})
}

// viewPublished runs fn in a read transaction on a store that holds the published tree. With
// several servers on one PostgreSQL database, the database can be set back under a running
// server (see extendsPublished), which then keeps serving the checkpoint it published: its
// reads must not serve, under that checkpoint, the entries, tiles and hashes of the shorter
// or forked log stored now (tiles are cached for good). So the stored head is read in the
// same transaction and checked to extend the published one, a check made once for each pair
// of heads; it fails with a *RollbackError. SQLite has one server, and nothing to check. fn
// is given the size of the published head that tx holds, which it may cache the tiles of.
func (l *Log) viewPublished(ctx context.Context, fn func(tx *store.Tx, published int64) error) error {
	return l.db.View(ctx, func(tx *store.Tx) error {
		pub := l.Head()
		if l.lead != nil {
			if err := l.checkStored(ctx, tx, pub); err != nil {
				return err
			}
		}
		return fn(tx, pub.Size)
	})
}

// checkedHeads is a published head and a stored one found to extend it.
type checkedHeads struct {
	pub  *Head
	size int64
	root string
}

// checkStored checks, in tx, that the stored log extends pub, the published head.
func (l *Log) checkStored(ctx context.Context, tx *store.Tx, pub *Head) error {
	stored, err := tx.LogHead(ctx)
	if err != nil {
		return err
	}
	if c := l.checked.Load(); c != nil && c.pub == pub && c.size == stored.Size && c.root == string(stored.Root) {
		return nil
	}
	if err := extendsPublished(ctx, tx, pub, stored); err != nil {
		return err
	}
	l.checked.Store(&checkedHeads{pub: pub, size: stored.Size, root: string(stored.Root)})
	return nil
}

// InclusionProof proves that entry i is in the tree of the given size, which must be at most
// the published size.
func (l *Log) InclusionProof(ctx context.Context, i, size int64) (tlog.RecordProof, error) {
	if size < 1 || size > l.Head().Size || i < 0 || i >= size {
		return nil, fmt.Errorf("inclusion proof of %d in %d: %w", i, size, ErrOutOfRange)
	}
	var p tlog.RecordProof
	err := l.withHashes(ctx, func(r tlog.HashReader) error {
		var err error
		p, err = tlog.ProveRecord(size, i, r)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("inclusion proof of %d in %d: %w", i, size, err)
	}
	return p, nil
}

// ConsistencyProof proves that the tree of size old is a prefix of the tree of size size.
func (l *Log) ConsistencyProof(ctx context.Context, old, size int64) (tlog.TreeProof, error) {
	if old < 1 || old > size || size > l.Head().Size {
		return nil, fmt.Errorf("consistency proof from %d to %d: %w", old, size, ErrOutOfRange)
	}
	var p tlog.TreeProof
	err := l.withHashes(ctx, func(r tlog.HashReader) error {
		var err error
		p, err = tlog.ProveTree(size, old, r)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("consistency proof from %d to %d: %w", old, size, err)
	}
	return p, nil
}

// TreeHash returns the root hash of the tree of the given size, at most the published size.
func (l *Log) TreeHash(ctx context.Context, size int64) (tlog.Hash, error) {
	if size < 0 || size > l.Head().Size {
		return tlog.Hash{}, fmt.Errorf("tree hash at %d: %w", size, ErrOutOfRange)
	}
	var h tlog.Hash
	err := l.withHashes(ctx, func(r tlog.HashReader) error {
		var err error
		h, err = tlog.TreeHash(size, r)
		return err
	})
	return h, err
}

func (l *Log) hashReader(ctx context.Context, tx *store.Tx, published int64) tlog.HashReader {
	return tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		return readHashes(ctx, tx, l.cache, published, indexes)
	})
}

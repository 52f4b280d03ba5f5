package translog

import (
	"context"
	"encoding/binary"
	"fmt"
	"sync"

	"github.com/chancery/chancery/internal/store"
	"golang.org/x/mod/sumdb/tlog"
)

// leafIndex maps leaf hashes to entry indexes, in memory. It is rebuilt from the level-0 tiles
// when the log opens, so appending writes nothing for it: a persistent index keyed by random
// hashes would dirty one B-tree page per entry and cost more than the rest of the append. It
// keys on an 8-byte hash prefix; callers confirm a candidate against the stored leaf hash.
type leafIndex struct {
	mu sync.RWMutex
	m  map[uint64]int64
	// more holds the later indexes of prefixes seen more than once (equal entries, or the
	// rare prefix collision).
	more map[uint64][]int64
	// n is the number of entries indexed, the first n of the log: several servers on one
	// database each index every entry once, whichever sequenced it.
	n int64
}

func newLeafIndex() *leafIndex {
	return &leafIndex{m: make(map[uint64]int64), more: make(map[uint64][]int64)}
}

func prefix(h tlog.Hash) uint64 { return binary.BigEndian.Uint64(h[:8]) }

func (x *leafIndex) add(first int64, leaves []tlog.Hash) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if first != x.n {
		// Not next: entries before these are not indexed yet, or these are (load does it).
		return
	}
	for _, h := range leaves {
		x.put(prefix(h), x.n)
		x.n++
	}
}

func (x *leafIndex) put(p uint64, idx int64) {
	if _, ok := x.m[p]; ok {
		x.more[p] = append(x.more[p], idx)
		return
	}
	x.m[p] = idx
}

// candidates returns the indexes whose leaf hash may be h, lowest first.
func (x *leafIndex) candidates(h tlog.Hash) []int64 {
	p := prefix(h)
	x.mu.RLock()
	defer x.mu.RUnlock()
	first, ok := x.m[p]
	if !ok {
		return nil
	}
	return append([]int64{first}, x.more[p]...)
}

// load indexes the leaves of the first size entries, those not indexed yet, from the level-0
// tiles.
func (x *leafIndex) load(ctx context.Context, db *store.DB, size int64) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.n >= size {
		return nil
	}
	return db.View(ctx, func(tx *store.Tx) error {
		return tx.Tiles(ctx, 0, x.n/TileWidth, func(t store.Tile) error {
			for j := 0; j < t.Width; j++ {
				idx := t.Index*TileWidth + int64(j)
				if idx < x.n {
					continue
				}
				if idx >= size {
					return nil
				}
				if len(t.Data) < (j+1)*tlog.HashSize {
					return fmt.Errorf("leaf index: tile 0/%d is short", t.Index)
				}
				x.put(binary.BigEndian.Uint64(t.Data[j*tlog.HashSize:]), idx)
				x.n = idx + 1
			}
			return nil
		})
	})
}

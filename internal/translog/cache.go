package translog

import (
	"sync"

	"golang.org/x/mod/sumdb/tlog"
)

// tileCache keeps tiles in memory for tile serving and proofs. A tile only ever grows: its
// first w hashes (or entries) never change, so a cached tile of width w answers for any width
// up to w, and a wider read replaces it. It is bounded by bytes and evicts an arbitrary tile
// when full: the hot tiles (the upper levels and right edge every proof reads, the newest
// bundles every follower fetches) are re-read at once if evicted.
type tileCache struct {
	mu    sync.RWMutex
	max   int
	size  int
	tiles map[tileKey]cachedTile
	// hashes keeps computed hashes of complete subtrees, by stored hash index (see readHashes).
	hashes map[int64]tlog.Hash
}

// maxHashes bounds the kept hashes (about 50 MB); when full, the map starts afresh.
const maxHashes = 1 << 20

type cachedTile struct {
	width int
	data  []byte
}

func newTileCache(maxBytes int) *tileCache {
	return &tileCache{max: maxBytes, tiles: make(map[tileKey]cachedTile), hashes: make(map[int64]tlog.Hash)}
}

func (c *tileCache) hash(i int64) (tlog.Hash, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	h, ok := c.hashes[i]
	return h, ok
}

func (c *tileCache) putHash(i int64, h tlog.Hash) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.hashes) >= maxHashes {
		c.hashes = make(map[int64]tlog.Hash)
	}
	c.hashes[i] = h
}

// get returns the tile k if it is cached at width w or wider.
func (c *tileCache) get(k tileKey, w int) (cachedTile, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	t, ok := c.tiles[k]
	return t, ok && t.width >= w
}

// put stores a tile read at width w. The caller must not modify data afterwards.
func (c *tileCache) put(k tileKey, w int, data []byte) {
	if len(data) > c.max/16 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.tiles[k]; ok {
		if old.width >= w {
			return
		}
		delete(c.tiles, k)
		c.size -= len(old.data)
	}
	for c.size+len(data) > c.max {
		for ek, ed := range c.tiles {
			delete(c.tiles, ek)
			c.size -= len(ed.data)
			break
		}
	}
	c.tiles[k] = cachedTile{width: w, data: data}
	c.size += len(data)
}

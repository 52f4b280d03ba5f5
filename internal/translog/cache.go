package translog

import "sync"

// tileCache keeps full tiles, which never change, in memory for tile serving and proofs. It
// is bounded by bytes and evicts an arbitrary tile when full: the hot tiles (the upper levels
// every proof reads, the newest bundles every follower fetches) are re-read at once if evicted.
type tileCache struct {
	mu    sync.RWMutex
	max   int
	size  int
	tiles map[tileKey][]byte
}

func newTileCache(maxBytes int) *tileCache {
	return &tileCache{max: maxBytes, tiles: make(map[tileKey][]byte)}
}

func (c *tileCache) get(k tileKey) ([]byte, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	d, ok := c.tiles[k]
	return d, ok
}

// put stores a full tile. The caller must not modify data afterwards.
func (c *tileCache) put(k tileKey, data []byte) {
	if len(data) > c.max/16 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.tiles[k]; ok {
		return
	}
	for c.size+len(data) > c.max {
		for ek, ed := range c.tiles {
			delete(c.tiles, ek)
			c.size -= len(ed)
			break
		}
	}
	c.tiles[k] = data
	c.size += len(data)
}

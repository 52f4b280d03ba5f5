package translog

import (
	"fmt"

	"golang.org/x/mod/sumdb/tlog"
)

// builder is the right edge of the tree: what appending needs, held in memory. For each level
// it keeps the last completed node, which is every hash that tlog.StoredHashesForRecordHash and
// tlog.TreeHash read when appending, and for each tile level the partial tile being filled.
// The sequencer and `log verify` both grow trees with it.
type builder struct {
	size int64
	// last[k] is the hash of node (k, size>>k - 1), valid where known[k].
	last  []tlog.Hash
	known []bool
	// edges[l+1] is the partial tile at level l, edges[0] the partial entry bundle.
	edges []edge
	// dirty lists the edge tiles changed since the last call to takeDirty; done holds the tiles
	// completed and replaced at the edge since then.
	dirty []tileKey
	done  []heldTile
	// fallback reads the hashes not held here (after a restart); nil for a tree built from 0.
	fallback tlog.HashReader
}

type edge struct {
	n    int64  // tile index
	w    int    // entries or hashes held
	data []byte // w hashes, or framed entries from entry from to w
	// For the entry bundle: data holds its entries from entry from on. A sequencer that
	// caught up with other servers' appends by their leaf hashes (addLeaf) does not hold
	// their entries, and reads them only if it is to complete the bundle (see lacksPrefix).
	from int
	// For the entry bundle: how many entries (and bytes of data) are already stored as
	// chunks, so that a batch stores only its own entries.
	stored, storedBytes int
}

type tileKey struct {
	level int
	n     int64
}

// clone returns a copy that can be grown and thrown away without changing b. Edge data is
// shared, but only appended to beyond its length, which b never reads.
func (b *builder) clone() *builder {
	c := *b
	c.last = append([]tlog.Hash(nil), b.last...)
	c.known = append([]bool(nil), b.known...)
	c.edges = append([]edge(nil), b.edges...)
	c.dirty = nil
	c.done = nil
	return &c
}

// ReadHashes implements tlog.HashReader for the hashes appending needs.
func (b *builder) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	var miss []int
	for i, idx := range indexes {
		level, n := tlog.SplitStoredHashIndex(idx)
		if level < len(b.known) && b.known[level] && n == b.size>>uint(level)-1 {
			out[i] = b.last[level]
			continue
		}
		miss = append(miss, i)
	}
	if len(miss) == 0 {
		return out, nil
	}
	if b.fallback == nil {
		return nil, fmt.Errorf("tree edge: hash %d not held", indexes[miss[0]])
	}
	idxs := make([]int64, len(miss))
	for j, i := range miss {
		idxs[j] = indexes[i]
	}
	hs, err := b.fallback.ReadHashes(idxs)
	if err != nil {
		return nil, err
	}
	for j, i := range miss {
		out[i] = hs[j]
		level, n := tlog.SplitStoredHashIndex(idxs[j])
		if n == b.size>>uint(level)-1 {
			b.setLast(level, hs[j])
		}
	}
	return out, nil
}

func (b *builder) setLast(level int, h tlog.Hash) {
	for len(b.last) <= level {
		b.last = append(b.last, tlog.Hash{})
		b.known = append(b.known, false)
	}
	b.last[level] = h
	b.known[level] = true
}

// add appends entry to the tree and returns its leaf hash.
func (b *builder) add(entry []byte) (tlog.Hash, error) {
	n := b.size
	leaf := tlog.RecordHash(entry)
	if err := b.grow(leaf); err != nil {
		return tlog.Hash{}, err
	}
	b.pushEntry(n, entry)
	return leaf, nil
}

// addLeaf appends to the tree an entry stored by another server, whose leaf hash is leaf,
// without holding the entry: the entry bundle's edge then starts after it.
func (b *builder) addLeaf(leaf tlog.Hash) error {
	n := b.size
	if err := b.grow(leaf); err != nil {
		return err
	}
	b.skipEntry(n)
	return nil
}

// grow adds the leaf hash of entry b.size to the tree's hashes and hash tiles.
func (b *builder) grow(leaf tlog.Hash) error {
	n := b.size
	hashes, err := tlog.StoredHashesForRecordHash(n, leaf, b)
	if err != nil {
		return fmt.Errorf("hash entry %d: %w", n, err)
	}
	b.size++
	// hashes[k] is node (k, n>>k): the new last completed node at level k.
	for k, h := range hashes {
		b.setLast(k, h)
		if k%TileHeight == 0 {
			b.push(k/TileHeight, n>>uint(k), h[:])
		}
	}
	return nil
}

// push appends the hash of node i at tile level l to that level's partial tile.
func (b *builder) push(l int, i int64, h []byte) {
	for len(b.edges) <= l+1 {
		b.edges = append(b.edges, edge{})
	}
	e := &b.edges[l+1]
	if e.w == TileWidth {
		b.retire(l, e)
		*e = edge{n: e.n + 1, data: make([]byte, 0, TileWidth*tlog.HashSize)}
	}
	if want := e.n*TileWidth + int64(e.w); i != want {
		panic(fmt.Sprintf("translog: tile level %d: node %d pushed, want %d", l, i, want))
	}
	e.data = append(e.data, h...)
	e.w++
	b.markDirty(l, e.n)
}

func (b *builder) pushEntry(i int64, entry []byte) {
	if len(b.edges) == 0 {
		b.edges = append(b.edges, edge{})
	}
	e := &b.edges[0]
	if e.w == TileWidth {
		b.retire(EntriesLevel, e)
		// Room for a bundle of entries as large as the last one's, so that appends rarely
		// copy it.
		*e = edge{n: e.n + 1, data: make([]byte, 0, len(e.data)+len(e.data)/8)}
	}
	if want := e.n*TileWidth + int64(e.w); i != want {
		panic(fmt.Sprintf("translog: entry %d pushed, want %d", i, want))
	}
	e.data = AppendBundleEntry(e.data, entry)
	e.w++
	if e.w == TileWidth && e.from != 0 {
		// The bundle would be stored whole without its first entries.
		panic(fmt.Sprintf("translog: entry bundle %d completed without its entries before %d", e.n, e.from))
	}
	b.markDirty(EntriesLevel, e.n)
}

// skipEntry counts entry i, stored by another server, in the entry bundle's edge without its
// bytes: the edge's data starts after it.
func (b *builder) skipEntry(i int64) {
	if len(b.edges) == 0 {
		b.edges = append(b.edges, edge{})
	}
	e := &b.edges[0]
	if e.w == TileWidth {
		b.retire(EntriesLevel, e)
		*e = edge{n: e.n + 1}
	}
	if want := e.n*TileWidth + int64(e.w); i != want {
		panic(fmt.Sprintf("translog: entry %d skipped, want %d", i, want))
	}
	if e.stored != e.w {
		panic(fmt.Sprintf("translog: entry %d skipped with entries %d to %d of its bundle not stored", i, e.stored, e.w-1))
	}
	e.w++
	e.from, e.stored = e.w, e.w
	e.data, e.storedBytes = nil, 0
}

// lacksPrefix reports whether adding k entries could complete an entry bundle whose first
// entries the edge does not hold (see addLeaf), and which bundle: its entries before the
// edge's from are to be read (setPrefix) before the bundle is stored whole.
func (b *builder) lacksPrefix(k int) (bundle int64, from int, ok bool) {
	if len(b.edges) == 0 {
		return 0, 0, false
	}
	e := &b.edges[0]
	if e.from == 0 || e.w == TileWidth || e.w+k < TileWidth {
		return 0, 0, false
	}
	return e.n, e.from, true
}

// setPrefix gives the entry bundle's edge its first entries, prefix (the framed entries 0 to
// from-1, see lacksPrefix).
func (b *builder) setPrefix(prefix []byte) {
	e := &b.edges[0]
	data := make([]byte, 0, len(prefix)+len(e.data)+len(e.data)/2)
	data = append(append(data, prefix...), e.data...)
	e.data, e.storedBytes = data, e.storedBytes+len(prefix)
	e.from = 0
}

func (b *builder) markDirty(level int, n int64) {
	k := tileKey{level, n}
	for _, d := range b.dirty {
		if d == k {
			return
		}
	}
	b.dirty = append(b.dirty, k)
}

// retire keeps a full edge tile that is about to be replaced, if it has not been taken yet.
func (b *builder) retire(level int, e *edge) {
	k := tileKey{level, e.n}
	for i, d := range b.dirty {
		if d == k {
			b.dirty = append(b.dirty[:i], b.dirty[i+1:]...)
			b.done = append(b.done, heldTile{level: level, n: e.n, w: e.w, data: e.data})
			return
		}
	}
}

// heldTile is a tile's contents at some width, or, when chunk is set, the entries start to
// start+w-1 of a partial entry bundle.
type heldTile struct {
	level int
	n     int64
	w     int
	data  []byte
	chunk bool
	start int
}

// takeDirty returns the tiles changed since the last call, each at its current width.
func (b *builder) takeDirty() []heldTile {
	out := b.done
	for _, d := range b.dirty {
		e := &b.edges[d.level+1]
		if d.level != EntriesLevel || e.w == TileWidth {
			out = append(out, heldTile{level: d.level, n: d.n, w: e.w, data: e.data})
			continue
		}
		out = append(out, heldTile{level: d.level, n: d.n, w: e.w - e.stored, data: e.data[e.storedBytes:], chunk: true, start: e.stored})
		e.stored, e.storedBytes = e.w, len(e.data)
	}
	b.dirty = b.dirty[:0]
	b.done = nil
	return out
}

// root returns the tree's root hash.
func (b *builder) root() (tlog.Hash, error) {
	return tlog.TreeHash(b.size, b)
}

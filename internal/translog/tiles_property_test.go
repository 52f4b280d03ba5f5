package translog

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"math/rand/v2"
	"testing"

	"golang.org/x/mod/sumdb/tlog"
)

// tilesOf returns every tile, hash tiles and entry bundles, that C2SP tlog-tiles says a log of
// the given size serves: x/mod's tlog.NewTiles names the hash tiles, and each level-0 tile has
// an entry bundle of its width.
func tilesOf(size int64) []tlog.Tile {
	tiles := tlog.NewTiles(TileHeight, 0, size)
	for _, t := range tlog.NewTiles(TileHeight, 0, size) {
		if t.L == 0 {
			t.L = EntriesLevel
			tiles = append(tiles, t)
		}
	}
	return tiles
}

// wantTile returns what tile t holds in the tree of entries: tlog's tile data for a hash tile,
// the C2SP framing of its entries for an entry bundle.
func wantTile(t *testing.T, m *memTree, entries [][]byte, tile tlog.Tile) []byte {
	t.Helper()
	if tile.L == EntriesLevel {
		var b []byte
		for _, e := range entries[tile.N*TileWidth : tile.N*TileWidth+int64(tile.W)] {
			b = AppendBundleEntry(b, e)
		}
		return b
	}
	data, err := tlog.ReadTileData(tile, m)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestTilesMatchTlogAtRandomSizes grows a log by batches of random sizes and checks, at every
// published size, that each tile the size calls for (full and partial, at every level, hash
// tiles and entry bundles) is served with the bytes x/mod's tlog computes; that the tiles of
// every earlier published size are still served unchanged; and that no tile the published tree
// does not hold is served: a wider partial tile, the next full tile, the level above.
func TestTilesMatchTlogAtRandomSizes(t *testing.T) {
	ctx := context.Background()
	s, _ := newSigner(t)
	_, l := openLog(t, t.TempDir(), s)
	rng := rand.New(rand.NewPCG(1, 2))
	m := &memTree{}
	var entries [][]byte
	var published []int64
	// Batches of 1 to 600 entries reach tile level 2 (65,536 entries would be needed for a
	// full level-1 tile), crossing level-0 tile edges in and between batches; a batch of
	// exactly the entries left to the tile's edge is drawn often.
	for len(entries) < 70000 {
		k := 1 + rng.IntN(600)
		if rng.IntN(4) == 0 {
			k = TileWidth - len(entries)%TileWidth
		}
		batch := make([][]byte, k)
		for i := range batch {
			n := len(entries) + i
			batch[i] = entryFor(n)
			m.add(t, int64(n), batch[i])
		}
		first, err := l.AppendAllTx(ctx, batch, nil)
		if err != nil || first != int64(len(entries)) {
			t.Fatalf("append %d entries: first %d, %v", k, first, err)
		}
		entries = append(entries, batch...)
		size := int64(len(entries))
		if l.Head().Size != size {
			t.Fatalf("head size %d, want %d", l.Head().Size, size)
		}
		published = append(published, size)
		// Checking every size is quadratic; check the newest, and an earlier one.
		checkSizes := []int64{size, published[rng.IntN(len(published))]}
		for _, sz := range checkSizes {
			for _, tile := range tilesOf(sz) {
				got, err := l.ReadTile(ctx, tile)
				if err != nil {
					t.Fatalf("size %d (published %d): tile %s: %v", sz, size, TilePath(tile), err)
				}
				if want := wantTile(t, m, entries, tile); !bytes.Equal(got, want) {
					t.Fatalf("size %d (published %d): tile %s differs from tlog's", sz, size, TilePath(tile))
				}
			}
		}
		for _, tile := range beyond(size) {
			if _, err := l.ReadTile(ctx, tile); !errors.Is(err, ErrOutOfRange) {
				t.Fatalf("size %d: tile %s beyond the tree: %v, want ErrOutOfRange", size, TilePath(tile), err)
			}
		}
	}
}

// beyond returns tiles that a tree of the given size does not hold.
func beyond(size int64) []tlog.Tile {
	var out []tlog.Tile
	for _, level := range []int{EntriesLevel, 0, 1, 2, 3, 7, 63} {
		count := size
		if level > 0 {
			count = size >> uint(TileHeight*level)
		}
		n, w := count/TileWidth, int(count%TileWidth)
		// One entry or hash more than the last tile holds (after a full tile, the next tile
		// one wide), and the full tile after it.
		out = append(out, tlog.Tile{H: TileHeight, L: level, N: n, W: w + 1})
		out = append(out, tlog.Tile{H: TileHeight, L: level, N: n + 1, W: TileWidth})
	}
	return out
}

// TestProofsAtEveryBoundary checks the inclusion proof of every entry in every tree up to 300
// entries, and the consistency proof between every pair of those trees, m = n included, with
// x/mod's tlog; and that a proof for an empty tree, or a tree larger than the published one,
// is out of range rather than made.
func TestProofsAtEveryBoundary(t *testing.T) {
	ctx := context.Background()
	s, _ := newSigner(t)
	_, l := openLog(t, t.TempDir(), s)
	// The empty tree's root is SHA-256 of nothing (RFC 6962), which witnesses require of a
	// checkpoint of size 0; the log signs its first checkpoint with tlog's.
	if got, want := l.Head().Root, tlog.Hash(sha256.Sum256(nil)); got != want {
		t.Fatalf("the empty log's root is %v, want %v", got, want)
	}
	const n = 300
	m := &memTree{}
	batch := make([][]byte, n)
	for i := range batch {
		batch[i] = entryFor(i)
		m.add(t, int64(i), batch[i])
	}
	if _, err := l.AppendAllTx(ctx, batch, nil); err != nil {
		t.Fatal(err)
	}
	roots := make([]tlog.Hash, n+1)
	for size := int64(0); size <= n; size++ {
		var err error
		if roots[size], err = tlog.TreeHash(size, m); err != nil {
			t.Fatal(err)
		}
		got, err := l.TreeHash(ctx, size)
		if err != nil || got != roots[size] {
			t.Fatalf("TreeHash(%d) = %v, %v, want %v", size, got, err, roots[size])
		}
	}
	for size := int64(1); size <= n; size++ {
		for i := int64(0); i < size; i++ {
			p, err := l.InclusionProof(ctx, i, size)
			if err != nil {
				t.Fatalf("inclusion of %d in %d: %v", i, size, err)
			}
			if err := tlog.CheckRecord(p, size, roots[size], i, tlog.RecordHash(batch[i])); err != nil {
				t.Fatalf("inclusion of %d in %d: %v", i, size, err)
			}
		}
		for old := int64(1); old <= size; old++ {
			p, err := l.ConsistencyProof(ctx, old, size)
			if err != nil {
				t.Fatalf("consistency %d -> %d: %v", old, size, err)
			}
			if err := tlog.CheckTree(p, size, roots[size], old, roots[old]); err != nil {
				t.Fatalf("consistency %d -> %d: %v", old, size, err)
			}
			if old == size && len(p) != 0 {
				t.Fatalf("consistency %d -> %d has %d hashes, want none", old, size, len(p))
			}
		}
	}
	for _, c := range []struct{ i, size int64 }{{0, 0}, {-1, 1}, {n, n}, {0, n + 1}, {n, n + 1}} {
		if _, err := l.InclusionProof(ctx, c.i, c.size); !errors.Is(err, ErrOutOfRange) {
			t.Errorf("inclusion of %d in %d: %v, want ErrOutOfRange", c.i, c.size, err)
		}
	}
	for _, c := range []struct{ old, size int64 }{{0, 0}, {0, 1}, {0, n}, {2, 1}, {1, n + 1}, {n + 1, n + 1}} {
		if _, err := l.ConsistencyProof(ctx, c.old, c.size); !errors.Is(err, ErrOutOfRange) {
			t.Errorf("consistency %d -> %d: %v, want ErrOutOfRange", c.old, c.size, err)
		}
	}
	for _, size := range []int64{-1, n + 1} {
		if _, err := l.TreeHash(ctx, size); !errors.Is(err, ErrOutOfRange) {
			t.Errorf("TreeHash(%d): %v, want ErrOutOfRange", size, err)
		}
	}
}

// TestSharedTilesMatchTlog: servers on one PostgreSQL database append in turns, by batches of
// random sizes, so that each takes up the others' entries by their leaf hashes (catchUp,
// replay) or by loading the stored edge, and completes entry bundles whose first entries
// others appended (completeBundle). After every batch each server, once it has followed the
// stored head, serves every tile of the tree with the bytes x/mod's tlog computes, and proofs
// that tlog checks.
func TestSharedTilesMatchTlog(t *testing.T) {
	_, logs, _ := openShared(t, 3)
	ctx := t.Context()
	rng := rand.New(rand.NewPCG(3, 4))
	m := &memTree{}
	var entries [][]byte
	for len(entries) < 3000 {
		// Mostly small batches, replayed by the others from their leaf hashes; now and then
		// one longer than maxReplay, after which the others load the stored edge.
		k := 1 + rng.IntN(40)
		switch rng.IntN(10) {
		case 0:
			k = maxReplay + 1 + rng.IntN(100)
		case 1:
			k = TileWidth - len(entries)%TileWidth
		}
		batch := make([][]byte, k)
		for i := range batch {
			n := len(entries) + i
			batch[i] = entryFor(n)
			m.add(t, int64(n), batch[i])
		}
		s := rng.IntN(len(logs))
		first, err := logs[s].AppendAllTx(ctx, batch, nil)
		if err != nil || first != int64(len(entries)) {
			t.Fatalf("server %d: append %d entries: first %d, %v", s, k, first, err)
		}
		entries = append(entries, batch...)
		size := int64(len(entries))
		root, err := tlog.TreeHash(size, m)
		if err != nil {
			t.Fatal(err)
		}
		for i, l := range logs {
			if err := l.Refresh(ctx); err != nil {
				t.Fatalf("server %d: %v", i, err)
			}
			if h := l.Head(); h.Size != size || h.Root != root {
				t.Fatalf("server %d serves size %d root %v, want %d %v", i, h.Size, h.Root, size, root)
			}
			// The tiles at the right edge change with each batch; the others do not.
			for _, tile := range tlog.NewTiles(TileHeight, max(0, size-int64(k)-TileWidth), size) {
				for _, tl := range []tlog.Tile{tile, {H: tile.H, L: EntriesLevel, N: tile.N, W: tile.W}} {
					if tl.L == EntriesLevel && tile.L != 0 {
						continue
					}
					got, err := l.ReadTile(ctx, tl)
					if err != nil {
						t.Fatalf("server %d, size %d: tile %s: %v", i, size, TilePath(tl), err)
					}
					if want := wantTile(t, m, entries, tl); !bytes.Equal(got, want) {
						t.Fatalf("server %d, size %d: tile %s differs from tlog's", i, size, TilePath(tl))
					}
				}
			}
			j := rng.Int64N(size)
			p, err := l.InclusionProof(ctx, j, size)
			if err == nil {
				err = tlog.CheckRecord(p, size, root, j, tlog.RecordHash(entries[j]))
			}
			if err != nil {
				t.Fatalf("server %d: inclusion of %d in %d: %v", i, j, size, err)
			}
			old := 1 + rng.Int64N(size)
			oldRoot, _ := tlog.TreeHash(old, m)
			tp, err := l.ConsistencyProof(ctx, old, size)
			if err == nil {
				err = tlog.CheckTree(tp, size, root, old, oldRoot)
			}
			if err != nil {
				t.Fatalf("server %d: consistency %d -> %d: %v", i, old, size, err)
			}
		}
	}
	for i, l := range logs {
		for _, tile := range tilesOf(int64(len(entries))) {
			got, err := l.ReadTile(ctx, tile)
			if err != nil {
				t.Fatalf("server %d: tile %s: %v", i, TilePath(tile), err)
			}
			if want := wantTile(t, m, entries, tile); !bytes.Equal(got, want) {
				t.Fatalf("server %d: tile %s differs from tlog's", i, TilePath(tile))
			}
		}
	}
}

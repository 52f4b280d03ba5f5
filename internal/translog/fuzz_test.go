package translog

import (
	"bytes"
	"fmt"
	"testing"
)

func FuzzParseTilePath(f *testing.F) {
	for _, s := range []string{
		"tile/0/000",
		"tile/0/x001/234.p/17",
		"tile/63/x999/x999/999",
		"tile/entries/000.p/255",
		"tile/entries/x001/000",
		"tile/1/000.p/256", // a partial tile cannot be full width
		"tile/1/000.p/0",   // nor empty
		"tile/1/000.p/017", // leading zero
		"tile/64/000",      // above the highest level
		"tile/-1/000",      // entry bundles are spelled "entries"
		"tile/data/000",    // x/mod's spelling, not C2SP's
		"tile/8/0/000",     // x/mod's height segment
		"tile/0/001/000",   // a non-final segment needs its x
		"tile/0/x1000/000", // segments are three digits
		"tile/0/x999/x999/x999/x999/x999/x999/x999/999", // beyond int64
		"tile/entries/entries/000",
		"/tile/0/000",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, path string) {
		tile, err := ParseTilePath(path)
		if err != nil {
			return
		}
		if got := TilePath(tile); got != path {
			t.Fatalf("ParseTilePath(%q) = %+v, whose path is %q", path, tile, got)
		}
		if tile.H != TileHeight || tile.W < 1 || tile.W > TileWidth || tile.N < 0 || tile.L < EntriesLevel || tile.L > 63 {
			t.Fatalf("ParseTilePath(%q) = %+v: out of range", path, tile)
		}
	})
}

func FuzzSplitBundle(f *testing.F) {
	var full []byte
	for i := range TileWidth {
		full = AppendBundleEntry(full, fmt.Appendf(nil, "entry %d", i))
	}
	two := AppendBundleEntry(AppendBundleEntry(nil, []byte("first")), []byte("second"))
	for _, seed := range [][]byte{
		nil,
		two,
		full,
		AppendBundleEntry(full, []byte("one too many")),
		AppendBundleEntry(nil, nil),                        // an empty entry
		AppendBundleEntry(nil, make([]byte, MaxEntrySize)), // the largest entry
		two[:len(two)-1],                                   // truncated entry
		{0},                                                // truncated length
		{0xff, 0xff, 'x'},                                  // length beyond the bundle
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, bundle []byte) {
		entries, err := SplitBundle(bundle)
		if err != nil {
			return
		}
		if len(entries) > TileWidth {
			t.Fatalf("SplitBundle returned %d entries", len(entries))
		}
		var again []byte
		for _, e := range entries {
			again = AppendBundleEntry(again, e)
		}
		if !bytes.Equal(again, bundle) {
			t.Fatalf("SplitBundle(%q) = %q, which frames back to %q", bundle, entries, again)
		}
	})
}

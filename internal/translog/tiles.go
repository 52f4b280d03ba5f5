package translog

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"

	"github.com/chancery/chancery/internal/store"
	"golang.org/x/mod/sumdb/tlog"
)

// TileHeight is the tile height fixed by C2SP tlog-tiles.
const TileHeight = 8

// TileWidth is the number of hashes or entries in a full tile.
const TileWidth = 1 << TileHeight

// MaxEntrySize is the largest entry the log accepts: an entry bundle prefixes each entry with
// a big-endian uint16 length.
const MaxEntrySize = 1<<16 - 1

// EntriesLevel is the Level of an entry bundle ("data tile" in x/mod/sumdb/tlog).
const EntriesLevel = store.EntriesLevel

// ErrBadTilePath is wrapped by ParseTilePath's errors.
var ErrBadTilePath = errors.New("malformed tile path")

// ParseTilePath parses a C2SP tlog-tiles path relative to the log prefix, such as
// "tile/0/x001/234.p/17" or "tile/entries/000". The returned tile has H = 8; L = -1 for an
// entry bundle. Only the canonical spelling of each path is accepted.
func ParseTilePath(path string) (tlog.Tile, error) {
	rest, ok := strings.CutPrefix(path, "tile/")
	if !ok {
		return tlog.Tile{}, fmt.Errorf("%w: %q", ErrBadTilePath, path)
	}
	if r, ok := strings.CutPrefix(rest, "entries/"); ok {
		rest = "data/" + r
	} else if strings.HasPrefix(rest, "data/") {
		return tlog.Tile{}, fmt.Errorf("%w: %q", ErrBadTilePath, path)
	}
	t, err := tlog.ParseTilePath(fmt.Sprintf("tile/%d/%s", TileHeight, rest))
	if err != nil || t.N < 0 || t.L > 63 {
		return tlog.Tile{}, fmt.Errorf("%w: %q", ErrBadTilePath, path)
	}
	return t, nil
}

// TilePath returns the C2SP tlog-tiles path of t, the inverse of ParseTilePath.
func TilePath(t tlog.Tile) string {
	p := t.Path() // "tile/8/L/N..." or "tile/8/data/N..."
	p = strings.TrimPrefix(p, fmt.Sprintf("tile/%d/", TileHeight))
	if r, ok := strings.CutPrefix(p, "data/"); ok {
		return "tile/entries/" + r
	}
	return "tile/" + p
}

// AppendBundleEntry appends entry to an entry bundle, as C2SP tlog-tiles frames it.
func AppendBundleEntry(bundle, entry []byte) []byte {
	bundle = binary.BigEndian.AppendUint16(bundle, uint16(len(entry)))
	return append(bundle, entry...)
}

// SplitBundle splits an entry bundle into its entries. The entries alias bundle.
func SplitBundle(bundle []byte) ([][]byte, error) {
	var entries [][]byte
	for len(bundle) > 0 {
		if len(bundle) < 2 {
			return nil, errors.New("entry bundle: truncated length")
		}
		n := int(binary.BigEndian.Uint16(bundle))
		bundle = bundle[2:]
		if len(bundle) < n {
			return nil, fmt.Errorf("entry bundle: entry %d: truncated", len(entries))
		}
		entries = append(entries, bundle[:n:n])
		bundle = bundle[n:]
		if len(entries) > TileWidth {
			return nil, errors.New("entry bundle: more than 256 entries")
		}
	}
	return entries, nil
}

// bundlePrefix returns the bytes of the first w entries of bundle.
func bundlePrefix(bundle []byte, w int) ([]byte, error) {
	off := 0
	for i := 0; i < w; i++ {
		if len(bundle)-off < 2 {
			return nil, fmt.Errorf("entry bundle has fewer than %d entries", w)
		}
		off += 2 + int(binary.BigEndian.Uint16(bundle[off:]))
		if off > len(bundle) {
			return nil, fmt.Errorf("entry bundle: entry %d: truncated", i)
		}
	}
	return bundle[:off], nil
}

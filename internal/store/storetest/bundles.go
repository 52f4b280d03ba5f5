package storetest

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"reflect"
	"testing"

	"github.com/chancery/chancery/internal/store"
)

// releaseEntry is a release entry of version 2 as the registry writes it, released at second
// n of a day.
func releaseEntry(n int) []byte {
	payload := fmt.Sprintf(`{"office":"Storetest Office","commitment":"%s","signer_keys":["%064x"],"disclosed":null,"released_at":"2026-12-01T%02d:%02d:%02dZ"}`,
		base64.StdEncoding.EncodeToString(fmt.Appendf(nil, "%032d", n)), n%3, n/3600, n/60%60, n%60)
	return fmt.Appendf(nil, "chancery-entry v2 release\n"+`{"payload":"%s","payloadType":"application/vnd.chancery.release.v2+json","signatures":[{"keyid":"%064x","sig":"%s"}]}`,
		base64.StdEncoding.EncodeToString([]byte(payload)), 7, base64.StdEncoding.EncodeToString(fmt.Appendf(nil, "%064d", n)))
}

// bundleEntries returns entries from to to of a bundle, framed: release entries, and every
// tenth a key entry.
func bundleEntries(from, to int) []byte {
	var b []byte
	for i := from; i < to; i++ {
		e := releaseEntry(i)
		if i%10 == 9 {
			e = fmt.Appendf(nil, "chancery-entry v2 key-added\n{\"n\":%d}", i)
		}
		b = binary.BigEndian.AppendUint16(b, uint16(len(e)))
		b = append(b, e...)
	}
	return b
}

// testPackedBundles: entry bundles of the registry's entries, which the store keeps packed,
// come back byte for byte through every way of writing them (PutEntryChunk, PutTile,
// WriteLogBatch) and of reading them (Tile of a partial and of a full bundle, Tiles,
// EntriesFrom), as does data that starts as the packed form would.
func testPackedBundles(t *testing.T, db *store.DB) {
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		if err := tx.PutEntryChunk(ctx, 1, 0, 3, bundleEntries(0, 3)); err != nil {
			return err
		}
		if err := tx.PutEntryChunk(ctx, 1, 3, 12, bundleEntries(3, 15)); err != nil {
			return err
		}
		if err := tx.PutEntryChunk(ctx, 4, 0, 1, []byte("\xff\x01\x02")); err != nil {
			return err
		}
		return tx.PutTile(ctx, store.Tile{Level: store.EntriesLevel, Index: 2, Width: 256, Data: bundleEntries(256, 512)})
	})
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		return tx.WriteLogBatch(ctx, []store.EntryChunk{{Bundle: 3, Start: 0, Width: 2, Data: bundleEntries(768, 770)}},
			[]store.Tile{{Level: store.EntriesLevel, Index: 0, Width: 256, Data: bundleEntries(0, 256)},
				{Level: store.EntriesLevel, Index: 5, Width: 1, Data: []byte{0xff}}, tile(0, 0, 3)}, head(770))
	})
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		wantTile(t, ctx, tx, store.Tile{Level: store.EntriesLevel, Index: 0, Width: 256, Data: bundleEntries(0, 256)})
		wantTile(t, ctx, tx, store.Tile{Level: store.EntriesLevel, Index: 1, Width: 15, Data: bundleEntries(0, 15)})
		wantTile(t, ctx, tx, store.Tile{Level: store.EntriesLevel, Index: 2, Width: 256, Data: bundleEntries(256, 512)})
		wantTile(t, ctx, tx, store.Tile{Level: store.EntriesLevel, Index: 3, Width: 2, Data: bundleEntries(768, 770)})
		wantTile(t, ctx, tx, store.Tile{Level: store.EntriesLevel, Index: 4, Width: 1, Data: []byte("\xff\x01\x02")})
		wantTile(t, ctx, tx, store.Tile{Level: store.EntriesLevel, Index: 5, Width: 1, Data: []byte{0xff}})
		wantTile(t, ctx, tx, tile(0, 0, 3))
		for _, c := range []struct {
			bundle     int64
			from, want int
			data       []byte
		}{{0, 5, 0, bundleEntries(0, 256)}, {1, 0, 0, bundleEntries(0, 15)}, {1, 4, 3, bundleEntries(3, 15)}, {3, 1, 0, bundleEntries(768, 770)}} {
			first, data, err := tx.EntriesFrom(ctx, c.bundle, c.from)
			if err != nil || first != c.want || !reflect.DeepEqual(data, c.data) {
				t.Errorf("entries %d+ of bundle %d: from %d, %d bytes, %v; want from %d, %d bytes", c.from, c.bundle, first, len(data), err, c.want, len(c.data))
			}
		}
		var got []store.Tile
		err := tx.Tiles(ctx, store.EntriesLevel, 0, func(tile store.Tile) error {
			got = append(got, tile)
			return nil
		})
		want := []store.Tile{{Level: store.EntriesLevel, Index: 0, Width: 256, Data: bundleEntries(0, 256)},
			{Level: store.EntriesLevel, Index: 2, Width: 256, Data: bundleEntries(256, 512)}, {Level: store.EntriesLevel, Index: 5, Width: 1, Data: []byte{0xff}}}
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("tiles: %d, %v; want the full bundles 0 and 2 and tile 5", len(got), err)
		}
		return nil
	})
}

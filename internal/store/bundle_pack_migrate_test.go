package store_test

import (
	"encoding/binary"
	"fmt"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/store/storetest"
)

func TestPackBundlesMigrationSQLite(t *testing.T) {
	testPackBundlesMigration(t, openSQLite(t, t.TempDir()))
}

func TestPackBundlesMigrationPostgres(t *testing.T) {
	testPackBundlesMigration(t, openPostgres(t, storetest.PostgresURL(t)))
}

// testPackBundlesMigration stores entry bundles and a release entry as schema 26 stored them
// (as they are), runs migration 27, and reads every one back byte for byte, including those
// that start as the packed forms do; hash tiles are left as they are. Bundles and release
// entries written afterwards are stored packed: the registry's release entries in under a
// third of their bytes.
func testPackBundlesMigration(t *testing.T, db *store.DB) {
	ctx := t.Context()
	defer db.Close()
	entry := []byte("chancery-entry v2 release\n" +
		`{"payload":"eyJvZmZpY2UiOiJXcml0ZSBCZW5jaG1hcmsgT2ZmaWNlIiwiY29tbWl0bWVudCI6InFUeXBSbFBiNHNGWUVrcW5id2lJeFdBR0ZiditqYk15c1VRWDFXclMyRk09Iiwic2lnbmVyX2tleXMiOlsiYTFjNzY5NmZlYmUwZTIwNzgwNWY2ZDMzOWRlYjI3ZGI0MmU4ZTliYjdjYjFhZTc0NGY3ODRhMGQ3ZjY2ZjU3NyJdLCJkaXNjbG9zZWQiOm51bGwsInJlbGVhc2VkX2F0IjoiMjAyNi0xMi0wMVQxNDoyODozNFoifQ==",` +
		`"payloadType":"application/vnd.chancery.release.v2+json","signatures":[{"keyid":"5465063fdf630cd012d60d092a59de9b0142a93e1ff0a60f841259977fa374ef",` +
		`"sig":"1ooawUBr7ZZPvlk3prGbM8k4HHf7W97AhESN/0fxNMLB9vJL/3IITQUSdU+o0HGgYbCkI6mrqGou0fLrUAB3AQ=="}]}`)
	var bundle []byte
	for range 3 {
		bundle = binary.BigEndian.AppendUint16(bundle, uint16(len(entry)))
		bundle = append(bundle, entry...)
	}
	packed := []byte{0xff, 0x01, 0x00, 0x01, 'x'} // as the packed form of "\x00\x01x" would be
	old := []struct {
		table string
		level int
		data  []byte
	}{
		{"log_tiles", -1, bundle},
		{"log_tiles", -1, packed},
		{"log_tiles", -1, []byte{0xff, 0x00, 0x01}},
		{"log_tiles", 0, packed},
		{"log_entry_chunks", 0, bundle},
		{"log_entry_chunks", 0, packed},
	}
	for i, o := range old {
		q, args := `INSERT INTO log_tiles (level, idx, width, data) VALUES ($1, $2, 3, $3)`, []any{o.level, 10 + i, o.data}
		if o.table == "log_entry_chunks" {
			q, args = `INSERT INTO log_entry_chunks (bundle, start, width, data) VALUES ($1, 0, 3, $2)`, []any{10 + i, o.data}
		}
		if err := db.ExecForTest(ctx, q, args...); err != nil {
			t.Fatal(err)
		}
	}
	// Release entries: one stored before that starts as the new form does, and the registry's
	// entry written afterwards.
	now := time.Date(2026, 12, 1, 6, 0, 0, 0, time.UTC)
	entries := [][]byte{[]byte("\x02\x01 stored as it was"), entry}
	ids := make([]int64, len(entries))
	var member int64
	release := func(tx *store.Tx, i int) error {
		l := store.Letter{Reference: fmt.Sprintf("TPB-2026-%06d", i+1), Subject: "s", Class: "c", AuthorID: member, CreatedAt: now}
		if err := tx.AddLetter(ctx, &l); err != nil {
			return err
		}
		ids[i] = l.ID
		d := fmt.Sprintf("sha256:%064x", i)
		if err := tx.PutBlob(ctx, d, []byte{byte(i)}); err != nil {
			return err
		}
		if err := tx.AddVersion(ctx, store.Version{LetterID: l.ID, N: 1, Digest: d, MediaType: "text/plain", FileName: "l.txt", Size: 1, CreatedBy: member, CreatedAt: now}); err != nil {
			return err
		}
		return tx.AddRelease(ctx, store.Release{LetterID: l.ID, VersionN: 1, FileDigest: d, FileName: "l.txt", MediaType: "text/plain",
			LogIndex: int64(i), Entry: entries[i], ReleasedBy: member, ReleasedAt: now})
	}
	err := db.Update(ctx, func(tx *store.Tx) error {
		m, err := tx.AddMember(ctx, "cora", []string{"signer"}, []byte("token"), now)
		if err != nil {
			return err
		}
		member = m.ID
		if err := release(tx, 0); err != nil {
			return err
		}
		// As schema 26 stored it.
		return store.ExecTx(ctx, tx, `UPDATE releases SET entry = $1 WHERE letter_id = $2`, entries[0], ids[0])
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.RunMigrationForTest(ctx, 27); err != nil {
		t.Fatalf("migration 27: %v", err)
	}
	err = db.Update(ctx, func(tx *store.Tx) error {
		if err := release(tx, 1); err != nil {
			return err
		}
		for i, e := range entries {
			r, err := tx.ReleaseOf(ctx, ids[i])
			if err != nil || string(r.Entry) != string(e) {
				t.Errorf("release entry %d after migration 27: %q, %v; want %q", i, r.Entry, err, e)
			}
			l, err := tx.LookupReleaseAt(ctx, int64(i))
			if err != nil || string(l.Release.Entry) != string(e) {
				t.Errorf("release entry %d looked up after migration 27: %v", i, err)
			}
		}
		n, err := store.IntsTx(ctx, tx, `SELECT length(entry) FROM releases WHERE letter_id = $1`, ids[1])
		if err != nil {
			return err
		}
		if n[0] > 200 {
			t.Errorf("release entry of %d bytes stored in %d", len(entry), n[0])
		}
		for i, o := range old {
			level := o.level
			if o.table == "log_entry_chunks" {
				level = store.EntriesLevel
			}
			tile, err := tx.Tile(ctx, level, int64(10+i))
			if err != nil || string(tile.Data) != string(o.data) || tile.Width != 3 {
				t.Errorf("%s row %d after migration 27: %+v, %v; want %q", o.table, i, tile, err, o.data)
			}
		}
		if err := tx.PutTile(ctx, store.Tile{Level: store.EntriesLevel, Index: 20, Width: 3, Data: bundle}); err != nil {
			return err
		}
		err = tx.WriteLogBatch(ctx, []store.EntryChunk{{Bundle: 21, Start: 0, Width: 3, Data: bundle}},
			[]store.Tile{{Level: store.EntriesLevel, Index: 22, Width: 3, Data: bundle}}, store.LogHead{Origin: "o", Size: 1, Root: make([]byte, 32), Checkpoint: []byte("o\n1\n")})
		if err != nil {
			return err
		}
		for _, q := range []string{`SELECT length(data) FROM log_tiles WHERE level = -1 AND idx = 20`,
			`SELECT length(data) FROM log_entry_chunks WHERE bundle = 21`, `SELECT length(data) FROM log_tiles WHERE level = -1 AND idx = 22`} {
			n, err := store.IntsTx(ctx, tx, q)
			if err != nil {
				return err
			}
			if n[0] > len(bundle)/3 {
				t.Errorf("%d bytes of bundle stored in %d (%s)", len(bundle), n[0], q)
			}
		}
		for _, i := range []int64{20, 21, 22} {
			tile, err := tx.Tile(ctx, store.EntriesLevel, i)
			if err != nil || string(tile.Data) != string(bundle) {
				t.Errorf("bundle %d written after migration 27: %q, %v", i, tile.Data, err)
			}
		}
		// A partial bundle whose first chunk was stored before, and its next one after.
		if err := tx.PutEntryChunk(ctx, 14, 3, 3, bundle); err != nil {
			return err
		}
		tile, err := tx.Tile(ctx, store.EntriesLevel, 14)
		if err != nil || string(tile.Data) != string(bundle)+string(bundle) || tile.Width != 6 {
			t.Errorf("bundle of a chunk stored before and one after: %d entries, %d bytes, %v", tile.Width, len(tile.Data), err)
		}
		if first, data, err := tx.EntriesFrom(ctx, 14, 4); err != nil || first != 3 || string(data) != string(bundle) {
			t.Errorf("entries 4+ of that bundle: from %d, %d bytes, %v", first, len(data), err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

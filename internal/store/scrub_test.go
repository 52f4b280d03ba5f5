package store

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// scrubStore returns a new SQLite store, closed when the test ends, and its directory.
func scrubStore(t *testing.T) (*DB, string) {
	t.Helper()
	dir := t.TempDir()
	db, err := OpenSQLite(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, dir
}

// TestScrubFreeSpace fills tables of every page type (rowid and WITHOUT ROWID, an index, rows
// of a few bytes and rows with overflow pages), rewrites and deletes rows with secure_delete
// off, as ordinary writes do, so that their bytes stay in free space, freelist pages and
// rebalanced pages; then it deletes the marked rows and scrubs. No marked byte may remain in
// the file, and every row left must read back as written, in a file that passes SQLite's
// integrity check.
func TestScrubFreeSpace(t *testing.T) {
	ctx := context.Background()
	db, dir := scrubStore(t)
	rnd := rand.New(rand.NewPCG(1, 2))
	value := func(marked bool, n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte('a' + rnd.IntN(26))
		}
		if marked {
			for i := 0; i+9 <= n; i += 40 {
				copy(b[i:], "MKRSCRUB!")
			}
		}
		return b
	}
	sizes := []int{12, 300, 900, 3000, 5000, 20000}
	kept := map[string][]byte{}
	err := db.Update(ctx, func(tx *Tx) error {
		for _, q := range []string{
			"CREATE TABLE scrub_rowid (k TEXT PRIMARY KEY, v BLOB)",
			"CREATE TABLE scrub_norowid (k TEXT PRIMARY KEY, v BLOB) WITHOUT ROWID",
			"CREATE INDEX scrub_by_v ON scrub_rowid (substr(v, 1, 200))",
		} {
			if _, err := tx.exec(ctx, q); err != nil {
				return err
			}
		}
		for i := range 400 {
			marked := i%3 == 0
			v := value(marked, sizes[i%len(sizes)])
			k := fmt.Sprintf("%04d", i)
			table := []string{"scrub_rowid", "scrub_norowid"}[i%2]
			if _, err := tx.exec(ctx, "INSERT INTO "+table+" (k, v) VALUES (?, ?)", k, v); err != nil {
				return err
			}
			if !marked {
				kept[table+k] = v
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Rewrites with secure_delete off leave the marked versions' bytes behind.
	err = db.Update(ctx, func(tx *Tx) error {
		for i := 0; i < 400; i += 6 {
			k := fmt.Sprintf("%04d", i)
			table := "scrub_rowid"
			v := value(false, sizes[(i+1)%len(sizes)])
			if _, err := tx.exec(ctx, "UPDATE "+table+" SET v = ? WHERE k = ?", v, k); err != nil {
				return err
			}
			kept[table+k] = v
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	scan := func() []byte {
		t.Helper()
		if _, err := db.ScrubWAL(ctx); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(dir, SQLiteFile))
		if err != nil {
			t.Fatal(err)
		}
		w, _ := os.ReadFile(filepath.Join(dir, SQLiteFile+"-wal"))
		return append(b, w...)
	}
	if n := bytes.Count(scan(), []byte("MKRSCRUB!")); n == 0 {
		t.Fatal("no marked byte in the file before the scrub: the test shows nothing")
	}
	var written int
	err = db.Update(ctx, func(tx *Tx) error {
		for _, table := range []string{"scrub_rowid", "scrub_norowid"} {
			if _, err := tx.exec(ctx, "DELETE FROM "+table+" WHERE instr(v, 'MKRSCRUB!') > 0"); err != nil {
				return err
			}
		}
		written, err = tx.ScrubFreeSpace(ctx)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if written == 0 {
		t.Error("the scrub wrote no page")
	}
	if n := bytes.Count(scan(), []byte("MKRSCRUB!")); n > 0 {
		t.Errorf("%d marked strings left in the file after the scrub", n)
	}
	err = db.View(ctx, func(tx *Tx) error {
		var check string
		if err := tx.queryRow(ctx, "PRAGMA integrity_check").Scan(&check); err != nil {
			return err
		}
		if check != "ok" {
			t.Errorf("integrity check: %s", check)
		}
		n := 0
		for _, table := range []string{"scrub_rowid", "scrub_norowid"} {
			rows, err := tx.query(ctx, "SELECT k, v FROM "+table)
			if err != nil {
				return err
			}
			for rows.Next() {
				var k string
				var v []byte
				if err := rows.Scan(&k, &v); err != nil {
					return err
				}
				if !bytes.Equal(v, kept[table+k]) {
					t.Errorf("%s %s changed: %d bytes, want %d", table, k, len(v), len(kept[table+k]))
				}
				n++
			}
			if err := rows.Close(); err != nil {
				return err
			}
		}
		if n != len(kept) {
			t.Errorf("%d rows left, want %d", n, len(kept))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// A second scrub finds nothing left to write.
	err = db.Update(ctx, func(tx *Tx) error {
		written, err = tx.ScrubFreeSpace(ctx)
		return err
	})
	if err != nil || written != 0 {
		t.Errorf("a second scrub wrote %d pages, %v", written, err)
	}
}

// FuzzScrubPage: the page parsers read pages that SQLite wrote, but a damaged file's pages
// (any kind, any bytes reserved at their end) must give an error, never a panic or a write
// outside the page's usable part.
func FuzzScrubPage(f *testing.F) {
	f.Add([]byte{0x0d, 0, 0, 0, 1, 0x0f, 0xf0, 0, 0x0f, 0xf0}, uint16(4096), byte('b'), uint8(0), uint16(0))
	f.Add([]byte{0x05, 0, 0, 0, 1, 0x0f, 0xf0, 0, 0, 0, 0, 2, 0x0f, 0xf0}, uint16(4096), byte('b'), uint8(0), uint16(0))
	f.Add([]byte{0x0a, 0x00, 0x10, 0, 0, 0, 0, 0}, uint16(512), byte('b'), uint8(32), uint16(0))
	f.Add([]byte{0x02, 0, 0, 0, 1, 0x01, 0xf0, 0, 0, 0, 0, 2, 0x01, 0xf0, 0, 0, 0, 3, 0xff, 0xff, 0xff}, uint16(512), byte('b'), uint8(0), uint16(0))
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 0x7f}, uint16(4096), byte('t'), uint8(16), uint16(0))
	f.Add([]byte{0, 0, 0, 9}, uint16(1024), byte('o'), uint8(8), uint16(1010))
	f.Fuzz(func(t *testing.T, head []byte, size uint16, kind byte, reserved uint8, unused uint16) {
		n := max(int(size), 512)
		p := make([]byte, n)
		copy(p, head)
		for i := len(head); i < n; i++ {
			p[i] = byte(i)
		}
		tail := slices.Clone(p[n-int(reserved):])
		pgno := uint32(2)
		if len(head) > 0 && head[0] == 0 {
			pgno = 1
		}
		(pageKind{kind: kind, unused: int(unused)}).scrub(p, pgno, n-int(reserved))
		if !bytes.Equal(p[n-int(reserved):], tail) {
			t.Error("the scrub wrote into the reserved bytes")
		}
	})
}

// BenchmarkScrubFreeSpace measures the scrub an erasure runs, over a file of about 300 MB of
// rows of 4 KB: Clean, a file whose free space is zeros already (it reads every page and
// writes none), and Dirty, a file that a delete of every other row (secure_delete off) left
// with old bytes in every leaf page, all of which the scrub writes.
func BenchmarkScrubFreeSpace(b *testing.B) {
	for _, dirty := range []bool{false, true} {
		b.Run(map[bool]string{false: "Clean", true: "Dirty"}[dirty], func(b *testing.B) {
			ctx := context.Background()
			var db *DB
			var size int64
			build := func() {
				if db != nil {
					db.Close()
				}
				var err error
				if db, err = OpenSQLite(ctx, b.TempDir()); err != nil {
					b.Fatal(err)
				}
				v := bytes.Repeat([]byte("0123456789abcdef"), 256)
				err = db.Update(ctx, func(tx *Tx) error {
					if _, err := tx.exec(ctx, "CREATE TABLE scrub_rowid (k INTEGER PRIMARY KEY, v BLOB)"); err != nil {
						return err
					}
					for i := range 65536 {
						if _, err := tx.exec(ctx, "INSERT INTO scrub_rowid (k, v) VALUES (?, ?)", i, v); err != nil {
							return err
						}
					}
					if dirty {
						if _, err := tx.exec(ctx, "DELETE FROM scrub_rowid WHERE k % 2 = 0"); err != nil {
							return err
						}
					}
					return tx.queryRow(ctx, "SELECT page_count * page_size FROM pragma_page_count, pragma_page_size").Scan(&size)
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			build()
			defer func() { db.Close() }()
			b.SetBytes(size)
			written := 0
			for b.Loop() {
				if dirty && written > 0 {
					b.StopTimer()
					build()
					b.StartTimer()
				}
				err := db.Update(ctx, func(tx *Tx) error {
					var err error
					written, err = tx.ScrubFreeSpace(ctx)
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(written), "pages-written")
		})
	}
}

// TestScrubWALWhenReadersAreGone: a truncation of the WAL after an erasure (ScrubWAL) that
// a reader of an older snapshot prevented waited for the next erasure or the store's close,
// and the WAL kept the pages as they were before the erasure meanwhile. The checkpointer
// truncates it once the reader is gone.
func TestScrubWALWhenReadersAreGone(t *testing.T) {
	ctx := context.Background()
	db, dir := scrubStore(t)
	raw, err := sql.Open("sqlite", "file:"+filepath.Join(dir, SQLiteFile))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	reader, err := raw.Begin()
	if err == nil {
		err = reader.QueryRow("SELECT count(*) FROM sqlite_master").Scan(new(int))
	}
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, "CREATE TABLE scrub_wal (v BLOB)")
		if err == nil {
			_, err = tx.exec(ctx, "INSERT INTO scrub_wal (v) VALUES (?)", bytes.Repeat([]byte("MKRWAL"), 5000))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	wal := func() int64 {
		fi, err := os.Stat(filepath.Join(dir, SQLiteFile+"-wal"))
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	if done, err := db.ScrubWAL(ctx); err != nil || done {
		t.Fatalf("ScrubWAL with a reader of an older snapshot: %v, %v; want not done", done, err)
	}
	if wal() == 0 {
		t.Fatal("the WAL is empty with a reader holding it: the test shows nothing")
	}
	reader.Rollback()
	deadline := time.Now().Add(time.Minute)
	for wal() != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("the WAL still holds %d bytes a minute after its reader was gone", wal())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

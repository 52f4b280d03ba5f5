package store_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/store/storetest"
	_ "modernc.org/sqlite"
)

func openSQLite(t *testing.T, dir string) *store.DB {
	t.Helper()
	db, err := store.OpenSQLite(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func TestSQLite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) *store.DB { return openSQLite(t, t.TempDir()) })
}

// rawSQLite opens the store's database file directly, bypassing package store, to look at or
// change what the store's API does not show.
func rawSQLite(t *testing.T, dir string) *sql.DB {
	t.Helper()
	raw, err := sql.Open("sqlite", "file:"+filepath.Join(dir, store.SQLiteFile))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return raw
}

func TestSQLiteReopen(t *testing.T) {
	dir := t.TempDir()
	ctx := t.Context()
	want := store.Tile{Level: 0, Index: 3, Width: 17, Data: []byte("seventeen hashes")}
	wantHead := store.LogHead{Origin: "reopen.example/log", Size: 4, Root: make([]byte, 32), Checkpoint: []byte("checkpoint\n")}
	db := openSQLite(t, dir)
	err := db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.PutTile(ctx, want); err != nil {
			return err
		}
		return tx.SetLogHead(ctx, wantHead)
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	db = openSQLite(t, dir)
	defer db.Close()
	err = db.View(ctx, func(tx *store.Tx) error {
		got, err := tx.Tile(ctx, want.Level, want.Index)
		if err != nil {
			return err
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("after reopening, tile = %+v, want %+v", got, want)
		}
		h, err := tx.LogHead(ctx)
		if err != nil {
			return err
		}
		if !reflect.DeepEqual(h, wantHead) {
			t.Errorf("after reopening, head = %+v, want %+v", h, wantHead)
		}
		// Reopening an up-to-date database migrates nothing again.
		v, err := tx.Version(ctx)
		if err != nil {
			return err
		}
		if v != store.SchemaVersion {
			t.Errorf("after reopening, schema version %d, want %d", v, store.SchemaVersion)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var rows int
	if err := rawSQLite(t, dir).QueryRow(`SELECT COUNT(*) FROM schema_version`).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if rows != store.SchemaVersion {
		t.Errorf("schema_version has %d rows after reopening, want one per migration (%d)", rows, store.SchemaVersion)
	}
}

// TestSQLiteWAL checks the durability settings: the journal mode, recorded in the database
// file, and synchronous=FULL (2), a per-connection setting read on the write connection.
func TestSQLiteWAL(t *testing.T) {
	dir := t.TempDir()
	db := openSQLite(t, dir)
	defer db.Close()
	var mode string
	if err := rawSQLite(t, dir).QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if mode != "wal" {
		t.Errorf("journal mode %q, want wal", mode)
	}
	if ps, err := db.WriterPragma(context.Background(), "page_size"); err != nil || ps != "4096" {
		t.Errorf("page_size = %q, %v; want 4096", ps, err)
	}
	sync, err := db.WriterPragma(context.Background(), "synchronous")
	if err != nil || sync != "2" {
		t.Errorf("synchronous = %q, %v; want 2 (FULL)", sync, err)
	}
	fi, err := os.Stat(filepath.Join(dir, store.SQLiteFile))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("database file mode %v, %v; want 0600", fi.Mode().Perm(), err)
	}
}

func TestSQLiteRefusesNewerSchema(t *testing.T) {
	dir := t.TempDir()
	if err := openSQLite(t, dir).Close(); err != nil {
		t.Fatal(err)
	}
	raw := rawSQLite(t, dir)
	if _, err := raw.Exec(`INSERT INTO schema_version (version) VALUES ($1)`, store.SchemaVersion+1); err != nil {
		t.Fatal(err)
	}
	if err := raw.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := store.OpenSQLite(t.Context(), dir)
	if err == nil {
		db.Close()
		t.Fatal("opened a database with a newer schema version than this build's")
	}
	if !strings.Contains(err.Error(), "newer") || !strings.Contains(err.Error(), "upgrade") {
		t.Errorf("error %q does not say that the schema is newer and chancery needs upgrading", err)
	}
}

// TestSQLiteCloseWaits checks that Close returns only once every connection is closed: the
// last one removes the -wal and -shm files, so a copy or removal of the directory right after
// Close would otherwise race with it. A lookup prepares its statement in the background, so
// closing right after the first lookups is the case that matters.
func TestSQLiteCloseWaits(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	for i := range 40 {
		db := openSQLite(t, dir)
		for range 3 {
			if _, err := db.LookupRelease(ctx, strings.Repeat("ab", 32)); err == nil {
				t.Fatal("a lookup of an unknown digest found a release")
			}
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		for _, suffix := range []string{"-wal", "-shm"} {
			if _, err := os.Stat(filepath.Join(dir, store.SQLiteFile+suffix)); !os.IsNotExist(err) {
				t.Fatalf("open %d: %s%s still there after Close (%v)", i, store.SQLiteFile, suffix, err)
			}
		}
	}
}

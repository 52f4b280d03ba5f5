package store_test

import (
	"testing"

	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/store/storetest"
)

// byClassOf44 sets a store back to migration 44 as the build of 2feaa99 left it, as far as
// letters_by_class goes: without the index, which 6f3af26 added to that migration once such
// stores were recorded at 44. The later steps, which can be run again, are run again.
const byClassOf44 = `DROP INDEX letters_by_class; DELETE FROM schema_version WHERE version > 44`

// TestLettersByClassReachesAStoreAt44: a store migrated to 44 by the build that did not yet
// index letters by class (2feaa99) gets the index at its next opening. It was left without
// it: its listing of a class read every letter, and 'chancery backup' refused its copy
// ("index letters_by_class is missing or altered").
func TestLettersByClassReachesAStoreAt44(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	db := openSQLite(t, dir)
	if err := db.Update(ctx, func(tx *store.Tx) error { return store.ExecTx(ctx, tx, byClassOf44) }); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = openSQLite(t, dir)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if err := store.CheckSQLiteSchema(ctx, dir, ""); err != nil {
		t.Errorf("a store at 44 without letters_by_class, opened again: %v", err)
	}
}

func TestLettersByClassReachesAStoreAt44Postgres(t *testing.T) {
	ctx := t.Context()
	url := storetest.PostgresURL(t)
	db := openPostgres(t, url)
	if err := db.Update(ctx, func(tx *store.Tx) error { return store.ExecTx(ctx, tx, byClassOf44) }); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = openPostgres(t, url)
	defer db.Close()
	var n []int
	err := db.View(ctx, func(tx *store.Tx) (err error) {
		n, err = store.IntsTx(ctx, tx, `SELECT COUNT(*) FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 'letters_by_class'`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(n) != 1 || n[0] != 1 {
		t.Errorf("a store at 44 without letters_by_class, opened again, has %v such indexes, want 1", n)
	}
}

package office_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/store/storetest"
)

// TestIdleServerNoticesNewerSchema: a server of an older build left running on a PostgreSQL
// database that a newer build migrated stops answering from the store, so that /readyz says
// so, even while it writes nothing (its writes would be refused by the store at once).
// Before, it went on serving reads with its own idea of the tables until restarted.
func TestIdleServerNoticesNewerSchema(t *testing.T) {
	dbURL := storetest.PostgresURL(t)
	dir := filepath.Join(t.TempDir(), "office")
	initOffice(t, dir, "--database", dbURL)
	st, closeSt := openDatabase(t, dir, dbURL)
	defer closeSt()
	ctx := context.Background()
	readHead := func() error {
		return st.DB.View(ctx, func(tx *store.Tx) error { _, err := tx.LogHead(ctx); return err })
	}
	if err := readHead(); err != nil {
		t.Fatal(err)
	}
	// What a newer build's migration leaves, committed by another process.
	db, err := sql.Open("pgx", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `INSERT INTO schema_version (version) VALUES ($1)`, store.SchemaVersion+1); err != nil {
		t.Fatal(err)
	}
	if !within(time.Minute, func() bool { return errors.Is(readHead(), store.ErrSchemaNewer) }) {
		t.Fatalf("the store still answers a minute after a newer build migrated it: %v", readHead())
	}
}

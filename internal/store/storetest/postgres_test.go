package storetest

import (
	"context"
	"database/sql"
	"testing"

	"github.com/chancery/chancery/internal/store"
)

// TestPostgresEmptied: the schema PostgresEmptied gives again holds no row of what a store
// wrote in it, and its sequences start again, as in a new store.
func TestPostgresEmptied(t *testing.T) {
	ctx := context.Background()
	empty := PostgresEmptied(t)
	var first int64
	for i := range 3 {
		url := empty()
		db, err := store.OpenPostgres(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := sql.Open("pgx", url)
		if err != nil {
			t.Fatal(err)
		}
		var members int
		err = raw.QueryRowContext(ctx, `SELECT count(*) FROM members`).Scan(&members)
		raw.Close()
		if err != nil {
			t.Fatal(err)
		}
		if members != 0 {
			t.Fatalf("case %d: the schema holds %d members of the case before", i, members)
		}
		m := addMember(t, db, "rita")
		addMember(t, db, "sam")
		if i == 0 {
			first = m.ID
		} else if m.ID != first {
			t.Errorf("case %d: the first member is numbered %d, in a new store %d", i, m.ID, first)
		}
		db.Close()
	}
}

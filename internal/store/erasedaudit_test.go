package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/store/storetest"
)

// testErasedAuditKeepsItsPlace: the update erasure may make to an erased letter's audit events
// (migration 31) cannot move an event to another letter, time or ID, nor delete it.
func testErasedAuditKeepsItsPlace(t *testing.T, db *store.DB) {
	erased, stands := storetest.ErasedLetterEvents(t, db)
	for _, q := range []string{
		`UPDATE audit_events SET reference = '` + stands + `' WHERE reference = '` + erased + `'`,
		`UPDATE audit_events SET time = time + 1 WHERE reference = '` + erased + `'`,
		`UPDATE audit_events SET id = id + 100 WHERE reference = '` + erased + `'`,
		`UPDATE audit_events SET actor = 'x' WHERE reference = '` + stands + `'`,
		`DELETE FROM audit_events WHERE reference = '` + erased + `'`,
	} {
		err := db.Update(t.Context(), func(tx *store.Tx) error { return store.ExecTx(context.Background(), tx, q) })
		if err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v, want the append-only refusal", q, err)
		}
	}
}

func TestErasedAuditKeepsItsPlaceSQLite(t *testing.T) {
	db := openSQLite(t, t.TempDir())
	t.Cleanup(func() { db.Close() })
	testErasedAuditKeepsItsPlace(t, db)
}

func TestErasedAuditKeepsItsPlacePostgres(t *testing.T) {
	db := openPostgres(t, storetest.PostgresURL(t))
	t.Cleanup(func() { db.Close() })
	testErasedAuditKeepsItsPlace(t, db)
}

// On PostgreSQL, TRUNCATE empties a table without firing its row triggers: the audit trail,
// which SQLite's DELETE trigger keeps from being emptied, could be emptied in one statement.
func TestAuditEventsCannotBeTruncatedPostgres(t *testing.T) {
	db := openPostgres(t, storetest.PostgresURL(t))
	t.Cleanup(func() { db.Close() })
	erased, stands := storetest.ErasedLetterEvents(t, db)
	err := db.Update(t.Context(), func(tx *store.Tx) error { return store.ExecTx(context.Background(), tx, `TRUNCATE audit_events`) })
	if err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Errorf("TRUNCATE audit_events: %v, want the append-only refusal", err)
	}
	err = db.View(t.Context(), func(tx *store.Tx) error {
		for _, ref := range []string{erased, stands} {
			if ev, err := tx.AuditEvents(t.Context(), ref); err != nil || len(ev) == 0 {
				t.Errorf("the events of %s after TRUNCATE: %d, %v", ref, len(ev), err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// On SQLite, INSERT OR REPLACE deletes the row it conflicts with without firing delete
// triggers (unless recursive triggers are on): an audit event could be written over with
// another actor, action or detail, which PostgreSQL's update trigger refuses.
func TestAuditEventsCannotBeReplacedSQLite(t *testing.T) {
	db := openSQLite(t, t.TempDir())
	t.Cleanup(func() { db.Close() })
	_, stands := storetest.ErasedLetterEvents(t, db)
	for _, q := range []string{
		`INSERT OR REPLACE INTO audit_events (id, time, actor, action, reference, detail, remote)
			SELECT id, time, 'mallory', action, reference, x'', remote FROM audit_events WHERE reference = '` + stands + `'`,
		`REPLACE INTO audit_events (id, time, actor, action, reference, detail, remote)
			SELECT id, time, 'mallory', action, reference, x'', remote FROM audit_events WHERE reference = '` + stands + `'`,
	} {
		err := db.Update(t.Context(), func(tx *store.Tx) error { return store.ExecTx(context.Background(), tx, q) })
		if err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v, want the append-only refusal", q, err)
		}
	}
	err := db.View(t.Context(), func(tx *store.Tx) error {
		ev, err := tx.AuditEvents(t.Context(), stands)
		if err != nil || len(ev) != 1 || ev[0].Actor == "mallory" || !strings.Contains(ev[0].Detail, "secret reason") {
			t.Errorf("the event of %s after REPLACE: %+v, %v", stands, ev, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

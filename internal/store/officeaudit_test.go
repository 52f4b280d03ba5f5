package store_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/store/storetest"
)

func TestOfficeAuditEventsSQLite(t *testing.T) {
	testOfficeAuditEvents(t, openSQLite(t, t.TempDir()))
}

func TestOfficeAuditEventsPostgres(t *testing.T) {
	testOfficeAuditEvents(t, openPostgres(t, storetest.PostgresURL(t)))
}

// testOfficeAuditEvents: the events that name no letter, newest first, a page at a time;
// a letter's events are not among them.
func testOfficeAuditEvents(t *testing.T, db *store.DB) {
	ctx := t.Context()
	now := time.Now().UTC()
	err := db.Update(ctx, func(tx *store.Tx) error {
		for i := range 5 {
			for _, ref := range []string{"", "TFN-2026-000001"} {
				if err := tx.AddAuditEvent(ctx, store.AuditEvent{Time: now, Actor: "root", Action: "webhook.add", Reference: ref, Detail: fmt.Sprintf("e%d", i)}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	read := func(before int64, limit int) []store.AuditEvent {
		var evs []store.AuditEvent
		if err := db.View(ctx, func(tx *store.Tx) (err error) { evs, err = tx.OfficeAuditEvents(ctx, before, limit); return err }); err != nil {
			t.Fatal(err)
		}
		return evs
	}
	all := read(0, 100)
	if len(all) != 5 {
		t.Fatalf("%d office events, want 5: %+v", len(all), all)
	}
	for i, e := range all {
		if e.Reference != "" || e.Detail != fmt.Sprintf("e%d", 4-i) {
			t.Errorf("office event %d: %+v, want e%d and no reference", i, e, 4-i)
		}
	}
	if page := read(all[1].ID, 2); len(page) != 2 || page[0].ID != all[2].ID || page[1].ID != all[3].ID {
		t.Errorf("the page before %d: %+v", all[1].ID, page)
	}
}

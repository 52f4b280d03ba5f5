package store_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/store/storetest"
)

func TestAuditWordsMigrationSQLite(t *testing.T) {
	testAuditWordsMigration(t, openSQLite(t, t.TempDir()))
}

func TestAuditWordsMigrationPostgres(t *testing.T) {
	testAuditWordsMigration(t, openPostgres(t, storetest.PostgresURL(t)))
}

// testAuditWordsMigration stores audit events as schema 27 stored them (among them details
// that start as the new form does), runs migration 28, and reads every one back; then it
// writes a letter's life and checks that its events are stored in the new form, and that the
// audit trail is still append-only.
func testAuditWordsMigration(t *testing.T, db *store.DB) {
	ctx := t.Context()
	defer db.Close()
	const ref = "TAM-2026-000001"
	old := []struct {
		action string
		stored []byte
		detail string
	}{
		{"letter.sign", []byte("\x03 a detail kept as it is"), "\x03 a detail kept as it is"},
		{"letter.sign", []byte("\x03"), "\x03"},
		{"letter.create", append([]byte("\x01version 1 sha256:\x02"), make([]byte, 32)...), "version 1 sha256:" + strings.Repeat("0", 64)},
		{"letter.approve", []byte("\x00\x01 escaped"), "\x01 escaped"},
		{"member.add", []byte("admin (admin)"), "admin (admin)"},
		{"", []byte(""), ""},
	}
	at := time.Date(2026, 12, 1, 17, 0, 0, 0, time.UTC)
	for i, o := range old {
		if err := db.ExecForTest(ctx, `INSERT INTO audit_events (time, actor, action, reference, detail, remote) VALUES ($1, 'cora', $2, $3, $4, '127.0.0.1:1')`,
			at.UnixNano()+int64(i), o.action, ref, o.stored); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.RunMigrationForTest(ctx, 28); err != nil {
		t.Fatalf("migration 28: %v", err)
	}
	err := db.Update(ctx, func(tx *store.Tx) error {
		for i, e := range storetest.LifeEvents {
			e.Time, e.Actor, e.Reference, e.Remote = storetest.AuditTimes[i%len(storetest.AuditTimes)], "cora", ref, storetest.Remotes[i%len(storetest.Remotes)]
			if err := tx.AddAuditEvent(ctx, e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.View(ctx, func(tx *store.Tx) error {
		evs, err := tx.AuditEvents(ctx, ref)
		if err != nil {
			return err
		}
		for i, o := range old {
			if i >= len(evs) || evs[i].Action != o.action || evs[i].Detail != o.detail || evs[i].Remote != "127.0.0.1:1" || !evs[i].Time.Equal(at.Add(time.Duration(i))) {
				t.Errorf("event %d stored before: read %+v, want %q %q", i, evs[min(i, len(evs)-1)], o.action, o.detail)
			}
		}
		storetest.CheckLifeEvents(t, tx, ref, len(old))
		// A letter's life as writebench writes it (the first, third, fifth and sixth of
		// LifeEvents, from "127.0.0.1:1", "worker", "" and "192.0.2.1", of which only the first
		// is an address and a port): 260 bytes of action, detail and remote address instead of
		// 414.
		n, err := store.IntsTx(ctx, tx, `SELECT length(action) + length(detail) + length(remote) FROM audit_events WHERE reference = $1 ORDER BY id`, ref)
		if err != nil {
			return err
		}
		if got, want := n[len(old)]+n[len(old)+2]+n[len(old)+4]+n[len(old)+5], 260; got != want {
			t.Errorf("a letter's life stored in %d bytes of action, detail and remote address, want %d", got, want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	checkAuditAppendOnly(t, ctx, db)
}

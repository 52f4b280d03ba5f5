package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/store/storetest"
)

// schema17 is the form of the tables that migrations 18 and 19 change, as migrations 2, 5 and 17 left
// them: digests and audit times and details as text.
func schema17(blob, id string) string {
	return fmt.Sprintf(`DROP TABLE audit_events;
DROP TABLE approvals;
DROP TABLE signatures;
CREATE TABLE approvals (
	id %[2]s, letter_id BIGINT NOT NULL REFERENCES letters (id), version_digest TEXT NOT NULL, policy_digest TEXT NOT NULL,
	member_id BIGINT NOT NULL REFERENCES members (id), role TEXT NOT NULL,
	decision TEXT NOT NULL CHECK (decision IN ('approve', 'reject')), comment TEXT NOT NULL, created_at TEXT NOT NULL
);
CREATE INDEX approvals_by_letter ON approvals (letter_id);
CREATE TABLE signatures (
	id %[2]s, letter_id BIGINT NOT NULL REFERENCES letters (id), version_digest TEXT NOT NULL, policy_digest TEXT NOT NULL,
	member_id BIGINT NOT NULL REFERENCES members (id), keyid TEXT NOT NULL REFERENCES signer_keys (keyid), sig %[1]s NOT NULL,
	created_at TEXT NOT NULL
);
CREATE INDEX signatures_by_letter ON signatures (letter_id);
CREATE TABLE audit_events (
	id %[2]s, time TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, reference TEXT NOT NULL,
	detail TEXT NOT NULL, remote TEXT NOT NULL
);
CREATE INDEX audit_by_reference ON audit_events (reference, id)`, blob, id)
}

const (
	appendOnlySQLite = `;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END`
	appendOnlyPostgres = `;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`
)

// testCompactRowsMigration brings the tables that migrations 18 and 19 change back to schema
// 17, fills them with rows as the former code wrote them (storetest's digests, details and
// times, in text), runs migrations 18 and 19 and checks that everything reads back the same, from
// the compact forms, and that the audit trail is still append-only.
func testCompactRowsMigration(t *testing.T, open func() *store.DB, old string) {
	ctx := t.Context()
	db := open()
	if err := db.ExecForTest(ctx, old); err != nil {
		t.Fatalf("back to schema 17: %v", err)
	}
	var m *store.Member
	l := store.Letter{Reference: "TCM-2026-000001", Subject: "s", Class: "c", CreatedAt: time.Now()}
	err := db.Update(ctx, func(tx *store.Tx) (err error) {
		if m, err = tx.AddMember(ctx, "cora", []string{"signer"}, []byte("token"), time.Now()); err != nil {
			return err
		}
		l.AuthorID = m.ID
		if err := tx.AddLetter(ctx, &l); err != nil {
			return err
		}
		return tx.AddSignerKey(ctx, store.SignerKey{KeyID: "k1", MemberID: m.ID, PublicKey: []byte("pk"), CreatedAt: time.Now()})
	})
	if err != nil {
		t.Fatal(err)
	}
	created := "2020-01-06T09:00:00Z" // storetest's t0, as ts wrote it
	for i, d := range storetest.Digests {
		p := storetest.Digests[len(storetest.Digests)-1-i]
		if err := db.ExecForTest(ctx, `INSERT INTO approvals (id, letter_id, version_digest, policy_digest, member_id, role, decision, comment, created_at)
			VALUES ($1, $2, $3, $4, $5, 'reviewer', 'approve', 'ok', $6)`, i+1, l.ID, d, p, m.ID, created); err != nil {
			t.Fatal(err)
		}
		if err := db.ExecForTest(ctx, `INSERT INTO signatures (id, letter_id, version_digest, policy_digest, member_id, keyid, sig, created_at)
			VALUES ($1, $2, $3, $4, $5, 'k1', $6, $7)`, i+1, l.ID, d, p, m.ID, []byte{byte(i)}, created); err != nil {
			t.Fatal(err)
		}
	}
	for i, d := range storetest.Details {
		at := storetest.AuditTimes[i%len(storetest.AuditTimes)].UTC().Format(time.RFC3339Nano)
		if err := db.ExecForTest(ctx, `INSERT INTO audit_events (id, time, actor, action, reference, detail, remote)
			VALUES ($1, $2, 'cora', 'letter.test', $3, $4, '127.0.0.1:1')`, i+1, at, l.Reference, d); err != nil {
			t.Fatal(err)
		}
	}
	for _, n := range []int{18, 19} {
		if err := db.RunMigrationForTest(ctx, n); err != nil {
			t.Fatalf("migration %d: %v", n, err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = open()
	defer db.Close()
	err = db.View(ctx, func(tx *store.Tx) error {
		storetest.CheckCompactRows(t, tx, l.ID, l.Reference)
		// Stored compact: a canonical digest in 33 bytes, a quoted one in 34 instead of 71.
		lengths, err := store.IntsTx(ctx, tx, `SELECT length(version_digest) FROM approvals ORDER BY id`)
		if err != nil {
			return err
		}
		if lengths[0] != 33 {
			t.Errorf("a canonical digest takes %d bytes after migrating, want 33", lengths[0])
		}
		lengths, err = store.IntsTx(ctx, tx, `SELECT length(detail) FROM audit_events ORDER BY id`)
		if err != nil {
			return err
		}
		if want := len(storetest.Details[1]) - 30; lengths[1] != want {
			t.Errorf("a detail quoting a digest takes %d bytes after migrating, want %d", lengths[1], want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	checkAuditAppendOnly(t, ctx, db)
}

func TestCompactRowsMigrationSQLite(t *testing.T) {
	dir := t.TempDir()
	testCompactRowsMigration(t, func() *store.DB { return openSQLite(t, dir) },
		schema17("BLOB", "INTEGER PRIMARY KEY")+appendOnlySQLite)
}

func TestCompactRowsMigrationPostgres(t *testing.T) {
	url := storetest.PostgresURL(t)
	testCompactRowsMigration(t, func() *store.DB { return openPostgres(t, url) },
		schema17("BYTEA", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY")+appendOnlyPostgres)
}

// checkAuditAppendOnly checks that the audit trail of db refuses updates and deletions after
// a migration that rewrote it.
func checkAuditAppendOnly(t *testing.T, ctx context.Context, db *store.DB) {
	t.Helper()
	for _, q := range []string{`UPDATE audit_events SET actor = 'x'`, `DELETE FROM audit_events`} {
		err := db.Update(ctx, func(tx *store.Tx) error { return store.ExecTx(ctx, tx, q) })
		if err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s after migrating: %v, want the append-only refusal", q, err)
		}
	}
}

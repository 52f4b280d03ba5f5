package store_test

import (
	"testing"
	"time"

	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/store/storetest"
)

func TestProviderMembersMigrationSQLite(t *testing.T) {
	testProviderMembersMigration(t, openSQLite(t, t.TempDir()))
}

func TestProviderMembersMigrationPostgres(t *testing.T) {
	testProviderMembersMigration(t, openPostgres(t, storetest.PostgresURL(t)))
}

// testProviderMembersMigration stores members and their creation's audit events as schema 29
// did, runs the part of migration 30 that finds those the OpenID provider created, and checks
// that only those get its issuer (and no subject yet): not a member an admin added, nor the
// bootstrap admin, whatever their names.
func testProviderMembersMigration(t *testing.T, db *store.DB) {
	ctx := t.Context()
	defer db.Close()
	const idp = "https://login.example/realms/office"
	at := time.Date(2026, 12, 1, 17, 0, 0, 0, time.UTC)
	err := db.Update(ctx, func(tx *store.Tx) error {
		for i, m := range []struct{ name, actor, detail, remote string }{
			{"anonymous", "anonymous", "anonymous (admin)", "init"},
			{"dana", "anonymous", "dana (reviewer)", "127.0.0.1:4"},
			{"olga", "olga", "olga (reviewer,signer) on first sign-in through " + idp, "192.0.2.7:443"},
			{"ivan@tfn.example", "ivan@tfn.example", "ivan@tfn.example (reviewer) on first sign-in through " + idp, "worker"},
			// An admin named like the member it adds cannot exist (names are unique); an
			// admin's own creation by another admin is not the provider's.
			{"rita", "dana", "rita (admin)", "127.0.0.1:4"},
		} {
			if _, err := tx.AddMember(ctx, m.name, []string{"reviewer"}, []byte("token of "+m.name), at); err != nil {
				return err
			}
			if err := tx.AddAuditEvent(ctx, store.AuditEvent{Time: at.Add(time.Duration(i)), Actor: m.actor, Action: "member.add",
				Detail: m.detail, Remote: m.remote}); err != nil {
				return err
			}
		}
		// A member whose creation's detail is stored as the forms before migration 28 stored it.
		if _, err := tx.AddMember(ctx, "sam", []string{"signer"}, []byte("token of sam"), at); err != nil {
			return err
		}
		return store.ExecTx(ctx, tx, `INSERT INTO audit_events (time, actor, action, reference, detail, remote) VALUES ($1, 'sam', 'member.add', '', $2, '10.0.0.1:1')`,
			at.UnixNano()+10, []byte("sam (signer) on first sign-in through "+idp))
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.MarkProviderMembersForTest(ctx); err != nil {
		t.Fatalf("migration 30: %v", err)
	}
	want := map[string]string{"anonymous": "", "dana": "", "rita": "", "olga": idp, "ivan@tfn.example": idp, "sam": idp}
	err = db.View(ctx, func(tx *store.Tx) error {
		ms, err := tx.Members(ctx)
		if err != nil {
			return err
		}
		for _, m := range ms {
			if m.Issuer != want[m.Name] || m.Subject != "" || m.FromProvider() != (want[m.Name] != "") {
				t.Errorf("%s after migration 30: issuer %q, subject %q; want issuer %q and no subject", m.Name, m.Issuer, m.Subject, want[m.Name])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

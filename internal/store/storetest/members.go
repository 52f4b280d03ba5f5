package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/store"
)

// testMembers checks the administration of members: listing, roles, tokens, disabling and
// their signer keys.
func testMembers(t *testing.T, db *store.DB) {
	rita := addMember(t, db, "rita")
	sam := addMember(t, db, "sam")
	const missing = int64(1 << 40)

	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		ms, err := tx.Members(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) != 2 || ms[0].Name != "rita" || ms[1].Name != "sam" {
			t.Fatalf("members = %+v, want rita then sam (in the order added)", ms)
		}
		if ms[0].Disabled() || !ms[0].CreatedAt.Equal(t0) {
			t.Errorf("a new member read back as %+v", ms[0])
		}
		return nil
	})

	// Roles are replaced, in the order given.
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		return tx.SetMemberRoles(ctx, rita.ID, []string{"reviewer", "legal"})
	})
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		m, err := tx.MemberByID(ctx, rita.ID)
		if err != nil || fmt.Sprint(m.Roles) != "[reviewer legal]" {
			t.Errorf("roles after SetMemberRoles: %v, %v", m, err)
		}
		return nil
	})

	// A new token hash replaces the old one at once; another member's hash is a conflict.
	newHash := bytes.Repeat([]byte{9}, 32)
	update(t, db, func(ctx context.Context, tx *store.Tx) error { return tx.SetMemberToken(ctx, rita.ID, newHash) })
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		if _, err := tx.MemberByToken(ctx, []byte("token of rita")); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the old token hash still finds the member: %v", err)
		}
		if m, err := tx.MemberByToken(ctx, newHash); err != nil || m.ID != rita.ID {
			t.Errorf("the new token hash finds %v, %v", m, err)
		}
		return nil
	})
	err := db.Update(t.Context(), func(tx *store.Tx) error { return tx.SetMemberToken(t.Context(), sam.ID, newHash) })
	if !errors.Is(err, store.ErrConflict) {
		t.Errorf("taking another member's token hash: %v, want ErrConflict", err)
	}

	// Disabled, then enabled again.
	later := t0.Add(48 * time.Hour)
	update(t, db, func(ctx context.Context, tx *store.Tx) error { return tx.SetMemberDisabled(ctx, sam.ID, later) })
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		m, err := tx.MemberByName(ctx, "sam")
		if err != nil || !m.Disabled() || !m.DisabledAt.Equal(later) {
			t.Errorf("after SetMemberDisabled: %+v, %v", m, err)
		}
		return nil
	})
	update(t, db, func(ctx context.Context, tx *store.Tx) error { return tx.SetMemberDisabled(ctx, sam.ID, time.Time{}) })
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		if m, err := tx.MemberByID(ctx, sam.ID); err != nil || m.Disabled() {
			t.Errorf("after enabling: %+v, %v", m, err)
		}
		return nil
	})

	// Changes to a member that does not exist are ErrNotFound.
	for name, fn := range map[string]func(ctx context.Context, tx *store.Tx) error{
		"SetMemberRoles": func(ctx context.Context, tx *store.Tx) error {
			return tx.SetMemberRoles(ctx, missing, []string{"admin"})
		},
		"SetMemberToken":    func(ctx context.Context, tx *store.Tx) error { return tx.SetMemberToken(ctx, missing, []byte("x")) },
		"SetMemberDisabled": func(ctx context.Context, tx *store.Tx) error { return tx.SetMemberDisabled(ctx, missing, later) },
	} {
		if err := db.Update(t.Context(), func(tx *store.Tx) error { return fn(t.Context(), tx) }); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s of a member that does not exist: %v, want ErrNotFound", name, err)
		}
	}

	// A member's signer keys, revoked or not, in the order registered; none for another.
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		for i, id := range []string{"key-b", "key-a"} {
			k := store.SignerKey{KeyID: id, MemberID: sam.ID, PublicKey: bytes.Repeat([]byte{byte(i)}, 32), AddedIndex: int64(10 + i), CreatedAt: t0}
			if err := tx.AddSignerKey(ctx, k); err != nil {
				return err
			}
		}
		return tx.RevokeSignerKey(ctx, "key-b", 12, later)
	})
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		ks, err := tx.SignerKeysOf(ctx, sam.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(ks) != 2 || ks[0].KeyID != "key-b" || ks[1].KeyID != "key-a" {
			t.Fatalf("keys of sam = %+v, want key-b then key-a", ks)
		}
		if !ks[0].Revoked() || ks[0].RevokedIndex != 12 || !ks[0].RevokedAt.Equal(later) || ks[1].Revoked() || ks[1].AddedIndex != 11 {
			t.Errorf("keys read back as %+v", ks)
		}
		if ks, err := tx.SignerKeysOf(ctx, rita.ID); err != nil || len(ks) != 0 {
			t.Errorf("keys of a member without any: %v, %v", ks, err)
		}
		return nil
	})
}

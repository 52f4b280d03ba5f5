package registry

import (
	"context"
	"errors"
	"testing"

	"github.com/chancery/chancery/internal/store"
)

// TestRevokeKeyByAnAdminNoLongerOne: an admin disabled, or whose admin role was taken, after
// their request was authenticated revokes no other member's key, as an admin's other changes
// check in their transaction (stillActs). Until the thirty-ninth session RevokeKey did not,
// and logged the revocation of the signer's key. A signer still revokes their own key.
func TestRevokeKeyByAnAdminNoLongerOne(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	tok, err := o.r.AddMember(ctx, o.admin, "ada", []string{RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	ada := o.actor(t, tok)
	revoked := func() bool {
		t.Helper()
		var k *store.SignerKey
		err := o.r.cfg.DB.View(ctx, func(tx *store.Tx) (err error) {
			k, err = tx.SignerKey(ctx, o.keyID)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return k.Revoked()
	}
	for _, c := range []struct {
		name   string
		change func(t *testing.T)
	}{
		{"admin role taken", func(t *testing.T) {
			if _, err := o.r.SetRoles(ctx, o.admin, "ada", []string{RoleDrafter}, []string{RoleAdmin}); err != nil {
				t.Fatal(err)
			}
		}},
		{"disabled", func(t *testing.T) {
			if _, err := o.r.DisableMember(ctx, o.admin, "ada"); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		stale := ada // authenticated before the change
		c.change(t)
		if _, err := o.r.RevokeKey(ctx, stale, o.keyID, "revoked by an admin who is no longer one"); !errors.Is(err, ErrForbidden) {
			t.Errorf("%s since: %v", c.name, err)
		}
		if revoked() {
			t.Fatalf("%s since: sam's key was revoked", c.name)
		}
		if c.name == "admin role taken" {
			if _, err := o.r.SetRoles(ctx, o.admin, "ada", []string{RoleAdmin}, []string{RoleDrafter}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := o.r.RevokeKey(ctx, o.signer, o.keyID, "lost"); err != nil || !revoked() {
		t.Errorf("sam revoking his own key: %v", err)
	}
}

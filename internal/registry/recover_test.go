package registry

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/store"
)

func TestRecoverAdmin(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { recoverAdmin(t, newOffice(t)) })
	t.Run("postgres", func(t *testing.T) { recoverAdmin(t, postgresOffice(t)) })
}

// recoverAdmin checks the operator's way back to an admin's account under two_admins with two
// admins, where the admins themselves have none: the change giving ada a new token waits for
// ada. RecoverAdmin replaces her token and undoes what the old one may have done (her key
// revoked, her waiting change refused), and refuses any account but an active admin's,
// before it revokes anything.
func recoverAdmin(t *testing.T, o *office) {
	ctx := context.Background()
	old, err := o.r.AddMember(ctx, o.admin, "ada", []string{RoleAdmin, RoleSigner})
	if err != nil {
		t.Fatal(err)
	}
	ada := o.actor(t, old)
	_, adaKey := o.newKey(t, ada)
	p, src := twoAdminsPolicy(t, true)
	if _, err := o.r.AdoptPolicy(ctx, o.admin, p, src); err != nil {
		t.Fatal(err)
	}
	// Whoever holds ada's token proposes a member of their own.
	_, err = o.r.AddMember(ctx, ada, "mallory", []string{RoleSigner})
	mallory := proposed(t, err, ChangeAddMember, "ada")
	// root cannot cut the token off: the change waits for ada.
	_, err = o.r.IssueToken(ctx, o.admin, "ada")
	newToken := proposed(t, err, ChangeToken, "root")
	// A change about another member, and one about ada that is no member change, stay.
	_, err = o.r.SetRoles(ctx, o.admin, "sam", []string{RoleReviewer}, nil)
	other := proposed(t, err, ChangeRoles, "root")

	if _, err := o.r.RecoverAdmin(ctx, "sam"); !errors.Is(err, ErrConflict) || !strings.Contains(err.Error(), "sam is not an admin") {
		t.Fatalf("a signer's account recovered: %v, want ErrConflict", err)
	}
	if _, err := o.r.RecoverAdmin(ctx, "nobody"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("nobody's account recovered: %v, want ErrNotFound", err)
	}
	keyRevoked := func(keyID string) bool {
		var revoked bool
		err := o.r.cfg.DB.View(ctx, func(tx *store.Tx) error {
			k, err := tx.SignerKey(ctx, keyID)
			revoked = err == nil && k.Revoked()
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return revoked
	}
	if keyRevoked(o.keyID) {
		t.Fatal("the refused recovery of sam revoked sam's key")
	}

	rec, err := o.r.RecoverAdmin(ctx, "ada")
	if err != nil {
		t.Fatal(err)
	}
	tok := rec.Token
	want := []string{
		fmt.Sprintf("change %d: member.add mallory, proposed by ada, refused: ada was given a new token", mallory.ID),
		fmt.Sprintf("change %d: member.token ada, proposed by root, refused: ada's account was recovered by the operator (chancery member recover)", newToken.ID),
	}
	var got []string
	for _, f := range rec.Refused {
		got = append(got, fmt.Sprintf("change %d: %s %s, proposed by %s, %s: %s", f.Change.ID, f.Change.Kind, f.Change.Member, f.Change.ProposedBy, f.Change.State, f.Why))
	}
	if !slices.Equal(got, want) {
		t.Errorf("the changes refused: %q, want %q", got, want)
	}
	// root's new token for ada, which waited for ada's approval, is pointless now: refused by
	// the operator in the recovery (fifty-seventh session's not-fixed list, the lead's
	// decision: it stayed pending).
	if c, err := o.r.Change(ctx, o.admin, newToken.ID); err != nil || c.State != store.ChangeRefused || c.DecidedBy != "operator (chancery member recover)" {
		t.Errorf("root's new token for ada after the recovery: %+v, %v; want refused by the operator", c, err)
	}
	if c, err := o.r.Change(ctx, o.admin, other.ID); err != nil || c.State != store.ChangePending {
		t.Errorf("root's change of sam's roles after ada's recovery: %+v, %v; want pending", c, err)
	}
	if m, err := o.r.Authenticate(ctx, tok); err != nil || m.Name != "ada" {
		t.Errorf("the new token: %v, %v", m, err)
	}
	if _, err := o.r.Authenticate(ctx, old); !errors.Is(err, ErrUnauthenticated) {
		t.Errorf("the old token: %v, want ErrUnauthenticated", err)
	}
	if !keyRevoked(adaKey) {
		t.Error("ada's key, which the old token could have registered, is in force")
	}
	c, err := o.r.Change(ctx, o.admin, mallory.ID)
	if err != nil {
		t.Fatal(err)
	}
	if c.State != store.ChangeRefused {
		t.Errorf("the change the old token proposed is %s, want refused", c.State)
	}
	// Refused by the operator, not withdrawn by ada (its proposer), whose token was taken.
	if c.DecidedBy != "operator (chancery member recover)" || c.DecidedAt == nil {
		t.Errorf("the change the old token proposed was refused by %q at %v, want the operator", c.DecidedBy, c.DecidedAt)
	}
	if got := lastEvent(t, o); got != "operator (chancery member recover) member.token ada, 0 sessions ended, password removed" {
		t.Errorf("audit %q", got)
	}
}

// TestRecoverWhileTheOldTokenRegistersKeys: on PostgreSQL the office's other servers may run
// while the operator recovers an admin's account (docs/operations.md), and whoever holds the
// old token can register a signer key through them at every attempt. The recovery then
// failed with member token's advice, to disable the admin, which two_admins refuses for
// either of the last two: the very case it exists for. It says to stop every server, and
// leaves the old token as it was.
func TestRecoverWhileTheOldTokenRegistersKeys(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	old, err := o.r.AddMember(ctx, o.admin, "ada", []string{RoleAdmin, RoleSigner})
	if err != nil {
		t.Fatal(err)
	}
	thief := o.actor(t, old)
	p, src := twoAdminsPolicy(t, true)
	if _, err := o.r.AdoptPolicy(ctx, o.admin, p, src); err != nil {
		t.Fatal(err)
	}
	registered := 0
	keysRevoked = func() { registered++; o.newKey(t, thief) }
	t.Cleanup(func() { keysRevoked = func() {} })
	_, err = o.r.RecoverAdmin(ctx, "ada")
	if !errors.Is(err, ErrOldTokenInUse) || strings.Contains(err.Error(), "member disable") || !strings.Contains(err.Error(), "stop every server of the office") {
		t.Errorf("recovery with keys registered at every attempt: %v, want ErrOldTokenInUse saying to stop every server", err)
	}
	if registered != keysRetries+1 {
		t.Errorf("%d attempts, want %d", registered, keysRetries+1)
	}
	if _, err := o.r.Authenticate(ctx, old); err != nil {
		t.Errorf("the failed recovery changed the token: %v", err)
	}
	// What member token's advice says to do is refused here.
	if _, err := o.r.DisableMember(ctx, o.admin, "ada"); err == nil {
		t.Error("one of the last two admins disabled under two_admins")
	}
}

package registry

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/translog"
)

// restarted returns o's office as a server started again on o's database finds it, after o's
// server stopped: o's log is closed first, so that nothing more is appended through it.
func restarted(t *testing.T, o *office) *office {
	t.Helper()
	ctx := context.Background()
	o.r.cfg.Log.Close()
	lg, err := translog.Open(ctx, o.r.cfg.DB, translog.Config{Origin: o.r.cfg.LogOrigin, Signer: o.logSigner})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lg.Close() })
	cfg := o.r.cfg
	cfg.Log = lg
	return &office{r: New(cfg), dir: o.dir, logSigner: o.logSigner, admin: o.admin, drafter: o.drafter, reviewer: o.reviewer,
		signer: o.signer, officer: o.officer, signerKey: o.signerKey, keyID: o.keyID, verifier: o.verifier}
}

// TestSignatureBeforeADisableCutShortStaysVoid: a member's disablement commits, then its
// server stops before the member's signer keys are revoked (each revocation is a log entry
// of its own, appended after the commit: a crash, the admin's request given up, or a
// revocation refused leaves them in force). Enabling the member again must not bring back the
// signatures made before the disablement, by whoever held the account: the keys left are
// revoked before the member is enabled. Before, the letter signed before the disablement was
// released on that signature once the member was enabled, and disabling again was refused
// ("already disabled"), so nothing in the registry revoked the keys.
func TestSignatureBeforeADisableCutShortStaysVoid(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	ref := o.letter(t, "Signed with a stolen account, then the account was disabled.")
	o.approve(t, ref)
	if err := o.sign(t, ref); err != nil {
		t.Fatal(err)
	}
	o.r.cfg.Log.Close() // the server stops between the disablement's commit and the revocations
	if _, err := o.r.DisableMember(ctx, o.admin, "sam"); err == nil {
		t.Fatal("the keys were revoked through a closed log")
	}
	o = restarted(t, o)
	if _, err := o.r.EnableMember(ctx, o.admin, "sam"); err != nil {
		t.Fatal(err)
	}
	err := tryRelease(o, ref)
	if err == nil {
		t.Fatal("released on a signature made before the member was disabled")
	}
	gate := wantGate(t, err, "1 signature by a signer")
	if !mentions(gate.Reasons, "was revoked") {
		t.Errorf("the gate's reasons %q do not say the key was revoked", gate.Reasons)
	}
	// The disablement ended sam's token: sam signs in with a password an admin sets, which
	// revokes nothing itself.
	if err := o.r.SetPassword(ctx, o.admin, "sam", "a long password for sam"); err != nil {
		t.Fatal(err)
	}
	m, err := o.r.CheckPassword(ctx, "sam", "a long password for sam")
	if err != nil {
		t.Fatal(err)
	}
	times := SessionTimes{Lifetime: time.Hour, Idle: time.Hour}
	id, err := o.r.StartSession(ctx, m, "test", times)
	if err != nil {
		t.Fatal(err)
	}
	if m, err = o.r.SessionMember(ctx, id, times); err != nil {
		t.Fatal(err)
	}
	o.signer = Actor{Member: m, Remote: "test"}
	if err := o.sign(t, ref); err == nil || !errors.Is(err, ErrForbidden) {
		t.Errorf("signing with the key the disablement should have revoked: %v", err)
	}
}

// TestSignatureBeforeARoleRemovalCutShortStaysVoid: as above, for the signer role taken away
// (item 103's revocations) and given back after the server stopped in between.
func TestSignatureBeforeARoleRemovalCutShortStaysVoid(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	if _, err := o.r.SetRoles(ctx, o.admin, "sam", []string{RoleReviewer}, nil); err != nil {
		t.Fatal(err)
	}
	ref := o.letter(t, "Signed, then the signer role was taken away.")
	o.approve(t, ref)
	if err := o.sign(t, ref); err != nil {
		t.Fatal(err)
	}
	o.r.cfg.Log.Close()
	if _, err := o.r.SetRoles(ctx, o.admin, "sam", nil, []string{RoleSigner}); err == nil {
		t.Fatal("the keys were revoked through a closed log")
	}
	o = restarted(t, o)
	if _, err := o.r.SetRoles(ctx, o.admin, "sam", []string{RoleSigner}, nil); err != nil {
		t.Fatal(err)
	}
	if err := tryRelease(o, ref); err == nil {
		t.Fatal("released on a signature made before the signer role was taken away")
	}
}

// TestSignatureBeforeAProviderTookTheRoleCutShortStaysVoid: as above, for the signer role an
// identity provider's sign-in took away (item 103) and a later sign-in gives back.
func TestSignatureBeforeAProviderTookTheRoleCutShortStaysVoid(t *testing.T) {
	o, ref, managed := signedThenProviderTookTheRole(t)
	if _, err := o.signInAs("sub-sia", "sia", managed, RoleSigner, RoleReviewer); err != nil {
		t.Fatal(err)
	}
	if err := tryRelease(o, ref); err == nil {
		t.Fatal("released on a signature made before the provider took the signer role")
	}
}

// TestSignatureBeforeAProviderTookTheRoleOfAnUnboundMemberStaysVoid: as above, for a member
// the provider created before its users' subjects were kept (migration 30 leaves it the
// provider's issuer and no subject), bound by the sign-in that gives the role back: the keys
// left are revoked before it binds. Before, only a member found by its subject had them
// revoked, and the signature made before the provider took the role counted again.
func TestSignatureBeforeAProviderTookTheRoleOfAnUnboundMemberStaysVoid(t *testing.T) {
	o, ref, managed := signedThenProviderTookTheRole(t)
	raw, err := sql.Open("sqlite", "file:"+filepath.Join(o.dir, store.SQLiteFile))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.ExecContext(context.Background(), `UPDATE members SET oidc_subject = NULL WHERE name = 'sia'`); err != nil {
		t.Fatal(err)
	}
	if m, err := o.signInAs("sub-sia", "sia", managed, RoleSigner, RoleReviewer); err != nil || m.Subject != "sub-sia" {
		t.Fatalf("the sign-in that binds sia: %+v, %v", m, err)
	}
	if err := tryRelease(o, ref); err == nil {
		t.Fatal("released on a signature made before the provider took the signer role")
	}
}

// TestWithdrawalBySignerDisabledMeanwhileRefused: a retraction whose request was
// authenticated before its signer was disabled, and reaches the log after the disablement
// committed but before the signer's key was revoked (here the revocation never happens: the
// server stopped in between), is refused, as is a signature; before, the retraction was
// logged, for good, in the name of a disabled member.
func TestWithdrawalBySignerDisabledMeanwhileRefused(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	ref, _ := o.released(t, "Retracted by a request that outlived its signer's account.")
	draft := o.letter(t, "Signed by a request that outlived its signer's account.")
	o.approve(t, draft)
	rec, pt, op, err := o.r.WithdrawalStatement(ctx, o.signer, ref, "", "withdrawn")
	if err != nil {
		t.Fatal(err)
	}
	sig := signPAE(o.signerKey, pt, rec)
	sst := o.statement(t, o.signer, draft)
	o.r.cfg.Log.Close()
	if _, err := o.r.DisableMember(ctx, o.admin, "sam"); err == nil {
		t.Fatal("the keys were revoked through a closed log")
	}
	o = restarted(t, o)
	if _, err := o.r.Withdraw(ctx, o.signer, ref, "", o.keyID, rec, op, sig); !errors.Is(err, ErrForbidden) {
		t.Errorf("retraction by a signer disabled meanwhile: %v, want %v", err, ErrForbidden)
	}
	if err := o.r.Sign(ctx, o.signer, draft, o.keyID, sst, signPAE(o.signerKey, seal.SigningPayloadType, sst)); !errors.Is(err, ErrForbidden) {
		t.Errorf("signature by a signer disabled meanwhile: %v, want %v", err, ErrForbidden)
	}
}

// TestRoleRemovalWhoseRevocationIsRefusedIsNotReportedDone: on a server left signing with a
// retired office key (every entry it appends is refused with a conflict, item 55), taking
// the signer role away commits the roles, and the key's revocation is refused. Before, that
// refusal was taken for "already revoked" (both conflicts), and SetRoles reported success
// with the key in force; so did a provider's sign-in that took the role.
func TestRoleRemovalWhoseRevocationIsRefusedIsNotReportedDone(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	if _, err := o.r.SetRoles(ctx, o.admin, "sam", []string{RoleReviewer}, nil); err != nil {
		t.Fatal(err)
	}
	_, next, _ := ed25519.GenerateKey(rand.Reader)
	if _, err := o.r.RotateOfficeKey(ctx, o.admin, next, "office.key", "office-next.key", "rotation"); err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.SetRoles(ctx, o.admin, "sam", nil, []string{RoleSigner}); err == nil {
		t.Error("the signer role's removal reported done, its key's revocation refused")
	}
	err := o.r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		k, err := tx.SignerKey(ctx, o.keyID)
		if err == nil && k.Revoked() {
			t.Error("a server with a retired office key revoked a key")
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// signedThenProviderTookTheRole is an office, restarted, where member sia, a provider's, signed
// letter ref, and a sign-in that took the signer role away had its keys' revocation cut short
// (the log closed under it); managed are the roles the provider manages.
func signedThenProviderTookTheRole(t *testing.T) (o *office, ref string, managed []string) {
	t.Helper()
	ctx := context.Background()
	o = newOffice(t)
	managed = []string{RoleReviewer, RoleSigner}
	sia, err := o.signInAs("sub-sia", "sia", managed, RoleSigner, RoleReviewer)
	if err != nil {
		t.Fatal(err)
	}
	pub, key, _ := ed25519.GenerateKey(rand.Reader)
	keyID, _, err := o.r.RegisterKey(ctx, Actor{Member: sia}, pub)
	if err != nil {
		t.Fatal(err)
	}
	ref = o.letter(t, "Signed through a provider account, then the provider took the role.")
	o.approve(t, ref)
	st, err := o.r.SigningStatement(ctx, Actor{Member: sia}, ref)
	if err != nil {
		t.Fatal(err)
	}
	if err := o.r.Sign(ctx, Actor{Member: sia}, ref, keyID, st, signPAE(key, seal.SigningPayloadType, st)); err != nil {
		t.Fatal(err)
	}
	o.r.cfg.Log.Close()
	if _, err := o.signInAs("sub-sia", "sia", managed, RoleReviewer); err == nil {
		t.Fatal("the keys were revoked through a closed log")
	}
	o = restarted(t, o)
	return o, ref, managed
}

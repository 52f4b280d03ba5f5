package registry

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
)

// TestApprovalBeforeDisableStaysVoidAfterEnable: disabling a member (who left, or whose token
// may be lost) voids the approvals they gave on letters not yet released; enabling them again
// does not bring those approvals back, as it does not bring back their revoked keys. They
// approve again if they still mean it.
func TestApprovalBeforeDisableStaysVoidAfterEnable(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	ref := o.letter(t, "Dear Minister,\n\nThe forces will be repositioned.")
	o.approve(t, ref)
	if err := o.sign(t, ref); err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.DisableMember(ctx, o.admin, "rita"); err != nil {
		t.Fatal(err)
	}
	tok, err := o.r.EnableMember(ctx, o.admin, "rita")
	if err != nil {
		t.Fatal(err)
	}
	rita := o.actor(t, tok)
	v, err := o.r.Letter(ctx, rita, ref)
	if err != nil {
		t.Fatal(err)
	}
	for _, ap := range v.Approvals {
		if ap.Member == "rita" {
			t.Errorf("the letter shows rita's voided approval, or its void as her decision: %+v", ap)
		}
	}
	if v.Decision == nil || !slices.ContainsFunc(v.Decision.Notes, func(n string) bool { return strings.Contains(n, "rita was disabled since") }) {
		t.Errorf("the decision does not say why rita's approval does not count: %+v", v.Decision)
	}
	in, err := o.r.Inbox(ctx, rita)
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Waiting) != 1 || !slices.Contains(in.Waiting[0].Actions, ActApprove) {
		t.Errorf("rita's inbox does not ask her to approve again: %+v", in.Waiting)
	}
	var gate *GateError
	if _, err := o.r.Release(ctx, o.officer, ref); !errors.As(err, &gate) {
		t.Fatalf("released on an approval given before its giver was disabled: %v", err)
	}
	if err := o.r.Approve(ctx, rita, ref, "", "still agreed"); err != nil {
		t.Fatalf("approving again after being enabled: %v", err)
	}
	if _, err := o.r.Release(ctx, o.officer, ref); err != nil {
		t.Fatalf("release on the new approval: %v", err)
	}
}

// TestApprovalByMemberDisabledMeanwhileRefused: a request authenticated before its member was
// disabled, and carried out after, approves nothing: otherwise its approval, recorded after
// the disablement voided the member's others, would count again once they are enabled.
func TestApprovalByMemberDisabledMeanwhileRefused(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	ref := o.letter(t, "Dear Minister,\n\nThe forces will be repositioned.")
	stale := o.reviewer // authenticated before the disablement
	if _, err := o.r.DisableMember(ctx, o.admin, "rita"); err != nil {
		t.Fatal(err)
	}
	err := o.r.Approve(ctx, stale, ref, "", "reviewed")
	wantErr(t, "approval by a member disabled since the request was authenticated", err, ErrForbidden)
	if _, err := o.r.EnableMember(ctx, o.admin, "rita"); err != nil {
		t.Fatal(err)
	}
	if err := o.sign(t, ref); err != nil {
		t.Fatal(err)
	}
	var gate *GateError
	if _, err := o.r.Release(ctx, o.officer, ref); !errors.As(err, &gate) {
		t.Fatalf("released on an approval made while its giver was disabled: %v", err)
	}
}

// TestApprovalBeforeNewTokenVoided: an admin gives a member a new token in answer to a leaked
// one. The old token stopped working, with its sessions and password, but the approvals given
// with it, perhaps by whoever held it, still counted, and a letter was released on them. They
// are now voided as a disabling voids them: the gate says why, the member approves again if
// they still mean it. Their changes waiting for a second admin are refused too.
func TestApprovalBeforeNewTokenVoided(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	ref := o.letter(t, "Dear Minister,\n\nThe forces will be repositioned.")
	o.approve(t, ref)
	if err := o.sign(t, ref); err != nil {
		t.Fatal(err)
	}
	tok, err := o.r.IssueToken(ctx, o.admin, "rita")
	if err != nil {
		t.Fatal(err)
	}
	rita := o.actor(t, tok)
	v, err := o.r.Letter(ctx, rita, ref)
	if err != nil {
		t.Fatal(err)
	}
	if v.Decision == nil || !slices.ContainsFunc(v.Decision.Notes, func(n string) bool { return strings.Contains(n, "rita was given a new token since") }) {
		t.Errorf("the decision does not say why rita's approval does not count: %+v", v.Decision)
	}
	var gate *GateError
	if _, err := o.r.Release(ctx, o.officer, ref); !errors.As(err, &gate) {
		t.Fatalf("released on an approval given with the token rita was given a new one for: %v", err)
	}
	if err := o.r.Approve(ctx, rita, ref, "", "still agreed"); err != nil {
		t.Fatalf("approving again with the new token: %v", err)
	}
	if _, err := o.r.Release(ctx, o.officer, ref); err != nil {
		t.Fatalf("release on the new approval: %v", err)
	}
}

// TestKeysRevokedAtNewToken: a leaked token lets its holder register a signer key of their own
// in the member's name and sign with it. The new token an admin gives answers the leak: the
// member's keys are revoked, so that the holder's signature no longer counts (as the approval
// given with the token no longer does); the member registers a new key and signs again.
func TestKeysRevokedAtNewToken(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	thief := o.actor(t, mustIssue(t, o, o.admin, "sam"))
	ref := o.letter(t, "Dear Minister,\n\nThe forces will be repositioned.")
	key, keyID := o.newKey(t, thief) // in sam's name
	if err := o.signAs(t, thief, key, keyID, ref); err != nil {
		t.Fatal(err)
	}
	o.approve(t, ref)
	if len(o.keysInForce(t)) == 0 {
		t.Fatal("sam has no key in force before the new token")
	}
	tok, err := o.r.IssueToken(ctx, o.admin, "sam")
	if err != nil {
		t.Fatal(err)
	}
	if ks := o.keysInForce(t); len(ks) != 0 {
		t.Fatalf("keys in force after sam's new token: %v", ks)
	}
	var gate *GateError
	if _, err := o.r.Release(ctx, o.officer, ref); !errors.As(err, &gate) {
		t.Fatalf("released on a signature made with a key the leaked token registered: %v", err)
	}
	if !slices.ContainsFunc(gate.Reasons, func(n string) bool { return strings.Contains(n, "key "+keyID+" was revoked") }) {
		t.Errorf("the gate does not say why sam's signature does not count: %v", gate.Reasons)
	}
	sam := o.actor(t, tok)
	key, keyID = o.newKey(t, sam)
	if err := o.signAs(t, sam, key, keyID, ref); err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.Release(ctx, o.officer, ref); err != nil {
		t.Fatalf("release on sam's signature with the key registered after the new token: %v", err)
	}
	// An admin's own new token (a renewal) revokes nothing of theirs.
	name := o.admin.Member.Name
	if _, err := o.r.SetRoles(ctx, o.admin, name, []string{RoleSigner}, nil); err != nil {
		t.Fatal(err)
	}
	admin := o.actor(t, mustIssue(t, o, o.admin, name))
	_, adminKey := o.newKey(t, admin)
	if _, err := o.r.IssueToken(ctx, admin, name); err != nil {
		t.Fatal(err)
	}
	v, err := o.r.Member(ctx, admin, name)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range v.Keys {
		if k.KeyID == adminKey && k.RevokedIndex != nil {
			t.Errorf("an admin's own new token revoked their key")
		}
	}
}

// TestKeyRegisteredWhileTokenReplaced: a key the old token's holder registers after the
// other keys were revoked, before the token is replaced, makes the replacement start again;
// one registered at every attempt makes it fail, and leaves the old token as it was, with
// the advice to disable the member.
func TestKeyRegisteredWhileTokenReplaced(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	thief := o.actor(t, mustIssue(t, o, o.admin, "sam"))
	registered := 0
	keysRevoked = func() {
		if registered == 0 {
			registered++
			o.newKey(t, thief)
		}
	}
	t.Cleanup(func() { keysRevoked = func() {} })
	if _, err := o.r.IssueToken(ctx, o.admin, "sam"); err != nil {
		t.Fatalf("new token with a key registered once meanwhile: %v", err)
	}
	if ks := o.keysInForce(t); len(ks) != 0 {
		t.Fatalf("keys in force after sam's new token: %v", ks)
	}

	leaked := mustIssue(t, o, o.admin, "sam")
	thief = o.actor(t, leaked)
	keysRevoked = func() { registered++; o.newKey(t, thief) }
	registered = 0
	_, err := o.r.IssueToken(ctx, o.admin, "sam")
	if !errors.Is(err, ErrConflict) || !strings.Contains(err.Error(), "chancery member disable") {
		t.Fatalf("new token with keys registered at every attempt: %v", err)
	}
	if registered != keysRetries+1 {
		t.Errorf("%d attempts, want %d", registered, keysRetries+1)
	}
	if _, err := o.r.Authenticate(ctx, leaked); err != nil {
		t.Errorf("the failed replacement changed the token: %v", err)
	}
}

func mustIssue(t *testing.T, o *office, a Actor, name string) string {
	t.Helper()
	tok, err := o.r.IssueToken(context.Background(), a, name)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

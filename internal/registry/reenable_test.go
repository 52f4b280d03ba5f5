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

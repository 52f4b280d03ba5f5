package registry

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/entry"
	"github.com/chancery/chancery/internal/policy"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/store"
)

// memberEvents returns the audit events about members (they have no reference), as
// "actor action detail" lines.
func memberEvents(t *testing.T, o *office) []string {
	t.Helper()
	var out []string
	err := o.r.cfg.DB.View(context.Background(), func(tx *store.Tx) error {
		evs, err := tx.AuditEvents(context.Background(), "")
		for _, e := range evs {
			if strings.HasPrefix(e.Action, "member.") || strings.HasPrefix(e.Action, "key.") {
				out = append(out, e.Actor+" "+e.Action+" "+e.Detail)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func lastEvent(t *testing.T, o *office) string {
	t.Helper()
	evs := memberEvents(t, o)
	return evs[len(evs)-1]
}

func TestMembersList(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	ms, err := o.r.Members(ctx, o.admin)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range ms {
		got = append(got, fmt.Sprintf("%s:%s:%s:%d", m.Name, strings.Join(m.Roles, ","), m.State, len(m.Keys)))
	}
	if want := "[root:admin:active:0 dana:drafter:active:0 rita:reviewer:active:0 sam:signer:active:1 otto:release:active:0]"; fmt.Sprint(got) != want {
		t.Errorf("members %v, want %s", got, want)
	}
	v, err := o.r.Member(ctx, o.admin, "sam")
	if err != nil || len(v.Keys) != 1 || v.Keys[0].KeyID != o.keyID || v.Keys[0].RevokedIndex != nil || v.Password {
		t.Errorf("member sam: %+v, %v", v, err)
	}
	if _, err := o.r.Member(ctx, o.admin, "nobody"); !errors.Is(err, ErrNotFound) {
		t.Errorf("an unknown member: %v, want ErrNotFound", err)
	}
	for _, a := range []Actor{o.reviewer, o.signer, {}} {
		if _, err := o.r.Members(ctx, a); !errors.Is(err, ErrForbidden) && !errors.Is(err, ErrUnauthenticated) {
			t.Errorf("members listed for %s: %v", a.name(), err)
		}
		if _, err := o.r.Member(ctx, a, "rita"); err == nil {
			t.Errorf("member shown to %s", a.name())
		}
	}
}

func TestSetRoles(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	v, err := o.r.SetRoles(ctx, o.admin, "rita", []string{RoleSigner}, nil)
	if err != nil || fmt.Sprint(v.Roles) != "[reviewer signer]" {
		t.Fatalf("add signer: %+v, %v", v, err)
	}
	if got, want := lastEvent(t, o), "root member.roles rita: +signer (now reviewer,signer)"; got != want {
		t.Errorf("audit %q, want %q", got, want)
	}
	v, err = o.r.SetRoles(ctx, o.admin, "rita", []string{RoleDrafter}, []string{RoleReviewer})
	if err != nil || fmt.Sprint(v.Roles) != "[signer drafter]" {
		t.Fatalf("swap reviewer for drafter: %+v, %v", v, err)
	}
	for _, tc := range []struct {
		who         Actor
		name        string
		add, remove []string
		want        error
		msg         string
	}{
		{o.reviewer, "rita", []string{RoleAdmin}, nil, ErrForbidden, "needs the admin role"},
		{o.admin, "nobody", []string{RoleSigner}, nil, ErrNotFound, "nobody"},
		{o.admin, "rita", []string{"legal"}, nil, ErrInvalid, `unknown role "legal"`},
		{o.admin, "rita", nil, []string{RoleRelease}, ErrInvalid, "rita does not hold the release role"},
		{o.admin, "rita", []string{RoleSigner}, nil, ErrConflict, "nothing changes"},
		{o.admin, "rita", nil, nil, ErrInvalid, "no role to add or remove"},
		{o.admin, "rita", []string{RoleSigner}, []string{RoleSigner}, ErrInvalid, "both added and removed"},
		{o.admin, "rita", nil, []string{RoleSigner, RoleDrafter}, ErrInvalid, "at least one role"},
		{o.admin, "root", []string{RoleSigner}, []string{RoleAdmin}, ErrConflict, "last active admin"},
	} {
		_, err := o.r.SetRoles(ctx, tc.who, tc.name, tc.add, tc.remove)
		if !errors.Is(err, tc.want) || !strings.Contains(fmt.Sprint(err), tc.msg) {
			t.Errorf("SetRoles(%s, +%v -%v) by %s: %v, want %v with %q", tc.name, tc.add, tc.remove, tc.who.name(), err, tc.want, tc.msg)
		}
	}
	// A role the policy in force names is a role members can be given.
	p, err := policy.Parse([]byte(legalPolicy))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.AdoptPolicy(ctx, o.admin, p, []byte(legalPolicy)); err != nil {
		t.Fatal(err)
	}
	if v, err := o.r.SetRoles(ctx, o.admin, "rita", []string{"legal"}, nil); err != nil || !v.HasRole("legal") {
		t.Errorf("the policy's own role: %+v, %v", v, err)
	}
	// With another admin, root may step down.
	if _, err := o.r.SetRoles(ctx, o.admin, "otto", []string{RoleAdmin}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.SetRoles(ctx, o.admin, "root", []string{RoleReviewer}, []string{RoleAdmin}); err != nil {
		t.Errorf("root steps down beside another admin: %v", err)
	}
}

// legalPolicy names an office's own role, legal.
const legalPolicy = `version: 1
name: with legal review
rules:
  - name: default
    default: true
    require:
      approvals:
        - role: reviewer
          count: 1
        - role: legal
          count: 1
      signatures:
        - role: signer
          count: 1
`

// TestRoleLossRevokesPendingApproval: the gate weighs an approval by the roles its giver
// holds when the letter is released, so an approval given as reviewer no longer counts once
// the reviewer role is gone.
func TestRoleLossRevokesPendingApproval(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	ref := o.letter(t, "Sir, the units will move at dawn.\n")
	if err := o.r.Approve(ctx, o.reviewer, ref, "", ""); err != nil {
		t.Fatal(err)
	}
	if err := o.sign(t, ref); err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.SetRoles(ctx, o.admin, "rita", []string{RoleDrafter}, []string{RoleReviewer}); err != nil {
		t.Fatal(err)
	}
	_, err := o.r.Release(ctx, o.officer, ref)
	var gate *GateError
	if !errors.As(err, &gate) || !strings.Contains(err.Error(), "missing") || !strings.Contains(err.Error(), "reviewer") {
		t.Fatalf("release after the reviewer lost the role: %v, want a refusal with the approval missing", err)
	}
	if st, _ := o.r.StatusOf(ctx, ref); st.Outcome != Unknown {
		t.Errorf("after the refusal the letter is %s to the public", st.Outcome)
	}
}

func TestDisableMember(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	times := SessionTimes{Lifetime: time.Hour, Idle: time.Hour}
	// Rita's token is given before she approves: an approval given before an admin gives a
	// member a new token does not count (the token may have leaked), and this test is of
	// what disabling her does.
	ritaToken, err := o.r.IssueToken(ctx, o.admin, "rita")
	if err != nil {
		t.Fatal(err)
	}
	o.reviewer = o.actor(t, ritaToken)

	// A letter released with rita's approval and sam's signature, and a draft both acted on.
	released := o.letter(t, "Sir, released before.\n")
	if err := o.r.Approve(ctx, o.reviewer, released, "", ""); err != nil {
		t.Fatal(err)
	}
	if err := o.sign(t, released); err != nil {
		t.Fatal(err)
	}
	rel, err := o.r.Release(ctx, o.officer, released)
	if err != nil {
		t.Fatal(err)
	}
	pending := o.letter(t, "Sir, still a draft.\n")
	if err := o.r.Approve(ctx, o.reviewer, pending, "", ""); err != nil {
		t.Fatal(err)
	}
	if err := o.sign(t, pending); err != nil {
		t.Fatal(err)
	}

	// Rita has a token, a password and a session; disabling her ends all three at once.
	if err := o.r.SetPassword(ctx, o.admin, "rita", "a long password for rita"); err != nil {
		t.Fatal(err)
	}
	session, err := o.r.StartSession(ctx, o.reviewer.Member, "test", times)
	if err != nil {
		t.Fatal(err)
	}
	v, err := o.r.DisableMember(ctx, o.admin, "rita")
	if err != nil || v.State != MemberDisabled || v.DisabledAt == nil || fmt.Sprint(v.Roles) != "[reviewer]" {
		t.Fatalf("disable rita: %+v, %v", v, err)
	}
	if _, err := o.r.Authenticate(ctx, ritaToken); !errors.Is(err, ErrUnauthenticated) {
		t.Errorf("a disabled member's token: %v, want ErrUnauthenticated", err)
	}
	if _, err := o.r.SessionMember(ctx, session, times); !errors.Is(err, ErrUnauthenticated) {
		t.Errorf("a disabled member's session: %v, want ErrUnauthenticated", err)
	}
	if _, err := o.r.CheckPassword(ctx, "rita", "a long password for rita"); !errors.Is(err, ErrUnauthenticated) {
		t.Errorf("a disabled member's password: %v, want ErrUnauthenticated", err)
	}
	// Her approval of the draft no longer counts.
	if _, err := o.r.Release(ctx, o.officer, pending); err == nil || !strings.Contains(err.Error(), "rita is disabled") {
		t.Errorf("release with a disabled reviewer's approval: %v, want a refusal that says why", err)
	}

	// Disabling a signer revokes their keys in the log; what they signed before stays valid.
	before := o.r.cfg.Log.Head().Size
	v, err = o.r.DisableMember(ctx, o.admin, "sam")
	if err != nil || len(v.Keys) != 1 || v.Keys[0].RevokedIndex == nil {
		t.Fatalf("disable sam: %+v, %v", v, err)
	}
	if *v.Keys[0].RevokedIndex != before {
		t.Errorf("key revoked at log entry %d, want the next entry %d", *v.Keys[0].RevokedIndex, before)
	}
	e, err := o.r.cfg.Log.Entry(ctx, before)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := entry.Decode(e); err != nil || got.Kind != entry.KeyRevoked {
		t.Errorf("log entry %d: %v, %v; want a key-revoked entry", before, got, err)
	}
	s, err := o.r.Seal(ctx, o.admin, released, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.verifier.VerifyBytes(s, rel.File); err != nil {
		t.Errorf("a letter released before its signer was disabled no longer verifies: %v", err)
	}
	if st, err := o.r.VerifyDigest(ctx, Actor{}, seal.DigestOf(rel.File)); err != nil || st.Outcome != Valid {
		t.Errorf("verify the earlier release: %+v, %v", st, err)
	}

	// Refusals: twice, oneself, the last admin (a stale admin raced), a non-admin.
	admin2, err := o.r.AddMember(ctx, o.admin, "ada", []string{RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	ada := o.actor(t, admin2)
	if _, err := o.r.DisableMember(ctx, ada, "ada"); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "yourself") {
		t.Errorf("disable oneself: %v", err)
	}
	if _, err := o.r.DisableMember(ctx, o.admin, "rita"); !errors.Is(err, ErrConflict) || !strings.Contains(err.Error(), "already disabled") {
		t.Errorf("disable twice: %v", err)
	}
	if _, err := o.r.DisableMember(ctx, o.admin, "ada"); err != nil {
		t.Fatal(err)
	}
	// A disabled admin authenticated before acts no more (stillActs), whoever they disable;
	// the last active admin is kept whatever the order of two admins disabling each other.
	if _, err := o.r.DisableMember(ctx, ada, "root"); !errors.Is(err, ErrForbidden) || !strings.Contains(err.Error(), "ada is disabled") {
		t.Errorf("a disabled admin (authenticated before) disables the last one: %v", err)
	}
	if _, err := o.r.DisableMember(ctx, o.drafter, "otto"); !errors.Is(err, ErrForbidden) {
		t.Errorf("a drafter disables someone: %v", err)
	}
	if _, err := o.r.DisableMember(ctx, o.admin, "nobody"); !errors.Is(err, ErrNotFound) {
		t.Errorf("disable an unknown member: %v", err)
	}

	// Nothing but enable changes a disabled member.
	if _, err := o.r.SetRoles(ctx, o.admin, "rita", []string{RoleSigner}, nil); !errors.Is(err, ErrConflict) || !strings.Contains(err.Error(), "enable them first") {
		t.Errorf("roles for a disabled member: %v", err)
	}
	if _, err := o.r.IssueToken(ctx, o.admin, "rita"); !errors.Is(err, ErrConflict) {
		t.Errorf("a token for a disabled member: %v", err)
	}

	// Enabled again: a new token, the same roles, and her approval counts again.
	tok, err := o.r.EnableMember(ctx, o.admin, "rita")
	if err != nil {
		t.Fatal(err)
	}
	if m, err := o.r.Authenticate(ctx, tok); err != nil || m.Name != "rita" || !m.HasRole(RoleReviewer) {
		t.Errorf("the token from enable: %v, %v", m, err)
	}
	if _, err := o.r.Authenticate(ctx, ritaToken); !errors.Is(err, ErrUnauthenticated) {
		t.Errorf("the token from before disable works again: %v", err)
	}
	if _, err := o.r.CheckPassword(ctx, "rita", "a long password for rita"); !errors.Is(err, ErrUnauthenticated) {
		t.Errorf("the password from before disable works again: %v", err)
	}
	if _, err := o.r.EnableMember(ctx, o.admin, "rita"); !errors.Is(err, ErrConflict) || !strings.Contains(err.Error(), "not disabled") {
		t.Errorf("enable twice: %v", err)
	}
	// Sam, enabled, has no key that counts: his keys stay revoked.
	if _, err := o.r.EnableMember(ctx, o.admin, "sam"); err != nil {
		t.Fatal(err)
	}
	if v, _ := o.r.Member(ctx, o.admin, "sam"); v.Keys[0].RevokedIndex == nil {
		t.Errorf("enable brought back a revoked key")
	}

	want := []string{
		"root member.disable rita (reviewer), 1 sessions ended",
		"root member.disable sam (signer), 0 sessions ended",
		fmt.Sprintf("root key.revoke %s of sam, log entry %d: member sam disabled", o.keyID, before),
	}
	events := strings.Join(memberEvents(t, o), "\n")
	for _, w := range want {
		if !strings.Contains(events, w) {
			t.Errorf("audit trail lacks %q:\n%s", w, events)
		}
	}
	if !strings.Contains(events, "root member.enable rita (reviewer), new token") {
		t.Errorf("audit trail lacks the enable:\n%s", events)
	}
}

func TestIssueToken(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	old, err := o.r.IssueToken(ctx, o.admin, "otto")
	if err != nil {
		t.Fatal(err)
	}
	tok, err := o.r.IssueToken(ctx, o.admin, "otto")
	if err != nil {
		t.Fatal(err)
	}
	if m, err := o.r.Authenticate(ctx, tok); err != nil || m.Name != "otto" {
		t.Errorf("the new token: %v, %v", m, err)
	}
	if _, err := o.r.Authenticate(ctx, old); !errors.Is(err, ErrUnauthenticated) {
		t.Errorf("the old token: %v, want ErrUnauthenticated", err)
	}
	if got := lastEvent(t, o); got != "root member.token otto, 0 sessions ended, password removed" {
		t.Errorf("audit %q", got)
	}
	if _, err := o.r.IssueToken(ctx, o.signer, "otto"); !errors.Is(err, ErrForbidden) {
		t.Errorf("a signer issues a token: %v", err)
	}
	if _, err := o.r.IssueToken(ctx, o.admin, "nobody"); !errors.Is(err, ErrNotFound) {
		t.Errorf("a token for nobody: %v", err)
	}
}

// TestSignatureBeforeTheSignerRoleWasTakenStaysVoid: an admin who takes the signer role away
// revokes the member's signer keys, as disabling does, so that the signatures they made do not
// count again once the role comes back; a key registered with the old actor is refused.
func TestSignatureBeforeTheSignerRoleWasTakenStaysVoid(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	ref := o.letter(t, "Dear Minister,\n\nThe forces will be repositioned.")
	o.approve(t, ref)
	if err := o.sign(t, ref); err != nil {
		t.Fatal(err)
	}
	v, err := o.r.SetRoles(ctx, o.admin, "sam", []string{RoleDrafter}, []string{RoleSigner})
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(v.Roles, RoleSigner) {
		t.Fatalf("sam still holds the signer role: %v", v.Roles)
	}
	pub, _, _ := ed25519.GenerateKey(rand.Reader)
	if _, _, err := o.r.registerKey(ctx, o.signer, o.signer.Member, pub); !errors.Is(err, ErrForbidden) {
		t.Fatalf("a key registered for a member who lost the signer role: %v, want ErrForbidden", err)
	}
	if _, err := o.r.SetRoles(ctx, o.admin, "sam", []string{RoleSigner}, nil); err != nil {
		t.Fatal(err)
	}
	var gate *GateError
	if _, err := o.r.Release(ctx, o.officer, ref); !errors.As(err, &gate) {
		t.Fatalf("released on a signature made before the signer role was taken away: %v", err)
	}
	err = o.r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		k, err := tx.SignerKey(ctx, o.keyID)
		if err == nil && !k.Revoked() {
			t.Error("the key is not revoked")
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	_, o.signerKey, _ = ed25519.GenerateKey(rand.Reader)
	if o.keyID, _, err = o.r.RegisterKey(ctx, o.signer, o.signerKey.Public().(ed25519.PublicKey)); err != nil {
		t.Fatal(err)
	}
	if err := o.sign(t, ref); err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.Release(ctx, o.officer, ref); err != nil {
		t.Fatalf("release on sam's signature with a new key: %v", err)
	}
}

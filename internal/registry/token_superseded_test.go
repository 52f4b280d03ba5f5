package registry

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/chancery/chancery/internal/store"
)

func TestNewTokenSupersedesOthers(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { newTokenSupersedesOthers(t, newOffice(t)) })
	t.Run("postgres", func(t *testing.T) { newTokenSupersedesOthers(t, postgresOffice(t)) })
}

// newTokenSupersedesOthers: under two_admins with three admins, root and bob may each propose a
// new token for sam. Once one is carried out the other was left pending, and approving it
// later gave sam a second token and revoked his keys again (fifty-eighth session's not-fixed
// list). A new token for sam now refuses, in its transaction, every other pending new token
// for her, as superseded by it, decided by whoever carried it out; her other pending changes
// stay, and so do the new tokens proposed for others. (sam is the office's signer.)
func newTokenSupersedesOthers(t *testing.T, o *office) {
	ctx := context.Background()
	root, ada, bob := threeAdminsTwoNeeded(t, o)

	_, err := o.r.IssueToken(ctx, root, "sam")
	first := proposed(t, err, ChangeToken, "root")
	second := o.duplicate(t, bob, ChangeToken, "sam")
	_, err = o.r.SetRoles(ctx, bob, "sam", []string{RoleReviewer}, nil)
	roles := proposed(t, err, ChangeRoles, "bob")
	_, err = o.r.IssueToken(ctx, bob, "rita")
	rita := proposed(t, err, ChangeToken, "bob")

	res, err := o.r.ApproveChange(ctx, ada, first.ID)
	if err != nil {
		t.Fatal(err)
	}
	// The approving admin is told which it refused.
	if len(res.Superseded) != 1 || res.Superseded[0].ID != second.ID || res.Superseded[0].State != store.ChangeRefused || res.Superseded[0].ProposedBy != "bob" {
		t.Errorf("the approval's superseded changes: %+v, want bob's change %d, refused", res.Superseded, second.ID)
	}
	_, key := o.newKey(t, o.actor(t, res.Token))
	c, err := o.r.Change(ctx, root, second.ID)
	if err != nil {
		t.Fatal(err)
	}
	if c.State != store.ChangeRefused || c.DecidedBy != "ada" {
		t.Errorf("bob's new token for sam after root's was approved: %s, decided by %q; want refused by ada", c.State, c.DecidedBy)
	}
	want := fmt.Sprintf("ada change.refuse change %d: member.token sam: superseded by change %d (sam was given a new token)", second.ID, first.ID)
	if got := changeEvents(t, o); !slices.Contains(got, want) {
		t.Errorf("audit trail %q, want %q", got, want)
	}
	// Approving it later would give sam a second token and revoke the key he registered
	// with the first.
	if _, err := o.r.ApproveChange(ctx, root, second.ID); !errors.Is(err, ErrConflict) {
		t.Errorf("the superseded change approved: %v, want ErrConflict", err)
	}
	if k := o.signerKeyRecord(t, key); k.Revoked() {
		t.Error("sam's key, registered with his new token, revoked by the superseded change")
	}
	for _, id := range []int64{roles.ID, rita.ID} {
		if c, err := o.r.Change(ctx, root, id); err != nil || c.State != store.ChangePending {
			t.Errorf("change %d after sam's new token: %+v, %v; want pending", id, c, err)
		}
	}

	// A new token given without a change (the policy no longer asks for two admins)
	// supersedes the pending ones too.
	_, err = o.r.IssueToken(ctx, root, "sam")
	third := proposed(t, err, ChangeToken, "root")
	p1, src1 := twoAdminsPolicy(t, false)
	_, err = o.r.AdoptPolicy(ctx, root, p1, src1)
	adopt := proposed(t, err, ChangePolicy, "root")
	if _, err := o.r.ApproveChange(ctx, ada, adopt.ID); err != nil {
		t.Fatal(err)
	}
	given, err := o.r.IssueTokenSuperseding(ctx, bob, "sam")
	if err != nil {
		t.Fatal(err)
	}
	// Its answer names them, as the approval's does (the lead's decision, fifty-ninth session).
	if len(given.Superseded) != 1 || given.Superseded[0].ID != third.ID || given.Superseded[0].State != store.ChangeRefused || given.Superseded[0].DecidedBy != "bob" || given.Token == "" {
		t.Errorf("the new token's superseded changes: %+v, want root's change %d, refused by bob", given.Superseded, third.ID)
	}
	if again, err := o.r.IssueTokenSuperseding(ctx, bob, "sam"); err != nil || len(again.Superseded) != 0 {
		t.Errorf("a new token with none pending: %+v, %v; want none superseded", again, err)
	}
	if c, err := o.r.Change(ctx, root, third.ID); err != nil || c.State != store.ChangeRefused || c.DecidedBy != "bob" {
		t.Errorf("root's pending new token for sam after bob gave him one: %+v, %v; want refused by bob", c, err)
	}
	want = fmt.Sprintf("bob change.refuse change %d: member.token sam: superseded by the new token bob gave sam", third.ID)
	if got := changeEvents(t, o); !slices.Contains(got, want) {
		t.Errorf("audit trail %q, want %q", got, want)
	}
	if c, err := o.r.Change(ctx, root, roles.ID); err != nil || c.State != store.ChangePending {
		t.Errorf("bob's role change for sam after his new tokens: %+v, %v; want pending", c, err)
	}
}

// duplicate records a pending change of kind about subject, proposed by by now, asking what a
// pending one asks already: as a build that did not refuse such a proposal left it (the
// duplicates that a change carried out supersedes; proposing one is refused now).
func (o *office) duplicate(t *testing.T, by Actor, kind, subject string) *ChangeView {
	t.Helper()
	c := &store.Change{Kind: kind, Subject: subject, Detail: []byte("{}"), ProposedBy: by.Member.ID, ProposedAt: o.r.now()}
	err := o.r.cfg.DB.Update(context.Background(), func(tx *store.Tx) error { return tx.AddChange(context.Background(), c) })
	if err != nil {
		t.Fatal(err)
	}
	v, err := o.r.changeView(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// changeEvents returns the audit events of changes, as "actor action detail" lines.
func changeEvents(t *testing.T, o *office) []string {
	t.Helper()
	var out []string
	err := o.r.cfg.DB.View(context.Background(), func(tx *store.Tx) error {
		evs, err := tx.AuditEvents(context.Background(), "")
		for _, e := range evs {
			if e.Action == "change.refuse" || e.Action == "change.approve" {
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

// signerKeyRecord reads the signer key id.
func (o *office) signerKeyRecord(t *testing.T, id string) *store.SignerKey {
	t.Helper()
	var k *store.SignerKey
	err := o.r.cfg.DB.View(context.Background(), func(tx *store.Tx) error {
		var err error
		k, err = tx.SignerKey(context.Background(), id)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// TestEnablingSupersedesNewTokens: a new token for sam proposed before he was disabled (root
// fears his token leaked; bob disables him at once, as one admin may) stayed pending when he
// was enabled, which gives him a new token: approved later, it gave him another and revoked
// the key he registered with the one enabling gave. Enabling refuses it as superseded.
func TestEnablingSupersedesNewTokens(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	root, ada, bob := threeAdminsTwoNeeded(t, o)
	_, err := o.r.IssueToken(ctx, root, "sam")
	token := proposed(t, err, ChangeToken, "root")
	if _, err := o.r.DisableMember(ctx, bob, "sam"); err != nil {
		t.Fatal(err)
	}
	_, err = o.r.EnableMember(ctx, bob, "sam")
	enable := proposed(t, err, ChangeEnable, "bob")
	res, err := o.r.ApproveChange(ctx, ada, enable.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Superseded) != 1 || res.Superseded[0].ID != token.ID || res.Superseded[0].DecidedBy != "ada" {
		t.Errorf("the approval's superseded changes: %+v, want root's change %d, refused by ada", res.Superseded, token.ID)
	}
	_, key := o.newKey(t, o.actor(t, res.Token))
	if c, err := o.r.Change(ctx, root, token.ID); err != nil || c.State != store.ChangeRefused || c.DecidedBy != "ada" {
		t.Errorf("root's new token for sam after he was enabled: %+v, %v; want refused by ada", c, err)
	}
	want := fmt.Sprintf("ada change.refuse change %d: member.token sam: superseded by change %d (sam was enabled with a new token)", token.ID, enable.ID)
	if got := changeEvents(t, o); !slices.Contains(got, want) {
		t.Errorf("audit trail %q, want %q", got, want)
	}
	if _, err := o.r.ApproveChange(ctx, ada, token.ID); !errors.Is(err, ErrConflict) {
		t.Errorf("the superseded change approved: %v, want ErrConflict", err)
	}
	if k := o.signerKeyRecord(t, key); k.Revoked() {
		t.Error("sam's key, registered with the token enabling gave, revoked by the superseded change")
	}
}

// TestSupersededApprovalUnderwayRevokesNoKey: ada's approval of bob's new token for sam found
// it pending; meanwhile root's, approved by bob, gave sam a new token, refused bob's as
// superseded, and sam registered a key with it. ada's approval then revoked that key before
// its transaction found the change refused: sam lost the key of the token he had just been
// given, for a change that was not carried out. The approval now finds the change decided
// before it revokes anything.
func TestSupersededApprovalUnderwayRevokesNoKey(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { supersededApprovalUnderwayRevokesNoKey(t, newOffice(t)) })
	t.Run("postgres", func(t *testing.T) { supersededApprovalUnderwayRevokesNoKey(t, postgresOffice(t)) })
}

func supersededApprovalUnderwayRevokesNoKey(t *testing.T, o *office) {
	ctx := context.Background()
	root, ada, bob := threeAdminsTwoNeeded(t, o)
	_, err := o.r.IssueToken(ctx, root, "sam")
	first := proposed(t, err, ChangeToken, "root")
	second := o.duplicate(t, bob, ChangeToken, "sam")

	var key string
	approveChecked = func() {
		approveChecked = func() {}
		res, err := o.r.ApproveChange(ctx, bob, first.ID)
		if err != nil {
			t.Fatal(err)
		}
		_, key = o.newKey(t, o.actor(t, res.Token))
	}
	t.Cleanup(func() { approveChecked = func() {} })
	if _, err := o.r.ApproveChange(ctx, ada, second.ID); !errors.Is(err, ErrConflict) {
		t.Errorf("approving the change superseded while its approval was under way: %v, want ErrConflict", err)
	}
	if key == "" {
		t.Fatal("root's change was not approved meanwhile")
	}
	if k := o.signerKeyRecord(t, key); k.Revoked() {
		t.Error("sam's key, registered with the new token root's change gave, revoked by the approval of the change it superseded")
	}
	if c, err := o.r.Change(ctx, root, second.ID); err != nil || c.State != store.ChangeRefused || c.DecidedBy != "bob" {
		t.Errorf("bob's change: %+v, %v; want refused by bob", c, err)
	}
}

// TestEnablingSupersedesOtherEnablings: root and bob each proposed to enable sam, disabled;
// once root's was approved, bob's stayed pending, and after ada disabled sam again, a second
// admin's approval of it enabled him against that later disabling, for a reason that came
// before it (found by review of a9da8b1, fifty-ninth session). Enabling refuses the other
// pending enablings of the member, as superseded, as it refuses their new tokens.
func TestEnablingSupersedesOtherEnablings(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { enablingSupersedesOtherEnablings(t, newOffice(t)) })
	t.Run("postgres", func(t *testing.T) { enablingSupersedesOtherEnablings(t, postgresOffice(t)) })
}

func enablingSupersedesOtherEnablings(t *testing.T, o *office) {
	ctx := context.Background()
	root, ada, bob := threeAdminsTwoNeeded(t, o)
	if _, err := o.r.DisableMember(ctx, bob, "sam"); err != nil {
		t.Fatal(err)
	}
	_, err := o.r.EnableMember(ctx, root, "sam")
	first := proposed(t, err, ChangeEnable, "root")
	second := o.duplicate(t, bob, ChangeEnable, "sam")
	res, err := o.r.ApproveChange(ctx, ada, first.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Superseded) != 1 || res.Superseded[0].ID != second.ID || res.Superseded[0].DecidedBy != "ada" {
		t.Errorf("the approval's superseded changes: %+v, want bob's change %d, refused by ada", res.Superseded, second.ID)
	}
	if c, err := o.r.Change(ctx, root, second.ID); err != nil || c.State != store.ChangeRefused || c.DecidedBy != "ada" {
		t.Errorf("bob's enabling of sam after root's was approved: %+v, %v; want refused by ada", c, err)
	}
	want := fmt.Sprintf("ada change.refuse change %d: member.enable sam: superseded by change %d (sam was enabled with a new token)", second.ID, first.ID)
	if got := changeEvents(t, o); !slices.Contains(got, want) {
		t.Errorf("audit trail %q, want %q", got, want)
	}
	// Disabled again: the earlier proposal does not enable him.
	if _, err := o.r.DisableMember(ctx, ada, "sam"); err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.ApproveChange(ctx, root, second.ID); !errors.Is(err, ErrConflict) {
		t.Errorf("the superseded enabling approved after sam was disabled again: %v, want ErrConflict", err)
	}
	if m := o.memberRecord(t, "sam"); !m.Disabled() {
		t.Error("sam enabled again by a proposal made before he was disabled again")
	}
}

// memberRecord reads the member name.
func (o *office) memberRecord(t *testing.T, name string) *store.Member {
	t.Helper()
	var m *store.Member
	err := o.r.cfg.DB.View(context.Background(), func(tx *store.Tx) error {
		var err error
		m, err = tx.MemberByName(context.Background(), name)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestOwnApprovalSupersedesNoNewToken: root and bob each proposed a new token for ada, an
// admin, because her token may be in someone else's hands; whoever holds it approved root's as
// ada (an admin may approve a change about themselves), which refused bob's as superseded:
// the new token proposed against that holder was cut off by them, where an admin's own
// renewal refuses none for that very reason (found by review of 14636c8, fifty-ninth
// session). A change for ada that ada approves supersedes none, as her renewal does not.
func TestOwnApprovalSupersedesNoNewToken(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	root, ada, bob := threeAdminsTwoNeeded(t, o)
	_, err := o.r.IssueToken(ctx, root, "ada")
	first := proposed(t, err, ChangeToken, "root")
	second := o.duplicate(t, bob, ChangeToken, "ada")
	res, err := o.r.ApproveChange(ctx, ada, first.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Superseded) != 0 {
		t.Errorf("ada's approval of a new token for herself superseded %+v, want none", res.Superseded)
	}
	if c, err := o.r.Change(ctx, root, second.ID); err != nil || c.State != store.ChangePending {
		t.Fatalf("bob's new token for ada after ada approved root's: %+v, %v; want pending", c, err)
	}
	// root can still cut off whoever approved root's change with ada's token.
	held := res.Token
	if _, err = o.r.ApproveChange(ctx, root, second.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.Authenticate(ctx, held); err == nil {
		t.Error("the token ada's approval gave still signs in after bob's change was approved")
	}
}

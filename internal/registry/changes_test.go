package registry

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/i18n"
	"github.com/chancery/chancery/internal/policy"
	"github.com/chancery/chancery/internal/store"
	"golang.org/x/text/language"
)

// twoAdminsPolicy returns a policy file asking for two admins, or not.
func twoAdminsPolicy(t *testing.T, two bool) (*policy.Policy, []byte) {
	t.Helper()
	src := "version: 1\nname: two-admins\nrules:\n  - name: d\n    default: true\n    require:\n      approvals: [{role: reviewer}]\n      signatures: [{role: signer, count: 2}]\n"
	if two {
		src = "two_admins: true\n" + src
	}
	p, err := policy.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return p, []byte(src)
}

// threeAdminsTwoNeeded gives o's office the admins ada and bob beside root, and adopts the
// policy asking for two admins: each of the three proposes, another approves.
func threeAdminsTwoNeeded(t *testing.T, o *office) (root, ada, bob Actor) {
	t.Helper()
	root = o.admin
	ada = o.member(t, "ada", RoleAdmin)
	bob = o.member(t, "bob", RoleAdmin)
	p, src := twoAdminsPolicy(t, true)
	if _, err := o.r.AdoptPolicy(context.Background(), root, p, src); err != nil {
		t.Fatal(err)
	}
	return root, ada, bob
}

// proposed checks that err says the change was proposed, as kind, by by, and returns it.
func proposed(t *testing.T, err error, kind, by string) *ChangeView {
	t.Helper()
	c := Proposed(err)
	if c == nil {
		t.Fatalf("%s: %v, want it proposed", kind, err)
	}
	if c.Kind != kind || c.ProposedBy != by || c.State != store.ChangePending {
		t.Fatalf("%s proposed as %+v", kind, c)
	}
	return c
}

func TestTwoAdmins(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { twoAdmins(t, newOffice(t)) })
	t.Run("postgres", func(t *testing.T) { twoAdmins(t, postgresOffice(t)) })
}

// twoAdmins checks that under a policy with two_admins one admin alone can no longer create
// or take over an account, give a role, enable a member or adopt a policy: the change waits
// for a second admin, who receives what it makes.
func twoAdmins(t *testing.T, o *office) {
	ctx := context.Background()
	root := o.admin
	p2, src2 := twoAdminsPolicy(t, true)
	if _, err := o.r.AdoptPolicy(ctx, root, p2, src2); !errors.Is(err, ErrConflict) {
		t.Fatalf("two_admins adopted by an office of one admin: %v, want ErrConflict", err)
	}
	ada := o.member(t, "ada", RoleAdmin, RoleReviewer)
	if _, err := o.r.AdoptPolicy(ctx, root, p2, src2); err != nil {
		t.Fatal(err)
	}

	// A new account: proposed, not made, and not approved by its proposer.
	_, err := o.r.AddMember(ctx, root, "mallory", []string{RoleSigner, RoleReviewer})
	add := proposed(t, err, ChangeAddMember, "root")
	if got := i18n.For(language.French).Error(err); !strings.HasPrefix(got, fmt.Sprintf("proposé comme modification %d :", add.ID)) {
		t.Errorf("the proposal in French: %q", got)
	}
	if add.Member != "mallory" || len(add.Roles) != 2 {
		t.Errorf("the proposed member: %+v", add)
	}
	if _, err := o.r.Member(ctx, root, "mallory"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a proposed member exists: %v", err)
	}
	if _, err := o.r.ApproveChange(ctx, root, add.ID); !errors.Is(err, ErrForbidden) {
		t.Fatalf("approved by its proposer: %v, want ErrForbidden", err)
	}
	if _, err := o.r.ApproveChange(ctx, o.signer, add.ID); !errors.Is(err, ErrForbidden) {
		t.Fatalf("approved by a signer: %v, want ErrForbidden", err)
	}
	res, err := o.r.ApproveChange(ctx, ada, add.ID)
	if err != nil {
		t.Fatal(err)
	}
	if res.Change.State != store.ChangeDone || res.Change.DecidedBy != "ada" || res.Token == "" {
		t.Fatalf("approved: %+v", res.Change)
	}
	if m := o.actor(t, res.Token); m.Member.Name != "mallory" {
		t.Fatalf("the approver's token is %s's", m.Member.Name)
	}
	if _, err := o.r.ApproveChange(ctx, ada, add.ID); !errors.Is(err, ErrConflict) {
		t.Fatalf("approved twice: %v, want ErrConflict", err)
	}

	// Another member's token and password: proposed and refused; one's own: at once.
	_, err = o.r.IssueToken(ctx, root, "sam")
	tok := proposed(t, err, ChangeToken, "root")
	if _, err := o.r.Authenticate(ctx, "nothing"); err == nil {
		t.Fatal("a wrong token authenticated")
	}
	if own, err := o.r.IssueToken(ctx, root, "root"); err != nil || own == "" {
		t.Fatalf("an admin's own new token: %v", err)
	} else {
		root = o.actor(t, own)
	}
	if err := o.r.SetPassword(ctx, root, "sam", "a long enough password"); !errors.Is(err, ErrForbidden) {
		t.Errorf("another member's password set by one admin: %v, want ErrForbidden", err)
	}
	if err := o.r.SetPassword(ctx, root, "", "a long enough password"); err != nil {
		t.Errorf("an admin's own password: %v", err)
	}
	// The token's proposer withdraws it; it can no longer be approved.
	if c, err := o.r.RefuseChange(ctx, root, tok.ID); err != nil || c.State != store.ChangeRefused || c.DecidedBy != "root" {
		t.Fatalf("refused: %+v, %v", c, err)
	}
	if _, err := o.r.ApproveChange(ctx, ada, tok.ID); !errors.Is(err, ErrConflict) {
		t.Fatalf("a refused change approved: %v, want ErrConflict", err)
	}

	// Roles: giving one is proposed, taking one is one admin's.
	_, err = o.r.SetRoles(ctx, root, "rita", []string{RoleSigner}, nil)
	roles := proposed(t, err, ChangeRoles, "root")
	if v, err := o.r.Member(ctx, root, "rita"); err != nil || v.HasRole(RoleSigner) {
		t.Fatalf("a proposed role given: %+v, %v", v, err)
	}
	if v, err := o.r.SetRoles(ctx, root, "mallory", nil, []string{RoleReviewer}); err != nil || v.HasRole(RoleReviewer) {
		t.Fatalf("a role taken by one admin: %+v, %v", v, err)
	}
	res, err = o.r.ApproveChange(ctx, ada, roles.ID)
	if err != nil || res.Member == nil || !res.Member.HasRole(RoleSigner) {
		t.Fatalf("the role change approved: %+v, %v", res, err)
	}

	// Disabling is one admin's, but not of one of the last two admins; enabling is proposed.
	if _, err := o.r.DisableMember(ctx, root, "ada"); !errors.Is(err, ErrConflict) {
		t.Errorf("one of the last two admins disabled: %v, want ErrConflict", err)
	}
	if _, err := o.r.SetRoles(ctx, root, "ada", nil, []string{RoleAdmin}); !errors.Is(err, ErrConflict) {
		t.Errorf("one of the last two admins made no admin: %v, want ErrConflict", err)
	}
	if _, err := o.r.DisableMember(ctx, root, "mallory"); err != nil {
		t.Fatal(err)
	}
	_, err = o.r.EnableMember(ctx, root, "mallory")
	enable := proposed(t, err, ChangeEnable, "root")

	// An old proposal is refused, whoever approves it.
	now := time.Now()
	o.r.cfg.Now = func() time.Time { return now.Add(ChangeMaxAge + time.Hour) }
	if _, err := o.r.ApproveChange(ctx, ada, enable.ID); !errors.Is(err, ErrConflict) {
		t.Errorf("a change proposed 7 days ago approved: %v, want ErrConflict", err)
	}
	o.r.cfg.Now = time.Now

	// The policy in force is not proposed again.
	if _, err := o.r.AdoptPolicy(ctx, ada, p2, src2); !errors.Is(err, ErrConflict) || Proposed(err) != nil {
		t.Errorf("the policy in force proposed again: %v, want ErrConflict", err)
	}
	// A policy, even one that drops the rule, is proposed; the rule holds until it is approved.
	p1, src1 := twoAdminsPolicy(t, false)
	_, err = o.r.AdoptPolicy(ctx, ada, p1, src1)
	pol := proposed(t, err, ChangePolicy, "ada")
	if pol.Policy != string(p1.Digest) || pol.PolicyName != "two-admins" {
		t.Errorf("the proposed policy: %+v", pol)
	}
	if !o.r.Policy().TwoAdmins() {
		t.Fatal("a proposed policy is in force")
	}
	// Its approver reads the file: its name and digest are its proposer's to choose.
	if v, err := o.r.Change(ctx, root, pol.ID); err != nil || v.PolicySource != string(src1) {
		t.Fatalf("the proposed policy's view: %+v, %v, want its file", v, err)
	}
	res, err = o.r.ApproveChange(ctx, root, pol.ID)
	if err != nil || res.LogIndex == 0 {
		t.Fatalf("the policy approved: %+v, %v", res, err)
	}
	if o.r.Policy().TwoAdmins() || string(o.r.Policy().Digest) != pol.Policy {
		t.Fatal("the approved policy is not in force")
	}
	// Without the rule, one admin adds a member again.
	if tok, err := o.r.AddMember(ctx, root, "vera", []string{RoleReviewer}); err != nil || tok == "" {
		t.Fatalf("a member added by one admin without two_admins: %v", err)
	}
	cs, err := o.r.Changes(ctx, root)
	if err != nil {
		t.Fatal(err)
	}
	var pending []int64
	for _, c := range cs {
		if c.State == store.ChangePending {
			pending = append(pending, c.ID)
		}
	}
	if len(cs) != 5 || len(pending) != 1 || pending[0] != enable.ID {
		t.Errorf("changes: %d listed, pending %v, want 5 and only %d", len(cs), pending, enable.ID)
	}
}

// TestTwoAdminsAdoptedElsewhere checks that a change one admin makes under the policy in
// memory is refused when the store's policy in force, adopted by another server, asks for
// two admins.
func TestTwoAdminsAdoptedElsewhere(t *testing.T) {
	o := newOffice(t)
	ctx := context.Background()
	o.member(t, "ada", RoleAdmin)
	p2, src2 := twoAdminsPolicy(t, true)
	if _, err := o.r.AdoptPolicy(ctx, o.admin, p2, src2); err != nil {
		t.Fatal(err)
	}
	// This server has not read it yet: its policy in memory is the built-in one.
	o.r.inForce.Store(&inForce{pol: policy.Builtin()})
	if _, err := o.r.AddMember(ctx, o.admin, "mallory", []string{RoleSigner}); !errors.Is(err, ErrConflict) {
		t.Errorf("a member added by one admin under another server's two_admins: %v, want ErrConflict", err)
	}
	if _, err := o.r.IssueToken(ctx, o.admin, "sam"); !errors.Is(err, ErrConflict) {
		t.Errorf("a token issued by one admin under another server's two_admins: %v, want ErrConflict", err)
	}
}

// TestProviderKeepsTwoAdmins checks that, while the policy in force asks for two admins, a
// provider's sign-in that takes the admin role away leaves the office two active admins:
// with one, every change would wait for a second admin who cannot exist.
func TestProviderKeepsTwoAdmins(t *testing.T) {
	o := newOffice(t)
	ctx := context.Background()
	managed := []string{RoleAdmin, RoleReviewer}
	ada := o.member(t, "ada", RoleAdmin)
	if _, err := o.signInAs("sub-pia", "pia", managed, RoleAdmin, RoleReviewer); err != nil {
		t.Fatal(err)
	}
	p2, src2 := twoAdminsPolicy(t, true)
	if _, err := o.r.AdoptPolicy(ctx, ada, p2, src2); err != nil {
		t.Fatal(err)
	}
	// Three admins: the claim takes the role away.
	if m, err := o.signInAs("sub-pia", "pia", managed, RoleReviewer); err != nil || m.HasRole(RoleAdmin) {
		t.Fatalf("a claim without admin, beside two other admins: %v, %v", m, err)
	}
	if m, err := o.signInAs("sub-pia", "pia", managed, RoleAdmin, RoleReviewer); err != nil || !m.HasRole(RoleAdmin) {
		t.Fatalf("the claim gives admin again: %v, %v", m, err)
	}
	if _, err := o.r.DisableMember(ctx, o.admin, "ada"); err != nil {
		t.Fatal(err)
	}
	// Two admins: pia keeps the role.
	if m, err := o.signInAs("sub-pia", "pia", managed, RoleReviewer); err != nil || !m.HasRole(RoleAdmin) {
		t.Fatalf("one of the last two admins lost the role at sign-in: %v, %v", m, err)
	}
	_, err := o.r.AddMember(ctx, o.admin, "vera", []string{RoleAdmin})
	c := proposed(t, err, ChangeAddMember, "root")
	pia := Actor{Member: o.memberNamed(t, "pia"), Remote: "test"}
	if _, err := o.r.ApproveChange(ctx, pia, c.ID); err != nil {
		t.Fatalf("the second admin approves: %v", err)
	}
}

// TestChangeAuditSaysWhat checks that the audit trail says what a change asked for, with
// who proposed it and who decided it: a change withdrawn leaves no other trace of it there.
func TestChangeAuditSaysWhat(t *testing.T) {
	o := newOffice(t)
	ctx := context.Background()
	ada := o.member(t, "ada", RoleAdmin)
	p2, src2 := twoAdminsPolicy(t, true)
	if _, err := o.r.AdoptPolicy(ctx, o.admin, p2, src2); err != nil {
		t.Fatal(err)
	}
	_, err := o.r.SetRoles(ctx, o.admin, "root", []string{RoleSigner, RoleReviewer}, nil)
	roles := proposed(t, err, ChangeRoles, "root")
	if _, err := o.r.RefuseChange(ctx, o.admin, roles.ID); err != nil {
		t.Fatal(err)
	}
	_, err = o.r.AddMember(ctx, ada, "mallory", []string{RoleSigner})
	add := proposed(t, err, ChangeAddMember, "ada")
	if _, err := o.r.ApproveChange(ctx, o.admin, add.ID); err != nil {
		t.Fatal(err)
	}
	var evs []store.AuditEvent
	err = o.r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		var err error
		evs, err = tx.AuditEvents(ctx, "")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range evs {
		if strings.HasPrefix(e.Action, "change.") {
			got = append(got, e.Actor+" "+e.Action+" "+e.Detail)
		}
	}
	want := []string{
		fmt.Sprintf("root change.propose change %d: member.roles root: +signer +reviewer", roles.ID),
		fmt.Sprintf("root change.refuse change %d: member.roles root: +signer +reviewer", roles.ID),
		fmt.Sprintf("ada change.propose change %d: member.add mallory (signer)", add.ID),
		fmt.Sprintf("root change.approve change %d: member.add mallory (signer)", add.ID),
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("the changes' audit trail:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestApproveChangeRefusals checks the refusals of an approval that cannot be carried out: a
// change that does not exist, and a policy that a stricter build no longer compiles (a
// conflict to refuse, not the server's failure).
func TestApproveChangeRefusals(t *testing.T) {
	o := newOffice(t)
	ctx := context.Background()
	ada := o.member(t, "ada", RoleAdmin)
	if _, err := o.r.ApproveChange(ctx, ada, 99); !errors.Is(err, ErrNotFound) || err.Error() != "change 99: not found" {
		t.Errorf("a change that does not exist: %v", err)
	}
	c := &store.Change{Kind: ChangePolicy, Subject: "sha256:0", Detail: []byte(`{"name":"old","source":"dmVyc2lvbjogOQo="}`),
		ProposedBy: o.admin.Member.ID, ProposedAt: time.Now()}
	if err := o.r.cfg.DB.Update(ctx, func(tx *store.Tx) error { return tx.AddChange(ctx, c) }); err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.ApproveChange(ctx, ada, c.ID); !errors.Is(err, ErrConflict) || !strings.Contains(err.Error(), "does not compile") {
		t.Errorf("a policy that no longer compiles: %v, want ErrConflict", err)
	}
	if v, err := o.r.Change(ctx, ada, c.ID); err != nil || v.State != store.ChangePending {
		t.Errorf("after its approval failed: %+v, %v", v, err)
	}
}

// TestTwoAdminsWitnesses: under two_admins, the office's witnesses and quorum, who vouch that
// it shows one history and whose clocks bound approvals' age, change only when a second
// admin approves: one admin can no longer add a witness of their own to the quorum, lower it
// or remove a witness alone.
func TestTwoAdminsWitnesses(t *testing.T) {
	ctx := context.Background()
	w := newWitnessedOffice(t, time.Minute)
	root := w.admin
	ada := w.member(t, "ada", RoleAdmin)
	p2, src2 := twoAdminsPolicy(t, true)
	if _, err := w.r.AdoptPolicy(ctx, root, p2, src2); err != nil {
		t.Fatal(err)
	}
	vkey, srv := startWitness(t, "witness.justice.example", w, nil)
	quorum := func() (int, []string) {
		t.Helper()
		c, err := w.r.Witnesses(ctx, root)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, v := range c.Witnesses {
			names = append(names, v.Name)
		}
		return c.Quorum, names
	}
	approve := func(err error, kind string) {
		t.Helper()
		c := proposed(t, err, kind, "root")
		if _, err := w.r.ApproveChange(ctx, ada, c.ID); err != nil {
			t.Fatalf("%s approved: %v", kind, err)
		}
	}

	err := w.r.AddWitness(ctx, root, "justice", srv.URL, vkey)
	if c := proposed(t, err, ChangeWitnessAdd, "root"); c.Witness != "justice" || c.WitnessURL != srv.URL || c.WitnessKey != vkey {
		t.Errorf("the proposed witness: %+v", c)
	}
	if _, names := quorum(); len(names) != 0 {
		t.Fatalf("a proposed witness was added: %v", names)
	}
	if _, err := w.r.ApproveChange(ctx, ada, Proposed(err).ID); err != nil {
		t.Fatal(err)
	}
	if _, names := quorum(); fmt.Sprint(names) != "[justice]" {
		t.Fatalf("witnesses after the approval: %v", names)
	}
	approve(w.r.SetWitnessQuorum(ctx, root, 1), ChangeWitnessQuorum)
	if q, _ := quorum(); q != 1 {
		t.Fatalf("quorum after the approval: %d", q)
	}
	err = w.r.SetWitnessQuorum(ctx, root, 0)
	if c := proposed(t, err, ChangeWitnessQuorum, "root"); c.Quorum == nil || *c.Quorum != 0 {
		t.Errorf("the proposed quorum: %+v", c)
	}
	if q, _ := quorum(); q != 1 {
		t.Fatalf("a proposed quorum is in force: %d", q)
	}
	_, err = w.r.ApproveChange(ctx, ada, Proposed(err).ID)
	if err != nil {
		t.Fatal(err)
	}
	approve(w.r.RemoveWitness(ctx, root, "justice"), ChangeWitnessRemove)
	if q, names := quorum(); q != 0 || len(names) != 0 {
		t.Fatalf("after the approvals: quorum %d, witnesses %v", q, names)
	}
}

// TestPendingChangesBounded: one admin may have MaxPendingChanges pending, no more: the next
// is refused, in their language, until one is withdrawn or refused, however old they are;
// another admin's proposals are not counted against them.
func TestPendingChangesBounded(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	root := o.admin
	ada := o.member(t, "ada", RoleAdmin, RoleReviewer)
	p2, src2 := twoAdminsPolicy(t, true)
	if _, err := o.r.AdoptPolicy(ctx, root, p2, src2); err != nil {
		t.Fatal(err)
	}
	var first *ChangeView
	for i := range MaxPendingChanges {
		_, err := o.r.AddMember(ctx, root, fmt.Sprintf("clerk%c", 'a'+i), []string{RoleSigner})
		c := proposed(t, err, ChangeAddMember, "root")
		if first == nil {
			first = c
		}
	}
	_, err := o.r.AddMember(ctx, root, "mallory", []string{RoleSigner})
	if !errors.Is(err, ErrConflict) || Proposed(err) != nil {
		t.Fatalf("proposal %d: %v, want ErrConflict", MaxPendingChanges+1, err)
	}
	if got := i18n.For(language.French).Error(err); !strings.Contains(got, fmt.Sprintf("vous avez %d modifications en attente", MaxPendingChanges)) {
		t.Errorf("the refusal in French: %q", got)
	}
	// Another admin's proposal is theirs to make.
	_, err = o.r.AddMember(ctx, ada, "mallory", []string{RoleSigner})
	proposed(t, err, ChangeAddMember, "ada")
	// Withdrawing one makes room for one.
	if _, err := o.r.RefuseChange(ctx, root, first.ID); err != nil {
		t.Fatal(err)
	}
	_, err = o.r.AddMember(ctx, root, "clerkz", []string{RoleSigner})
	proposed(t, err, ChangeAddMember, "root")
	if _, err := o.r.AddMember(ctx, root, "clerky", []string{RoleSigner}); !errors.Is(err, ErrConflict) {
		t.Fatalf("past the bound again: %v, want ErrConflict", err)
	}
	// Changes older than ChangeMaxAge can no longer be approved, but stay on the list and
	// count until they are refused: aging out is no way around the bound.
	now := time.Now()
	o.r.cfg.Now = func() time.Time { return now.Add(ChangeMaxAge + time.Hour) }
	if _, err := o.r.AddMember(ctx, root, "clerky", []string{RoleSigner}); !errors.Is(err, ErrConflict) {
		t.Fatalf("past the bound with old changes: %v, want ErrConflict", err)
	}
	if _, err := o.r.RefuseChange(ctx, ada, first.ID+1); err != nil {
		t.Fatal(err)
	}
	_, err = o.r.AddMember(ctx, root, "clerky", []string{RoleSigner})
	proposed(t, err, ChangeAddMember, "root")
}

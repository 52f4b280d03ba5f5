package registry

import (
	"context"
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/policy"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/store"
)

// adoptStale adopts src, which this build's parser refuses, as an older build that accepted
// it did: the registry records whatever file the compiled policy it is handed is of.
func adoptStale(t *testing.T, o *office, name, src string) {
	t.Helper()
	if _, err := policy.Parse([]byte(src)); err == nil {
		t.Fatal("the stale policy compiles")
	}
	stale := &policy.Policy{Name: name, Digest: seal.DigestOf([]byte(src))}
	if _, err := o.r.adoptPolicy(context.Background(), o.admin, stale, []byte(src)); err != nil {
		t.Fatal(err)
	}
}

// restart opens the office's store and log again in a new registry, as `serve` does after an
// upgrade.
func restart(t *testing.T, o *office) error {
	t.Helper()
	cfg := o.r.cfg
	cfg.Policy = nil
	o.r = New(cfg)
	return o.r.LoadPolicy(context.Background(), policy.Parse)
}

// stalePolicy is a policy an older build adopted and this one refuses (item 291: a `matches`
// whose pattern is not a string constant; item 293: a group listing two names that read as
// one).
const stalePolicy = "version: 1\nname: stale\ngroups:\n  g: [alice, Alice]\nrules:\n  - name: d\n    default: true\n    require:\n      approvals: [{role: reviewer}]\n      signatures: [{role: signer}]\n" +
	"  - name: x\n    when: letter.class.matches(letter.subject)\n    require:\n      approvals: [{role: legal}]\n"

// TestOfficeWithPolicyThatNoLongerCompilesOpens: an office whose adopted policy a stricter
// build refuses did not start ("load policy …"). It opens with the gate closed: letters are
// read and drafted, nothing is approved, signed or released, the condition is said
// (PolicyClosed) with its remedy, and adopting a policy that compiles opens the gate again.
func TestOfficeWithPolicyThatNoLongerCompilesOpens(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	adoptStale(t, o, "stale", stalePolicy)
	// A signing statement fetched before the upgrade, signed after it.
	early := o.letter(t, "Fetched before the upgrade.")
	st, err := o.r.SigningStatement(ctx, o.signer, early)
	if err != nil {
		t.Fatal(err)
	}
	if err := restart(t, o); err != nil {
		t.Fatalf("the office does not open: %v", err)
	}
	sig := ed25519.Sign(o.signerKey, dsse.PAE(seal.SigningPayloadType, st))
	if err := o.r.Sign(ctx, o.signer, early, o.keyID, st, sig); !errors.Is(err, ErrConflict) || !strings.Contains(err.Error(), "does not compile") {
		t.Errorf("signature while the gate is closed: %v", err)
	}
	if w := o.r.PolicyClosed(); !strings.Contains(w, "stale") || !strings.Contains(w, "chancery policy adopt") || !strings.Contains(w, "matches") ||
		!strings.Contains(w, "Alice") || strings.Contains(w, "\n") {
		t.Errorf("PolicyClosed: %q", w)
	}
	// The roles its rules name stay assignable: members holding them still sign in.
	if _, err := o.r.AddMember(ctx, o.admin, "lee", []string{"legal"}); err != nil {
		t.Errorf("a member with the stale policy's role: %v", err)
	}
	ref := o.letter(t, "Drafted while the gate is closed.")
	if _, err := o.r.Letter(ctx, o.reviewer, ref); err != nil {
		t.Errorf("reading a letter: %v", err)
	}
	if err := o.r.Approve(ctx, o.reviewer, ref, "", ""); !errors.Is(err, ErrConflict) || !strings.Contains(err.Error(), "does not compile") {
		t.Errorf("approval while the gate is closed: %v", err)
	}
	if _, err := o.r.SigningStatement(ctx, o.signer, ref); !errors.Is(err, ErrConflict) {
		t.Errorf("signing statement while the gate is closed: %v", err)
	}
	_, err = o.r.Release(ctx, o.officer, ref)
	var gate *GateError
	if !errors.As(err, &gate) || !strings.Contains(err.Error(), "does not compile") {
		t.Errorf("release while the gate is closed: %v", err)
	}
	// Adopting a corrected policy opens the gate, here and after a restart.
	good := strings.NewReplacer("letter.class.matches(letter.subject)", `letter.class == "x"`, "name: stale", "name: good", "[alice, Alice]", "[alice]").Replace(stalePolicy)
	p, err := policy.Parse([]byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.AdoptPolicy(ctx, o.admin, p, []byte(good)); err != nil {
		t.Fatalf("adopting a corrected policy: %v", err)
	}
	if w := o.r.PolicyClosed(); w != "" {
		t.Errorf("PolicyClosed after a good adoption: %q", w)
	}
	if err := restart(t, o); err != nil || o.r.PolicyClosed() != "" {
		t.Fatalf("restarted after a good adoption: %v, %q", err, o.r.PolicyClosed())
	}
	if err := o.r.Approve(ctx, o.reviewer, ref, "", ""); err != nil {
		t.Fatal(err)
	}
	if err := o.sign(t, ref); err != nil {
		t.Fatal(err)
	}
	if err := tryRelease(o, ref); err != nil {
		t.Errorf("release under the corrected policy: %v", err)
	}
}

// TestClosedPolicyKeepsTwoAdmins: while the gate is closed, a policy is adopted under the
// rules the stale file states: with two_admins, a second admin approves it.
func TestClosedPolicyKeepsTwoAdmins(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	ada := o.member(t, "ada", RoleAdmin)
	adoptStale(t, o, "stale", "two_admins: true\n"+stalePolicy)
	// A server that has not read the adoption yet checks the stored policy's two_admins in
	// the change's transaction: a file it cannot compile failed every such change.
	cfg := o.r.cfg
	behind := New(cfg)
	if _, err := behind.AddMember(ctx, o.admin, "mallory", []string{RoleSigner}); !errors.Is(err, ErrConflict) || !strings.Contains(err.Error(), "two_admins") {
		t.Errorf("a member added by a server that has not read the stale policy: %v, want it to ask for two admins", err)
	}
	if err := restart(t, o); err != nil {
		t.Fatalf("the office does not open: %v", err)
	}
	_, err := o.r.AddMember(ctx, o.admin, "mallory", []string{RoleSigner})
	proposed(t, err, ChangeAddMember, "root")
	p, src := twoAdminsPolicy(t, false)
	_, err = o.r.AdoptPolicy(ctx, o.admin, p, src)
	c := proposed(t, err, ChangePolicy, "root")
	if o.r.PolicyClosed() == "" {
		t.Fatal("a proposed policy opened the gate")
	}
	if _, err := o.r.ApproveChange(ctx, ada, c.ID); err != nil {
		t.Fatalf("the second admin's approval: %v", err)
	}
	if w := o.r.PolicyClosed(); w != "" {
		t.Errorf("PolicyClosed after the approved adoption: %q", w)
	}
}

// TestUnreadableClosedPolicyLetsALoneAdminAdopt: a stale file that cannot be read as YAML at
// all was taken as asking for two admins, so an office with one admin could not adopt the
// policy that reopens its gate. With one admin it adopts alone; with two, the second approves.
func TestUnreadableClosedPolicyLetsALoneAdminAdopt(t *testing.T) {
	ctx := context.Background()
	const unreadable = "version: 1\nname: stale\n\ttwo_admins: true\n"
	o := newOffice(t)
	adoptStale(t, o, "stale", unreadable)
	if err := restart(t, o); err != nil {
		t.Fatal(err)
	}
	if o.r.AsksTwoAdmins(ctx) {
		t.Error("AsksTwoAdmins (what the members page shows) with one admin under the unreadable file")
	}
	p, src := twoAdminsPolicy(t, false)
	if _, err := o.r.AdoptPolicy(ctx, o.admin, p, src); err != nil {
		t.Fatalf("the office's only admin adopting a corrected policy: %v", err)
	}
	if w := o.r.PolicyClosed(); w != "" {
		t.Errorf("PolicyClosed after the adoption: %q", w)
	}

	o = newOffice(t)
	o.member(t, "ada", RoleAdmin)
	adoptStale(t, o, "stale", unreadable)
	if err := restart(t, o); err != nil {
		t.Fatal(err)
	}
	if !o.r.AsksTwoAdmins(ctx) {
		t.Error("AsksTwoAdmins with two admins under the unreadable file")
	}
	_, err := o.r.AdoptPolicy(ctx, o.admin, p, src)
	proposed(t, err, ChangePolicy, "root")
	_, err = New(o.r.cfg).AddMember(ctx, o.admin, "mallory", []string{RoleSigner})
	if !errors.Is(err, ErrConflict) && Proposed(err) == nil {
		t.Errorf("a member added by one of two admins under the unreadable file: %v", err)
	}
}

// TestAdoptPolicyNeedsACompiledPolicy: AdoptPolicy checked only that the policy's Digest
// was its file's, so a policy not compiled from the file (a literal, a closed one, one
// compiled from another file and given this one's digest) was put in force, and logged with
// a file it does not enforce.
func TestAdoptPolicyNeedsACompiledPolicy(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	p, src := twoAdminsPolicy(t, false)
	other, _ := twoAdminsPolicy(t, true)
	other.Digest, other.Name = p.Digest, p.Name
	for name, q := range map[string]*policy.Policy{
		"literal":        {Name: p.Name, Digest: p.Digest},
		"closed":         policy.Closed(p.Name, src, nil),
		"another file's": other,
	} {
		if _, err := o.r.AdoptPolicy(ctx, o.admin, q, src); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s policy adopted with the file: %v", name, err)
		}
	}
	if _, err := o.r.CurrentPolicy(ctx); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a policy is in force: %v", err)
	}
	if _, err := o.r.AdoptPolicy(ctx, o.admin, p, src); err != nil {
		t.Errorf("the compiled policy: %v", err)
	}
}

package registry

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/policy"
	"github.com/chancery/chancery/internal/seal"
)

// modifierPolicy is the built-in floor (one reviewer, one signer) plus two rules that ask for
// no approval or signature: embargoed letters also need a release officer; urgent letters'
// approvals count for a day (docs/policy-format.md's own example of an age-only rule).
const modifierPolicy = `version: 1
name: modifiers
rules:
  - name: embargoed
    when: '"embargoed" in letter.tags'
    require:
      release_officer: true
  - name: urgent
    when: '"urgent" in letter.tags'
    require:
      max_approval_age: 24h
  - name: default
    default: true
    require:
      approvals: [{role: reviewer, count: 1}]
      signatures: [{role: signer, count: 1}]
`

// TestReleaseTagKeepsTheFloor: the drafter chooses the tags, so a rule that asks only for a
// release officer, or only limits the age of approvals, must add to the default rule and not
// replace it: tagging a letter "embargoed" or "urgent" does not send it out with no approval
// and no signature ("no letter leaves on a release officer alone", docs/policy-format.md).
// With the approval and the signature the default asks for, it is released.
func TestReleaseTagKeepsTheFloor(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	p, err := policy.Parse([]byte(modifierPolicy))
	if err != nil {
		t.Fatal(err)
	}
	if w := p.Warnings(); len(w) != 0 {
		t.Fatalf("warnings: %v", w)
	}
	if _, err := o.r.AdoptPolicy(ctx, o.admin, p, []byte(modifierPolicy)); err != nil {
		t.Fatal(err)
	}
	for _, tag := range []string{"embargoed", "urgent"} {
		ref, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: "Repositioning of forces", Class: "foreign-government",
			Tags: []string{tag}, Addressees: []string{"Ministry of Defence of Freedonia"},
			File: Upload{Name: "letter.txt", Data: []byte("Dear Minister, " + tag + ".")}})
		if err != nil {
			t.Fatal(err)
		}
		// Nobody approved, nobody signed.
		rel, err := o.r.Release(ctx, o.officer, ref)
		var gate *GateError
		if err == nil {
			t.Fatalf("tag %q: released at log entry %d with no approval and no signature", tag, rel.LogIndex)
		} else if !errors.As(err, &gate) {
			t.Fatalf("tag %q: %v", tag, err)
		}
		if !slices.Equal(gate.Decision.Rules, []string{tag, "default"}) ||
			!slices.Equal(gate.Decision.Missing(), []string{"1 approval by a reviewer", "1 signature by a signer"}) {
			t.Errorf("tag %q: rules %q, missing %q", tag, gate.Decision.Rules, gate.Decision.Missing())
		}
		o.approve(t, ref)
		if err := o.sign(t, ref); err != nil {
			t.Fatal(err)
		}
		if _, err := o.r.Release(ctx, o.officer, ref); err != nil {
			t.Errorf("tag %q, approved and signed: %v", tag, err)
		}
	}
}

// TestReleaseRechecksTheReleaser: the gate's second check, in the log's transaction, reads
// the releaser as stored then, not as the request was authenticated: a release officer
// disabled, or stripped of the release role, by an admin while their release is being
// stamped releases nothing, as an approver or signer disabled meanwhile counts for nothing.
// (The hook runs where Release stamps the file, between the two checks.)
func TestReleaseRechecksTheReleaser(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(o *office) error
		want   string
	}{
		{"disabled", func(o *office) error {
			_, err := o.r.DisableMember(context.Background(), o.admin, "otto")
			return err
		}, "otto is disabled"},
		{"release role removed", func(o *office) error {
			_, err := o.r.SetRoles(context.Background(), o.admin, "otto", []string{RoleReviewer}, []string{RoleRelease})
			return err
		}, "otto needs the release role"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			o := newOffice(t)
			ref := o.letter(t, "Dear Minister, the text.")
			o.approve(t, ref)
			if err := o.sign(t, ref); err != nil {
				t.Fatal(err)
			}
			o.r.checkCodes = func(string) string {
				if err := tc.change(o); err != nil {
					t.Fatal(err)
				}
				return newCheckCode()
			}
			rel, err := o.r.Release(ctx, o.officer, ref)
			if err == nil {
				t.Fatalf("otto, %s before the release committed, released %s at log entry %d", tc.name, ref, rel.LogIndex)
			}
			if !errors.Is(err, ErrForbidden) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("release: %v, want forbidden: %s", err, tc.want)
			}
			if st, err := o.r.StatusOf(ctx, ref); err != nil || st.Outcome == Valid {
				t.Errorf("%s stands as %v (%v)", ref, st, err)
			}
		})
	}
}

// TestReleaseRefusesVersionNotShown: a release naming the version the release officer was
// shown is refused with a conflict once another version is the latest, and goes through while
// it is; a malformed digest is invalid. Without a version the latest is released, as before.
func TestReleaseRefusesVersionNotShown(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	ref := o.letter(t, "Dear Minister, version one.")
	v, err := o.r.Letter(ctx, o.officer, ref)
	if err != nil {
		t.Fatal(err)
	}
	shown := v.Versions[0].Digest
	if _, err := o.r.Revise(ctx, o.drafter, ref, Upload{Name: "letter.txt", Data: []byte("Dear Minister, version two.")}); err != nil {
		t.Fatal(err)
	}
	o.approve(t, ref)
	if err := o.sign(t, ref); err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.ReleaseVersion(ctx, o.officer, ref, "sha256:nothex"); !errors.Is(err, ErrInvalid) {
		t.Errorf("a malformed digest: %v, want invalid", err)
	}
	if _, err := o.r.ReleaseVersion(ctx, o.officer, ref, shown); !errors.Is(err, ErrConflict) {
		t.Fatalf("version 1 shown, version 2 latest: %v, want a conflict", err)
	}
	v, err = o.r.Letter(ctx, o.officer, ref)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.ReleaseVersion(ctx, o.officer, ref, v.Versions[1].Digest); err != nil {
		t.Fatal(err)
	}
	if v, err = o.r.Letter(ctx, o.officer, ref); err != nil || v.Release == nil || v.Release.Version != 2 {
		t.Errorf("released %+v (%v), want version 2", v.Release, err)
	}
}

// TestRejectionOnAStaleServerWithdrawsTheApproval: a reviewer's latest decision on a version
// is the one that counts, whichever policy the server that recorded it had in memory. Another
// server that has not loaded a newly adopted policy yet records a rejection under the old
// policy's digest; the gate skipped such rows before taking each reviewer's latest decision,
// so the reviewer's earlier approval under the new policy still counted.
func TestRejectionOnAStaleServerWithdrawsTheApproval(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	stale := New(o.r.cfg) // a second server on the same database, still on the built-in policy
	const renamed = "version: 1\nname: builtin-again\nrules:\n  - name: default\n    default: true\n    require:\n      approvals: [{role: reviewer}]\n      signatures: [{role: signer}]\n"
	p, err := policy.Parse([]byte(renamed))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.AdoptPolicy(ctx, o.admin, p, []byte(renamed)); err != nil {
		t.Fatal(err)
	}
	ref := o.letter(t, "Sir, ...")
	o.approve(t, ref)
	if err := stale.Reject(ctx, o.reviewer, ref, "", "on second reading, no"); err != nil {
		t.Fatal(err)
	}
	if err := o.sign(t, ref); err != nil {
		t.Fatal(err)
	}
	_, err = o.r.Release(ctx, o.officer, ref)
	var gate *GateError
	if !errors.As(err, &gate) || !slices.Contains(gate.Decision.Missing(), "1 approval by a reviewer") {
		t.Fatalf("release after the reviewer's rejection: %v, want the gate's refusal for want of an approval", err)
	}
	// The rejection withdrew the approval: the reviewer may approve again, and it counts.
	o.approve(t, ref)
	if _, err := o.r.Release(ctx, o.officer, ref); err != nil {
		t.Fatalf("release after approving again: %v", err)
	}
}

// TestSignatureByGroupNeedsTheSignerRoleStill: a policy's signer group names people, but an
// admin who takes the signer role from one of them (leaving, or no longer trusted) means their
// signatures to stop counting, as approvals stop counting with the reviewer role. The gate
// counted a group's signatures whatever roles their signers held at the release.
func TestSignatureByGroupNeedsTheSignerRoleStill(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	const src = "version: 1\nname: group\ngroups:\n  command: [sam]\nrules:\n  - name: default\n    default: true\n    require:\n      approvals: [{role: reviewer}]\n      signatures: [{group: command}]\n"
	p, err := policy.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.AdoptPolicy(ctx, o.admin, p, []byte(src)); err != nil {
		t.Fatal(err)
	}
	ref := o.letter(t, "Sir, ...")
	o.approve(t, ref)
	if err := o.sign(t, ref); err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.SetRoles(ctx, o.admin, "sam", []string{RoleDrafter}, []string{RoleSigner}); err != nil {
		t.Fatal(err)
	}
	_, err = o.r.Release(ctx, o.officer, ref)
	var gate *GateError
	if !errors.As(err, &gate) || !slices.Contains(gate.Decision.Missing(), "1 signature by a member of command") {
		t.Fatalf("release on the signature of a member who lost the signer role: %v, want the gate's refusal", err)
	}
}

// TestReloadDoesNotPutBackAnOlderPolicy: a reload of the policy adopted last (LoadPolicy, run
// by a PostgreSQL office's servers at each growth of the log) that read the store before an
// adoption, and stored its policy after the adoption had put its own in force, put the
// older one back in memory. Every approval and signature was then recorded under the older
// policy and counted for nothing, and every release was refused as "the release policy
// changed", until another reload, or, on SQLite, where nothing reloads, a restart; two
// adoptions finishing in the other order did the same.
func TestReloadDoesNotPutBackAnOlderPolicy(t *testing.T) {
	o := newOffice(t)
	ctx := context.Background()
	adopt := func(src string) *policy.Policy {
		t.Helper()
		p, err := policy.Parse([]byte(src))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := o.r.AdoptPolicy(ctx, o.admin, p, []byte(src)); err != nil {
			t.Fatal(err)
		}
		return p
	}
	older := "version: 1\nname: older\nrules:\n  - name: d\n    default: true\n    require:\n      approvals: [{role: reviewer}]\n      signatures: [{role: signer}]\n"
	newer := strings.Replace(older, "name: older", "name: newer", 1)
	adopt(older)
	var latest *policy.Policy
	err := o.r.LoadPolicy(ctx, func(src []byte) (*policy.Policy, error) {
		// The reload has read the older policy from the store; the newer one is adopted
		// before it puts what it read in force.
		latest = adopt(newer)
		return policy.Parse(src)
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := o.r.Policy(); got.Digest != latest.Digest {
		t.Fatalf("the policy in force in memory is %s, not %s, adopted last", got.Name, latest.Name)
	}
	ref := o.letter(t, "Adopted last.")
	o.approve(t, ref)
	if err := o.sign(t, ref); err != nil {
		t.Fatal(err)
	}
	if err := tryRelease(o, ref); err != nil {
		t.Errorf("release under the policy adopted last: %v", err)
	}
}

// TestSignatureOnAStaleServerLeavesTheSignerFreeToSignAgain: a signature recorded by another
// server that has not loaded a newly adopted policy yet is bound to the old policy's digest,
// and the gate tells the signer to sign again under the policy in force. Sign refused that as
// a second signature "under this policy", whatever policy the first was bound to: the signer
// could not sign with their key again, and the letter not be released.
func TestSignatureOnAStaleServerLeavesTheSignerFreeToSignAgain(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	stale := New(o.r.cfg) // a second server on the same database, still on the built-in policy
	const renamed = "version: 1\nname: builtin-again\nrules:\n  - name: default\n    default: true\n    require:\n      approvals: [{role: reviewer}]\n      signatures: [{role: signer}]\n"
	p, err := policy.Parse([]byte(renamed))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.AdoptPolicy(ctx, o.admin, p, []byte(renamed)); err != nil {
		t.Fatal(err)
	}
	ref := o.letter(t, "Sir, ...")
	o.approve(t, ref)
	st, err := stale.SigningStatement(ctx, o.signer, ref)
	if err != nil {
		t.Fatal(err)
	}
	if err := stale.Sign(ctx, o.signer, ref, o.keyID, st, signPAE(o.signerKey, seal.SigningPayloadType, st)); err != nil {
		t.Fatal(err)
	}
	_, err = o.r.Release(ctx, o.officer, ref)
	var gate *GateError
	if !errors.As(err, &gate) || !slices.Contains(gate.Decision.Missing(), "1 signature by a signer") {
		t.Fatalf("release on a signature under the policy no longer in force: %v, want the gate's refusal", err)
	}
	if want := "the signature by sam was recorded under another policy than the one in force (by a server that had not loaded it yet) and does not count: sam signs again"; !slices.Contains(gate.Decision.Notes, want) {
		t.Errorf("the gate's notes %q, want %q", gate.Decision.Notes, want)
	}
	if err := o.sign(t, ref); err != nil {
		t.Fatalf("signing again under the policy in force, as the gate says: %v", err)
	}
	if _, err := o.r.Release(ctx, o.officer, ref); err != nil {
		t.Fatalf("release after signing again: %v", err)
	}
	// Under the policy in force, once is enough.
	ref = o.letter(t, "Madam, ...")
	if err := o.sign(t, ref); err != nil {
		t.Fatal(err)
	}
	if err := o.sign(t, ref); !errors.Is(err, ErrConflict) {
		t.Errorf("a second signature with the same key under the same policy: %v, want ErrConflict", err)
	}
}

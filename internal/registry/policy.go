package registry

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/chancery/chancery/internal/entry"
	"github.com/chancery/chancery/internal/i18n"
	"github.com/chancery/chancery/internal/policy"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/store"
)

// MaxPolicySize bounds a policy file: it travels inside its log entry.
const MaxPolicySize = 32 << 10

// AdoptPolicy puts a compiled policy in force (admin). The policy-adopted entry, signed by the
// office and carrying the policy file, is logged in the same transaction that records it.
//
// Pending approvals and signatures are bound to the adoption they were given under: once a
// policy is adopted (even one that was in force before) they no longer count, and the letter's
// decision says so. Reviewers approve and signers sign again under the new rules; nothing
// carries over silently.
func (r *Registry) AdoptPolicy(ctx context.Context, a Actor, p *policy.Policy, source []byte) (int64, error) {
	if err := p.CompiledFrom(source); err != nil {
		return 0, fmt.Errorf("adopt policy: %w: %w", ErrInvalid, err)
	}
	return r.adoptPolicy(ctx, a, p, source)
}

// adoptPolicy is AdoptPolicy for a policy p compiled from source; tests adopt through it
// the files of older builds, which this one refuses.
func (r *Registry) adoptPolicy(ctx context.Context, a Actor, p *policy.Policy, source []byte) (int64, error) {
	if err := a.require(RoleAdmin); err != nil {
		return 0, err
	}
	if len(source) > MaxPolicySize {
		return 0, i18n.Errorf(ErrInvalid, "the policy file is larger than %d bytes", MaxPolicySize)
	}
	if seal.DigestOf(source) != p.Digest {
		return 0, i18n.Errorf(ErrInvalid, "the compiled policy is not of this file")
	}
	if r.twoAdmins(ctx, a) {
		return 0, r.propose(ctx, a, ChangePolicy, string(p.Digest), changeDetail{Name: p.Name, Source: source})
	}
	now := r.now()
	o := seal.NewOpening(seal.PolicyStatement{Office: r.cfg.Office.Name, Digest: p.Digest, Name: p.Name,
		Source: source, AdoptedBy: a.Member.Name, Time: now})
	e, err := r.officeEntry(entry.PolicyAdopted, seal.PolicyRecord{Office: r.cfg.Office.Name, Commitment: o.Commitment(entry.PolicyAdopted), Time: now})
	if err != nil {
		return 0, fmt.Errorf("adopt policy: %w", err)
	}
	var ap store.AdoptedPolicy
	// The log grows: cached answers carry a seal proved against the older tree, which a
	// verifier that has seen this one refuses as a rollback (issue 12 item 4). None is kept
	// until the log's transaction has ended (see publicCache).
	defer r.public.changing()()
	idx, err := r.appendSigned(ctx, e, func(tx *store.Tx, index int64) error {
		if err := stillActs(ctx, tx, a); err != nil {
			return err
		}
		if err := putOpening(ctx, tx, index, o); err != nil {
			return err
		}
		if cur, err := tx.CurrentPolicy(ctx); err == nil && cur.Digest == string(p.Digest) {
			return i18n.Errorf(ErrConflict, "this policy is already in force (log entry %d)", cur.LogIndex)
		}
		if err := checkGroupNames(ctx, tx, p); err != nil {
			return err
		}
		if err := r.takeChange(ctx, tx, a, ChangePolicy, string(p.Digest), changeDetail{Name: p.Name, Source: source}); err != nil {
			return err
		}
		if p.TwoAdmins() {
			n, err := activeAdmins(ctx, tx, 0)
			if err != nil {
				return err
			}
			if n < 2 {
				return i18n.Errorf(ErrConflict, "the policy asks for two admins (two_admins), and the office has %d active admin: make another member admin first", n)
			}
		}
		ap = store.AdoptedPolicy{LogIndex: index, Digest: string(p.Digest), Name: p.Name, Source: source, AdoptedBy: a.Member.ID, AdoptedAt: now}
		if err := tx.AddPolicy(ctx, &ap); err != nil {
			return err
		}
		return r.audit(ctx, tx, a, "policy.adopt", "", fmt.Sprintf("%s %s, log entry %d", p.Name, p.Digest, index))
	})
	if err != nil {
		return 0, fmt.Errorf("adopt policy: %w", err)
	}
	r.putInForce(&inForce{pol: p, logIndex: idx, approvalsAfter: ap.ApprovalsBefore, signaturesAfter: ap.SignaturesBefore})
	return idx, nil
}

// checkGroupNames refuses a policy whose group lists a name that is no member's but reads as
// one's ("rita" for the member Rita, "r\u0456ta" with a Cyrillic і): such a name can never be
// a member's, since a new member's name may not read as an existing one's, so the group would
// never count the person its writer meant, and the letters it governs could not be released.
// A name that reads as no member's is accepted: the member may be added later.
func checkGroupNames(ctx context.Context, tx *store.Tx, p *policy.Policy) error {
	ms, err := tx.Members(ctx)
	if err != nil {
		return err
	}
	names := make([]string, len(ms))
	for i, m := range ms {
		names[i] = m.Name
	}
	groups := p.Groups()
	for _, g := range slices.Sorted(maps.Keys(groups)) {
		for _, n := range groups[g] {
			if slices.Contains(names, n) {
				continue
			}
			if other := lookAlike(n, names); other != "" {
				return i18n.Errorf(ErrInvalid, "group %s lists %q, who is not a member but reads as the member %q: write their name as it is", g, n, other)
			}
		}
	}
	return nil
}

// putInForce puts e in memory as the policy in force, unless a later adoption (one logged
// after it) already is there. Adoptions and reloads store what they committed or read after
// their transaction, in whatever order their goroutines run: a reload that read the store
// before an adoption, or the earlier of two adoptions, must not put an older policy back, under
// which every approval and signature would be recorded in vain and every release refused
// until the next reload.
func (r *Registry) putInForce(e *inForce) {
	for {
		cur := r.inForce.Load()
		if cur.logIndex > e.logIndex || r.inForce.CompareAndSwap(cur, e) {
			return
		}
	}
}

// LoadPolicy puts in force the policy adopted last, compiled with compile; with none adopted
// the configured policy stays. An adopted policy that does not compile (a newer build refuses
// what an older one accepted) or compiles to another digest closes the gate instead of
// failing: the office opens, reads and verifies, and releases, approves and signs nothing
// until an admin adopts a policy that compiles (PolicyClosed says so). Only a store that
// cannot be read is an error.
func (r *Registry) LoadPolicy(ctx context.Context, compile func([]byte) (*policy.Policy, error)) error {
	var cur *store.AdoptedPolicy
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		var err error
		cur, err = tx.CurrentPolicy(ctx)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("load policy: %w", err)
	}
	r.putInForce(&inForce{pol: compileAdopted(cur, compile), logIndex: cur.LogIndex, approvalsAfter: cur.ApprovalsBefore, signaturesAfter: cur.SignaturesBefore})
	return nil
}

// compileAdopted compiles the adopted policy cur with compile, or returns it closed
// (policy.Closed) if it does not compile to its digest.
func compileAdopted(cur *store.AdoptedPolicy, compile func([]byte) (*policy.Policy, error)) *policy.Policy {
	p, err := compile(cur.Source)
	if err == nil && string(p.Digest) != cur.Digest {
		err = fmt.Errorf("it compiles to digest %s, not %s", p.Digest, cur.Digest)
	}
	if err != nil {
		// On one line, for /readyz and the logs: a policy's errors come one a line.
		return policy.Closed(cur.Name, cur.Source, fmt.Errorf("log entry %d, %s: %s", cur.LogIndex, cur.Digest, strings.ReplaceAll(err.Error(), "\n", "; ")))
	}
	return p
}

// PolicyClosed says, while the policy in force does not compile with this build, why, and
// what an admin does about it (for /readyz and the operator's logs); "" otherwise. Nothing is
// released, approved or signed meanwhile; reading, verifying and adopting a policy go on.
func (r *Registry) PolicyClosed() string {
	if err := gateClosed(r.Policy()); err != nil {
		return strings.TrimPrefix(err.Error(), ErrConflict.Error()+": ")
	}
	return ""
}

// gateClosed refuses (ErrConflict) what rests on the policy in force p while it does not
// compile with this build: approving, signing, releasing.
func gateClosed(p *policy.Policy) error {
	if why := p.Closed(); why != nil {
		return i18n.Errorf(ErrConflict, "the policy in force, %s, does not compile with this version of Chancery (%v): nothing is released, approved or signed until an admin checks a corrected policy with `chancery policy check` and adopts it with `chancery policy adopt`", p.Name, why)
	}
	return nil
}

// CurrentPolicy returns the adopted policy in force, or ErrNotFound while the built-in one is.
func (r *Registry) CurrentPolicy(ctx context.Context) (*store.AdoptedPolicy, error) {
	var cur *store.AdoptedPolicy
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		var err error
		cur, err = tx.CurrentPolicy(ctx)
		return err
	})
	return cur, err
}

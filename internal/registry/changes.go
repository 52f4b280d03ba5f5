package registry

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/chancery/chancery/internal/i18n"
	"github.com/chancery/chancery/internal/policy"
	"github.com/chancery/chancery/internal/store"
)

// Two-admin changes. An admin who can add a member, give a role or issue another member's
// token can meet a two-person rule alone: create a second account, or take a member's, then
// approve and sign as two people. A policy with `two_admins: true` closes that: the changes
// that decide who may approve and sign are then proposed by one admin and carried out only
// when a second, active admin approves them. The second admin receives what the change makes
// (a new member's or a new token), never the proposer. Changes that take power away
// (disabling a member, taking a role, revoking a key) stay one admin's, so that an office
// answers a leaked token at once.

// Change kinds: the audit actions of the changes they carry out.
const (
	ChangeAddMember = "member.add"
	ChangeRoles     = "member.roles"
	ChangeToken     = "member.token"
	ChangeEnable    = "member.enable"
	ChangePolicy    = "policy.adopt"
	// The witnesses whose cosignatures seals carry, and how many must cosign: who vouches
	// that the office shows one history, and whose clocks bound approvals' age.
	ChangeWitnessAdd    = "witness.add"
	ChangeWitnessRemove = "witness.remove"
	ChangeWitnessQuorum = "witness.quorum"
)

// quorumSubject is the subject of a witness.quorum change, which names no witness.
const quorumSubject = "quorum"

// ChangeMaxAge is how long a proposed change waits for its second admin: an older one is
// proposed again, so that nobody approves what was asked in another situation.
const ChangeMaxAge = 7 * 24 * time.Hour

// MaxPendingChanges is how many changes one admin may have pending at a time, however old
// (one older than ChangeMaxAge can no longer be approved, but stays on the list until it is
// refused): a bound on what one admin can put before the others, so that the list the
// second admin reads stays short enough to read.
const MaxPendingChanges = 20

// changeDetail is what a change carries beyond its kind and subject, stored as JSON.
type changeDetail struct {
	Roles  []string `json:"roles,omitempty"`  // member.add
	Add    []string `json:"add,omitempty"`    // member.roles
	Remove []string `json:"remove,omitempty"` // member.roles
	Name   string   `json:"name,omitempty"`   // policy.adopt: the policy's name
	Source []byte   `json:"source,omitempty"` // policy.adopt: the policy file
	URL    string   `json:"url,omitempty"`    // witness.add
	VKey   string   `json:"vkey,omitempty"`   // witness.add
	Quorum int      `json:"quorum,omitempty"` // witness.quorum
}

// ChangeView is what admins see of a change.
type ChangeView struct {
	ID     int64  `json:"id"`
	Kind   string `json:"kind"`
	Member string `json:"member,omitempty"`
	// Roles are a new member's roles; Add and Remove a role change's.
	Roles  []string `json:"roles,omitempty"`
	Add    []string `json:"add,omitempty"`
	Remove []string `json:"remove,omitempty"`
	// Policy and PolicyName are the digest and name of a policy to adopt; PolicySource is its
	// file, which the second admin reads before approving (in Change's answer only).
	Policy       string     `json:"policy,omitempty"`
	PolicyName   string     `json:"policy_name,omitempty"`
	PolicySource string     `json:"policy_source,omitempty"`
	ProposedBy   string     `json:"proposed_by"`
	ProposedAt   time.Time  `json:"proposed_at"`
	State        string     `json:"state"` // pending, done or refused
	DecidedBy    string     `json:"decided_by,omitempty"`
	DecidedAt    *time.Time `json:"decided_at,omitempty"`
	// DecidedByOperator tells that no member decided the change: the operator's 'chancery
	// member recover' refused it (DecidedBy names them in English), which a page says in its
	// reader's language.
	DecidedByOperator bool `json:"-"`
	// Witness, WitnessURL and WitnessKey are a witness to add (or, Witness alone, to
	// remove); Quorum is a new witness quorum.
	Witness    string `json:"witness,omitempty"`
	WitnessURL string `json:"witness_url,omitempty"`
	WitnessKey string `json:"witness_vkey,omitempty"`
	Quorum     *int   `json:"quorum,omitempty"`
}

// ProposedError is returned, instead of carrying out a change, when the policy in force asks
// for two admins: the change is recorded and waits for a second admin (ApproveChange).
type ProposedError struct{ Change *ChangeView }

func (e *ProposedError) message() i18n.Message {
	return i18n.Msg("proposed as change %d: the policy in force asks for a second admin (two_admins), who approves it", e.Change.ID)
}

func (e *ProposedError) Error() string { return e.message().String() }

// Translate says it in p's language, for the web pages.
func (e *ProposedError) Translate(p *i18n.Printer) string { return e.message().Translate(p) }

// Proposed returns the change err says was proposed, or nil.
func Proposed(err error) *ChangeView {
	var pe *ProposedError
	if errors.As(err, &pe) {
		return pe.Change
	}
	return nil
}

// ChangeResult is what approving a change did.
type ChangeResult struct {
	Change *ChangeView `json:"change"`
	// Token is the new token of a member added, given a token or enabled, shown once to the
	// approving admin, who hands it to the member.
	Token string `json:"token,omitempty"`
	// Member is the member after a role change.
	Member *MemberView `json:"member,omitempty"`
	// LogIndex is the policy-adopted entry's index.
	LogIndex int64 `json:"log_index,omitempty"`
	// Superseded are the other pending changes about the member that this one refused, in
	// its transaction, as superseded: the new tokens a new token given or an enabling
	// refused, the enablings an enabling refused, the role changes proposed before a role
	// change.
	Superseded []ChangeView `json:"superseded,omitempty"`
	// Refused are the pending changes the member had proposed that a role change refused, in
	// its transaction, because it took the member's admin role away or gave it back after
	// they lost it, or that an enabling refused, an older build having left them pending
	// (refuseChangesBy), as the answer of a role change or an enabling made at once names them.
	Refused []ChangeView `json:"refused,omitempty"`
}

// twoAdmins reports whether the policy in force asks for two admins; a change carried out
// for an approved change (a.change) is not asked again. A closed policy whose two_admins
// cannot be read asks for them while the office has two (policy.TwoAdminsWith); if the
// admins cannot be counted, it does (the change is proposed, and the transaction that
// carries out one checks again).
func (r *Registry) twoAdmins(ctx context.Context, a Actor) bool {
	p := r.Policy()
	if a.change != 0 || p.Closed() == nil {
		return a.change == 0 && p.TwoAdmins()
	}
	var n int
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		var err error
		n, err = activeAdmins(ctx, tx, 0)
		return err
	})
	return err != nil || p.TwoAdminsWith(n)
}

// AsksTwoAdmins reports whether the policy in force asks for a second admin to approve member
// and policy changes, as the registry judges it when an admin makes one.
func (r *Registry) AsksTwoAdmins(ctx context.Context) bool {
	return r.twoAdmins(ctx, Actor{})
}

// twoAdminsIn reports whether the policy in force in tx asks for two admins: the one in
// memory, unless another server adopted one this server has not read yet.
func (r *Registry) twoAdminsIn(ctx context.Context, tx *store.Tx) (bool, error) {
	cur, err := tx.CurrentPolicy(ctx)
	if errors.Is(err, store.ErrNotFound) {
		return policy.Builtin().TwoAdmins(), nil
	}
	if err != nil {
		return false, err
	}
	p := r.Policy()
	if string(p.Digest) != cur.Digest {
		// One that does not compile with this build is read as LoadPolicy reads it (closed):
		// the rules for changing it are those its file states.
		p = compileAdopted(cur, policy.Parse)
	}
	if p.Closed() == nil {
		return p.TwoAdmins(), nil
	}
	n, err := activeAdmins(ctx, tx, 0)
	if err != nil {
		return false, err
	}
	return p.TwoAdminsWith(n), nil
}

// propose records the change kind of subject with detail, proposed by the admin a, and
// returns it as a ProposedError.
func (r *Registry) propose(ctx context.Context, a Actor, kind, subject string, d changeDetail) error {
	detail, err := json.Marshal(d)
	if err != nil {
		return err
	}
	c := &store.Change{Kind: kind, Subject: subject, Detail: detail, ProposedBy: a.Member.ID, ProposedAt: r.now()}
	err = r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		if err := stillActs(ctx, tx, a); err != nil {
			return err
		}
		if err := checkProposal(ctx, tx, kind, subject, d); err != nil {
			return err
		}
		if err := r.checkNotPendingAlready(ctx, tx, a, c); err != nil {
			return err
		}
		if err := checkPendingBound(ctx, tx, a); err != nil {
			return err
		}
		if err := tx.AddChange(ctx, c); err != nil {
			return err
		}
		return r.audit(ctx, tx, a, "change.propose", "", auditChange(c))
	})
	if err != nil {
		return fmt.Errorf("propose %s %s: %w", kind, subject, err)
	}
	v, err := r.changeView(ctx, c)
	if err != nil {
		return err
	}
	return &ProposedError{Change: v}
}

// checkNotPendingAlready refuses the proposal c when a pending change asks the same already
// (sameRequest), whoever proposed it: a duplicate would only lengthen the list a second
// admin reads, and, approved after the first, do its work twice. One proposed more than
// ChangeMaxAge ago, or whose proposer is no longer an active admin, is no longer approved
// (checkApprover): it does not count. The check and the insert
// are in one transaction, and Update's transactions follow one another (one writer at a
// time, on SQLite and PostgreSQL alike): of two proposals at once, the second sees the
// first.
func (r *Registry) checkNotPendingAlready(ctx context.Context, tx *store.Tx, a Actor, c *store.Change) error {
	cs, err := tx.Changes(ctx, 0) // the pending ones only
	if err != nil {
		return err
	}
	for i := range cs {
		p := &cs[i]
		if p.State != store.ChangePending || r.now().Sub(p.ProposedAt) > ChangeMaxAge || !sameRequest(p, c) {
			continue
		}
		// Nor does one whose proposer is no longer an active admin (left pending by a build
		// that did not refuse it): checkApprover refuses its approval.
		by, err := tx.MemberByID(ctx, p.ProposedBy)
		if err != nil {
			return err
		}
		if by.Disabled() || !by.HasRole(RoleAdmin) {
			continue
		}
		if p.ProposedBy == a.Member.ID {
			return i18n.Errorf(ErrConflict, "you proposed this already as change %d: another admin approves it", p.ID)
		}
		return i18n.Errorf(ErrConflict, "change %d already asks this: approve it", p.ID)
	}
	return nil
}

// sameRequest reports whether the changes a and b ask the same: the same kind, subject and
// detail, roles compared as sets ("+reviewer +drafter" asks what "+drafter +reviewer" does).
func sameRequest(a, b *store.Change) bool {
	if a.Kind != b.Kind || a.Subject != b.Subject {
		return false
	}
	var da, db changeDetail
	if json.Unmarshal(a.Detail, &da) != nil || json.Unmarshal(b.Detail, &db) != nil {
		return bytes.Equal(a.Detail, b.Detail)
	}
	sameSet := func(x, y []string) bool {
		x, y = slices.Clone(x), slices.Clone(y)
		slices.Sort(x)
		slices.Sort(y)
		return slices.Equal(slices.Compact(x), slices.Compact(y))
	}
	return sameSet(da.Roles, db.Roles) && sameSet(da.Add, db.Add) && sameSet(da.Remove, db.Remove) &&
		da.Name == db.Name && bytes.Equal(da.Source, db.Source) && da.URL == db.URL && da.VKey == db.VKey && da.Quorum == db.Quorum
}

// checkPendingBound refuses a new proposal from an admin who has MaxPendingChanges waiting.
func checkPendingBound(ctx context.Context, tx *store.Tx, a Actor) error {
	pending, err := tx.PendingChangesBy(ctx, a.Member.ID)
	if err != nil {
		return err
	}
	if len(pending) >= MaxPendingChanges {
		return i18n.Errorf(ErrConflict, "you have %d changes waiting for a second admin: withdraw one (chancery change refuse ID) or ask another admin to decide them", len(pending))
	}
	return nil
}

// auditChange is the audit trail's detail of c: what it does, whoever proposed it and however
// it ends (a change withdrawn leaves no other trace of the roles or the policy it asked for).
func auditChange(c *store.Change) string {
	var d changeDetail
	if err := json.Unmarshal(c.Detail, &d); err != nil {
		return fmt.Sprintf("change %d: %s %s", c.ID, c.Kind, c.Subject)
	}
	what := c.Subject
	switch c.Kind {
	case ChangeAddMember:
		what = fmt.Sprintf("%s (%s)", c.Subject, strings.Join(d.Roles, ","))
	case ChangeRoles:
		what = fmt.Sprintf("%s: %s", c.Subject, roleChange(d.Add, d.Remove))
	case ChangePolicy:
		what = fmt.Sprintf("%s %s", d.Name, c.Subject)
	case ChangeWitnessAdd:
		what = fmt.Sprintf("%s %s %s", c.Subject, d.URL, d.VKey)
	case ChangeWitnessQuorum:
		what = fmt.Sprint(d.Quorum)
	}
	return fmt.Sprintf("change %d: %s %s", c.ID, c.Kind, what)
}

// checkProposal refuses a change that could not be carried out as things stand, so that a
// second admin is not asked for nothing. Carrying it out checks everything again.
func checkProposal(ctx context.Context, tx *store.Tx, kind, subject string, d changeDetail) error {
	switch kind {
	case ChangeWitnessAdd, ChangeWitnessQuorum:
		return nil // checked before the proposal, and again when it is carried out
	case ChangeWitnessRemove:
		ws, err := tx.Witnesses(ctx)
		if err != nil {
			return err
		}
		return witnessExists(ws, subject)
	}
	if kind == ChangePolicy {
		cur, err := tx.CurrentPolicy(ctx)
		if err == nil && cur.Digest == subject {
			return i18n.Errorf(ErrConflict, "this policy is already in force (log entry %d)", cur.LogIndex)
		}
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		return err
	}
	m, err := tx.MemberByName(ctx, subject)
	switch {
	case kind == ChangeAddMember && err == nil:
		return i18n.Errorf(ErrConflict, "%s is already a member", subject)
	case kind == ChangeAddMember && errors.Is(err, store.ErrNotFound):
		return checkLookAlikeMember(ctx, tx, subject)
	case err != nil:
		return err
	case kind == ChangeEnable && !m.Disabled():
		return i18n.Errorf(ErrConflict, "%s is not disabled", subject)
	case kind != ChangeEnable && m.Disabled():
		return i18n.Errorf(ErrConflict, "%s is disabled: enable them first", subject)
	case kind == ChangeRoles:
		// A role held already (given meanwhile by another change), or one to take that is not
		// held, would wait for a second admin whose approval can only fail.
		_, err := rolesAfter(m, d.Add, d.Remove)
		return err
	}
	return nil
}

// takeChange is called in the transaction of every change two admins may be asked for. For
// a change being carried out (a.change), it checks that the stored change is still pending,
// is the one carried out, was proposed by another admin who still is one, and is recent,
// and marks it done, in the transaction that carries it out: the change is done once. For
// any other, it refuses if the policy in force (read in tx) asks for two admins: one adopted
// meanwhile, perhaps by another server.
func (r *Registry) takeChange(ctx context.Context, tx *store.Tx, a Actor, kind, subject string, d changeDetail) error {
	if a.change == 0 {
		if a.local {
			return nil
		}
		two, err := r.twoAdminsIn(ctx, tx)
		if err != nil {
			return err
		}
		if two {
			return i18n.Errorf(ErrConflict, "the policy in force now asks for two admins (two_admins): propose the change again")
		}
		return nil
	}
	c, err := tx.Change(ctx, a.change)
	if err != nil {
		return err
	}
	detail, err := json.Marshal(d)
	if err != nil {
		return err
	}
	if c.Kind != kind || c.Subject != subject || !bytes.Equal(c.Detail, detail) {
		return fmt.Errorf("change %d is %s %s, not what is carried out (%s %s)", c.ID, c.Kind, c.Subject, kind, subject)
	}
	if err := r.checkApprover(ctx, tx, a, c); err != nil {
		return err
	}
	if err := tx.DecideChange(ctx, c.ID, store.ChangeDone, a.Member.ID, r.now()); err != nil {
		return err
	}
	return r.audit(ctx, tx, a, "change.approve", "", auditChange(c))
}

// checkApprover refuses an approval of c by a: c must be pending and recent, a must not be
// its proposer, and its proposer must still be an active admin.
func (r *Registry) checkApprover(ctx context.Context, tx *store.Tx, a Actor, c *store.Change) error {
	if c.State != store.ChangePending {
		return notPending(c)
	}
	if c.ProposedBy == a.Member.ID {
		return i18n.Errorf(ErrForbidden, "you proposed change %d: another admin approves it", c.ID)
	}
	if r.now().Sub(c.ProposedAt) > ChangeMaxAge {
		return i18n.Errorf(ErrConflict, "change %d was proposed more than 7 days ago: refuse it, and propose it again if it is still wanted", c.ID)
	}
	p, err := tx.MemberByID(ctx, c.ProposedBy)
	if err != nil {
		return err
	}
	if p.Disabled() || !p.HasRole(RoleAdmin) {
		return i18n.Errorf(ErrConflict, "change %d was proposed by %s, who is no longer an active admin: refuse it", c.ID, p.Name)
	}
	return nil
}

// refuseChangesBy refuses, in the transaction that disables m or takes their admin role, the
// changes m proposed that still wait for a second admin. checkApprover refuses them while m
// is not an active admin, but enabling m again, or giving the role back, would bring back
// what whoever held m's account proposed, under m's name, as voided approvals would count
// again: m proposes again what they still want. why says what happened to m. It returns the
// changes it refused, for the answer of the command that disabled m or changed their roles.
func (r *Registry) refuseChangesBy(ctx context.Context, tx *store.Tx, a Actor, m *store.Member, why string) ([]store.Change, error) {
	pending, err := tx.PendingChangesBy(ctx, m.ID)
	if err != nil {
		return nil, err
	}
	return pending, r.refuseChanges(ctx, tx, a, pending, why)
}

// pendingChangesAbout returns the pending changes of the member m (member.add, member.roles,
// member.token, member.enable whose subject is m) that another member proposed, oldest first.
func pendingChangesAbout(ctx context.Context, tx *store.Tx, m *store.Member) ([]store.Change, error) {
	cs, err := tx.Changes(ctx, 0) // the pending ones only
	if err != nil {
		return nil, err
	}
	var out []store.Change
	for _, c := range cs {
		if c.State == store.ChangePending && c.ProposedBy != m.ID && c.Subject == m.Name && strings.HasPrefix(c.Kind, "member.") {
			out = append(out, c)
		}
	}
	return out, nil
}

// pendingTokenChanges returns the pending member.token changes about m other than the change
// except, oldest first: those a new token for m supersedes.
func pendingTokenChanges(ctx context.Context, tx *store.Tx, m *store.Member, except int64) ([]store.Change, error) {
	return pendingChangesOf(ctx, tx, m, except, ChangeToken)
}

// pendingChangesOf returns the pending changes about m of the kinds given, other than the
// change except, oldest first.
func pendingChangesOf(ctx context.Context, tx *store.Tx, m *store.Member, except int64, kinds ...string) ([]store.Change, error) {
	about, err := pendingChangesAbout(ctx, tx, m)
	if err != nil {
		return nil, err
	}
	var out []store.Change
	for _, c := range about {
		if slices.Contains(kinds, c.Kind) && c.ID != except {
			out = append(out, c)
		}
	}
	return out, nil
}

// pendingRoleChangesBefore returns the pending member.roles changes about m proposed before the
// change applied (a smaller id; every one when applied is 0, a change made at once), whoever
// proposed them, m included, oldest first: those a role change of m supersedes.
func pendingRoleChangesBefore(ctx context.Context, tx *store.Tx, m *store.Member, applied int64) ([]store.Change, error) {
	cs, err := tx.Changes(ctx, 0) // the pending ones only
	if err != nil {
		return nil, err
	}
	var out []store.Change
	for _, c := range cs {
		if c.State == store.ChangePending && c.Kind == ChangeRoles && c.Subject == m.Name && (applied == 0 || c.ID < applied) {
			out = append(out, c)
		}
	}
	return out, nil
}

// refuseChanges refuses the pending changes cs, in a's name, each audited with why.
func (r *Registry) refuseChanges(ctx context.Context, tx *store.Tx, a Actor, pending []store.Change, why string) error {
	// The operator is no member: a change refused by RecoverAdmin is recorded as decided by
	// none (shown as the operator's, as its audit event names them), not by its proposer's
	// account, which would say the admin whose token was taken withdrew it.
	by := a.Member.ID
	if a.local {
		by = 0
	}
	now := r.now()
	for _, c := range pending {
		if err := tx.DecideChange(ctx, c.ID, store.ChangeRefused, by, now); err != nil {
			return err
		}
		if err := r.audit(ctx, tx, a, "change.refuse", "", fmt.Sprintf("%s: %s", auditChange(&c), why)); err != nil {
			return err
		}
	}
	return nil
}

// notPending refuses to decide c again.
func notPending(c *store.Change) error {
	if c.State == store.ChangeDone {
		return i18n.Errorf(ErrConflict, "change %d is carried out already", c.ID)
	}
	return i18n.Errorf(ErrConflict, "change %d is refused already", c.ID)
}

// checkAdminsLeft refuses, while the policy in force asks for two admins, taking m's admin
// role or account when left (the other active admins) is fewer than two: nobody could then
// approve a change.
func (r *Registry) checkAdminsLeft(ctx context.Context, tx *store.Tx, m *store.Member, left int) error {
	two, err := r.twoAdminsIn(ctx, tx)
	if err != nil || !two {
		return err
	}
	if left < 2 {
		return i18n.Errorf(ErrConflict, "the policy in force asks for two admins (two_admins): %s is one of the last two active admins; make another member admin first", m.Name)
	}
	return nil
}

// activeAdmins counts the active admins other than the member except.
func activeAdmins(ctx context.Context, tx *store.Tx, except int64) (int, error) {
	ms, err := tx.Members(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, m := range ms {
		if m.ID != except && !m.Disabled() && m.HasRole(RoleAdmin) {
			n++
		}
	}
	return n, nil
}

// Changes lists the pending changes, oldest first, then the 50 latest decided (admins).
func (r *Registry) Changes(ctx context.Context, a Actor) ([]ChangeView, error) {
	if err := a.require(RoleAdmin); err != nil {
		return nil, err
	}
	var cs []store.Change
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		var err error
		cs, err = tx.Changes(ctx, 50)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("changes: %w", err)
	}
	out := []ChangeView{}
	for i := range cs {
		v, err := r.changeView(ctx, &cs[i])
		if err != nil {
			return nil, err
		}
		out = append(out, *v)
	}
	return out, nil
}

// Change returns the change id (admins), with the file of a policy to adopt: the digest and
// the name, which its proposer chose, do not say what it asks for.
func (r *Registry) Change(ctx context.Context, a Actor, id int64) (*ChangeView, error) {
	if err := a.require(RoleAdmin); err != nil {
		return nil, err
	}
	c, err := r.readChange(ctx, id)
	if err != nil {
		return nil, err
	}
	v, err := r.changeView(ctx, c)
	if err != nil || c.Kind != ChangePolicy {
		return v, err
	}
	var d changeDetail
	if err := json.Unmarshal(c.Detail, &d); err != nil {
		return nil, fmt.Errorf("change %d: its detail: %w", c.ID, err)
	}
	v.PolicySource = string(d.Source)
	return v, nil
}

func (r *Registry) readChange(ctx context.Context, id int64) (*store.Change, error) {
	var c *store.Change
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		var err error
		c, err = tx.Change(ctx, id)
		return err
	})
	if err != nil {
		return nil, err // the store's error names the change
	}
	return c, nil
}

// changeView reads what admins see of c.
func (r *Registry) changeView(ctx context.Context, c *store.Change) (*ChangeView, error) {
	var d changeDetail
	if err := json.Unmarshal(c.Detail, &d); err != nil {
		return nil, fmt.Errorf("change %d: its detail: %w", c.ID, err)
	}
	v := &ChangeView{ID: c.ID, Kind: c.Kind, Roles: d.Roles, Add: d.Add, Remove: d.Remove, ProposedAt: c.ProposedAt, State: c.State}
	switch c.Kind {
	case ChangePolicy:
		v.Policy, v.PolicyName = c.Subject, d.Name
	case ChangeWitnessAdd, ChangeWitnessRemove:
		v.Witness, v.WitnessURL, v.WitnessKey = c.Subject, d.URL, d.VKey
	case ChangeWitnessQuorum:
		q := d.Quorum
		v.Quorum = &q
	default:
		v.Member = c.Subject
	}
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		p, err := tx.MemberByID(ctx, c.ProposedBy)
		if err != nil {
			return err
		}
		v.ProposedBy = p.Name
		if c.DecidedBy != 0 {
			dm, err := tx.MemberByID(ctx, c.DecidedBy)
			if err != nil {
				return err
			}
			at := c.DecidedAt
			v.DecidedBy, v.DecidedAt = dm.Name, &at
		} else if c.State != store.ChangePending {
			at := c.DecidedAt
			v.DecidedBy, v.DecidedAt, v.DecidedByOperator = operatorName, &at, true
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("change %d: %w", c.ID, err)
	}
	return v, nil
}

// ApproveChange carries out the pending change id as the admin a, who did not propose it,
// and returns what it made: a member's new token goes to a, who hands it over. It is
// refused if the change is no longer pending, older than ChangeMaxAge, or proposed by
// someone no longer an active admin; it fails as the change itself would (a member added
// meanwhile, a policy no longer compiling) and then stays pending, for a refusal.
func (r *Registry) ApproveChange(ctx context.Context, a Actor, id int64) (*ChangeResult, error) {
	if err := a.require(RoleAdmin); err != nil {
		return nil, err
	}
	c, err := r.readChange(ctx, id)
	if err != nil {
		return nil, err
	}
	err = r.cfg.DB.View(ctx, func(tx *store.Tx) error { return r.checkApprover(ctx, tx, a, c) })
	if err != nil {
		return nil, fmt.Errorf("approve change %d: %w", id, err)
	}
	approveChecked()
	var d changeDetail
	if err := json.Unmarshal(c.Detail, &d); err != nil {
		return nil, fmt.Errorf("change %d: its detail: %w", c.ID, err)
	}
	ac := a
	ac.change = c.ID
	res := &ChangeResult{}
	var superseded, refused []store.Change
	switch c.Kind {
	case ChangeAddMember:
		res.Token, err = r.AddMember(ctx, ac, c.Subject, d.Roles)
	case ChangeRoles:
		res.Member, superseded, refused, err = r.setRolesSuperseding(ctx, ac, c.Subject, d.Add, d.Remove)
	case ChangeToken:
		res.Token, superseded, err = r.issueTokenSuperseding(ctx, ac, c.Subject)
	case ChangeEnable:
		res.Token, superseded, refused, err = r.enableMemberSuperseding(ctx, ac, c.Subject)
	case ChangePolicy:
		// A build that reads policies more strictly than the proposer's refuses it: a conflict
		// to refuse, not a failure of the server.
		p, perr := policy.Parse(d.Source)
		if perr != nil {
			err = i18n.Errorf(ErrConflict, "the proposed policy does not compile (any more): refuse the change, and propose the policy again once it does: %v", perr)
		} else {
			res.LogIndex, err = r.AdoptPolicy(ctx, ac, p, d.Source)
		}
	case ChangeWitnessAdd:
		err = r.AddWitness(ctx, ac, c.Subject, d.URL, d.VKey)
	case ChangeWitnessRemove:
		err = r.RemoveWitness(ctx, ac, c.Subject)
	case ChangeWitnessQuorum:
		err = r.SetWitnessQuorum(ctx, ac, d.Quorum)
	default:
		err = fmt.Errorf("change %d is of an unknown kind %q", c.ID, c.Kind)
	}
	if err != nil {
		return nil, fmt.Errorf("approve change %d: %w", id, err)
	}
	c, err = r.readChange(ctx, id)
	if err != nil {
		return nil, err
	}
	if res.Change, err = r.changeView(ctx, c); err != nil {
		return nil, err
	}
	res.Superseded, res.Refused = r.supersededViews(ctx, superseded), r.supersededViews(ctx, refused)
	return res, nil
}

// supersededViews returns the views of the changes a new token (or a role change, an enabling,
// a disabling) refused as superseded or in passing, read again, decided now; if that fails, it returns those it read rather than lose the token the
// answer carries (the change list shows them refused).
func (r *Registry) supersededViews(ctx context.Context, superseded []store.Change) []ChangeView {
	var views []ChangeView
	for i := range superseded {
		sc, err := r.readChange(ctx, superseded[i].ID)
		if err != nil {
			break
		}
		v, err := r.changeView(ctx, sc)
		if err != nil {
			break
		}
		views = append(views, *v)
	}
	return views
}

// approveChecked is called by ApproveChange once the change was found pending, before it is
// carried out; tests decide another change there, as a second admin might meanwhile.
var approveChecked = func() {}

// RefuseChange refuses the pending change id (admins; its proposer too, to withdraw it).
func (r *Registry) RefuseChange(ctx context.Context, a Actor, id int64) (*ChangeView, error) {
	if err := a.require(RoleAdmin); err != nil {
		return nil, err
	}
	var c *store.Change
	err := r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		if err := stillActs(ctx, tx, a); err != nil {
			return err
		}
		var err error
		if c, err = tx.Change(ctx, id); err != nil {
			return err
		}
		if c.State != store.ChangePending {
			return notPending(c)
		}
		if err := tx.DecideChange(ctx, id, store.ChangeRefused, a.Member.ID, r.now()); err != nil {
			return err
		}
		c.State, c.DecidedBy, c.DecidedAt = store.ChangeRefused, a.Member.ID, r.now()
		return r.audit(ctx, tx, a, "change.refuse", "", auditChange(c))
	})
	if err != nil {
		return nil, fmt.Errorf("refuse change %d: %w", id, err)
	}
	return r.changeView(ctx, c)
}

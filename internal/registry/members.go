package registry

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/chancery/chancery/internal/i18n"
	"github.com/chancery/chancery/internal/store"
)

// Member states.
const (
	MemberActive   = "active"
	MemberDisabled = "disabled"
)

// MemberView is what an admin sees of a member.
type MemberView struct {
	Name       string     `json:"name"`
	Roles      []string   `json:"roles"`
	State      string     `json:"state"` // active or disabled
	CreatedAt  time.Time  `json:"created_at"`
	DisabledAt *time.Time `json:"disabled_at,omitempty"`
	// Password reports whether the member can sign in to the web pages.
	Password bool      `json:"password"`
	Keys     []KeyView `json:"keys"`
}

// KeyView is one of a member's signer keys and the log entries that registered and revoked it.
type KeyView struct {
	KeyID        string `json:"keyid"`
	AddedIndex   int64  `json:"added_index"`
	RevokedIndex *int64 `json:"revoked_index,omitempty"`
}

// Disabled reports whether the member is disabled.
func (v *MemberView) Disabled() bool { return v.State == MemberDisabled }

// HasRole reports whether the member holds role.
func (v *MemberView) HasRole(role string) bool { return slices.Contains(v.Roles, role) }

// memberView reads what an admin sees of m in tx.
func memberView(ctx context.Context, tx *store.Tx, m *store.Member) (*MemberView, error) {
	v := &MemberView{Name: m.Name, Roles: slices.Clone(m.Roles), State: MemberActive, CreatedAt: m.CreatedAt, Keys: []KeyView{}}
	if v.Roles == nil {
		v.Roles = []string{}
	}
	if m.Disabled() {
		at := m.DisabledAt
		v.State, v.DisabledAt = MemberDisabled, &at
	}
	switch _, err := tx.Password(ctx, m.ID); {
	case err == nil:
		v.Password = true
	case !errors.Is(err, store.ErrNotFound):
		return nil, err
	}
	keys, err := tx.SignerKeysOf(ctx, m.ID)
	if err != nil {
		return nil, err
	}
	for _, k := range keys {
		kv := KeyView{KeyID: k.KeyID, AddedIndex: k.AddedIndex}
		if k.Revoked() {
			idx := k.RevokedIndex
			kv.RevokedIndex = &idx
		}
		v.Keys = append(v.Keys, kv)
	}
	return v, nil
}

// OwnKeys returns the actor's own signer keys, revoked ones included, in the order they were
// registered ('chancery key list'): a signer whose laptop was stolen with their key files
// finds there the ID to revoke, and a key they never registered (whoever held their token
// could register one).
func (r *Registry) OwnKeys(ctx context.Context, a Actor) ([]KeyView, error) {
	if a.Member == nil {
		return nil, ErrUnauthenticated
	}
	var v *MemberView
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		var err error
		v, err = memberView(ctx, tx, a.Member)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("keys of %s: %w", a.Member.Name, err)
	}
	return v.Keys, nil
}

// KeysInForce returns the key IDs of the actor's own signer keys that are not revoked, in
// the order they were registered: the letter page gives them to the browser's signing script,
// so that a key revoked since the browser made it is not offered for signing.
func (r *Registry) KeysInForce(ctx context.Context, a Actor) ([]string, error) {
	if a.Member == nil {
		return nil, ErrUnauthenticated
	}
	var out []string
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		keys, err := tx.SignerKeysOf(ctx, a.Member.ID)
		if err != nil {
			return err
		}
		for _, k := range keys {
			if !k.Revoked() {
				out = append(out, k.KeyID)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("keys in force of %s: %w", a.Member.Name, err)
	}
	return out, nil
}

// Members lists the office's members, disabled or not, in the order they were added (admins).
func (r *Registry) Members(ctx context.Context, a Actor) ([]MemberView, error) {
	if err := a.require(RoleAdmin); err != nil {
		return nil, err
	}
	out := []MemberView{}
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		ms, err := tx.Members(ctx)
		if err != nil {
			return err
		}
		for i := range ms {
			v, err := memberView(ctx, tx, &ms[i])
			if err != nil {
				return err
			}
			out = append(out, *v)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list members: %w", err)
	}
	return out, nil
}

// Member returns what an admin sees of the member name.
func (r *Registry) Member(ctx context.Context, a Actor, name string) (*MemberView, error) {
	name = nfc(name) // as member names are stored
	if err := a.require(RoleAdmin); err != nil {
		return nil, err
	}
	var v *MemberView
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		m, err := tx.MemberByName(ctx, name)
		if err != nil {
			return err
		}
		v, err = memberView(ctx, tx, m)
		return err
	})
	if err != nil {
		return nil, wrapOnce("member "+name, err)
	}
	return v, nil
}

// AssignableRoles are the roles a member can be given, each once: the core roles and the
// office's own roles that the policy in force names (which names core roles too).
func (r *Registry) AssignableRoles() []string {
	out := slices.Clone(Roles)
	for _, role := range r.Policy().Roles() {
		if !slices.Contains(out, role) {
			out = append(out, role)
		}
	}
	return out
}

// checkRoles puts each of roles in NFC, in place, and refuses a role that is neither a core
// role nor one the policy in force names.
func (r *Registry) checkRoles(roles []string) error {
	known := r.AssignableRoles()
	for i, role := range roles {
		// Typed as the policy keeps it: in NFC, as member names are.
		role = nfc(role)
		roles[i] = role
		if !slices.Contains(known, role) {
			return i18n.Errorf(ErrInvalid, "unknown role %q (roles: %s; an office's own roles, such as legal, exist once its policy names them)",
				role, strings.Join(known, ", "))
		}
	}
	return nil
}

// activeMember reads the member name and refuses a disabled one, whom nothing but Enable
// changes.
func activeMember(ctx context.Context, tx *store.Tx, name string) (*store.Member, error) {
	m, err := tx.MemberByName(ctx, name)
	if err != nil {
		return nil, err
	}
	if m.Disabled() {
		return nil, i18n.Errorf(ErrConflict, "%s is disabled: enable them first", name)
	}
	return m, nil
}

// SetRoles gives the member name the roles add and takes away the roles remove (admins). Add
// takes the core roles and the office's own roles that the policy in force names; remove takes
// any role the member holds. A member keeps at least one role, the office at least one active
// admin. Approvals a member gave under a role they lose stop counting: the release gate weighs
// evidence by the roles its givers hold at the time of the release. A member who loses the
// reviewer role has the approvals they stand by voided, and one who loses the signer role
// has their signer keys revoked (each by a key-revoked entry in the log), as disabling does:
// otherwise their approvals and signatures on letters not yet released would count again
// once the role came back. They register a new key if it does. One who loses the admin role
// has the changes they proposed that wait for a second admin refused (refuseChangesBy).
func (r *Registry) SetRoles(ctx context.Context, a Actor, name string, add, remove []string) (*MemberView, error) {
	v, _, _, err := r.setRolesSuperseding(ctx, a, name, add, remove)
	return v, err
}

// MemberChange is the answer of the command and of the API that changed a member's roles
// without a change (a role taken away), or disabled them: the member after, the pending role
// changes about them it refused as superseded, and the pending changes the member proposed
// that it refused because they lost the admin role (or were given it again after losing
// it), or were disabled (refuseChangesBy), each read again, decided now.
type MemberChange struct {
	MemberView
	Superseded []ChangeView `json:"superseded,omitempty"`
	Refused    []ChangeView `json:"refused,omitempty"`
}

// SetRolesSuperseding is SetRoles, which also returns the pending role changes about the
// member that this one refused as superseded and the changes the member proposed that it
// refused, for the answer of the command and of the API that changed the roles without a
// change (a role taken away). Proposed instead (two_admins), it returns the ProposedError
// SetRoles returns.
func (r *Registry) SetRolesSuperseding(ctx context.Context, a Actor, name string, add, remove []string) (*MemberChange, error) {
	v, superseded, refused, err := r.setRolesSuperseding(ctx, a, name, add, remove)
	if err != nil {
		return nil, err
	}
	return &MemberChange{MemberView: *v, Superseded: r.supersededViews(ctx, superseded), Refused: r.supersededViews(ctx, refused)}, nil
}

// setRolesSuperseding is SetRoles, which also returns the pending role changes about the
// member that this one superseded (refused in its transaction), for ApproveChange's answer,
// and the changes the member proposed that it refused (refuseChangesBy).
//
// A role change carried out (approved, a.change, or made by one admin where no second is
// asked for) refuses every other pending member.roles change about the member proposed
// before it (a smaller id; all of them for a change made at once): each was proposed against
// roles that have changed since, and approved later it would undo this one (a role given
// back after it was taken away); the admins propose it again if they still want it. Those
// proposed after it stay. An admin's own approval of a change about themselves supersedes as
// any other's does (unlike their new token, item 981): a pending role change always gives a
// role, taking one away never waits for a second admin, and any admin may refuse a pending
// change, so superseding one takes no protection from the other admins.
func (r *Registry) setRolesSuperseding(ctx context.Context, a Actor, name string, add, remove []string) (*MemberView, []store.Change, []store.Change, error) {
	name = nfc(name) // as member names are stored
	if err := a.require(RoleAdmin); err != nil {
		return nil, nil, nil, err
	}
	add, remove = nfcAll(add), nfcAll(remove) // as roles are stored
	if len(add) == 0 && len(remove) == 0 {
		return nil, nil, nil, i18n.Errorf(ErrInvalid, "no role to add or remove")
	}
	if err := r.checkRoles(add); err != nil {
		return nil, nil, nil, err
	}
	for _, role := range add {
		if slices.Contains(remove, role) {
			return nil, nil, nil, i18n.Errorf(ErrInvalid, "role %q is both added and removed", role)
		}
	}
	if len(add) > 0 && r.twoAdmins(ctx, a) {
		return nil, nil, nil, r.propose(ctx, a, ChangeRoles, name, changeDetail{Add: add, Remove: remove})
	}
	var revoke []store.SignerKey
	var superseded, refused []store.Change
	err := keysLeftRetried(func() error {
		if slices.Contains(add, RoleSigner) {
			if err := r.revokeKeysLeft(ctx, a, name, "the signer role of "+name+" was taken away"); err != nil {
				return err
			}
		}
		return r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
			revoke, superseded, refused = nil, nil, nil
			if err := stillActs(ctx, tx, a); err != nil {
				return err
			}
			m, err := activeMember(ctx, tx, name)
			if err != nil {
				return err
			}
			if len(add) > 0 {
				if err := r.takeChange(ctx, tx, a, ChangeRoles, name, changeDetail{Add: add, Remove: remove}); err != nil {
					return err
				}
			}
			roles, err := rolesAfter(m, add, remove)
			if err != nil {
				return err
			}
			if slices.Contains(add, RoleSigner) && !m.HasRole(RoleSigner) {
				if err := noKeysLeft(ctx, tx, m.ID); err != nil {
					return err
				}
			}
			if slices.Contains(remove, RoleAdmin) {
				left, err := activeAdmins(ctx, tx, m.ID)
				if err != nil {
					return err
				}
				if left == 0 {
					return i18n.Errorf(ErrConflict, "%s is the last active admin: make another member admin first", name)
				}
				if err := r.checkAdminsLeft(ctx, tx, m, left); err != nil {
					return err
				}
			}
			if err := tx.SetMemberRoles(ctx, m.ID, roles); err != nil {
				return err
			}
			// As keys are revoked with the signer role: giving the role back must not bring back
			// the approvals given before it was taken, by whoever then held the account.
			if slices.Contains(remove, RoleReviewer) {
				if err := r.voidApprovals(ctx, tx, a, m, rolesTakenRole); err != nil {
					return err
				}
			}
			if slices.Contains(remove, RoleAdmin) {
				if refused, err = r.refuseChangesBy(ctx, tx, a, m, name+"'s admin role was taken away"); err != nil {
					return err
				}
			}
			// Given the role again: what waits in their name was proposed before it was taken, in
			// a build that kept it pending then (refused at the taking since). Not for an admin
			// whose roles given name the admin role they hold: they lost nothing.
			if slices.Contains(add, RoleAdmin) && !m.HasRole(RoleAdmin) {
				if refused, err = r.refuseChangesBy(ctx, tx, a, m, name+" was given the admin role again after losing it"); err != nil {
					return err
				}
			}
			if slices.Contains(remove, RoleSigner) {
				keys, err := tx.SignerKeysOf(ctx, m.ID)
				if err != nil {
					return err
				}
				for _, k := range keys {
					if !k.Revoked() {
						revoke = append(revoke, k)
					}
				}
			}
			// The role changes about them proposed before this one, against roles that
			// have changed since: approved later, one would undo it.
			dup, err := pendingRoleChangesBefore(ctx, tx, m, a.change)
			if err != nil {
				return err
			}
			why := fmt.Sprintf("superseded by change %d (the roles of %s were changed)", a.change, name)
			if a.change == 0 {
				why = fmt.Sprintf("superseded by the change of the roles of %s that %s made (%s)", name, a.Member.Name, roleChange(add, remove))
			}
			if err := r.refuseChanges(ctx, tx, a, dup, why); err != nil {
				return err
			}
			superseded = dup
			return r.audit(ctx, tx, a, "member.roles", "", fmt.Sprintf("%s: %s (now %s)", name, roleChange(add, remove), strings.Join(roles, ",")))
		})
	})
	if err != nil {
		return nil, nil, nil, fmt.Errorf("set roles of %s: %w", name, err)
	}
	// A key registered meanwhile is refused: registerKey reads the member's roles again in
	// its transaction. The role is taken: its revocations run to their end whatever the
	// caller does (a key they leave is revoked before the role is given back).
	ctx = context.WithoutCancel(ctx)
	for _, k := range revoke {
		if _, err := r.RevokeKey(ctx, a, k.KeyID, "the signer role of "+name+" was taken away"); err != nil && !errors.Is(err, errKeyRevoked) {
			return nil, nil, nil, fmt.Errorf("set roles of %s: the roles are set, but %w: revoke the key again", name, err)
		}
	}
	v, err := r.Member(ctx, a, name)
	return v, superseded, refused, err
}

// rolesAfter returns the roles m holds once add are given and remove taken away, or refuses a
// change that takes a role m does not hold, changes nothing, or leaves m no role.
func rolesAfter(m *store.Member, add, remove []string) ([]string, error) {
	for _, role := range remove {
		if !m.HasRole(role) {
			return nil, i18n.Errorf(ErrInvalid, "%s does not hold the %s role (roles: %s)", m.Name, role, strings.Join(m.Roles, ", "))
		}
	}
	roles := slices.DeleteFunc(slices.Clone(m.Roles), func(role string) bool { return slices.Contains(remove, role) })
	for _, role := range add {
		if !slices.Contains(roles, role) {
			roles = append(roles, role)
		}
	}
	if slices.Equal(roles, m.Roles) {
		return nil, i18n.Errorf(ErrConflict, "nothing changes: %s already holds %s", m.Name, strings.Join(add, ", "))
	}
	if len(roles) == 0 {
		return nil, i18n.Errorf(ErrInvalid, "a member keeps at least one role; to end %s's access, disable them", m.Name)
	}
	return roles, nil
}

// roleChange describes added and removed roles as "+a +b -c".
func roleChange(add, remove []string) string {
	var parts []string
	for _, role := range add {
		parts = append(parts, "+"+role)
	}
	for _, role := range remove {
		parts = append(parts, "-"+role)
	}
	return strings.Join(parts, " ")
}

// DisableMember disables the member name (admins): their token and web sessions stop working
// at once, they cannot sign in, and approvals they gave on letters not yet released stop
// counting, also once they are enabled again (voidApprovals). Their signer keys are revoked,
// each by a key-revoked entry in the log, so that their signatures count for no later
// release. The changes they proposed that wait for a second admin are refused
// (refuseChangesBy). What they did stays: released letters, their seals and the audit trail
// keep their name. An admin cannot disable themselves, nor the last active admin.
func (r *Registry) DisableMember(ctx context.Context, a Actor, name string) (*MemberView, error) {
	v, _, err := r.disableMember(ctx, a, name)
	return v, err
}

// DisableMemberRefusing is DisableMember, which also returns, as Refused, the changes the
// member proposed that it refused, for the answer of the command and of the API.
func (r *Registry) DisableMemberRefusing(ctx context.Context, a Actor, name string) (*MemberChange, error) {
	v, refused, err := r.disableMember(ctx, a, name)
	if err != nil {
		return nil, err
	}
	return &MemberChange{MemberView: *v, Refused: r.supersededViews(ctx, refused)}, nil
}

// disableMember is DisableMember, which also returns the changes the member proposed that it
// refused.
func (r *Registry) disableMember(ctx context.Context, a Actor, name string) (*MemberView, []store.Change, error) {
	name = nfc(name) // as member names are stored
	if err := a.require(RoleAdmin); err != nil {
		return nil, nil, err
	}
	if name == a.Member.Name {
		return nil, nil, fmt.Errorf("disable %s: %w: you cannot disable yourself; another admin can", name, ErrInvalid)
	}
	var keys []store.SignerKey
	var refused []store.Change
	err := r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		refused = nil
		if err := stillActs(ctx, tx, a); err != nil {
			return err
		}
		m, err := tx.MemberByName(ctx, name)
		if err != nil {
			return err
		}
		if m.Disabled() {
			return i18n.Errorf(ErrConflict, "%s is already disabled (since %s)", name, m.DisabledAt.Format(time.RFC3339))
		}
		if m.HasRole(RoleAdmin) {
			left, err := activeAdmins(ctx, tx, m.ID)
			if err != nil {
				return err
			}
			if left == 0 {
				return i18n.Errorf(ErrConflict, "%s is the last active admin", name)
			}
			if err := r.checkAdminsLeft(ctx, tx, m, left); err != nil {
				return err
			}
		}
		if err := tx.SetMemberDisabled(ctx, m.ID, r.now()); err != nil {
			return err
		}
		// Enabling the member issues a new token.
		n, err := signOut(ctx, tx, m)
		if err != nil {
			return err
		}
		if keys, err = tx.SignerKeysOf(ctx, m.ID); err != nil {
			return err
		}
		if err := r.voidApprovals(ctx, tx, a, m, voidedRole); err != nil {
			return err
		}
		if refused, err = r.refuseChangesBy(ctx, tx, a, m, name+" was disabled"); err != nil {
			return err
		}
		return r.audit(ctx, tx, a, "member.disable", "", fmt.Sprintf("%s (%s), %d sessions ended", name, strings.Join(m.Roles, ","), n))
	})
	if err != nil {
		return nil, nil, fmt.Errorf("disable %s: %w", name, err)
	}
	// Each revocation is its own log entry, committed with its registry change. A key
	// registered meanwhile is refused (registerKey checks the member), so this list is whole.
	// The member is disabled: the revocations run to their end whatever the caller does, and
	// a key they leave (a crash, a revocation refused) is revoked before the member is enabled.
	ctx = context.WithoutCancel(ctx)
	for _, k := range keys {
		if k.Revoked() {
			continue
		}
		if _, err := r.RevokeKey(ctx, a, k.KeyID, "member "+name+" disabled"); err != nil && !errors.Is(err, errKeyRevoked) {
			return nil, nil, fmt.Errorf("disable %s: the member is disabled, but %w: revoke the key again", name, err)
		}
	}
	v, err := r.Member(ctx, a, name)
	return v, refused, err
}

// voidedRole, rolesTakenRole and newTokenRole are the role column of the decision rows
// voidApprovals records when a member is disabled, when an admin or an identity provider's
// sign-in takes their reviewer role or leaves them no role, and when an admin gives them a
// new token: not roles anyone holds (role names have no parentheses), they tell the rows from
// a reviewer's rejection. (A build older than newTokenRole reads its rows as rejections: the
// approval does not count there either.)
const (
	voidedRole     = "(disabled)"
	rolesTakenRole = "(no role)"
	newTokenRole   = "(new token)"
)

// voided reports whether role marks a decision row of voidApprovals.
func voided(role string) bool {
	return role == voidedRole || role == rolesTakenRole || role == newTokenRole
}

// voidApprovals records, in the transaction that disables m (role voidedRole) or takes their
// reviewer role or last role away (rolesTakenRole), that every approval m stands by on
// a letter not yet released no longer counts: a decision row (a rejection, under that role)
// after it, which gather counts as m's latest decision on that version. Checking only whether
// m is disabled or holds the role at the gate would let enabling m again, or the provider
// giving the roles back, bring back approvals given by whoever held m's lost token or
// account. Released letters keep their approvals.
func (r *Registry) voidApprovals(ctx context.Context, tx *store.Tx, a Actor, m *store.Member, role string) error {
	why := m.Name + " was disabled"
	switch role {
	case rolesTakenRole:
		why = m.Name + "'s roles were taken away"
	case newTokenRole:
		why = m.Name + " was given a new token"
	}
	// Only the decisions on letters not released: the approvals of a reviewer's years of
	// released letters are not read in the writer's transaction.
	aps, err := tx.UnreleasedApprovalsBy(ctx, m.ID)
	if err != nil {
		return err
	}
	type onVersion struct {
		letter  int64
		version string
	}
	last := map[onVersion]store.Approval{}
	var order []onVersion
	for _, ap := range aps {
		k := onVersion{ap.LetterID, ap.VersionDigest}
		if _, ok := last[k]; !ok {
			order = append(order, k)
		}
		last[k] = ap
	}
	now := r.now()
	for _, k := range order {
		ap := last[k]
		if ap.Decision != "approve" {
			continue
		}
		err := tx.AddApproval(ctx, store.Approval{LetterID: ap.LetterID, VersionDigest: ap.VersionDigest, PolicyDigest: ap.PolicyDigest,
			MemberID: m.ID, Role: role, Decision: "reject", Comment: "void: " + why, CreatedAt: now})
		if err != nil {
			return err
		}
		l, err := tx.LetterByID(ctx, ap.LetterID)
		if err != nil {
			return err
		}
		if err := r.audit(ctx, tx, a, "approval.void", l.Reference, fmt.Sprintf("approval of %s by %s: %s", ap.VersionDigest, m.Name, why)); err != nil {
			return err
		}
	}
	return nil
}

// EnableMember enables the disabled member name again (admins) and returns their new token,
// shown once. Their roles are those they held; their revoked keys stay revoked, the
// approvals voided when they were disabled stay void (they approve again), and their
// password is removed (endCredentials).
func (r *Registry) EnableMember(ctx context.Context, a Actor, name string) (string, error) {
	tok, _, _, err := r.enableMemberSuperseding(ctx, a, name)
	return tok, err
}

// EnableMemberSuperseding is EnableMember, which also returns the pending new tokens and
// enablings for the member (proposed by admins) that this enabling refused as superseded,
// and the changes the member had proposed that an older build left pending, which it
// refused too, for the answer of the command and of the API that enabled them without a
// change. Proposed instead (two_admins), it returns the ProposedError EnableMember returns.
func (r *Registry) EnableMemberSuperseding(ctx context.Context, a Actor, name string) (*IssuedToken, error) {
	tok, superseded, refused, err := r.enableMemberSuperseding(ctx, a, name)
	if err != nil {
		return nil, err
	}
	return &IssuedToken{Token: tok, Superseded: r.supersededViews(ctx, superseded), Refused: r.supersededViews(ctx, refused)}, nil
}

// enableMemberSuperseding is EnableMember, which also returns the pending new tokens and
// enablings for the member that this enabling superseded (refused in its transaction), and
// the changes the member had proposed that it refused (refuseChangesBy), for ApproveChange's
// answer.
func (r *Registry) enableMemberSuperseding(ctx context.Context, a Actor, name string) (string, []store.Change, []store.Change, error) {
	name = nfc(name) // as member names are stored
	if err := a.require(RoleAdmin); err != nil {
		return "", nil, nil, err
	}
	if r.twoAdmins(ctx, a) {
		return "", nil, nil, r.propose(ctx, a, ChangeEnable, name, changeDetail{})
	}
	tok, hash := NewToken()
	var superseded, refused []store.Change
	err := keysLeftRetried(func() error {
		if err := r.revokeKeysLeft(ctx, a, name, "member "+name+" disabled"); err != nil {
			return err
		}
		return r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
			if err := stillActs(ctx, tx, a); err != nil {
				return err
			}
			m, err := tx.MemberByName(ctx, name)
			if err != nil {
				return err
			}
			if !m.Disabled() {
				return i18n.Errorf(ErrConflict, "%s is not disabled", name)
			}
			if err := noKeysLeft(ctx, tx, m.ID); err != nil {
				return err
			}
			if err := r.takeChange(ctx, tx, a, ChangeEnable, name, changeDetail{}); err != nil {
				return err
			}
			if err := tx.SetMemberDisabled(ctx, m.ID, time.Time{}); err != nil {
				return err
			}
			if err := tx.SetMemberToken(ctx, m.ID, hash); err != nil {
				return err
			}
			if _, err := endCredentials(ctx, tx, m); err != nil {
				return err
			}
			// What waits in their name was proposed before they were disabled, in a build that
			// kept it pending then (refused at the disabling since).
			own, err := r.refuseChangesBy(ctx, tx, a, m, name+" was enabled again after being disabled")
			if err != nil {
				return err
			}
			refused = own
			// A new token for them proposed before they were disabled is superseded by the
			// one enabling gives, as by any other (issueToken); so is another admin's
			// enabling of them, which, approved after they are disabled again, would enable
			// them against that later disabling, for a reason that came before it.
			dup, err := pendingChangesOf(ctx, tx, m, a.change, ChangeToken, ChangeEnable)
			if err != nil {
				return err
			}
			why := fmt.Sprintf("superseded by change %d (%s was enabled with a new token)", a.change, name)
			if a.change == 0 {
				why = fmt.Sprintf("superseded by the new token %s gave %s when enabling them", a.Member.Name, name)
			}
			if err := r.refuseChanges(ctx, tx, a, dup, why); err != nil {
				return err
			}
			superseded = dup
			return r.audit(ctx, tx, a, "member.enable", "", fmt.Sprintf("%s (%s), new token, password removed", name, strings.Join(m.Roles, ",")))
		})
	})
	if err != nil {
		return "", nil, nil, fmt.Errorf("enable %s: %w", name, err)
	}
	return tok, superseded, refused, nil
}

// revokeKeysLeft revokes the signer keys still in force of the member name if they are
// disabled or lack the signer role, as they are about to be enabled or given the role. Such a
// member's keys were to be revoked when they were disabled or lost the role, each by a log
// entry of its own after that commit, and a crash, a revocation refused or failed in between
// leaves keys in force: enabling the member, or giving the role back, would make the
// signatures made before, by whoever held the account, count again on letters not yet
// released. A key can be registered only by an enabled member holding the role, so none is
// added between this and the change that follows; but a change that disabled the member or
// took the role may commit in between, revoking its keys only after its commit, so the change
// that follows checks again in its transaction that none is left (noKeysLeft), and starts
// again if one is (keysLeftRetried).
func (r *Registry) revokeKeysLeft(ctx context.Context, a Actor, name, reason string) error {
	var left []store.SignerKey
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		m, err := tx.MemberByName(ctx, name)
		if errors.Is(err, store.ErrNotFound) {
			return nil // the change that follows says so
		}
		if err != nil || (!m.Disabled() && m.HasRole(RoleSigner)) {
			return err
		}
		left, err = keysInForce(ctx, tx, m.ID)
		return err
	})
	if err != nil {
		return err
	}
	for _, k := range left {
		if _, err := r.RevokeKey(ctx, a, k.KeyID, reason); err != nil && !errors.Is(err, errKeyRevoked) {
			return fmt.Errorf("%s's key %s, left in force when they were disabled or lost the signer role, is not revoked: %w", name, k.KeyID, err)
		}
	}
	return nil
}

// errKeysLeft: a member about to be enabled or given the signer role has a signer key in
// force, which the change that disabled them or took the role (on this server or another)
// revokes after its own commit, and had not yet when revokeKeysLeft looked.
var errKeysLeft = i18n.Errorf(ErrConflict, "the member's signer keys are still being revoked since they were disabled or lost the signer role: try again")

// noKeysLeft fails with errKeysLeft if the member id has a signer key in force. It is checked
// in the transaction that enables a member or gives them the signer role: revokeKeysLeft
// reads before that transaction, and a change that disabled the member or took the role may
// commit in between, its revocations still to come.
func noKeysLeft(ctx context.Context, tx *store.Tx, id int64) error {
	keys, err := keysInForce(ctx, tx, id)
	if err != nil {
		return err
	}
	if len(keys) > 0 {
		return errKeysLeft
	}
	return nil
}

// keysLeftRetried runs attempt, which revokes a member's keys left in force and then enables
// them or gives them the signer role, again while it fails with errKeysLeft (keysRetries
// times): each attempt revokes the keys the previous one found.
func keysLeftRetried(attempt func() error) error {
	for try := 0; ; try++ {
		err := attempt()
		if errors.Is(err, errKeysLeft) && try < keysRetries {
			continue
		}
		return err
	}
}

// keysInForce returns the signer keys of the member id that are not revoked.
func keysInForce(ctx context.Context, tx *store.Tx, id int64) ([]store.SignerKey, error) {
	keys, err := tx.SignerKeysOf(ctx, id)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(keys, func(k store.SignerKey) bool { return k.Revoked() }), nil
}

// signOut replaces m's token with one nobody holds and ends their browser sessions and
// 'chancery login' tokens; it returns the number of sessions ended.
func signOut(ctx context.Context, tx *store.Tx, m *store.Member) (int64, error) {
	_, nobodys := NewToken()
	if err := tx.SetMemberToken(ctx, m.ID, nobodys); err != nil {
		return 0, err
	}
	return tx.DeleteMemberSessions(ctx, m.ID)
}

// endCredentials ends what a member's previous token may have led to, when an admin gives
// them a new one: their browser sessions and 'chancery login' tokens, and their password,
// which anyone holding the token could set (POST /api/v1/password). A new token answers a
// leaked one; a password or a session the thief made with it must not outlive it. The member
// sets a password again with the new token. It returns the number of sessions ended.
func endCredentials(ctx context.Context, tx *store.Tx, m *store.Member) (int64, error) {
	n, err := tx.DeleteMemberSessions(ctx, m.ID)
	if err != nil {
		return 0, err
	}
	return n, tx.DeletePassword(ctx, m.ID)
}

// IssueToken gives the member name a new token and returns it, shown once (admins): their old
// token stops working at once, and so do their sessions and password (endCredentials). A new
// token another admin issues answers a leaked one, so what the old one may have been used for
// by someone else is undone as a disabling undoes it: their signer keys are revoked, each by a
// key-revoked entry in the log, so that no signature made with them counts for a letter not
// yet released (whoever held the token could register a key of their own in the member's
// name, or rotate theirs to one: they register a new key); their approvals of letters not yet
// released no longer count (voidApprovals, newTokenRole: they approve again); and the changes
// they proposed that wait for a second admin are refused. An admin's own new token (a routine
// renewal) undoes nothing; one who fears their token leaked asks another admin for it.
//
// The keys are revoked before the token is replaced, and the replacement commits only if no
// key of the member is left in force: a key registered in between, with the old token, starts
// it again (keysRetries times, then it fails: disabling the member stops that at once). So a
// crash at any point leaves either the old token with fewer keys, or the new token with none
// of the old ones; never the new token beside a key the old one registered.
func (r *Registry) IssueToken(ctx context.Context, a Actor, name string) (string, error) {
	tok, _, err := r.issueTokenSuperseding(ctx, a, name)
	return tok, err
}

// IssuedToken is IssueTokenSuperseding's answer: the new token and what it superseded.
type IssuedToken struct {
	// Token is the member's new token, shown once.
	Token string
	// Superseded are the other pending new tokens for the member that the new token refused,
	// in its transaction, as superseded by it; none when the change was proposed instead.
	Superseded []ChangeView
	// Refused are the pending changes the member had proposed that enabling them refused, in
	// its transaction (refuseChangesBy): only an older build, which kept a disabled member's
	// changes pending, left such changes.
	Refused []ChangeView
}

// IssueTokenSuperseding is IssueToken, which also returns the other pending new tokens for the
// member (proposed by other admins) that the new token refused as superseded, for the answer
// of the command and of the API that gave it without a change. Proposed instead (two_admins),
// it returns the ProposedError IssueToken returns.
func (r *Registry) IssueTokenSuperseding(ctx context.Context, a Actor, name string) (*IssuedToken, error) {
	tok, superseded, err := r.issueTokenSuperseding(ctx, a, name)
	if err != nil {
		return nil, err
	}
	return &IssuedToken{Token: tok, Superseded: r.supersededViews(ctx, superseded)}, nil
}

// issueTokenSuperseding is IssueToken, which also returns the other pending new tokens for the
// member that the new one superseded (refused in its transaction), for ApproveChange's answer.
func (r *Registry) issueTokenSuperseding(ctx context.Context, a Actor, name string) (string, []store.Change, error) {
	name = nfc(name) // as member names are stored
	if err := a.require(RoleAdmin); err != nil {
		return "", nil, err
	}
	// An admin's own new token gives them nothing they do not hold.
	own := name == a.Member.Name && a.change == 0
	if !own && r.twoAdmins(ctx, a) {
		return "", nil, r.propose(ctx, a, ChangeToken, name, changeDetail{})
	}
	for try := 0; ; try++ {
		tok, _, superseded, err := r.issueToken(ctx, a, name, own)
		if errors.Is(err, errKeyInForce) && try < keysRetries {
			continue
		}
		if err != nil {
			return "", nil, fmt.Errorf("issue a token for %s: %w", name, err)
		}
		return tok, superseded, nil
	}
}

// keysRetries is how many times IssueToken starts again when a key was registered with the
// old token while it revoked the others.
const keysRetries = 3

// keysRevoked is called between an attempt's revocations and its transaction; tests register a
// key there, as the old token's holder might.
var keysRevoked = func() {}

// errKeyInForce: a signer key of the member was registered after IssueToken revoked the others.
var errKeyInForce = i18n.Errorf(ErrConflict, "signer keys keep being registered with the old token while it is replaced: disable the member (chancery member disable), which refuses new keys at once, then enable them")

// issueToken is one attempt of IssueToken: it revokes the member's signer keys in force (not
// for an admin's own token), then replaces the token in a transaction that fails with
// errKeyInForce if a key is in force again.
//
// The other pending member.token changes about the member are refused in the same
// transaction, as superseded by this one (the applied change, a.change, or the new token given
// without one): approved later, each would give them another token and undo their keys again.
// It returns them apart too (superseded), for ApproveChange's answer.
//
// For the operator (a.local, RecoverAdmin) it also refuses, in the same transaction, the
// changes about the member that other admins proposed (under two_admins, a new token for them
// that waits for their own approval), which the recovery made pointless, and returns every
// change it refused.
func (r *Registry) issueToken(ctx context.Context, a Actor, name string, own bool) (string, []refusal, []store.Change, error) {
	if !own {
		var keys []store.SignerKey
		err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
			if err := stillActs(ctx, tx, a); err != nil {
				return err
			}
			m, err := activeMember(ctx, tx, name)
			if err != nil {
				return err
			}
			if keys, err = keysInForce(ctx, tx, m.ID); err != nil || a.change == 0 {
				return err
			}
			// The change approved must still be pending, read after the keys: another
			// admin's new token for them may have refused it as superseded since
			// ApproveChange found it pending, and a key read here may be one the member
			// registered with that token, which this change, refused, must not revoke.
			c, err := tx.Change(ctx, a.change)
			if err != nil {
				return err
			}
			return r.checkApprover(ctx, tx, a, c)
		})
		if err != nil {
			return "", nil, nil, err
		}
		for _, k := range keys {
			if _, err := r.RevokeKey(ctx, a, k.KeyID, name+" was given a new token"); err != nil && !errors.Is(err, errKeyRevoked) {
				return "", nil, nil, fmt.Errorf("revoke %s's key %s first: %w", name, k.KeyID, err)
			}
		}
		keysRevoked()
	}
	tok, hash := NewToken()
	var refused []refusal
	var superseded []store.Change
	err := r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		refused, superseded = nil, nil
		if err := stillActs(ctx, tx, a); err != nil {
			return err
		}
		m, err := activeMember(ctx, tx, name)
		if err != nil {
			return err
		}
		// A token of their own would let them act on without signing in through the provider
		// again, where its claim brings their roles in line, as a password would (SetPassword).
		if own && m.FromProvider() {
			return i18n.Errorf(ErrForbidden, "%s signs in through the office's identity provider, which governs their roles: they cannot issue themselves a token", name)
		}
		if a.local && !m.HasRole(RoleAdmin) {
			return errRecoverNotAdmin(name)
		}
		if !own {
			switch keys, err := keysInForce(ctx, tx, m.ID); {
			case err != nil:
				return err
			case len(keys) > 0:
				return errKeyInForce
			}
			if err := r.takeChange(ctx, tx, a, ChangeToken, name, changeDetail{}); err != nil {
				return err
			}
		}
		if err := tx.SetMemberToken(ctx, m.ID, hash); err != nil {
			return err
		}
		n, err := endCredentials(ctx, tx, m)
		if err != nil {
			return err
		}
		if !own {
			if err := r.voidApprovals(ctx, tx, a, m, newTokenRole); err != nil {
				return err
			}
			by, err := tx.PendingChangesBy(ctx, m.ID)
			if err != nil {
				return err
			}
			why := name + " was given a new token"
			if err := r.refuseChanges(ctx, tx, a, by, why); err != nil {
				return err
			}
			refused = refusals(by, why)
			// Not when the admin gives it to themselves by approving a change for them:
			// as their renewal (own), it must not cut off the new token another admin
			// proposed for them because their token may be in someone else's hands, who
			// can approve a change for them as well as renew it.
			if !a.local && a.Member.ID != m.ID {
				// Another admin's proposal of a new token for them is now a duplicate:
				// approved later, it would give them another token and revoke their keys
				// again.
				dup, err := pendingTokenChanges(ctx, tx, m, a.change)
				if err != nil {
					return err
				}
				why := fmt.Sprintf("superseded by change %d (%s was given a new token)", a.change, name)
				if a.change == 0 {
					why = fmt.Sprintf("superseded by the new token %s gave %s", a.Member.Name, name)
				}
				if err := r.refuseChanges(ctx, tx, a, dup, why); err != nil {
					return err
				}
				refused, superseded = append(refused, refusals(dup, why)...), dup
			}
			if a.local {
				about, err := pendingChangesAbout(ctx, tx, m)
				if err != nil {
					return err
				}
				why := name + "'s account was recovered by the operator (chancery member recover)"
				if err := r.refuseChanges(ctx, tx, a, about, why); err != nil {
					return err
				}
				refused = append(refused, refusals(about, why)...)
			}
		}
		return r.audit(ctx, tx, a, "member.token", "", fmt.Sprintf("%s, %d sessions ended, password removed", name, n))
	})
	if err != nil {
		return "", nil, nil, err
	}
	return tok, refused, superseded, nil
}

package registry

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/chancery/chancery/internal/i18n"
	"github.com/chancery/chancery/internal/store"
)

// ExternalSignIn is a sign-in that an outside identity provider (OpenID Connect) vouches for.
type ExternalSignIn struct {
	Source  string // the provider: its issuer URL, also for the audit trail
	Subject string // the provider's stable ID of the user (the "sub" claim)
	Name    string // the member's name, from the provider's name claim
	// Roles are the roles the provider's claim gives now; Managed are all the roles its
	// mapping can give. Roles in Managed but not in Roles are taken away; roles outside
	// Managed (given by an admin in Chancery) are left alone.
	Roles, Managed []string
	Remote         string
}

// errNoRole ends, with nothing written, a provider sign-in of a user who has no member yet
// and whose claim gives no Chancery role. (A member's sign-in with no role is refused after
// its managed roles are taken away and committed.)
var errNoRole = errors.New("no role")

// SignInExternal returns the member an outside provider signed in: the member it created
// for the same user (issuer and subject), created on the user's first sign-in, with the
// managed roles brought in line with the claim on every sign-in. The name claim only names
// a new member, and binds a member the provider created before schema version 30 (which has
// no subject yet) at its first sign-in that gives a role. It refuses (ErrUnauthenticated) a
// sign-in whose claim gives no role (the roles taken away stay taken away), a member created
// in Chancery (a provider user of the same name does not take it over), a member bound to
// another user, a disabled member, and a member with a local password. A sign-in that leaves
// the member with no role ends their sessions, replaces their token and voids their pending
// approvals; one that leaves them without the signer role revokes their signer keys; one that
// takes the admin role refuses the changes they proposed (refuseChangesBy).
func (r *Registry) SignInExternal(ctx context.Context, s ExternalSignIn) (*store.Member, error) {
	if s.Source == "" || s.Subject == "" {
		return nil, fmt.Errorf("%w: the provider gave no issuer or no subject for %s", ErrUnauthenticated, s.Name)
	}
	// Looked up, and stored if new, in NFC as every member name is: a claim with a combining
	// accent is the member of that name, refused or bound as it would be typed precomposed.
	s.Name = nfc(s.Name)
	if err := checkMemberName(s.Name); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnauthenticated, err)
	}
	// The role map was checked against the office's roles when serve started; a policy adopted
	// since may no longer name an office's own role it gives. Such a role is passed over, as
	// one the office does not have: refusing the sign-in would lock out every user the claim
	// maps to it, and leave their other managed roles as they were, those the provider took
	// away included.
	known := r.AssignableRoles()
	s.Roles = slices.DeleteFunc(nfcAll(s.Roles), func(role string) bool { return !slices.Contains(known, role) })
	var (
		m      *store.Member
		revoke []store.SignerKey
	)
	err := keysLeftRetried(func() error {
		if slices.Contains(s.Roles, RoleSigner) {
			if err := r.revokeProviderKeysLeft(ctx, s); err != nil {
				return err
			}
		}
		return r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
			var err error
			revoke = nil
			m, err = tx.MemberBySubject(ctx, s.Source, s.Subject)
			if errors.Is(err, store.ErrNotFound) {
				if len(s.Roles) == 0 {
					// Nothing is created or bound for a user the provider gives no role.
					return errNoRole
				}
				var created bool
				if m, created, err = r.externalMember(ctx, tx, s); err != nil || created {
					return err
				}
			} else if err != nil {
				return err
			}
			if m.Disabled() {
				return fmt.Errorf("%w: %s is disabled", ErrUnauthenticated, m.Name)
			}
			if _, err := tx.Password(ctx, m.ID); err == nil {
				return fmt.Errorf("%w: %s is a local account (it has a password): it does not sign in through %s", ErrUnauthenticated, m.Name, s.Source)
			} else if !errors.Is(err, store.ErrNotFound) {
				return err
			}
			// Found by its subject or bound now, as revokeProviderKeysLeft found it.
			if slices.Contains(s.Roles, RoleSigner) && !m.HasRole(RoleSigner) {
				if err := noKeysLeft(ctx, tx, m.ID); err != nil {
					return err
				}
			}
			if err := r.syncExternalRoles(ctx, tx, m, s); err != nil || m.HasRole(RoleSigner) {
				return err
			}
			keys, err := tx.SignerKeysOf(ctx, m.ID)
			for _, k := range keys {
				if !k.Revoked() {
					revoke = append(revoke, k)
				}
			}
			return err
		})
	})
	if err == nil && len(revoke) > 0 {
		// The role is taken: the revocations run to their end whatever the caller does (a key
		// they leave is revoked before a sign-in gives the role back).
		err = r.revokeRolesTaken(context.WithoutCancel(ctx), Actor{Member: m, Remote: s.Remote}, s.Source, revoke)
	}
	if errors.Is(err, errNoRole) || (err == nil && len(s.Roles) == 0) {
		return nil, fmt.Errorf("%w: %s signed in through %s, but its claim gives no Chancery role", ErrUnauthenticated, s.Name, s.Source)
	}
	if err != nil {
		return nil, fmt.Errorf("sign in %s through %s: %w", s.Name, s.Source, err)
	}
	return m, nil
}

// revokeRolesTaken revokes the signer keys of a member whom a provider's sign-in left without
// the signer role, each by a key-revoked entry in the log, as disabling does: otherwise the
// signatures made by whoever held the member's account would count again, on letters not yet
// released, once the provider gave the role back. The member registers a new key then. A
// sign-in that finds the member still without the role revokes whatever a failure here left.
func (r *Registry) revokeRolesTaken(ctx context.Context, a Actor, source string, keys []store.SignerKey) error {
	for _, k := range keys {
		if _, err := r.RevokeKey(ctx, a, k.KeyID, "the identity provider "+source+" took away "+a.Member.Name+"'s signer role"); err != nil && !errors.Is(err, errKeyRevoked) {
			return fmt.Errorf("%s's signer role was taken away, but %w", a.Member.Name, err)
		}
	}
	return nil
}

// revokeProviderKeysLeft revokes, before a sign-in whose claim gives the signer role, the
// keys still in force of the provider user's member if it lacks the role: keys an earlier
// sign-in that took the role left (revokeKeysLeft). The member is the one of the user's
// subject or, without one, the one the sign-in binds (externalMember): of the name claimed,
// created by this provider before its users' subjects were kept.
func (r *Registry) revokeProviderKeysLeft(ctx context.Context, s ExternalSignIn) error {
	var m *store.Member
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		var err error
		m, err = tx.MemberBySubject(ctx, s.Source, s.Subject)
		if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		m, err = tx.MemberByName(ctx, s.Name)
		if err == nil && (m.Issuer != s.Source || m.Subject != "") {
			return store.ErrNotFound // not this user's: the sign-in is refused
		}
		return err
	})
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil // a new member has no key
	case err != nil:
		return err
	case m.Disabled() || m.HasRole(RoleSigner):
		return nil // refused, or nothing taken
	}
	return r.revokeKeysLeft(ctx, Actor{Member: m, Remote: s.Remote}, m.Name,
		"the identity provider "+s.Source+" took away "+m.Name+"'s signer role")
}

// externalMember returns the member of a provider user who has none yet under its subject:
// a new member named by the claim, or the member of that name the provider created before
// schema version 30, bound now to the user's subject. Any other member of that name is
// refused: it is not this user's.
func (r *Registry) externalMember(ctx context.Context, tx *store.Tx, s ExternalSignIn) (*store.Member, bool, error) {
	m, err := tx.MemberByName(ctx, s.Name)
	if errors.Is(err, store.ErrNotFound) {
		// Refused if it looks like another member's name: a provider's users often choose
		// their own name claim.
		if err := checkLookAlikeMember(ctx, tx, s.Name); err != nil {
			return nil, false, fmt.Errorf("%w: %w (the provider user needs another name claim)", ErrUnauthenticated, err)
		}
		if err := r.checkLookAlikeGroupName(ctx, tx, s.Name); err != nil {
			return nil, false, fmt.Errorf("%w: %w (the provider user needs another name claim)", ErrUnauthenticated, err)
		}
		_, hash := NewToken() // the token is never shown: this member signs in through the provider
		if m, err = tx.AddMember(ctx, s.Name, s.Roles, hash, r.now()); err != nil {
			return nil, false, err
		}
		if err := tx.SetMemberSubject(ctx, m.ID, s.Source, s.Subject); err != nil {
			return nil, false, err
		}
		m.Issuer, m.Subject = s.Source, s.Subject
		return m, true, r.audit(ctx, tx, Actor{Member: m, Remote: s.Remote}, "member.add", "",
			fmt.Sprintf("%s (%s) on first sign-in through %s", s.Name, strings.Join(s.Roles, ","), s.Source))
	}
	if err != nil {
		return nil, false, err
	}
	switch {
	case !m.FromProvider():
		return nil, false, fmt.Errorf("%w: %s is a member created in Chancery, not by %s: a provider user of the same name is never linked to it "+
			"(it signs in with its token or password; the provider user needs another name claim)", ErrUnauthenticated, s.Name, s.Source)
	case m.Subject != "" || m.Issuer != s.Source:
		return nil, false, fmt.Errorf("%w: %s is the member of another user of %s: the provider's user %q is not it", ErrUnauthenticated, s.Name, m.Issuer, s.Subject)
	}
	// Created by this provider before its subject was kept: the name claim vouched for it
	// until now, and binds it once.
	if err := tx.SetMemberSubject(ctx, m.ID, s.Source, s.Subject); err != nil {
		return nil, false, err
	}
	m.Subject = s.Subject
	return m, false, r.audit(ctx, tx, Actor{Member: m, Remote: s.Remote}, "member.bind", "",
		fmt.Sprintf("%s bound to the user %s of %s at its first sign-in since the provider's users are kept", s.Name, s.Subject, s.Source))
}

// syncExternalRoles brings m's managed roles in line with the claim. A member left with no
// role is signed out everywhere (their sessions, 'chancery login' tokens and token stop); one
// left with no role or without the reviewer role has the approvals they stand by voided, as
// when a member is disabled; SignInExternal then revokes the keys of one left without the
// signer role. When it changes m's roles, the pending role changes about m are refused as
// superseded, in the operator's name (refuseChanges, a.local), as an admin's role change
// refuses them.
func (r *Registry) syncExternalRoles(ctx context.Context, tx *store.Tx, m *store.Member, s ExternalSignIn) error {
	roles := slices.DeleteFunc(slices.Clone(m.Roles), func(role string) bool {
		return slices.Contains(s.Managed, role) && !slices.Contains(s.Roles, role)
	})
	if m.HasRole(RoleAdmin) && !slices.Contains(roles, RoleAdmin) {
		// The office keeps an active admin, and two while the policy in force asks for two
		// admins (a change waits for a second one, and none would come): the last ones keep
		// the role until another exists.
		n, err := activeAdmins(ctx, tx, m.ID)
		if err != nil {
			return err
		}
		two, err := r.twoAdminsIn(ctx, tx)
		if err != nil {
			return err
		}
		if n == 0 || (two && n < 2) {
			roles = append(roles, RoleAdmin)
		}
	}
	for _, role := range s.Roles {
		if !slices.Contains(roles, role) {
			roles = append(roles, role)
		}
	}
	var add, remove []string
	for _, role := range roles {
		if !m.HasRole(role) {
			add = append(add, role)
		}
	}
	for _, role := range m.Roles {
		if !slices.Contains(roles, role) {
			remove = append(remove, role)
		}
	}
	if len(add) == 0 && len(remove) == 0 {
		// The same roles, perhaps in another order (the admin role kept is appended): no
		// change, and so no pending role change superseded.
		return nil
	}
	if err := tx.SetMemberRoles(ctx, m.ID, roles); err != nil {
		return err
	}
	m.Roles = roles
	detail := fmt.Sprintf("%s: %s (now %s) at sign-in through %s", m.Name, roleChange(add, remove), strings.Join(roles, ","), s.Source)
	if len(roles) == 0 {
		n, err := signOut(ctx, tx, m)
		if err != nil {
			return err
		}
		detail += fmt.Sprintf(", %d sessions ended and the token replaced", n)
	}
	// Every role taken, or the reviewer role: the provider giving it back must not bring back
	// what whoever held the account approved (SetRoles voids them too).
	if len(roles) == 0 || slices.Contains(remove, RoleReviewer) {
		if err := r.voidApprovals(ctx, tx, Actor{Member: m, Remote: s.Remote}, m, rolesTakenRole); err != nil {
			return err
		}
	}
	// The member's own changes are refused in the operator's name too, as the superseded ones
	// below: in theirs, each would read as withdrawn by them.
	if slices.Contains(remove, RoleAdmin) {
		if _, err := r.refuseChangesBy(ctx, tx, operator(s.Remote), m, m.Name+"'s admin role was taken away at sign-in through "+s.Source); err != nil {
			return err
		}
	}
	// Given the role again: what waits in their name was proposed before it was taken, in a
	// build that kept it pending then (refused at the taking since).
	if slices.Contains(add, RoleAdmin) {
		if _, err := r.refuseChangesBy(ctx, tx, operator(s.Remote), m, m.Name+" was given the admin role again at sign-in through "+s.Source+" after losing it"); err != nil {
			return err
		}
	}
	// The provider's sync is a role change carried out (item 1001's rule): the pending role
	// changes about m were proposed against roles that have changed since, and approved
	// later one would undo it (a role the provider took given back until the next sign-in).
	// No admin carried it out: they are refused as the operator's recovery refuses, decided
	// by no member, not in m's name, which would read as m's withdrawal.
	dup, err := pendingRoleChangesBefore(ctx, tx, m, 0)
	if err != nil {
		return err
	}
	if err := r.refuseChanges(ctx, tx, operator(s.Remote), dup, "superseded by the roles "+m.Name+"'s identity provider gave at sign-in"); err != nil {
		return err
	}
	return r.audit(ctx, tx, Actor{Member: m, Remote: s.Remote}, "member.roles", "", detail)
}

// cliPrefix marks the short-lived API tokens of 'chancery login', apart from browser sessions
// ("chs_", which also end when idle) and members' long-lived tokens ("chy_").
const cliPrefix = "chl_"

// StartCLISession issues a short-lived API token for m, after a sign-in through the provider
// from the command line (the device authorization grant). It is kept like a browser session
// (only its SHA-256 is stored, signing out every session ends it) and expires after lifetime.
func (r *Registry) StartCLISession(ctx context.Context, m *store.Member, remote string, lifetime time.Duration) (string, time.Time, error) {
	b := make([]byte, 32)
	rand.Read(b)
	tok := cliPrefix + base64.RawURLEncoding.EncodeToString(b)
	now := r.witnessedNow()
	exp := now.Add(lifetime)
	err := r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		if err := signedInStill(ctx, tx, m); err != nil {
			return err
		}
		if err := tx.AddSession(ctx, store.Session{IDHash: HashToken(tok), MemberID: m.ID, CreatedAt: now, LastSeen: now,
			ExpiresAt: exp, Remote: remote}); err != nil {
			return err
		}
		return r.audit(ctx, tx, Actor{Member: m, Remote: remote}, "member.signin", "", m.Name+" (command line)")
	})
	if err != nil {
		return "", time.Time{}, fmt.Errorf("start command-line session for %s: %w", m.Name, err)
	}
	return tok, exp, nil
}

// EndCLISession ends tok, a's own 'chancery login' token ('chancery logout'): deleting the
// file that holds it leaves any copy of it (a shared computer's, a stolen laptop's backup)
// signing in as a for the rest of its 8 hours. A member's lasting token ("chy_") is not a
// session and is refused: an admin replaces it.
func (r *Registry) EndCLISession(ctx context.Context, a Actor, tok string) error {
	if a.Member == nil {
		return ErrUnauthenticated
	}
	if !strings.HasPrefix(tok, cliPrefix) {
		return i18n.Errorf(ErrConflict, "only a token of 'chancery login' can be signed out: a member's lasting token ends when an admin issues a new one")
	}
	if err := r.EndSession(ctx, tok); err != nil {
		return fmt.Errorf("end command-line session of %s: %w", a.Member.Name, err)
	}
	return nil
}

// cliSessionMember returns the member of a 'chancery login' token that has not expired.
func (r *Registry) cliSessionMember(ctx context.Context, tok string) (*store.Member, error) {
	var s *store.Session
	var m *store.Member
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		var err error
		if s, err = tx.SessionByHash(ctx, HashToken(tok)); err != nil {
			return err
		}
		m, err = tx.MemberByID(ctx, s.MemberID)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrUnauthenticated
	}
	if err != nil {
		return nil, fmt.Errorf("authenticate: %w", err)
	}
	if now := r.witnessedNow(); !now.Before(s.ExpiresAt) || fromAhead(s, now) || m.Disabled() {
		return nil, ErrUnauthenticated
	}
	m.SessionHash = s.IDHash
	return m, nil
}

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

	"github.com/chancery/chancery/internal/store"
)

// ExternalSignIn is a sign-in that an outside identity provider (OpenID Connect) vouches for.
type ExternalSignIn struct {
	Source string // the provider, for the audit trail: its issuer URL
	Name   string // the member's name, from the provider's name claim
	// Roles are the roles the provider's claim gives now; Managed are all the roles its
	// mapping can give. Roles in Managed but not in Roles are taken away; roles outside
	// Managed (given by an admin in Chancery) are left alone.
	Roles, Managed []string
	Remote         string
}

// SignInExternal returns the member an outside provider signed in, creating them on their
// first sign-in when the provider's claim gives them a role, and bringing their managed roles
// in line with the claim on every sign-in. It refuses (ErrUnauthenticated) a member with a
// local password (a local account is not taken over by a same-named provider user), a
// disabled member, and a member left with no role; the roles taken away stay taken away.
func (r *Registry) SignInExternal(ctx context.Context, s ExternalSignIn) (*store.Member, error) {
	if err := checkName(s.Name); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnauthenticated, err)
	}
	if err := r.checkRoles(s.Roles); err != nil {
		return nil, err
	}
	var m *store.Member
	noRole := errors.New("no role")
	err := r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		var err error
		m, err = tx.MemberByName(ctx, s.Name)
		if errors.Is(err, store.ErrNotFound) {
			if len(s.Roles) == 0 {
				return noRole
			}
			_, hash := NewToken() // the token is never shown: this member signs in through the provider
			if m, err = tx.AddMember(ctx, s.Name, s.Roles, hash, r.now()); err != nil {
				return err
			}
			return r.audit(ctx, tx, Actor{Member: m, Remote: s.Remote}, "member.add", "",
				fmt.Sprintf("%s (%s) on first sign-in through %s", s.Name, strings.Join(s.Roles, ","), s.Source))
		}
		if err != nil {
			return err
		}
		if m.Disabled() {
			return fmt.Errorf("%w: %s is disabled", ErrUnauthenticated, s.Name)
		}
		if _, err := tx.Password(ctx, m.ID); err == nil {
			return fmt.Errorf("%w: %s is a local account (it has a password): it does not sign in through %s", ErrUnauthenticated, s.Name, s.Source)
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		roles := slices.DeleteFunc(slices.Clone(m.Roles), func(role string) bool {
			return slices.Contains(s.Managed, role) && !slices.Contains(s.Roles, role)
		})
		if m.HasRole(RoleAdmin) && !slices.Contains(roles, RoleAdmin) {
			// The office keeps an active admin: the last one keeps the role until another exists.
			if ok, err := otherActiveAdmin(ctx, tx, m); err != nil {
				return err
			} else if !ok {
				roles = append(roles, RoleAdmin)
			}
		}
		for _, role := range s.Roles {
			if !slices.Contains(roles, role) {
				roles = append(roles, role)
			}
		}
		if !slices.Equal(roles, m.Roles) {
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
			if err := tx.SetMemberRoles(ctx, m.ID, roles); err != nil {
				return err
			}
			m.Roles = roles
			if err := r.audit(ctx, tx, Actor{Member: m, Remote: s.Remote}, "member.roles", "",
				fmt.Sprintf("%s: %s (now %s) at sign-in through %s", s.Name, roleChange(add, remove), strings.Join(roles, ","), s.Source)); err != nil {
				return err
			}
		}
		// With no role left, the change is committed and the sign-in refused below.
		return nil
	})
	if errors.Is(err, noRole) || (err == nil && len(m.Roles) == 0) {
		return nil, fmt.Errorf("%w: %s signed in through %s, but its claim gives no Chancery role", ErrUnauthenticated, s.Name, s.Source)
	}
	if err != nil {
		return nil, fmt.Errorf("sign in %s through %s: %w", s.Name, s.Source, err)
	}
	return m, nil
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
	now := r.cfg.Now().UTC()
	exp := now.Add(lifetime)
	err := r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
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
	if !r.cfg.Now().UTC().Before(s.ExpiresAt) || m.Disabled() {
		return nil, ErrUnauthenticated
	}
	return m, nil
}

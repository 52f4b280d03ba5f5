package registry

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"
)

// SignInExternal: created with the mapped roles, managed roles follow the claim, others stay,
// local accounts and disabled members are refused, the last admin keeps the role.
func TestSignInExternal(t *testing.T) {
	o := newOffice(t)
	ctx := context.Background()
	managed := []string{RoleReviewer, RoleSigner, RoleAdmin}
	in := func(name string, roles ...string) ([]string, error) {
		m, err := o.r.SignInExternal(ctx, ExternalSignIn{Source: "https://idp.example", Name: name, Roles: roles, Managed: managed, Remote: "test"})
		if err != nil {
			return nil, err
		}
		return m.Roles, nil
	}
	if _, err := in("ivan"); !errors.Is(err, ErrUnauthenticated) {
		t.Errorf("a first sign-in with no role: %v", err)
	}
	if _, err := o.r.Member(ctx, o.admin, "ivan"); !errors.Is(err, ErrNotFound) {
		t.Errorf("a user with no role was created: %v", err)
	}
	if got, err := in("olga", RoleReviewer, RoleSigner); err != nil || !slices.Equal(got, []string{RoleReviewer, RoleSigner}) {
		t.Fatalf("first sign-in: %v, %v", got, err)
	}
	if _, err := o.r.SetRoles(ctx, o.admin, "olga", []string{RoleDrafter}, nil); err != nil {
		t.Fatal(err)
	}
	if got, err := in("olga", RoleReviewer); err != nil || !slices.Equal(got, []string{RoleReviewer, RoleDrafter}) {
		t.Errorf("after the signers group was removed: %v, %v", got, err)
	}
	if _, err := o.r.SetRoles(ctx, o.admin, "olga", nil, []string{RoleDrafter}); err != nil {
		t.Fatal(err)
	}
	if _, err := in("olga"); !errors.Is(err, ErrUnauthenticated) {
		t.Errorf("a sign-in that leaves no role: %v", err)
	}
	if v, err := o.r.Member(ctx, o.admin, "olga"); err != nil || len(v.Roles) != 0 {
		t.Errorf("the roles taken away at a refused sign-in: %+v, %v", v, err)
	}
	if err := o.r.SetPassword(ctx, o.admin, "rita", "a long enough password"); err != nil {
		t.Fatal(err)
	}
	if _, err := in("rita", RoleReviewer); !errors.Is(err, ErrUnauthenticated) {
		t.Errorf("a provider user took over a local account: %v", err)
	}
	if _, err := in("dana", RoleReviewer); err != nil {
		t.Errorf("a member without a password: %v", err)
	}
	if _, err := o.r.DisableMember(ctx, o.admin, "dana"); err != nil {
		t.Fatal(err)
	}
	if _, err := in("dana", RoleReviewer); !errors.Is(err, ErrUnauthenticated) {
		t.Errorf("a disabled member: %v", err)
	}
	// root is the only admin: a claim without the admin group does not take it away.
	if got, err := in("root", RoleReviewer); err != nil || !slices.Contains(got, RoleAdmin) {
		t.Errorf("the last admin: %v, %v", got, err)
	}
}

// A 'chancery login' token authenticates until it expires; a browser session ID does not.
func TestCLISession(t *testing.T) {
	o := newOffice(t)
	ctx := context.Background()
	tok, exp, err := o.r.StartCLISession(ctx, o.reviewer.Member, "test", time.Hour)
	if err != nil || !exp.After(time.Now()) {
		t.Fatal(err, exp)
	}
	if m, err := o.r.Authenticate(ctx, tok); err != nil || m.Name != "rita" {
		t.Errorf("the token: %v, %v", m, err)
	}
	expired, _, err := o.r.StartCLISession(ctx, o.reviewer.Member, "test", -time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.Authenticate(ctx, expired); !errors.Is(err, ErrUnauthenticated) {
		t.Errorf("an expired token: %v", err)
	}
	sid, err := o.r.StartSession(ctx, o.reviewer.Member, "test", SessionTimes{Lifetime: time.Hour, Idle: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.Authenticate(ctx, sid); !errors.Is(err, ErrUnauthenticated) {
		t.Errorf("a browser session ID as a bearer token: %v", err)
	}
}

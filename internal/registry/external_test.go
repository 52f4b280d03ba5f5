package registry

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"database/sql"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/store"
)

const idp = "https://idp.example"

// signInAs signs the provider's user subject in, under the name claim name.
func (o *office) signInAs(subject, name string, managed []string, roles ...string) (*store.Member, error) {
	return o.r.SignInExternal(context.Background(), ExternalSignIn{Source: idp, Subject: subject, Name: name, Roles: roles,
		Managed: managed, Remote: "test"})
}

// SignInExternal: created with the mapped roles, managed roles follow the claim, others stay,
// a claim with no role is refused, disabled members are refused, the last admin keeps the
// role; the member is the provider's user (its subject), whatever its name claim says later.
func TestSignInExternal(t *testing.T) {
	o := newOffice(t)
	ctx := context.Background()
	managed := []string{RoleReviewer, RoleSigner, RoleAdmin}
	in := func(name string, roles ...string) ([]string, error) {
		m, err := o.signInAs("sub-"+name, name, managed, roles...)
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
	// A claim with no role is refused, even for a member who keeps a role an admin gave.
	if _, err := in("olga"); !errors.Is(err, ErrUnauthenticated) {
		t.Errorf("a sign-in whose claim gives no role: %v", err)
	}
	if v, err := o.r.Member(ctx, o.admin, "olga"); err != nil || !slices.Equal(v.Roles, []string{RoleDrafter}) {
		t.Errorf("the managed roles taken away at a refused sign-in: %+v, %v", v, err)
	}
	if _, err := o.r.SetRoles(ctx, o.admin, "olga", []string{RoleReviewer}, []string{RoleDrafter}); err != nil {
		t.Fatal(err)
	}
	if _, err := in("olga"); !errors.Is(err, ErrUnauthenticated) {
		t.Errorf("a sign-in that leaves no role: %v", err)
	}
	if v, err := o.r.Member(ctx, o.admin, "olga"); err != nil || len(v.Roles) != 0 {
		t.Errorf("the roles taken away at a refused sign-in: %+v, %v", v, err)
	}
	// The provider's user keeps their member when their name claim changes; another user
	// under olga's name is not olga.
	if m, err := o.signInAs("sub-olga", "olga.k", managed, RoleReviewer); err != nil || m.Name != "olga" {
		t.Errorf("olga's sign-in under a new name: %+v, %v", m, err)
	}
	if m, err := o.signInAs("sub-mallory", "olga", managed, RoleReviewer, RoleSigner); !errors.Is(err, ErrUnauthenticated) {
		t.Errorf("another user of the provider named olga signed in as %+v, %v", m, err)
	}
	if v, err := o.r.Member(ctx, o.admin, "olga"); err != nil || !slices.Equal(v.Roles, []string{RoleReviewer}) {
		t.Errorf("olga after another user's sign-in under her name: %+v, %v", v, err)
	}
	if _, err := in("pavel", RoleReviewer); err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.DisableMember(ctx, o.admin, "pavel"); err != nil {
		t.Fatal(err)
	}
	if _, err := in("pavel", RoleReviewer); !errors.Is(err, ErrUnauthenticated) {
		t.Errorf("a disabled member: %v", err)
	}
	// ada, whom the provider made admin, is the only admin left: a claim without the admin
	// group does not take it away.
	if _, err := in("ada", RoleAdmin); err != nil {
		t.Fatal(err)
	}
	ada := Actor{Member: o.memberNamed(t, "ada"), Remote: "test"}
	if _, err := o.r.DisableMember(ctx, ada, "root"); err != nil {
		t.Fatal(err)
	}
	if got, err := in("ada", RoleReviewer); err != nil || !slices.Contains(got, RoleAdmin) {
		t.Errorf("the last admin: %v, %v", got, err)
	}
}

// memberNamed reads the member name from the store.
func (o *office) memberNamed(t testing.TB, name string) *store.Member {
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

// TestSignInExternalLeavesLocalMembersAlone: a member created in Chancery (the bootstrap admin
// root of 'chancery init', dana of 'chancery member add': a token and no password) is never
// signed in by a provider user of the same name, with or without a role in the claim, and
// keeps its roles; a member with a password neither.
func TestSignInExternalLeavesLocalMembersAlone(t *testing.T) {
	o := newOffice(t)
	ctx := context.Background()
	managed := []string{RoleReviewer, RoleSigner, RoleAdmin}
	if err := o.r.SetPassword(ctx, o.admin, "rita", "a long enough password"); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"root", "dana", "rita"} {
		before := o.memberNamed(t, name).Roles
		for _, roles := range [][]string{nil, {RoleReviewer}, {RoleAdmin, RoleSigner}} {
			if m, err := o.signInAs("sub-"+name, name, managed, roles...); !errors.Is(err, ErrUnauthenticated) {
				t.Errorf("a provider user named %s with roles %v signed in as the local member: %+v, %v", name, roles, m, err)
			}
		}
		if m := o.memberNamed(t, name); !slices.Equal(m.Roles, before) || m.FromProvider() {
			t.Errorf("the local member %s after provider sign-ins under its name: %+v, want roles %v", name, m, before)
		}
	}
}

// TestSignInExternalBindsMemberFromBeforeSubjects: a member the provider created before its
// users' subjects were kept (migration 30 gives it the provider's issuer and no subject) is
// bound to the first user of that provider who signs in under its name with a role; from
// then on only that user is it. A sign-in without a role binds nothing; another provider's
// user is never it.
func TestSignInExternalBindsMemberFromBeforeSubjects(t *testing.T) {
	o := newOffice(t)
	ctx := context.Background()
	managed := []string{RoleReviewer, RoleSigner}
	if _, err := o.signInAs("sub-olga", "olga", managed, RoleReviewer); err != nil {
		t.Fatal(err)
	}
	// What migration 30 leaves of a member the provider created before it.
	raw, err := sql.Open("sqlite", "file:"+filepath.Join(o.dir, store.SQLiteFile))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.ExecContext(ctx, `UPDATE members SET oidc_subject = NULL WHERE name = 'olga'`); err != nil {
		t.Fatal(err)
	}
	if m, err := o.r.SignInExternal(ctx, ExternalSignIn{Source: "https://other.example", Subject: "sub-x", Name: "olga",
		Roles: []string{RoleReviewer}, Managed: managed}); !errors.Is(err, ErrUnauthenticated) {
		t.Errorf("another provider's user bound olga: %+v, %v", m, err)
	}
	if _, err := o.signInAs("sub-2", "olga", managed); !errors.Is(err, ErrUnauthenticated) {
		t.Errorf("a sign-in with no role: %v", err)
	}
	if m := o.memberNamed(t, "olga"); m.Subject != "" || !slices.Equal(m.Roles, []string{RoleReviewer}) {
		t.Errorf("a sign-in with no role changed olga, not yet bound: %+v", m)
	}
	if m, err := o.signInAs("sub-2", "olga", managed, RoleReviewer, RoleSigner); err != nil || m.Subject != "sub-2" || !slices.Equal(m.Roles, []string{RoleReviewer, RoleSigner}) {
		t.Fatalf("the first sign-in since: %+v, %v", m, err)
	}
	if m, err := o.signInAs("sub-olga", "olga", managed, RoleReviewer); !errors.Is(err, ErrUnauthenticated) {
		t.Errorf("another user signed in as olga once she was bound: %+v, %v", m, err)
	}
	if m := o.memberNamed(t, "olga"); m.Issuer != idp || m.Subject != "sub-2" {
		t.Errorf("olga is bound to %q %q", m.Issuer, m.Subject)
	}
}

// TestProviderMemberCannotSetOwnPassword: a member whom the office's OpenID provider signed
// in (their roles follow its claim) cannot set themselves a local password with their
// 'chancery login' token (POST /api/v1/password takes any bearer token): with one, the
// provider would no longer govern them (its sign-in refused as "a local account", their
// roles kept, the password sign-in going on with them) once it took their groups away.
// docs/identity.md: "Role changes at the provider take effect at the member's next sign-in".
func TestProviderMemberCannotSetOwnPassword(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	managed := []string{RoleReviewer, RoleSigner}
	m, err := o.signInAs("sub-olga", "olga", managed, RoleReviewer)
	if err != nil {
		t.Fatal(err)
	}
	tok, _, err := o.r.StartCLISession(ctx, m, "test", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	olga := o.actor(t, tok)
	if err := o.r.SetPassword(ctx, olga, "", "olga's own password, set by herself"); !errors.Is(err, ErrForbidden) {
		t.Errorf("olga sets herself a password: %v", err)
	}
	// The provider takes olga's reviewer group away.
	if _, err := o.signInAs("sub-olga", "olga", managed); !errors.Is(err, ErrUnauthenticated) {
		t.Fatalf("provider sign-in without a role: %v", err)
	}
	m, err = o.r.CheckPassword(ctx, "olga", "olga's own password, set by herself")
	if err == nil && slices.Contains(m.Roles, RoleReviewer) {
		t.Errorf("after the provider took olga's group away, her self-set password still signs her in with roles %v", m.Roles)
	}
	if v := o.memberNamed(t, "olga"); len(v.Roles) != 0 {
		t.Errorf("olga's roles after the provider took her group away: %v", v.Roles)
	}
}

// TestMemberWithNoRoleReadsNoLetter: a member whose provider took their last role away
// (their group membership ended) is signed out everywhere by that sign-in: their 'chancery
// login' token, browser sessions and token stop. A request that was authenticated before the
// sign-in committed acts for a member with no role, who reads no letter: listing refuses
// them, status and identify answer them as the public, and the audit trail "is visible only
// to members with a role" (docs/design/confidentiality.md); reading one letter by its
// (sequential, guessable) reference, its versions' bytes, its audit trail or the inbox is
// refused just the same.
func TestMemberWithNoRoleReadsNoLetter(t *testing.T) {
	o := newOffice(t)
	ctx := context.Background()
	ref := o.letter(t, "The brigade moves north on 3 March. Do not circulate.")
	managed := []string{RoleReviewer}
	mem, err := o.signInAs("sub-eve", "eve", managed, RoleReviewer)
	if err != nil {
		t.Fatal(err)
	}
	// 'chancery login': a command-line session of the member (a browser session is the same),
	// and a token an admin issued.
	tok, err := o.r.IssueToken(ctx, o.admin, "eve")
	if err != nil {
		t.Fatal(err)
	}
	cli, _, err := o.r.StartCLISession(ctx, mem, "test", 12*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	a := o.actor(t, cli) // authenticated before eve's next sign-in
	// Eve leaves the reviewers' group; her next sign-in is refused and her roles are gone.
	if _, err := o.signInAs("sub-eve", "eve", managed); !errors.Is(err, ErrUnauthenticated) {
		t.Fatalf("sign-in with no role: %v", err)
	}
	for what, tk := range map[string]string{"'chancery login' token": cli, "token": tok} {
		if m, err := o.r.Authenticate(ctx, tk); !errors.Is(err, ErrUnauthenticated) {
			t.Errorf("eve's %s still authenticates her (%+v, %v)", what, m, err)
		}
	}
	a.Member = o.memberNamed(t, "eve")
	if len(a.Member.Roles) != 0 {
		t.Fatalf("roles %v", a.Member.Roles)
	}
	if _, err := o.r.ListLetters(ctx, a, LetterQuery{}); !errors.Is(err, ErrForbidden) {
		t.Errorf("listing: %v", err)
	}
	if v, err := o.r.Letter(ctx, a, ref); !errors.Is(err, ErrForbidden) {
		t.Errorf("a member with no role read the draft %s: %+v, %v", ref, v, err)
	}
	if fs, err := o.r.VersionFiles(ctx, a, ref); !errors.Is(err, ErrForbidden) {
		t.Errorf("a member with no role read the draft's bytes: %d versions, %v", len(fs), err)
	}
	if evs, err := o.r.Audit(ctx, a, ref); !errors.Is(err, ErrForbidden) {
		t.Errorf("a member with no role read the audit trail of %s (%d events): %v", ref, len(evs), err)
	}
	if in, err := o.r.Inbox(ctx, a); !errors.Is(err, ErrForbidden) {
		t.Errorf("a member with no role got an inbox: %+v, %v", in, err)
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

// TestCLISessionOutlivesBrowserIdleness: a 'chancery login' token has no idle limit, only its
// lifetime, and is not touched when used; a browser sign-in that clears away idle browser
// sessions must leave it alone.
func TestCLISessionOutlivesBrowserIdleness(t *testing.T) {
	o := newOffice(t)
	ctx := context.Background()
	start := time.Now()
	o.r.cfg.Now = func() time.Time { return start }
	tok, _, err := o.r.StartCLISession(ctx, o.reviewer.Member, "test", 8*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	o.r.cfg.Now = func() time.Time { return start.Add(time.Hour) }
	if _, err := o.r.StartSession(ctx, o.signer.Member, "test", SessionTimes{Lifetime: 12 * time.Hour, Idle: 30 * time.Minute}); err != nil {
		t.Fatal(err)
	}
	if m, err := o.r.Authenticate(ctx, tok); err != nil || m.Name != "rita" {
		t.Errorf("the 'chancery login' token an hour later, after someone signed in: %v, %v", m, err)
	}
}

// TestApprovalBeforeProviderTookRolesStaysVoid: a provider sign-in that leaves a member no
// role signs them out everywhere, as disabling does; the approvals they stood by are voided
// as disabling voids them, so that the provider giving the roles back (the user's group
// restored) does not bring back what whoever held their account approved.
func TestApprovalBeforeProviderTookRolesStaysVoid(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	managed := []string{RoleReviewer, RoleSigner}
	pia, err := o.signInAs("sub-pia", "pia", managed, RoleReviewer)
	if err != nil {
		t.Fatal(err)
	}
	ref := o.letter(t, "Dear Minister,\n\nThe forces will be repositioned.")
	if err := o.r.Approve(ctx, Actor{Member: pia}, ref, "", "reviewed"); err != nil {
		t.Fatal(err)
	}
	if err := o.sign(t, ref); err != nil {
		t.Fatal(err)
	}
	if _, err := o.signInAs("sub-pia", "pia", managed); !errors.Is(err, ErrUnauthenticated) {
		t.Fatalf("a sign-in leaving no role: %v", err)
	}
	pia, err = o.signInAs("sub-pia", "pia", managed, RoleReviewer)
	if err != nil {
		t.Fatal(err)
	}
	v, err := o.r.Letter(ctx, Actor{Member: pia}, ref)
	if err != nil {
		t.Fatal(err)
	}
	if v.Decision == nil || !slices.ContainsFunc(v.Decision.Notes, func(n string) bool { return strings.Contains(n, "pia's roles were taken away since") }) {
		t.Errorf("the decision does not say why pia's approval does not count: %+v", v.Decision)
	}
	var gate *GateError
	if _, err := o.r.Release(ctx, o.officer, ref); !errors.As(err, &gate) {
		t.Fatalf("released on an approval given before the provider took its giver's roles: %v", err)
	}
	if err := o.r.Approve(ctx, Actor{Member: pia}, ref, "", "still agreed"); err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.Release(ctx, o.officer, ref); err != nil {
		t.Fatalf("release on pia's new approval: %v", err)
	}
}

// TestSignatureBeforeProviderTookRolesStaysVoid: a sign-in that leaves a member no role
// revokes their signer keys, as disabling does, so that a signature made with their account
// does not count again once the provider gives the roles back; they sign again with a new key.
func TestSignatureBeforeProviderTookRolesStaysVoid(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	managed := []string{RoleReviewer, RoleSigner}
	sia, err := o.signInAs("sub-sia", "sia", managed, RoleSigner)
	if err != nil {
		t.Fatal(err)
	}
	registerKey := func() (ed25519.PrivateKey, string) {
		t.Helper()
		pub, priv, _ := ed25519.GenerateKey(rand.Reader)
		id, _, err := o.r.RegisterKey(ctx, Actor{Member: sia}, pub)
		if err != nil {
			t.Fatal(err)
		}
		return priv, id
	}
	sign := func(ref string, key ed25519.PrivateKey, id string) {
		t.Helper()
		st, err := o.r.SigningStatement(ctx, Actor{Member: sia}, ref)
		if err != nil {
			t.Fatal(err)
		}
		if err := o.r.Sign(ctx, Actor{Member: sia}, ref, id, st, ed25519.Sign(key, dsse.PAE(seal.SigningPayloadType, st))); err != nil {
			t.Fatal(err)
		}
	}
	key, keyID := registerKey()
	ref := o.letter(t, "Dear Minister,\n\nThe forces will be repositioned.")
	if err := o.r.Approve(ctx, o.reviewer, ref, "", "reviewed"); err != nil {
		t.Fatal(err)
	}
	sign(ref, key, keyID)

	if _, err := o.signInAs("sub-sia", "sia", managed); !errors.Is(err, ErrUnauthenticated) {
		t.Fatalf("a sign-in leaving no role: %v", err)
	}
	if sia, err = o.signInAs("sub-sia", "sia", managed, RoleSigner); err != nil {
		t.Fatal(err)
	}
	var gate *GateError
	if _, err := o.r.Release(ctx, o.officer, ref); !errors.As(err, &gate) {
		t.Fatalf("released on a signature made before the provider took its signer's roles: %v", err)
	}
	v, err := o.r.Letter(ctx, o.officer, ref)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(v.Decision.Notes, func(n string) bool { return strings.Contains(n, "key "+keyID+" was revoked") }) {
		t.Errorf("the decision does not say why sia's signature does not count: %+v", v.Decision.Notes)
	}
	err = o.r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		k, err := tx.SignerKey(ctx, keyID)
		if err == nil && !k.Revoked() {
			t.Error("the key is not revoked")
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	key, keyID = registerKey()
	sign(ref, key, keyID)
	if _, err := o.r.Release(ctx, o.officer, ref); err != nil {
		t.Fatalf("release on sia's new signature: %v", err)
	}
}

// TestProviderTakingTheSignerRoleRevokesTheKeys: a sign-in that takes the signer role away
// but leaves another revokes the member's signer keys too, not only one that leaves no role.
func TestProviderTakingTheSignerRoleRevokesTheKeys(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	managed := []string{RoleReviewer, RoleSigner}
	sia, err := o.signInAs("sub-sia", "sia", managed, RoleSigner, RoleReviewer)
	if err != nil {
		t.Fatal(err)
	}
	pub, _, _ := ed25519.GenerateKey(rand.Reader)
	keyID, _, err := o.r.RegisterKey(ctx, Actor{Member: sia}, pub)
	if err != nil {
		t.Fatal(err)
	}
	if sia, err = o.signInAs("sub-sia", "sia", managed, RoleReviewer); err != nil {
		t.Fatalf("a sign-in leaving the reviewer role: %v", err)
	}
	if sia.HasRole(RoleSigner) {
		t.Fatalf("sia still holds the signer role: %v", sia.Roles)
	}
	err = o.r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		k, err := tx.SignerKey(ctx, keyID)
		if err == nil && !k.Revoked() {
			t.Error("the key of a member the provider took the signer role from is not revoked")
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestSignInExternalDecomposedNameClaim checks that a provider's name claim written with a
// combining accent is looked up as the member names are stored (NFC): the member created in
// Chancery as "Ren\u00e9e" is not found under "Rene\u0301e", so the sign-in went on to add a
// member of the same stored name and failed in the store, instead of being refused as any
// provider user taking a local member's name is; a member the provider created before its
// users' subjects were kept was not bound.
func TestSignInExternalDecomposedNameClaim(t *testing.T) {
	o := newOffice(t)
	ctx := context.Background()
	if _, err := o.r.AddMember(ctx, o.admin, "Ren\u00e9e", []string{RoleReviewer}); err != nil {
		t.Fatal(err)
	}
	_, err := o.signInAs("u-renee", "Rene\u0301e", []string{RoleReviewer}, RoleReviewer)
	if !errors.Is(err, ErrUnauthenticated) || !strings.Contains(err.Error(), "created in Chancery") {
		t.Errorf("provider user named Rene\\u0301e beside the local member Ren\\u00e9e: %v, want ErrUnauthenticated saying it is a local member", err)
	}
}

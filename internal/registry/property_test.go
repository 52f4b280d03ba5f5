package registry

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"slices"
	"testing"

	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/entry"
	"github.com/chancery/chancery/internal/policy"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/store/storetest"
	"github.com/chancery/chancery/internal/translog"
	"golang.org/x/mod/sumdb/note"
	"pgregory.net/rapid"
)

// basicPolicy asks what the built-in policy asks.
const basicPolicy = `version: 1
name: basic
rules:
  - name: all
    default: true
    require:
      approvals:
        - role: reviewer
          count: 1
      signatures:
        - role: signer
          count: 1
`

// strictPolicy is the other policy the property test switches to: legal review and two of
// three command signers.
const strictPolicy = `version: 1
name: strict
groups:
  command: [s1, s2, s3]
rules:
  - name: all
    default: true
    require:
      approvals:
        - role: legal
          count: 1
      signatures:
        - group: command
          count: 2
`

// TestPropertyGate: no sequence of approvals, signatures, revisions, key revocations and policy
// changes releases a letter that the policy in force does not allow, and every letter the
// policy allows is released. The model keeps its own books of who approved and signed what,
// since the last revision, policy change or revocation, and checks each release statement
// against them.
func TestPropertyGate(t *testing.T) {
	propertyGate(t, func(ctx context.Context, dir string) (*store.DB, error) { return store.OpenSQLite(ctx, dir) })
}

// TestPropertyGatePostgres checks the same property on PostgreSQL, each case in an empty
// store: the first case's schema, emptied of its rows.
func TestPropertyGatePostgres(t *testing.T) {
	empty := storetest.PostgresEmptied(t)
	propertyGate(t, func(ctx context.Context, _ string) (*store.DB, error) { return store.OpenPostgres(ctx, empty()) })
}

func propertyGate(t *testing.T, open func(ctx context.Context, dir string) (*store.DB, error)) {
	strict, err := policy.Parse([]byte(strictPolicy))
	if err != nil {
		t.Fatal(err)
	}
	basic, err := policy.Parse([]byte(basicPolicy))
	if err != nil {
		t.Fatal(err)
	}
	rapid.Check(t, func(rt *rapid.T) {
		ctx := context.Background()
		dir, err := os.MkdirTemp(t.TempDir(), "prop")
		if err != nil {
			rt.Fatal(err)
		}
		db, err := open(ctx, dir)
		if err != nil {
			rt.Fatal(err)
		}
		defer db.Close()
		skey, vkey, _ := note.GenerateKey(rand.Reader, "prop.example/log")
		signer, _ := note.NewSigner(skey)
		lg, err := translog.Open(ctx, db, translog.Config{Origin: "prop.example/log", Signer: signer, Create: true})
		if err != nil {
			rt.Fatal(err)
		}
		defer lg.Close()
		_, officeKey, _ := ed25519.GenerateKey(rand.Reader)
		r := New(Config{DB: db, Log: lg, Office: Office{Name: "Prop Office", Prefix: "P", URL: "https://p.example"},
			OfficeKey: officeKey, LogKey: vkey, LogOrigin: "prop.example/log"})
		adminTok, err := r.Bootstrap(ctx, "admin")
		if err != nil {
			rt.Fatal(err)
		}
		admin := mustActor(rt, r, adminTok)
		// Adopting strict once lets members hold its role (legal); then switch back and forth.
		if _, err := r.AdoptPolicy(ctx, admin, strict, []byte(strictPolicy)); err != nil {
			rt.Fatal(err)
		}
		roles := map[string][]string{
			"dana": {RoleDrafter, RoleReviewer, RoleSigner}, "lee": {RoleReviewer, "legal"}, "rex": {RoleReviewer},
			"s1": {RoleSigner}, "s2": {RoleSigner}, "s3": {RoleSigner}, "otto": {RoleRelease},
		}
		actors := map[string]Actor{}
		for name, rs := range roles {
			tok, err := r.AddMember(ctx, admin, name, rs)
			if err != nil {
				rt.Fatal(err)
			}
			actors[name] = mustActor(rt, r, tok)
		}
		keys := map[string]ed25519.PrivateKey{}
		revoked := map[string]bool{} // key IDs
		newKey := func(who string) {
			_, k, _ := ed25519.GenerateKey(rand.Reader)
			if _, _, err := r.RegisterKey(ctx, actors[who], k.Public().(ed25519.PublicKey)); err != nil {
				rt.Fatal(err)
			}
			keys[who] = k
		}
		for _, s := range []string{"dana", "s1", "s2", "s3"} {
			newKey(s)
		}
		policies := []*policy.Policy{basic, strict}
		sources := [][]byte{[]byte(basicPolicy), []byte(strictPolicy)}
		inForce := 1

		// The model's books for the current letter.
		var ref string
		var approved, signed []string
		letters := 0 // makes every letter's bytes its own: equal bytes cannot be two letters
		// Letter text the fonts draw: the gate is under test here, not the upload checks.
		letterText := rapid.StringOf(rapid.RuneFrom([]rune("abcdefghijklmnopqrstuvwxyz ABCXYZ 0123456789.,;:!?-\néжλשع中क")))
		newLetter := func() {
			var err error
			letters++
			ref, err = r.CreateLetter(ctx, actors["dana"], NewLetter{Subject: "s", Class: "internal", Addressees: []string{"x"},
				File: Upload{Name: "l.txt", Data: fmt.Appendf(nil, "%d:%s!", letters, letterText.Draw(rt, "text"))}})
			if err != nil {
				rt.Fatal(err)
			}
			approved, signed = nil, nil
		}
		newLetter()

		rt.Repeat(map[string]func(*rapid.T){
			"approve": func(rt *rapid.T) {
				who := rapid.SampledFrom([]string{"dana", "lee", "rex"}).Draw(rt, "approver")
				err := r.Approve(ctx, actors[who], ref, "", "")
				if who == "dana" {
					if !errors.Is(err, ErrForbidden) {
						rt.Fatalf("the drafter's approval: %v", err)
					}
					return
				}
				if slices.Contains(approved, who) {
					if !errors.Is(err, ErrConflict) {
						rt.Fatalf("a second approval of the same version: %v", err)
					}
					return
				}
				if err != nil {
					rt.Fatal(err)
				}
				approved = append(approved, who)
			},
			"sign": func(rt *rapid.T) {
				who := rapid.SampledFrom([]string{"dana", "s1", "s2", "s3"}).Draw(rt, "signer")
				st, err := r.SigningStatement(ctx, actors[who], ref)
				if err != nil {
					rt.Fatal(err)
				}
				k := keys[who]
				err = r.Sign(ctx, actors[who], ref, dsse.KeyID(k.Public().(ed25519.PublicKey)), st, ed25519.Sign(k, dsse.PAE(seal.SigningPayloadType, st)))
				switch {
				case who == "dana":
					if !errors.Is(err, ErrForbidden) {
						rt.Fatalf("the drafter's signature: %v", err)
					}
				case slices.Contains(signed, who):
					if !errors.Is(err, ErrConflict) {
						rt.Fatalf("a second signature with the same key: %v", err)
					}
				case err != nil:
					rt.Fatal(err)
				default:
					signed = append(signed, who)
				}
			},
			"revise": func(rt *rapid.T) {
				_, err := r.Revise(ctx, actors["dana"], ref, Upload{Name: "l.txt", Data: fmt.Appendf(nil, "%d:%s?", letters, rapid.String().Draw(rt, "revision"))})
				if err != nil && !errors.Is(err, ErrInvalid) {
					rt.Fatal(err)
				} else if err == nil {
					approved, signed = nil, nil
				}
			},
			"revoke": func(rt *rapid.T) {
				who := rapid.SampledFrom([]string{"s1", "s2", "s3"}).Draw(rt, "revoked")
				id := dsse.KeyID(keys[who].Public().(ed25519.PublicKey))
				if _, err := r.RevokeKey(ctx, actors[who], id, "lost"); err != nil {
					rt.Fatal(err)
				}
				revoked[id] = true
				signed = slices.DeleteFunc(signed, func(s string) bool { return s == who })
				newKey(who)
			},
			"adopt": func(rt *rapid.T) {
				next := 1 - inForce
				if _, err := r.AdoptPolicy(ctx, admin, policies[next], sources[next]); err != nil {
					rt.Fatal(err)
				}
				inForce = next
				approved, signed = nil, nil
			},
			"release": func(rt *rapid.T) {
				pol := policies[inForce]
				var ev policy.Evidence
				for _, a := range approved {
					ev.Approvals = append(ev.Approvals, policy.Actor{Name: a, Roles: roles[a]})
				}
				for _, s := range signed {
					ev.Signatures = append(ev.Signatures, policy.Actor{Name: s, Roles: roles[s]})
				}
				ev.Releaser = &policy.Actor{Name: "otto", Roles: roles["otto"]}
				want := pol.Decide(policy.Facts{Class: "internal", Author: "dana", Authors: []string{"dana"}}, ev)
				rel, err := r.Release(ctx, actors["otto"], ref)
				var gate *GateError
				switch {
				case err == nil && !want.Allowed:
					rt.Fatalf("released, but the model says: %s", want.Explain())
				case errors.As(err, &gate) && want.Allowed:
					rt.Fatalf("refused (%v), but the model allows it", err)
				case err != nil && !errors.As(err, &gate):
					rt.Fatal(err)
				case err != nil:
					return
				}
				// The statement rests only on evidence the model saw, under the policy in force.
				d, _ := entry.Decode(rel.Seal.Release.Entry)
				opened, err := seal.Open(d, rel.Seal.Release.Opening)
				if err != nil {
					rt.Fatal(err)
				}
				st := opened.(*seal.ReleaseStatement)
				if st.Policy != pol.Digest {
					rt.Fatalf("released under %s, the policy in force is %s", st.Policy, pol.Digest)
				}
				for _, a := range st.Approvals {
					if !slices.Contains(approved, a.Member) {
						rt.Fatalf("the statement counts an approval by %s that the model does not have", a.Member)
					}
				}
				for _, s := range st.Signatures {
					if !slices.Contains(signed, s.Signer) || revoked[s.KeyID] {
						rt.Fatalf("the statement counts a signature by %s (key %s, revoked %v)", s.Signer, s.KeyID, revoked[s.KeyID])
					}
				}
				newLetter()
			},
		})
	})
}

func mustActor(rt *rapid.T, r *Registry, tok string) Actor {
	m, err := r.Authenticate(context.Background(), tok)
	if err != nil {
		rt.Fatal(err)
	}
	return Actor{Member: m}
}

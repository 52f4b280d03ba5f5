package registry

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"testing"

	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/policy"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/store"
)

// Races of the release gate with changes to what it counts, each change through one server
// and the release through the other: whatever order they took, a release that committed
// must have committed before the change, as the log and the audit trail order them.

// gatePolicy is the policy name, asking for one approval by a reviewer and signers signatures
// by signers.
func gatePolicy(name string, signers int) (*policy.Policy, []byte) {
	src := []byte(fmt.Sprintf(`version: 1
name: %s
rules:
  - name: default
    default: true
    require:
      approvals: [{role: reviewer, count: 1}]
      signatures: [{role: signer, count: %d}]
`, name, signers))
	p, err := policy.Parse(src)
	if err != nil {
		panic(err)
	}
	return p, src
}

// raceSigner adds a signer named name through a, with a key of their own.
func raceSigner(t *testing.T, a *office, name string) (Actor, ed25519.PrivateKey, string) {
	t.Helper()
	ctx := context.Background()
	tok, err := a.r.AddMember(ctx, a.admin, name, []string{RoleSigner, RoleDrafter})
	if err != nil {
		t.Fatal(err)
	}
	s := a.actor(t, tok)
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	id, _, err := a.r.RegisterKey(ctx, s, key.Public().(ed25519.PublicKey))
	if err != nil {
		t.Fatal(err)
	}
	return s, key, id
}

// signAs signs ref's latest version through o as s with key id.
func signAs(o *office, s Actor, key ed25519.PrivateKey, id, ref string) error {
	ctx := context.Background()
	st, err := o.r.SigningStatement(ctx, s, ref)
	if err != nil {
		return err
	}
	return o.r.Sign(ctx, s, ref, id, st, ed25519.Sign(key, dsse.PAE(seal.SigningPayloadType, st)))
}

// auditIDs returns the ID of ref's last event of action and of the last office-wide event
// of action2, read through o.
func auditIDs(t *testing.T, o *office, ref, action, action2 string) (int64, int64) {
	t.Helper()
	var x, y int64
	err := o.r.cfg.DB.View(context.Background(), func(tx *store.Tx) error {
		for _, q := range []struct {
			ref, action string
			to          *int64
		}{{ref, action, &x}, {"", action2, &y}} {
			evs, err := tx.AuditEvents(context.Background(), q.ref)
			if err != nil {
				return err
			}
			for _, e := range evs {
				if e.Action == q.action {
					*q.to = e.ID
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return x, y
}

// loadPolicy puts in force in o the policy adopted last, as a server does within a second.
func loadPolicy(t *testing.T, o *office) {
	t.Helper()
	if err := o.r.LoadPolicy(context.Background(), policy.Parse); err != nil {
		t.Fatal(err)
	}
}

// TestRaceReleaseAgainstStricterPolicy: a letter that meets the policy in force is released
// through one server while a stricter one (two signatures) is adopted through the other: a
// release that commits is logged before the adoption.
func TestRaceReleaseAgainstStricterPolicy(t *testing.T) {
	onBothBackends(t, func(t *testing.T, a, b *office) {
		ctx := context.Background()
		for round := range 12 {
			lenient, lsrc := gatePolicy(fmt.Sprintf("lenient-%d", round), 1)
			if _, err := a.r.AdoptPolicy(ctx, a.admin, lenient, lsrc); err != nil {
				t.Fatal(err)
			}
			loadPolicy(t, b)
			ref := a.letter(t, fmt.Sprintf("Round %d: released under the old policy or not at all.", round))
			a.approve(t, ref)
			if err := a.sign(t, ref); err != nil {
				t.Fatal(err)
			}
			strict, ssrc := gatePolicy(fmt.Sprintf("strict-%d", round), 2)
			var rel *Released
			var relErr, adoptErr error
			var adopted int64
			together(
				func() { rel, relErr = b.r.Release(ctx, b.officer, ref) },
				func() { adopted, adoptErr = a.r.AdoptPolicy(ctx, a.admin, strict, ssrc) },
			)
			if adoptErr != nil {
				t.Fatalf("round %d: adopt: %v", round, adoptErr)
			}
			if relErr != nil {
				var g *GateError
				if !errors.Is(relErr, ErrConflict) && !errors.As(relErr, &g) {
					t.Errorf("round %d: release: %v", round, relErr)
				}
				continue
			}
			if rel.LogIndex > adopted {
				t.Errorf("round %d: released at entry %d, after the stricter policy's adoption at %d", round, rel.LogIndex, adopted)
			}
		}
	})
}

// TestRaceReleaseAgainstSignerChanges: a letter is released through one server while its
// only signer is disabled, loses the signer role or has the key revoked through the other: a
// release that commits comes before the change, in the log or the audit trail.
func TestRaceReleaseAgainstSignerChanges(t *testing.T) {
	names := []string{"alma", "bruno", "carla", "dario", "elena", "fabio", "greta", "hugo", "ines", "jonas", "karin", "lorenz"}
	onBothBackends(t, func(t *testing.T, a, b *office) {
		ctx := context.Background()
		for round, name := range names {
			s, key, id := raceSigner(t, a, name)
			ref := a.letter(t, fmt.Sprintf("Round %d: signed by %s.", round, name))
			a.approve(t, ref)
			if err := signAs(a, s, key, id, ref); err != nil {
				t.Fatal(err)
			}
			var rel *Released
			var relErr, chErr error
			var revoked int64
			action := []string{"member.disable", "member.roles", "key.revoke"}[round%3]
			together(
				func() { rel, relErr = b.r.Release(ctx, b.officer, ref) },
				func() {
					switch round % 3 {
					case 0:
						_, chErr = a.r.DisableMember(ctx, a.admin, name)
					case 1:
						_, chErr = a.r.SetRoles(ctx, a.admin, name, nil, []string{RoleSigner})
					case 2:
						revoked, chErr = a.r.RevokeKey(ctx, a.admin, id, "lost")
					}
				},
			)
			if chErr != nil {
				t.Fatalf("round %d: %s: %v", round, action, chErr)
			}
			if relErr != nil {
				var g *GateError
				if !errors.Is(relErr, ErrConflict) && !errors.As(relErr, &g) {
					t.Errorf("round %d: release: %v", round, relErr)
				}
				continue
			}
			if round%3 == 2 {
				if rel.LogIndex > revoked {
					t.Errorf("round %d: released at entry %d, after the key's revocation at %d", round, rel.LogIndex, revoked)
				}
				continue
			}
			r, c := auditIDs(t, a, ref, "letter.release", action)
			if r == 0 || c == 0 || r > c {
				t.Errorf("round %d: release (audit %d) after %s (audit %d)", round, r, action, c)
			}
		}
	})
}

// TestRaceOneSignerOnTwoServers: one signer signs, and one reviewer approves, the same
// version through two servers at once: one signature is recorded, and the release counts and
// carries one signature and one approval.
func TestRaceOneSignerOnTwoServers(t *testing.T) {
	onBothBackends(t, func(t *testing.T, a, b *office) {
		ctx := context.Background()
		for round := range 8 {
			ref := a.letter(t, fmt.Sprintf("Round %d: signed once.", round))
			var errs [4]error
			together(
				func() { errs[0] = signAs(a, a.signer, a.signerKey, a.keyID, ref) },
				func() { errs[1] = signAs(b, b.signer, b.signerKey, b.keyID, ref) },
				func() { errs[2] = a.r.Approve(ctx, a.reviewer, ref, "", "") },
				func() { errs[3] = b.r.Approve(ctx, b.reviewer, ref, "", "") },
			)
			if (errs[0] == nil) == (errs[1] == nil) {
				t.Errorf("round %d: signatures: %v, %v", round, errs[0], errs[1])
			}
			if errs[2] != nil && errs[3] != nil {
				t.Errorf("round %d: approvals: %v, %v", round, errs[2], errs[3])
			}
			rel, err := b.r.Release(ctx, b.officer, ref)
			if err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
			res, err := a.verifier.VerifyBytes(rel.Seal, rel.File)
			if err != nil {
				t.Fatal(err)
			}
			if n := len(res.Statement.Signatures); n != 1 {
				t.Errorf("round %d: %d signatures in the statement", round, n)
			}
			if n := len(res.Statement.Approvals); n != 1 {
				t.Errorf("round %d: %d approvals in the statement", round, n)
			}
		}
	})
}

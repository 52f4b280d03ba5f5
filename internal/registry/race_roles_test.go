package registry

import (
	"context"
	"crypto/ed25519"
	crand "crypto/rand"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/store"
)

// TestRaceSignerGivenBackWhileTaken: an admin takes a signer's role, or disables them, or the
// identity provider's sign-in takes the role, through one server while another admin gives the
// role back, or enables them, or a sign-in gives it back, through the other, and a release of
// a letter the signer signed before runs meanwhile. The keys of the change that
// took the role are revoked after its commit; the signature, given before it, must never
// count for a release after it, also when the role came back before those revocations.
func TestRaceSignerGivenBackWhileTaken(t *testing.T) {
	onBothBackends(t, func(t *testing.T, a, b *office) {
		ctx := context.Background()
		for round := range 45 {
			name := fmt.Sprintf("signer%c%c", 'a'+round/26, 'a'+round%26)
			variant := round % 3
			managed := []string{RoleSigner, RoleDrafter}
			var s Actor
			var key ed25519.PrivateKey
			var id string
			if variant == 2 {
				m, err := a.signInAs("sub-"+name, name, managed, RoleSigner, RoleDrafter)
				if err != nil {
					t.Fatal(err)
				}
				s = Actor{Member: m, Remote: "test"}
				_, key, _ = ed25519.GenerateKey(crand.Reader)
				if id, _, err = a.r.RegisterKey(ctx, s, key.Public().(ed25519.PublicKey)); err != nil {
					t.Fatal(err)
				}
			} else {
				s, key, id = raceSigner(t, a, name)
			}
			ref := a.letter(t, fmt.Sprintf("Round %d: signed before the role was taken.", round))
			a.approve(t, ref)
			if err := signAs(a, s, key, id, ref); err != nil {
				t.Fatal(err)
			}
			var takeErr, giveErr, relErr error
			together(
				func() {
					switch variant {
					case 0:
						_, takeErr = a.r.SetRoles(ctx, a.admin, name, nil, []string{RoleSigner})
					case 1:
						_, takeErr = a.r.DisableMember(ctx, a.admin, name)
					case 2:
						_, takeErr = a.signInAs("sub-"+name, name, managed, RoleDrafter)
					}
				},
				func() {
					time.Sleep(time.Duration(rand.IntN(2000)) * time.Microsecond)
					switch variant {
					case 0:
						_, giveErr = b.r.SetRoles(ctx, b.admin, name, []string{RoleSigner}, nil)
					case 1:
						_, giveErr = b.r.EnableMember(ctx, b.admin, name)
					case 2:
						_, giveErr = b.signInAs("sub-"+name, name, managed, RoleSigner, RoleDrafter)
					}
				},
				func() {
					for deadline := time.Now().Add(300 * time.Millisecond); time.Now().Before(deadline); {
						if _, relErr = b.r.Release(ctx, b.officer, ref); relErr == nil {
							return
						}
					}
				},
			)
			if takeErr != nil {
				t.Fatalf("round %d: %v", round, takeErr)
			}
			if relErr != nil {
				continue
			}
			action, prefix := []string{"member.roles", "member.disable", "member.roles"}[variant], []string{name + ":", name + " (", name + ": -signer"}[variant]
			released, taken := auditOrder(t, a, ref, action, prefix)
			if released > taken {
				t.Errorf("round %d: released (audit event %d) after %s (audit event %d), on a signature given before (given back: %v)",
					round, released, action, taken, giveErr)
			}
		}
	})
}

// auditOrder returns the IDs of ref's release event and of the first office-wide event of
// action whose detail starts with prefix, read through o.
func auditOrder(t *testing.T, o *office, ref, action, prefix string) (released, taken int64) {
	t.Helper()
	err := o.r.cfg.DB.View(context.Background(), func(tx *store.Tx) error {
		evs, err := tx.AuditEvents(context.Background(), ref)
		if err != nil {
			return err
		}
		for _, e := range evs {
			if e.Action == "letter.release" {
				released = e.ID
			}
		}
		if evs, err = tx.AuditEvents(context.Background(), ""); err != nil {
			return err
		}
		for _, e := range evs {
			if e.Action == action && strings.HasPrefix(e.Detail, prefix) {
				taken = e.ID
				break
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if released == 0 || taken == 0 {
		t.Fatalf("%s: no release event (%d) or no %s event (%d)", ref, released, action, taken)
	}
	return released, taken
}

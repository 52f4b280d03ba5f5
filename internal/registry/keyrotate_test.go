package registry

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/entry"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/store"
)

// newPub returns a fresh Ed25519 public key.
func newPub(t *testing.T) ed25519.PublicKey {
	t.Helper()
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return pub
}

// signerKeyOf reads the key keyID of o's store; nil if it is not registered.
func signerKeyOf(t *testing.T, o *office, keyID string) *store.SignerKey {
	t.Helper()
	var k *store.SignerKey
	err := o.r.cfg.DB.View(context.Background(), func(tx *store.Tx) error {
		var err error
		k, err = tx.SignerKey(context.Background(), keyID)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// wantRotationLogged checks that the entries at added and added+1 of o's log are the key-added
// entry of newID and the key-revoked entry of oldID with the reason "rotated to newID", and
// that the store records the same.
func wantRotationLogged(t *testing.T, o *office, oldID, newID string, added, revoked int64) {
	t.Helper()
	if revoked != added+1 {
		t.Fatalf("key-added entry %d, key-revoked entry %d: not logged together", added, revoked)
	}
	es := loggedEntries(t, o)
	for _, c := range []struct {
		index int64
		kind  entry.Kind
		keyID string
	}{{added, entry.KeyAdded, newID}, {revoked, entry.KeyRevoked, oldID}} {
		e := es[c.index]
		var rec seal.KeyRecord
		if err := json.Unmarshal(e.Envelope.Payload, &rec); err != nil {
			t.Fatal(err)
		}
		if e.Kind != c.kind || rec.KeyID != c.keyID {
			t.Errorf("entry %d: %s of key %s, want %s of %s", c.index, e.Kind, rec.KeyID, c.kind, c.keyID)
		}
	}
	var st seal.KeyStatement
	err := o.r.cfg.DB.View(context.Background(), func(tx *store.Tx) error {
		op, err := opening(context.Background(), tx, revoked)
		if err != nil || op == nil {
			return fmt.Errorf("opening of entry %d: %v", revoked, err)
		}
		return json.Unmarshal(op.Statement, &st)
	})
	if err != nil {
		t.Fatal(err)
	}
	if st.Reason != "rotated to "+newID {
		t.Errorf("revocation reason %q, want %q", st.Reason, "rotated to "+newID)
	}
	if k := signerKeyOf(t, o, newID); k == nil || k.AddedIndex != added || k.Revoked() {
		t.Errorf("new key in the store: %+v, want added at %d, in force", k, added)
	}
	if k := signerKeyOf(t, o, oldID); k == nil || k.RevokedIndex != revoked {
		t.Errorf("old key in the store: %+v, want revoked at %d", k, revoked)
	}
}

// TestRotateSignerKey: a rotation logs the new key's key-added entry and the old key's
// key-revoked entry together; asked again, it answers the same; it takes only the caller's own
// key, in force, to a key the registry does not know, and a refused one registers nothing.
func TestRotateSignerKey(t *testing.T) {
	onBothBackends(t, func(t *testing.T, a, b *office) {
		ctx := context.Background()
		pub := newPub(t)
		newID := dsse.KeyID(pub)
		rot, err := a.r.RotateSignerKey(ctx, a.signer, a.keyID, pub)
		if err != nil {
			t.Fatal(err)
		}
		if rot.KeyID != newID || rot.RevokedKeyID != a.keyID {
			t.Fatalf("key IDs %s and %s, want %s and %s", rot.KeyID, rot.RevokedKeyID, newID, a.keyID)
		}
		wantRotationLogged(t, a, a.keyID, newID, rot.Added, rot.Revoked)

		// The same rotation again (its answer was lost), through the other server, naming the
		// old key by its short ID: the answer names it in full.
		size := a.r.cfg.Log.Head().Size
		if again, err := b.r.RotateSignerKey(ctx, b.signer, a.keyID[:shortKeyID], pub); err != nil || *again != *rot {
			t.Errorf("rotation asked again: %+v, %v; want %+v", again, err, rot)
		}
		if got := a.r.cfg.Log.Head().Size; got != size {
			t.Errorf("rotation asked again logged %d entries", got-size)
		}

		// The old key is revoked: rotating it to another key registers nothing.
		other := newPub(t)
		_, err = b.r.RotateSignerKey(ctx, b.signer, a.keyID, other)
		wantErr(t, "rotate a revoked key", err, ErrConflict)
		if signerKeyOf(t, a, dsse.KeyID(other)) != nil {
			t.Errorf("a refused rotation of a revoked key registered the new key")
		}

		// Another member's key, a key registered already, not a signer.
		mallory := a.member(t, "mallory", RoleSigner, RoleAdmin)
		_, err = a.r.RotateSignerKey(ctx, mallory, newID, other)
		wantErr(t, "rotate another member's key", err, ErrForbidden)
		_, err = a.r.RotateSignerKey(ctx, a.signer, newID, pub)
		wantErr(t, "rotate a key to itself", err, ErrConflict)
		_, err = a.r.RotateSignerKey(ctx, a.drafter, newID, other)
		wantErr(t, "rotate as a drafter", err, ErrForbidden)
		if signerKeyOf(t, a, dsse.KeyID(other)) != nil {
			t.Errorf("a refused rotation registered the new key")
		}
		if k := signerKeyOf(t, a, newID); k == nil || k.Revoked() {
			t.Errorf("refused rotations revoked key %s: %+v", newID, k)
		}
	})
}

// TestRotateSignerKeyAllOrNothing: a rotation races a revocation of the old key through the
// other server. Whichever commits first, the old key is revoked once, and the new key is
// registered only by a rotation that also logged the revocation, next to its key-added entry:
// a rotation refused for the revocation that overtook it leaves the new key unregistered,
// not both keys in force.
func TestRotateSignerKeyAllOrNothing(t *testing.T) {
	onBothBackends(t, func(t *testing.T, a, b *office) {
		ctx := context.Background()
		oldID := a.keyID
		for round := range 12 {
			pub := newPub(t)
			newID := dsse.KeyID(pub)
			var added, revoked, revokedBy int64
			var rotErr, revErr, err error
			together(
				func() {
					var rot *KeyRotation
					if rot, rotErr = a.r.RotateSignerKey(ctx, a.signer, oldID, pub); rotErr == nil {
						added, revoked = rot.Added, rot.Revoked
					}
				},
				func() { revokedBy, revErr = b.r.RevokeKey(ctx, b.signer, oldID, "laptop stolen") },
			)
			switch {
			case rotErr == nil && errors.Is(revErr, ErrConflict):
				wantRotationLogged(t, a, oldID, newID, added, revoked)
			case revErr == nil && errors.Is(rotErr, ErrConflict):
				if k := signerKeyOf(t, a, newID); k != nil {
					t.Errorf("round %d: the rotation was refused (%v), but registered the new key at log entry %d", round, rotErr, k.AddedIndex)
				}
				if k := signerKeyOf(t, a, oldID); k == nil || k.RevokedIndex != revokedBy {
					t.Errorf("round %d: old key %+v, want revoked at %d", round, k, revokedBy)
				}
			default:
				t.Fatalf("round %d: rotation: %v; revocation: %v; want one to succeed and the other to conflict", round, rotErr, revErr)
			}
			// The next round rotates the key in force: the new one, or another registered now.
			if rotErr == nil {
				oldID = newID
			} else if oldID, _, err = a.r.RegisterKey(ctx, a.signer, newPub(t)); err != nil {
				t.Fatal(err)
			}
			if ks := a.keysInForce(t); len(ks) != 1 || ks[0] != oldID {
				t.Fatalf("round %d: keys in force %v, want only %s", round, ks, oldID)
			}
		}
	})
}

// keysInForce lists the signer's keys not revoked.
func (o *office) keysInForce(t *testing.T) []string {
	t.Helper()
	v, err := o.r.Member(context.Background(), o.admin, "sam")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, k := range v.Keys {
		if k.RevokedIndex == nil {
			ids = append(ids, k.KeyID)
		}
	}
	return ids
}

// TestRotateSignerKeyToItself: a key revoked just after it was registered (its key-revoked
// entry next to its key-added entry) is not answered as rotated to itself, as a rotation
// asked again would be: a key is never rotated to itself.
func TestRotateSignerKeyToItself(t *testing.T) {
	o := newOffice(t)
	ctx := context.Background()
	pub := newPub(t)
	id, added, err := o.r.RegisterKey(ctx, o.signer, pub)
	if err != nil {
		t.Fatal(err)
	}
	revoked, err := o.r.RevokeKey(ctx, o.signer, id, "registered by mistake")
	if err != nil || revoked != added+1 {
		t.Fatalf("revoke: %d, %v; want log entry %d", revoked, err, added+1)
	}
	got, err := o.r.RotateSignerKey(ctx, o.signer, id, pub)
	wantErr(t, fmt.Sprintf("rotate key %s to itself (answered %+v)", id, got), err, ErrConflict)
}

// TestRotationAskedAgainIsOnlyARotation: a signer registers a new key and, at the next log
// entry, revokes the old one for a reason of their own ("laptop stolen"). A rotation of the
// old key to the new one asked then is not one done already, whatever the two entries'
// places: it was answered as rotated, and the command line reported a rotation that the log
// shows as a revocation for theft.
func TestRotationAskedAgainIsOnlyARotation(t *testing.T) {
	o := newOffice(t)
	ctx := context.Background()
	pub := newPub(t)
	_, added, err := o.r.RegisterKey(ctx, o.signer, pub)
	if err != nil {
		t.Fatal(err)
	}
	revoked, err := o.r.RevokeKey(ctx, o.signer, o.keyID, "laptop stolen")
	if err != nil || revoked != added+1 {
		t.Fatalf("revoke: %d, %v; want log entry %d", revoked, err, added+1)
	}
	got, err := o.r.RotateSignerKey(ctx, o.signer, o.keyID, pub)
	wantErr(t, fmt.Sprintf("rotate a key revoked for theft (answered %+v)", got), err, ErrConflict)
}

package keys

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"fmt"

	"filippo.io/edwards25519"
)

// ErrWeakKey is returned by CheckPublicKey for an Ed25519 public key of small order.
var ErrWeakKey = errors.New("a public key of small order, under which anyone can sign anything")

// ErrNotAPoint is returned by CheckPublicKey for 32 bytes that encode no point of the curve:
// crypto/ed25519 verifies no signature under them, so the key could sign nothing.
var ErrNotAPoint = errors.New("32 bytes that are not an Ed25519 public key (no point of the curve)")

// ErrNotCanonical is returned by CheckPublicKey for a point of large order written otherwise
// than RFC 8032 writes it (its y at p or above): crypto/ed25519 takes it, as the same key as
// its canonical encoding under another key ID, so one signer could be registered twice.
var ErrNotCanonical = errors.New("an Ed25519 public key not in the canonical encoding of its point")

// CheckPublicKey refuses an Ed25519 public key of small order (order 1, 2, 4 or 8, in any of
// its encodings), and 32 bytes that are not a point at all. Under a key of small order one
// signature verifies for every message (the identity point with an all-zero scalar, for one),
// so a signer who registers one can sign nothing that proves it was them. A point is of small
// order exactly when eight times it is the identity; a key with a small-order part added to a
// point of the large prime order (a mixed-order key) passes, as it signs only what its holder
// signs.
func CheckPublicKey(pub []byte) error {
	if len(pub) != ed25519.PublicKeySize {
		return fmt.Errorf("public key: %d bytes, want %d", len(pub), ed25519.PublicKeySize)
	}
	// SetBytes decodes as crypto/ed25519 does, non-canonical encodings included.
	p, err := new(edwards25519.Point).SetBytes(pub)
	if err != nil {
		return ErrNotAPoint
	}
	if new(edwards25519.Point).MultByCofactor(p).Equal(edwards25519.NewIdentityPoint()) == 1 {
		return ErrWeakKey
	}
	if !bytes.Equal(p.Bytes(), pub) {
		return ErrNotCanonical
	}
	return nil
}

// Package edkey verifies Ed25519 signatures under a public key that is decoded once.
//
// crypto/ed25519.Verify decodes its public key, a square root in the field, on every call:
// about a tenth of a verification. A verifier of a folder of letters checks two signatures a
// letter under the same two or three keys (the office's and its signers'), so it keeps each
// key decoded. Nothing else differs: Verify accepts exactly the signatures crypto/ed25519.Verify
// accepts (RFC 8032 with Go's rules: S must be canonical, the encodings of A and R are
// compared as bytes, the verification equation is the cofactorless one), and it is tested
// against it on every edge case of "Taming the many EdDSAs" and by a differential fuzz target.
// Batch verification is not offered: its cofactored equation accepts signatures that a single
// verification refuses, and two verifiers of a seal must never disagree.
package edkey

import (
	"bytes"
	"crypto/ed25519"
	"crypto/fips140"
	"crypto/sha512"
	"fmt"

	"filippo.io/edwards25519"
)

// Key is an Ed25519 public key, decoded. It is safe for concurrent use.
type Key struct {
	pub ed25519.PublicKey
	// minusA is -A, as the verification equation [S]B = R + [k]A uses it; nil when pub does
	// not encode a point, for which crypto/ed25519 accepts no signature either.
	minusA *edwards25519.Point
}

// New decodes pub. A 32-byte encoding that is not a point makes a Key that verifies nothing,
// as crypto/ed25519.Verify would; only a wrong length is an error (crypto/ed25519 panics).
func New(pub ed25519.PublicKey) (*Key, error) {
	if len(pub) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("edkey: public key of %d bytes, not %d", len(pub), ed25519.PublicKeySize)
	}
	k := &Key{pub: bytes.Clone(pub)}
	if A, err := new(edwards25519.Point).SetBytes(pub); err == nil {
		k.minusA = new(edwards25519.Point).Negate(A)
	}
	return k, nil
}

// Public returns the key's encoding.
func (k *Key) Public() ed25519.PublicKey { return k.pub }

// Verify reports whether sig is a valid Ed25519 signature of msg by k, exactly as
// crypto/ed25519.Verify(k.Public(), msg, sig) does. In FIPS 140 mode it is that call: the
// module's own implementation, with its self-tests.
func (k *Key) Verify(msg, sig []byte) bool {
	if fips140.Enabled() {
		return ed25519.Verify(k.pub, msg, sig)
	}
	if k.minusA == nil || len(sig) != ed25519.SignatureSize || sig[63]&224 != 0 {
		return false
	}
	h := sha512.New()
	h.Write(sig[:32])
	h.Write(k.pub)
	h.Write(msg)
	var digest [sha512.Size]byte
	kh, err := new(edwards25519.Scalar).SetUniformBytes(h.Sum(digest[:0]))
	if err != nil {
		panic("edkey: a 64-byte digest was refused as a scalar")
	}
	S, err := new(edwards25519.Scalar).SetCanonicalBytes(sig[32:])
	if err != nil {
		return false
	}
	// [S]B = R + [k]A, checked as R = [k](-A) + [S]B.
	var R edwards25519.Point
	R.VarTimeDoubleScalarBaseMult(kh, k.minusA, S)
	return bytes.Equal(sig[:32], R.Bytes())
}

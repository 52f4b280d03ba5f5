// Package edkey verifies Ed25519 signatures under a public key that is decoded once.
//
// A verifier of a folder of letters checks two signatures a letter under the same two or
// three keys (the office's and its signers'). crypto/ed25519.Verify decodes its public key, a
// square root in the field, on every call, and builds a table of its multiples each time. A
// Key decodes the key once and keeps that table (github.com/oasisprotocol/curve25519-voi's
// expanded public key, about 1.5 KiB; the library computes with AVX2 where the processor has
// it), so that a verification takes about 31 µs where crypto/ed25519's takes 43
// (BenchmarkVerify, 2 Intel Xeon vCPUs).
//
// Nothing else differs: Verify accepts exactly the signatures crypto/ed25519.Verify accepts
// (RFC 8032 with Go's rules: S must be canonical, A may be encoded non-canonically, R is
// compared as bytes with the canonical encoding of the result, small-order A and R are
// allowed, the verification equation is the cofactorless one: curve25519-voi's
// VerifyOptionsStdLib), and it is tested against crypto/ed25519 on every edge case of "Taming
// the many EdDSAs", on every pairing of the small-order points' encodings, canonical or not,
// as key and as R, on keys and commitments with a torsion part, and by two differential fuzz
// targets. Batch verification is not offered: its cofactored equation accepts signatures that
// a single verification refuses, and two verifiers of a seal must never disagree.
package edkey

import (
	"bytes"
	"crypto/ed25519"
	"crypto/fips140"
	"fmt"

	voi "github.com/oasisprotocol/curve25519-voi/primitives/ed25519"
)

// stdlib is crypto/ed25519's verification: Go's rules, the cofactorless equation. These are
// the fields of curve25519-voi's VerifyOptionsStdLib, spelled out rather than pointed to: that
// preset is an exported variable, which any package linked in could change, to another
// equation or to options the library refuses by panicking on every verification.
var stdlib = &voi.Options{Verify: &voi.VerifyOptions{
	AllowSmallOrderA:   true,
	AllowSmallOrderR:   true,
	AllowNonCanonicalA: true,
	CofactorlessVerify: true,
}}

// Key is an Ed25519 public key, decoded. It is safe for concurrent use. Only New makes a Key;
// its zero value is not one (in FIPS 140 mode its Verify panics).
type Key struct {
	pub ed25519.PublicKey
	// expanded is the key decoded, with its precomputed multiples; nil when pub does not
	// encode a point, for which crypto/ed25519 accepts no signature either.
	expanded *voi.ExpandedPublicKey
}

// New decodes pub. A 32-byte encoding that is not a point makes a Key that verifies nothing,
// as crypto/ed25519.Verify would; only a wrong length is an error (crypto/ed25519 panics).
func New(pub ed25519.PublicKey) (*Key, error) {
	if len(pub) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("edkey: public key of %d bytes, not %d", len(pub), ed25519.PublicKeySize)
	}
	k := &Key{pub: bytes.Clone(pub)}
	if e, err := voi.NewExpandedPublicKey(voi.PublicKey(k.pub)); err == nil {
		k.expanded = e
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
	if k.expanded == nil || len(sig) != ed25519.SignatureSize {
		return false
	}
	return voi.VerifyExpandedWithOptions(k.expanded, msg, sig, stdlib)
}

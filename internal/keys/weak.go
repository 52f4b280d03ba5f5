package keys

import (
	"bytes"
	"crypto/ecdh"
	"crypto/ed25519"
	"errors"
	"fmt"
	"math/big"
	"slices"
)

// ErrWeakKey is returned by CheckPublicKey for an Ed25519 public key of small order.
var ErrWeakKey = errors.New("a public key of small order, under which anyone can sign anything")

// p25519 is the prime of Curve25519's field, 2^255 - 19.
var p25519 = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 255), big.NewInt(19))

// probe is a fixed X25519 private key; any scalar that is not a multiple of the group's
// order would do.
var probe = func() *ecdh.PrivateKey {
	k, err := ecdh.X25519().NewPrivateKey(bytes.Repeat([]byte{0x42}, 32))
	if err != nil {
		panic(err)
	}
	return k
}()

// CheckPublicKey refuses an Ed25519 public key of small order (order 1, 2, 4 or 8, in any of
// its encodings). Under such a key one signature verifies for every message (the identity
// point with an all-zero scalar, for one), so a signer who registers one can sign nothing that
// proves it was them. The check maps the point to Curve25519 (u = (1+y)/(1-y)) and multiplies
// it by a scalar that X25519 clamps to a multiple of 8: only a point of small order gives
// the all-zero result, which crypto/ecdh refuses.
func CheckPublicKey(pub []byte) error {
	if len(pub) != ed25519.PublicKeySize {
		return fmt.Errorf("public key: %d bytes, want %d", len(pub), ed25519.PublicKeySize)
	}
	le := slices.Clone(pub)
	le[31] &= 0x7f // the sign of x: the same u for both points
	slices.Reverse(le)
	y := new(big.Int).Mod(new(big.Int).SetBytes(le), p25519)
	one := big.NewInt(1)
	den := new(big.Int).Mod(new(big.Int).Sub(one, y), p25519)
	if den.Sign() == 0 {
		return ErrWeakKey // y = 1: the identity
	}
	u := new(big.Int).Mod(new(big.Int).Mul(new(big.Int).Add(one, y), new(big.Int).ModInverse(den, p25519)), p25519)
	ub := make([]byte, 32)
	u.FillBytes(ub)
	slices.Reverse(ub)
	pk, err := ecdh.X25519().NewPublicKey(ub)
	if err != nil {
		return fmt.Errorf("public key: %w", err)
	}
	if _, err := probe.ECDH(pk); err != nil {
		return ErrWeakKey
	}
	return nil
}

package seal

import (
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"

	"github.com/chancery/chancery/internal/dsse"
)

// SigningMessage returns the bytes a signer signs for st: the DSSE pre-authentication encoding
// of st's canonical JSON under SigningPayloadType. The payload type keeps a signing signature
// from being read as any other statement's signature.
func SigningMessage(st SigningStatement) []byte {
	return dsse.PAE(SigningPayloadType, Marshal(st))
}

// Sign signs st for member with s, an Ed25519 crypto.Signer (an ed25519.PrivateKey, or a
// hardware key behind the same interface; see package keys). It verifies the signature it
// got, so that a faulty external signer is caught at signing time rather than at release.
func Sign(s crypto.Signer, member string, st SigningStatement) (Signature, error) {
	pub, ok := s.Public().(ed25519.PublicKey)
	if !ok {
		return Signature{}, fmt.Errorf("sign: %T is not an Ed25519 key", s.Public())
	}
	msg := SigningMessage(st)
	// crypto.Hash(0): Ed25519 signs the message itself, not a digest of it.
	sig, err := s.Sign(rand.Reader, msg, crypto.Hash(0))
	if err != nil {
		return Signature{}, fmt.Errorf("sign: %w", err)
	}
	if !ed25519.Verify(pub, msg, sig) {
		return Signature{}, errors.New("sign: the signer returned an invalid signature")
	}
	return Signature{Signer: member, KeyID: dsse.KeyID(pub), Sig: sig}, nil
}

// Verify checks that sig is a signature of st by pub, the key sig names. It fails with
// ErrUntrustedKey if sig names another key, and with ErrBadSignature if it does not verify.
func (sig Signature) Verify(pub ed25519.PublicKey, st SigningStatement) error {
	if len(pub) != ed25519.PublicKeySize || sig.KeyID != dsse.KeyID(pub) {
		return fmt.Errorf("signature by %q: %w: it names key %q", sig.Signer, ErrUntrustedKey, truncate(sig.KeyID))
	}
	if !ed25519.Verify(pub, SigningMessage(st), sig.Sig) {
		return fmt.Errorf("signature by %q: %w", sig.Signer, ErrBadSignature)
	}
	return nil
}

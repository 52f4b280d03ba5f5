package seal

import (
	"crypto/ed25519"
	"fmt"
	"time"

	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/entry"
)

// RotationStatement moves the office to a new release key (kind office-key-rotated, a
// version 1 entry: office keys are public). The entry is signed by both keys: the old one
// vouches for the new one, and the new one proves it is held. From the entry's index on, the
// office signs with the new key only; trust roots carry both keys with their windows
// (OfficeKey.FromIndex, UntilIndex).
type RotationStatement struct {
	Office       string    `json:"office"`
	OldKeyID     string    `json:"old_keyid"`
	NewKeyID     string    `json:"new_keyid"`
	NewPublicKey []byte    `json:"new_public_key"` // raw Ed25519 public key
	Reason       string    `json:"reason,omitempty"`
	Time         time.Time `json:"time"`
}

// CheckRotation checks an office-key-rotated entry against the key history of a trust root:
// that it is for the trust root's office, that its new key ID is its new key's, that the new
// key is one a trust root may hold (not of small order: under such a key one signature
// verifies for every message) in its canonical encoding, and that it is signed by both the
// old key and the new one. It returns the statement. Where the entry sits in the log (that
// index is the old key's UntilIndex and the new key's FromIndex) is for the caller, who
// proved its inclusion.
func CheckRotation(t *TrustRoot, data []byte) (*RotationStatement, error) {
	e, err := entry.Decode(data)
	if err != nil {
		return nil, fmt.Errorf("rotation: %w: %w", ErrMalformed, err)
	}
	if e.Kind != entry.OfficeKeyRotated || e.V() != entry.V1 {
		return nil, fmt.Errorf("rotation: %w: a %s v%d entry", ErrMalformed, e.Kind, e.V())
	}
	st := new(RotationStatement)
	if err := Unmarshal(e.Envelope.Payload, st); err != nil {
		return nil, fmt.Errorf("rotation: %w: %w", ErrMalformed, err)
	}
	if len(st.NewPublicKey) != ed25519.PublicKeySize || st.NewKeyID != dsse.KeyID(st.NewPublicKey) {
		return nil, fmt.Errorf("rotation: %w: new keyid %q is not the SHA-256 of a 32-byte public key", ErrMalformed, truncate(st.NewKeyID))
	}
	if err := checkKey(st.NewPublicKey); err != nil {
		return nil, fmt.Errorf("rotation: %w: new key %s: %w", ErrUntrustedKey, st.NewKeyID, err)
	}
	if st.Office != t.Office {
		return nil, fmt.Errorf("rotation: %w: office %q, trust root is for %q", ErrUntrustedKey, truncate(st.Office), t.Office)
	}
	var old []byte
	for _, k := range t.OfficeKeys {
		if k.KeyID == st.OldKeyID {
			old = k.PublicKey
		}
	}
	if old == nil {
		return nil, fmt.Errorf("rotation: %w: old key %s is not in the trust root", ErrUntrustedKey, truncate(st.OldKeyID))
	}
	if err := e.Envelope.Verify(old); err != nil {
		return nil, fmt.Errorf("rotation: %w: not signed by the old key", ErrBadSignature)
	}
	if err := e.Envelope.Verify(st.NewPublicKey); err != nil {
		return nil, fmt.Errorf("rotation: %w: not signed by the new key", ErrBadSignature)
	}
	return st, nil
}

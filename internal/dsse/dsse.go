// Package dsse implements the Dead Simple Signing Envelope (DSSE v1.0): a payload, its type,
// and signatures over the pre-authentication encoding (PAE) of both, so that a signature for
// one payload type can never be read as a signature for another.
//
// Spec: https://github.com/secure-systems-lab/dsse/blob/master/envelope.md and protocol.md.
// Signatures are Ed25519; a key ID is the hex SHA-256 of the raw public key.
package dsse

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
)

// Envelope is a DSSE envelope. Its JSON form (see Marshal) is canonical: keys in this order,
// no insignificant white space, padded standard base64.
type Envelope struct {
	Payload     []byte      `json:"payload"`
	PayloadType string      `json:"payloadType"`
	Signatures  []Signature `json:"signatures"`
}

// Signature is one signature in an envelope.
type Signature struct {
	KeyID string `json:"keyid"`
	Sig   []byte `json:"sig"`
}

// PAE returns the pre-authentication encoding of a payload and its type.
func PAE(payloadType string, payload []byte) []byte {
	// One allocation of the exact size: every seal verified builds two of these.
	return AppendPAE(make([]byte, 0, len("DSSEv1   ")+2*20+len(payloadType)+len(payload)), payloadType, payload)
}

// AppendPAE appends the pre-authentication encoding of a payload and its type to b: a
// verifier can make it in a buffer of its own rather than a fresh allocation.
func AppendPAE(b []byte, payloadType string, payload []byte) []byte {
	b = append(b, "DSSEv1 "...)
	b = strconv.AppendInt(b, int64(len(payloadType)), 10)
	b = append(b, ' ')
	b = append(b, payloadType...)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(len(payload)), 10)
	b = append(b, ' ')
	return append(b, payload...)
}

// KeyID returns the key ID of an Ed25519 public key: hex SHA-256 of the raw key.
func KeyID(pub ed25519.PublicKey) string {
	h := sha256.Sum256(pub)
	return hex.EncodeToString(h[:])
}

// Sign returns an envelope of payload signed by each key, in order.
func Sign(payloadType string, payload []byte, keys ...ed25519.PrivateKey) *Envelope {
	e := &Envelope{Payload: payload, PayloadType: payloadType}
	pae := PAE(payloadType, payload)
	for _, k := range keys {
		pub := k.Public().(ed25519.PublicKey)
		e.Signatures = append(e.Signatures, Signature{KeyID: KeyID(pub), Sig: ed25519.Sign(k, pae)})
	}
	return e
}

// ErrNoValidSignature is returned by Verify when no signature verifies under the given key.
var ErrNoValidSignature = errors.New("dsse: no valid signature by the key")

// Verify reports whether e carries a valid signature by pub. The key ID is a hint only: every
// signature is tried.
func (e *Envelope) Verify(pub ed25519.PublicKey) error {
	if len(pub) != ed25519.PublicKeySize {
		return errors.New("dsse: bad public key size")
	}
	pae := PAE(e.PayloadType, e.Payload)
	for _, s := range e.Signatures {
		if ed25519.Verify(pub, pae, s.Sig) {
			return nil
		}
	}
	return ErrNoValidSignature
}

// Marshal returns the canonical JSON form of e.
func (e *Envelope) Marshal() []byte {
	sigs := e.Signatures
	if sigs == nil {
		sigs = []Signature{}
	}
	b, err := json.Marshal(struct {
		Payload     []byte      `json:"payload"`
		PayloadType string      `json:"payloadType"`
		Signatures  []Signature `json:"signatures"`
	}{e.Payload, e.PayloadType, sigs})
	if err != nil {
		panic("dsse: " + err.Error()) // only strings and bytes: cannot fail
	}
	return b
}

// Parse parses an envelope in canonical JSON form. Anything else, including valid JSON that is
// not byte-for-byte canonical, is refused, so that an envelope has exactly one encoding.
func Parse(data []byte) (*Envelope, error) {
	if e, ok := parseCanonical(data); ok {
		return e, nil
	}
	var e Envelope
	// Unknown fields, duplicate keys and any other spelling are caught by the canonical
	// comparison below, so the plain (faster) decoder is enough here.
	if err := json.Unmarshal(data, &e); err != nil {
		return nil, fmt.Errorf("dsse: %w", err)
	}
	if e.PayloadType == "" {
		return nil, errors.New("dsse: empty payloadType")
	}
	if len(e.Signatures) == 0 {
		return nil, errors.New("dsse: no signatures")
	}
	for i, s := range e.Signatures {
		if len(s.Sig) != ed25519.SignatureSize {
			return nil, fmt.Errorf("dsse: signature %d: %d bytes, want %d", i, len(s.Sig), ed25519.SignatureSize)
		}
	}
	if !bytes.Equal(e.Marshal(), data) {
		return nil, errors.New("dsse: envelope is not in canonical form")
	}
	return &e, nil
}

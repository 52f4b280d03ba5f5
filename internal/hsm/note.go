package hsm

import (
	"crypto"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"errors"

	"golang.org/x/mod/sumdb/note"
)

// NoteSigner returns a note.Signer (for the log's checkpoints) named name that signs with k,
// an Ed25519 crypto.Signer such as a Key: the same signatures as note.NewSigner with the key
// itself, so the log's verifier key does not change when its key moves into a token.
func NoteSigner(name string, k crypto.Signer) (note.Signer, error) {
	pub, ok := k.Public().(ed25519.PublicKey)
	if !ok {
		return nil, errors.New("hsm: a note signer needs an Ed25519 key")
	}
	// The key hash of golang.org/x/mod/sumdb/note: SHA-256 of the name, a newline, the
	// algorithm byte (1, Ed25519) and the public key, first four bytes.
	h := sha256.New()
	h.Write([]byte(name + "\n"))
	h.Write(append([]byte{1}, pub...))
	return &noteSigner{name: name, hash: binary.BigEndian.Uint32(h.Sum(nil)), k: k}, nil
}

type noteSigner struct {
	name string
	hash uint32
	k    crypto.Signer
}

func (s *noteSigner) Name() string    { return s.name }
func (s *noteSigner) KeyHash() uint32 { return s.hash }
func (s *noteSigner) Sign(msg []byte) ([]byte, error) {
	return s.k.Sign(nil, msg, crypto.Hash(0))
}

// Unavailable is Unavailable of the signer's key.
func (s *noteSigner) Unavailable() error { return Unavailable(s.k) }

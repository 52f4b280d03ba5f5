//go:build !cgo

package hsm

import (
	"crypto"
	"errors"
	"io"
)

// errNoCgo: PKCS#11 modules are C libraries, loaded through cgo.
var errNoCgo = errors.New("hsm: this chancery was built without cgo (CGO_ENABLED=0), and PKCS#11 modules need it: use a build with cgo for keys in a token")

// Key is an Ed25519 private key held in a PKCS#11 token. In a build without cgo there is
// none: Open always fails, and every other command works as before.
type Key struct{}

var _ crypto.Signer = (*Key)(nil)

// Open checks the URI, then fails: this build cannot load a PKCS#11 module.
func Open(uri string) (*Key, error) {
	if _, err := ParseURI(uri); err != nil {
		return nil, err
	}
	return nil, errNoCgo
}

// Public returns nil: no key is ever opened in this build.
func (k *Key) Public() crypto.PublicKey { return nil }

// Sign fails: no key is ever opened in this build.
func (k *Key) Sign(io.Reader, []byte, crypto.SignerOpts) ([]byte, error) { return nil, errNoCgo }

// Close does nothing.
func (k *Key) Close() error { return nil }

// Unavailable returns nil: no key is ever opened in this build.
func (k *Key) Unavailable() error { return nil }

//go:build cgo

package hsm

import (
	"crypto"
	"crypto/ed25519"
	"os"
	"path/filepath"
	"testing"
)

// TestSignAfterAnotherKeyInitializedTheModuleAgain: a key of a module that another key
// finalized and initialized again (the log key found the token back first) holds session
// and object handles of before, which the module gives again, from the start, to the
// sessions and objects opened since: the office key signed in the log key's session with
// the log key's private key, its signature did not verify, and every later one failed the
// same way, with the token present, until a restart. A key opens its session again after
// the module was initialized again, and closes no session of another key.
func TestSignAfterAnotherKeyInitializedTheModuleAgain(t *testing.T) {
	pin, k, lk := officeAndLogKeys(t, "object=office")
	tokens := filepath.Join(filepath.Dir(pin), "tokens")
	msg := []byte("checkpoint")
	if err := os.Rename(tokens, tokens+".away"); err != nil {
		t.Fatal(err)
	}
	if _, err := lk.Sign(nil, msg, crypto.Hash(0)); err == nil {
		t.Fatal("the log key signed with its token away")
	}
	if err := os.Rename(tokens+".away", tokens); err != nil {
		t.Fatal(err)
	}
	// The log key signs first, in a module initialized again; then the office key, which
	// did not sign while the token was away, and the log key again.
	for i, key := range []*Key{lk, k, k, lk, k} {
		sig, err := key.Sign(nil, msg, crypto.Hash(0))
		if err != nil || !ed25519.Verify(key.Public().(ed25519.PublicKey), msg, sig) {
			t.Errorf("signature %d once the token is back: %v", i, err)
		}
	}
}

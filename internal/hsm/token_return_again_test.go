//go:build cgo

package hsm

import (
	"crypto"
	"crypto/ed25519"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// TestSignWhenTheTokenReturnsUnderManySignatures: the office and log keys, each signing from
// several goroutines as the token comes back, each found no token and each initialized the
// module again: a key that had just opened its session again lost it to the other key's
// initialization, and its signature failed with the token present. A module initialized
// again since a key found no token is not initialized again for it, and a key whose
// session was lost so once more opens it again.
func TestSignWhenTheTokenReturnsUnderManySignatures(t *testing.T) {
	pin, k, lk := officeAndLogKeys(t, "object=office")
	tokens := filepath.Join(filepath.Dir(pin), "tokens")
	msg := []byte("checkpoint")
	for round := range 12 {
		if err := os.Rename(tokens, tokens+".away"); err != nil {
			t.Fatal(err)
		}
		for _, key := range []*Key{k, lk} {
			if _, err := key.Sign(nil, msg, crypto.Hash(0)); err == nil {
				t.Fatal("a key signed with its token away")
			}
		}
		if err := os.Rename(tokens+".away", tokens); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for name, key := range map[string]*Key{"office": k, "log": lk} {
			for range 6 {
				wg.Go(func() {
					sig, err := key.Sign(nil, msg, crypto.Hash(0))
					if err != nil || !ed25519.Verify(key.Public().(ed25519.PublicKey), msg, sig) {
						t.Errorf("round %d: the %s key once its token is back: %v", round, name, err)
					}
				})
			}
		}
		wg.Wait()
	}
}

//go:build cgo

package hsm

import (
	"crypto"
	"crypto/ed25519"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// TestSignAfterTheTokenReturns: SoftHSM (as modules that read their slots once, at
// C_Initialize) does not see a token again that went away while the process ran, and every
// later signature failed with "no such token … check that the token is present", with the
// token present, until the server restarted. A key that finds no token initializes its
// module again, and the office and log keys sign once the token is back. While it is away,
// their signatures fail with ErrUnavailable, and Unavailable says why until one works.
func TestSignAfterTheTokenReturns(t *testing.T) {
	pin, k, lk := officeAndLogKeys(t, "object=office")
	tokens := filepath.Join(filepath.Dir(pin), "tokens")
	msg := []byte("checkpoint")
	if err := os.Rename(tokens, tokens+".away"); err != nil {
		t.Fatal(err)
	}
	for name, key := range map[string]*Key{"office": k, "log": lk} {
		if _, err := key.Sign(nil, msg, crypto.Hash(0)); !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "no such token") {
			t.Errorf("the %s key with its token away: %v, want ErrUnavailable, no such token", name, err)
		}
		if why := Unavailable(key); why == nil || !strings.Contains(why.Error(), "no such token") {
			t.Errorf("the %s key with its token away: Unavailable() = %v", name, why)
		}
	}
	if err := os.Rename(tokens+".away", tokens); err != nil {
		t.Fatal(err)
	}
	// Both keys at once, as a release and a checkpoint sign: the first to find no token
	// initializes the module again under the other's signatures.
	var wg sync.WaitGroup
	for name, key := range map[string]*Key{"office": k, "log": lk} {
		for range 4 {
			wg.Go(func() {
				sig, err := key.Sign(nil, msg, crypto.Hash(0))
				if err != nil || !ed25519.Verify(key.Public().(ed25519.PublicKey), msg, sig) {
					t.Errorf("the %s key once its token is back: %v", name, err)
				}
			})
		}
	}
	wg.Wait()
	for name, key := range map[string]*Key{"office": k, "log": lk} {
		if why := Unavailable(key); why != nil {
			t.Errorf("the %s key signs again, but Unavailable() = %v", name, why)
		}
	}
}

// officeAndLogKeys opens the office key (its URI's path attributes after the token's:
// "object=office", "object=office;id=%01") and the log key of a fresh token (token), closed
// when the test ends, and returns them with the token's PIN file.
func officeAndLogKeys(t *testing.T, office string) (pin string, k, lk *Key) {
	t.Helper()
	pin = token(t)
	k, err := Open("pkcs11:token=chancery;" + office + "?module-path=" + softhsm + "&pin-source=file:" + pin)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { k.Close() })
	lk, err = Open("pkcs11:token=chancery;object=log?module-path=" + softhsm + "&pin-source=file:" + pin)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lk.Close() })
	return pin, k, lk
}

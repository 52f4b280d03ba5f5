//go:build cgo

package hsm

import (
	"crypto"
	"crypto/ed25519"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestPublicNeverNamesAnotherKey: Public read k.pub without the key's lock, and reopen (run
// inside Sign, under the lock) let open assign the public key it found in the token to k.pub
// before it compared it with the key opened, putting the old one back only afterwards (found
// by audit, forty-ninth session). While a token held another key under the URI, every
// signature attempt opened it again, and a concurrent caller of Public (the registry's key ID,
// trust root, appendSigned's check of the current key) was given the other key's public key,
// in a data race. The public key is now set once at Open and never written again: Public
// returns the key opened while every signature is refused.
func TestPublicNeverNamesAnotherKey(t *testing.T) {
	pin := token(t)
	k, err := Open("pkcs11:token=chancery;object=office;id=%01?module-path=" + softhsm + "&pin-source=file:" + pin)
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	want := k.Public().(ed25519.PublicKey)
	tok, err := k.token()
	if err != nil {
		t.Fatal(err)
	}
	k.ctx.CloseAllSessions(tok.slot)
	for _, args := range [][]string{
		{"pkcs11-tool", "--module", softhsm, "--token-label", "chancery", "--login", "--pin", "123456", "--delete-object", "--type", "privkey", "--id", "01"},
		{"pkcs11-tool", "--module", softhsm, "--token-label", "chancery", "--login", "--pin", "123456", "--delete-object", "--type", "pubkey", "--id", "01"},
		{"pkcs11-tool", "--module", softhsm, "--token-label", "chancery", "--login", "--pin", "123456",
			"--keypairgen", "--key-type", "EC:edwards25519", "--label", "office", "--id", "01"},
	} {
		if out, err := exec.Command(args[0], args[1:]...).CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	var stop atomic.Bool
	done := make(chan int)
	go func() {
		n := 0
		for !stop.Load() {
			if _, err := k.Sign(nil, []byte("entry"), crypto.Hash(0)); err == nil {
				t.Error("signed with the key now under the URI")
			}
			n++
		}
		done <- n
	}()
	other := 0
	deadline := time.Now().Add(2 * time.Second)
	for time.Now().Before(deadline) && other == 0 {
		if p, _ := k.Public().(ed25519.PublicKey); !p.Equal(want) {
			other++
		}
	}
	stop.Store(true)
	n := <-done
	if other > 0 {
		t.Errorf("Public returned another key's public key while Sign tried to open the key again (%d signature attempts)", n)
	}
}

//go:build cgo

package hsm

import (
	"crypto"
	"crypto/ed25519"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestSignAfterTheTokenForgetsItsSessions: a token that forgot its sessions and login (a
// network HSM restarted, a token reinserted) failed every later signature of the office
// and log keys, until the server restarted. A lost session is opened again, logged in, and
// the signature made; a PIN the token refuses is not tried again, and a token that now
// holds another key under the URI signs nothing.
func TestSignAfterTheTokenForgetsItsSessions(t *testing.T) {
	pin, k, lk := officeAndLogKeys(t, "object=office;id=%01")
	tok, err := k.token()
	if err != nil {
		t.Fatal(err)
	}
	slot := tok.slot
	msg := []byte("checkpoint")
	if err := k.ctx.CloseAllSessions(slot); err != nil {
		t.Fatal(err)
	}
	for name, key := range map[string]*Key{"office": k, "log": lk} {
		sig, err := key.Sign(nil, msg, crypto.Hash(0))
		if err != nil || !ed25519.Verify(key.Public().(ed25519.PublicKey), msg, sig) {
			t.Errorf("the %s key after the token forgot its sessions: %v", name, err)
		}
	}
	// A PIN file that no longer holds the PIN is tried once: a token locks its PIN after a
	// few wrong ones, and every checkpoint would have tried it.
	if err := os.WriteFile(pin, []byte("000000\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := lk.ctx.CloseAllSessions(slot); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if _, err := lk.Sign(nil, msg, crypto.Hash(0)); err == nil || !strings.Contains(err.Error(), "PIN is wrong") ||
			strings.Contains(err.Error(), "000000") || (i > 0) != strings.Contains(err.Error(), "already refused") {
			t.Errorf("signature %d with a wrong PIN in the file: %v", i, err)
		}
	}
	if err := os.WriteFile(pin, []byte("123456\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// The office key's label now names another pair: the key opened is gone.
	if err := k.ctx.CloseAllSessions(slot); err != nil {
		t.Fatal(err)
	}
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
	for range 2 {
		if sig, err := k.Sign(nil, msg, crypto.Hash(0)); err == nil || !strings.Contains(err.Error(), "another key") {
			t.Errorf("a signature by the key now under the URI: %x, %v; want it refused", sig, err)
		}
	}
}

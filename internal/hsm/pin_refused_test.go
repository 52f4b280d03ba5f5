//go:build cgo

package hsm

import (
	"crypto"
	"os"
	"strings"
	"testing"
)

// TestWrongPINTriedOnceForTheToken: the office key and the log key of one token, whose PIN
// file no longer holds the PIN, each presented it to the token once the token forgot their
// sessions: two wrong PINs toward the token's lock for one mistake. A PIN the token refused
// is not presented to it again by another key.
func TestWrongPINTriedOnceForTheToken(t *testing.T) {
	pin, k, lk := officeAndLogKeys(t, "object=office;id=%01")
	tok, err := k.token()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(pin, []byte("000000\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := k.ctx.CloseAllSessions(tok.slot); err != nil {
		t.Fatal(err)
	}
	msg := []byte("checkpoint")
	if _, err := lk.Sign(nil, msg, crypto.Hash(0)); err == nil || !strings.Contains(err.Error(), "PIN is wrong") {
		t.Fatalf("the log key with a wrong PIN: %v", err)
	}
	_, err = k.Sign(nil, msg, crypto.Hash(0))
	if err == nil || !strings.Contains(err.Error(), "PIN is wrong") || !strings.Contains(err.Error(), "refused it already") {
		t.Errorf("the office key with the PIN the token refused: %v, want it refused without asking the token", err)
	}
	// The right PIN back in the file is presented: a key not yet refused opens again.
	if err := os.WriteFile(pin, []byte("123456\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	k2, err := Open("pkcs11:token=chancery;object=office;id=%01?module-path=" + softhsm + "&pin-source=file:" + pin)
	if err != nil {
		t.Fatalf("open with the right PIN after a wrong one: %v", err)
	}
	k2.Close()
}

//go:build cgo

package hsm

import (
	"crypto"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOpenRefusesAWrongPINWhenTheTokenIsLoggedIn: docs/keys.md says that Open fails at once
// when the PIN is wrong. The office and log keys often share a token, whose login state the
// process's sessions share: once one key had logged in, Open of the other took the token's
// CKR_USER_ALREADY_LOGGED_IN as success, whatever PIN its URI gave (found by audit,
// forty-ninth session). The wrong PIN was found only when the token forgot its sessions and
// that key signed first: it was then sent to the token (counting toward the PIN's lock) and
// the key signed nothing more until a restart. The PIN that logged in to a token is now
// remembered, and Open refuses a URI whose PIN differs, without naming either PIN; a key with
// the same PIN, from another file, opens and signs.
func TestOpenRefusesAWrongPINWhenTheTokenIsLoggedIn(t *testing.T) {
	pin := token(t)
	office, err := Open("pkcs11:token=chancery;object=office?module-path=" + softhsm + "&pin-source=file:" + pin)
	if err != nil {
		t.Fatal(err)
	}
	defer office.Close()
	wrong := filepath.Join(filepath.Dir(pin), "wrong-pin")
	if err := os.WriteFile(wrong, []byte("000000\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	lk, err := Open("pkcs11:token=chancery;object=log?module-path=" + softhsm + "&pin-source=file:" + wrong)
	if err == nil {
		defer lk.Close()
		t.Errorf("Open with a wrong PIN succeeded because another key of the token had logged in")
		tok, _ := lk.token()
		lk.ctx.CloseAllSessions(tok.slot)
		_, err := lk.Sign(nil, []byte("checkpoint"), crypto.Hash(0))
		t.Logf("the log key's first signature after the token forgot its sessions: %v", err)
		if err != nil && strings.Contains(err.Error(), "PIN is wrong") {
			t.Errorf("the wrong PIN was found only at a signature, after the start")
		}
	} else if !strings.Contains(err.Error(), "two PINs") || strings.Contains(err.Error(), "000000") || strings.Contains(err.Error(), "123456") {
		t.Errorf("Open with a wrong PIN: %v", err)
	}
	// The same PIN from another file is the same PIN.
	same := filepath.Join(filepath.Dir(pin), "same-pin")
	if err := os.WriteFile(same, []byte("123456"), 0o600); err != nil {
		t.Fatal(err)
	}
	lk, err = Open("pkcs11:token=chancery;object=log?module-path=" + softhsm + "&pin-source=file:" + same)
	if err != nil {
		t.Fatalf("the log key with the token's PIN from another file: %v", err)
	}
	defer lk.Close()
	if _, err := lk.Sign(nil, []byte("checkpoint"), crypto.Hash(0)); err != nil {
		t.Error(err)
	}
}

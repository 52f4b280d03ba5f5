//go:build cgo

package hsm

import (
	"os/exec"
	"strings"
	"testing"
)

// TestOpenSaysAKeyIsNotEd25519: a URI that names an RSA or ECDSA key of the token was refused
// as naming no key ("no Ed25519 private key with this object/id", and a hint to fix object=
// or id=), though the label was right and the key's type was what was wrong. The refusal
// names the key's type and that Ed25519 is needed.
func TestOpenSaysAKeyIsNotEd25519(t *testing.T) {
	pin := token(t)
	for _, c := range []struct{ label, id, keyType, want string }{
		{"rsa", "10", "rsa:2048", "an RSA key"},
		{"ecdsa", "11", "EC:prime256v1", "an ECDSA key"},
	} {
		if out, err := exec.Command("pkcs11-tool", "--module", softhsm, "--token-label", "chancery", "--login", "--pin", "123456",
			"--keypairgen", "--key-type", c.keyType, "--label", c.label, "--id", c.id).CombinedOutput(); err != nil {
			t.Fatalf("pkcs11-tool: %v\n%s", err, out)
		}
		k, err := Open("pkcs11:token=chancery;object=" + c.label + "?module-path=" + softhsm + "&pin-source=" + pin)
		if err == nil {
			k.Close()
			t.Fatalf("%s: opened", c.label)
		}
		if msg := err.Error(); !strings.Contains(msg, c.want) || !strings.Contains(msg, "not Ed25519") {
			t.Errorf("%s: %v, want %q and not Ed25519", c.label, err, c.want)
		}
	}
	// A label no key has is still said to be missing.
	if _, err := Open("pkcs11:token=chancery;object=archive?module-path=" + softhsm + "&pin-source=" + pin); err == nil ||
		!strings.Contains(err.Error(), "no Ed25519 private key") {
		t.Errorf("a label no key has: %v", err)
	}
}

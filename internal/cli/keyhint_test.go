package cli

import (
	"errors"
	"strings"
	"testing"
)

// TestKeyHintsOfTheTokensRefusals: the refusals internal/hsm added in the thirty-ninth session
// (a key that can leave the token or may not sign, two key pairs under one URI, a PIN file
// that is not one) get a hint that says what to do, not the hint about object= and id= that
// any message naming a "private key" got; so do those of the forty-ninth (two tokens of one
// label, two PINs for one token, one library under two paths), a key of another type than
// Ed25519 under the URI, and a module that loads but does not start (SoftHSM without its token
// directory), which was told to fix module-path=.
func TestKeyHintsOfTheTokensRefusals(t *testing.T) {
	for msg, want := range map[string]string{
		"hsm: open key: the private key can be exported from the token (its CKA_EXTRACTABLE is true): use a key generated in the token as non-extractable": "non-extractable",
		"hsm: open key: the private key can be read from the token (its CKA_SENSITIVE is false): use a key generated in the token as sensitive":            "non-extractable",
		"hsm: open key: the private key may not sign (its CKA_SIGN is false)":                                                                              "CKA_SIGN true",
		"hsm: open key: the private and public keys under this URI are not one pair: a test signature does not verify with the public key":                 "two key pairs",
		"hsm: the PIN file /etc/chancery/hsm.pin is not a PIN: not one line of text":                                                                       "holding only the PIN",
		"hsm: the PIN file /etc/chancery/hsm.pin belongs to another user (uid 4242), who can read it":                                                      "owned by you or root",
		"hsm: open key: no private key labelled office-2027":                                                                                               "fix object= or id=",
		`hsm: open key: more than one token is labelled "chancery" (serials "1", "2"): add serial= to the URI`:                                             "add serial=",
		"hsm: open key: the URIs give two PINs for one token (the token did not check this one)":                                                           "a PIN file is out of date",
		"hsm: open key: initialize the module: CKR_CRYPTOKI_ALREADY_INITIALIZED (the library is loaded already under another path)":                        "one module-path=",
		"hsm: open key: the private key with this object/id is an RSA key, not Ed25519: Chancery signs with Ed25519 keys only":                             "EC:edwards25519",
		"hsm: open key: initialize the module: pkcs11: 0x5: CKR_GENERAL_ERROR":                                                                             "SOFTHSM2_CONF",
	} {
		var h *hinted
		if err := keyHint(errors.New(msg)); !errors.As(err, &h) {
			t.Errorf("%s: no hint", msg)
		} else if !strings.Contains(h.hint, want) {
			t.Errorf("%s: hint %q, want one saying %q", msg, h.hint, want)
		}
	}
}

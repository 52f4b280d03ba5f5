package cli

import (
	"errors"
	"io/fs"
	"os"
	"strings"
)

// newKeyFileHint adds a hint to keys.WriteNew's refusal of a key file (--out) whose files
// exist. WriteNew writes the public key file first and the key file last, each whole: a
// public key file alone is what a run killed in between left, and that key was never
// registered.
func newKeyFileHint(err error, out string) error {
	if !errors.Is(err, fs.ErrExist) {
		return err
	}
	if _, serr := os.Lstat(out); errors.Is(serr, fs.ErrNotExist) {
		return withHint(err, "%[1]s.pub is there without %[1]s, as a 'chancery key new' or 'key rotate signer' stopped before it wrote the key leaves it (such a key was never registered): remove %[1]s.pub and run again", out)
	}
	return withHint(err, "a key file is never overwritten: choose another --out")
}

// keyHint adds a hint to an error opening a key held in a PKCS#11 token (internal/hsm), whose
// messages say what is wrong; the hint says what to do about it.
func keyHint(err error) error {
	var h *hinted
	if err == nil || errors.As(err, &h) || !strings.Contains(err.Error(), "hsm: ") {
		return err
	}
	// A PIN file that another user keeps private (root's, mode 0600): the URI names it, and
	// the hint below, to name one, would send the operator the wrong way.
	if h := otherUsersReadFile(err, ""); h != nil {
		return h
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "the PIN file") && strings.Contains(msg, "chmod 600"):
		return withHint(err, "let only the service's user read the PIN file (chmod 600, or 400): whoever reads the PIN signs with the token's keys")
	case strings.Contains(msg, "two PINs"):
		return withHint(err, "give every URI of the token its one user PIN (pin-source, CHANCERY_HSM_PIN or CHANCERY_HSM_PIN_FILE): a PIN file is out of date")
	case strings.Contains(msg, "the PIN is wrong"):
		return withHint(err, "check the token's user PIN in the file pin-source names, CHANCERY_HSM_PIN or CHANCERY_HSM_PIN_FILE (a token locks after a few wrong PINs)")
	case strings.Contains(msg, "no PIN"), strings.Contains(msg, "read the PIN"):
		return withHint(err, "add pin-source=/path/to/pin-file to the URI, or set CHANCERY_HSM_PIN_FILE")
	case strings.Contains(msg, "the PIN file"):
		return withHint(err, "pin-source (or CHANCERY_HSM_PIN_FILE) must name a regular file holding only the PIN on one line, owned by you or root, mode 0400 or 0600")
	case strings.Contains(msg, "can be exported from the token"), strings.Contains(msg, "can be read from the token"):
		return withHint(err, "generate the key in the token as sensitive and non-extractable (pkcs11-tool --keypairgen without --extractable) and point the URI at it: a key that has left the token, or could, cannot be made safe again")
	case strings.Contains(msg, "may not sign"):
		return withHint(err, "point the URI at a key generated for signing (CKA_SIGN true), as pkcs11-tool --keypairgen makes it")
	case strings.Contains(msg, "are not one pair"):
		return withHint(err, "the URI finds a private key and a public key of two key pairs: give each pair its own object= label or id=, and list them with 'pkcs11-tool --module MODULE --login --list-objects'")
	case strings.Contains(msg, "more than one token"):
		return withHint(err, "list the tokens with 'pkcs11-tool --module MODULE --list-token-slots' and add serial= (or slot-id=) of the office's token to the URI; a token labelled as yours that you did not make may be someone's attempt to have the office sign with their key")
	case strings.Contains(msg, "no such token"):
		return withHint(err, "list the tokens with 'pkcs11-tool --module MODULE --list-token-slots' (or 'softhsm2-util --show-slots') and fix token= in the URI")
	case strings.Contains(msg, "not Ed25519"):
		return withHint(err, "generate an Ed25519 key pair in the token (pkcs11-tool --keypairgen --key-type EC:edwards25519, docs/keys.md) and point the URI at it: seals are Ed25519 signatures, which the token's other keys cannot make")
	case strings.Contains(msg, "private key"), strings.Contains(msg, "public key"), strings.Contains(msg, "more than one"):
		return withHint(err, "list the token's keys with 'pkcs11-tool --module MODULE --login --list-objects' and fix object= or id= in the URI")
	case strings.Contains(msg, "loaded already under another path"):
		return withHint(err, "name the PKCS#11 library by one module-path= in every URI (the office key's and the log key's)")
	case strings.Contains(msg, "initialize the module") && strings.Contains(msg, "CKR_GENERAL_ERROR"):
		return withHint(err, "the module loaded but could not start: for SoftHSM, the token directory that SOFTHSM2_CONF (else /etc/softhsm/softhsm2.conf) names must exist and be readable by this user; a device must be connected")
	case strings.Contains(msg, "names no module"), strings.Contains(msg, "PKCS#11 module"), strings.Contains(msg, "initialize the module"):
		return withHint(err, "module-path= must name the PKCS#11 library, e.g. /usr/lib/softhsm/libsofthsm2.so (apt-get install softhsm2)")
	}
	return withHint(err, "see docs/keys.md for keys held in a token")
}

package datadir

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/hsm/hsmtest"
)

// TestOpenKeySchemeAndPIN: a key URI's scheme is case-insensitive (RFC 3986), and OpenKey took
// "PKCS11:…" for a file name; OpenRecordedKey then skipped its check of the module. A ref that
// is neither a URI nor a file name was quoted up to its "?", with a pin-value in its path
// when the scheme was mistyped.
func TestOpenKeySchemeAndPIN(t *testing.T) {
	pin := hsmtest.Token(t, "chancery", "office")
	d := &Dir{Path: t.TempDir(), Settings: Settings{OfficeKey: hsmtest.URI("chancery", "office", pin)}}
	defer d.Close()
	upper := "PKCS11" + strings.TrimPrefix(hsmtest.URI("chancery", "office", pin), "pkcs11")
	if _, err := d.OpenKey(upper); err != nil {
		t.Errorf("OpenKey(%s): %v", upper, err)
	}
	if _, err := d.OpenRecordedKey(upper); err != nil {
		t.Errorf("OpenRecordedKey(%s): %v", upper, err)
	}
	other := "PKCS11:token=chancery;object=office?module-path=/opt/other/libp11.so&pin-source=" + pin
	if _, err := d.OpenRecordedKey(other); !errors.Is(err, ErrUntrustedModule) {
		t.Errorf("OpenRecordedKey with another module, scheme in upper case: %v, want ErrUntrustedModule", err)
	}
	const secret = "S3cretPIN"
	for _, ref := range []string{"pkcs12:token=chancery;object=office;pin-value=" + secret + "?module-path=/m.so",
		"token=chancery;object=office;pin-value=" + secret} {
		if _, err := d.OpenKey(ref); err == nil || strings.Contains(err.Error(), secret) {
			t.Errorf("OpenKey(%q): %v, want an error without the PIN", ref, err)
		}
	}
	if _, err := d.OpenKey("../office.key"); err == nil || !strings.Contains(err.Error(), "../office.key") {
		t.Errorf("OpenKey of a path outside the directory: %v, want it named", err)
	}
}

// TestOpenRecordedKeySendsNoOtherFileAsThePIN: a key URI recorded in the database (a restored
// or migrated one) may name any file as its pin-source, and its content went to the token as
// the PIN whenever only its owner could read it: a private key, say. Only one line of text in
// a regular file is a PIN; the refusal names the file, not its content, and the token is not
// asked (a wrong PIN counts towards its lock).
func TestOpenRecordedKeySendsNoOtherFileAsThePIN(t *testing.T) {
	pin := hsmtest.Token(t, "chancery", "office")
	d := &Dir{Path: t.TempDir(), Settings: Settings{OfficeKey: hsmtest.URI("chancery", "office", pin)}}
	defer d.Close()
	const secret = "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ"
	key := filepath.Join(t.TempDir(), "id_ed25519")
	if err := os.WriteFile(key, []byte("-----BEGIN OPENSSH PRIVATE KEY-----\n"+secret+"\n-----END OPENSSH PRIVATE KEY-----\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := d.OpenRecordedKey(hsmtest.URI("chancery", "office", key))
	if err == nil || !strings.Contains(err.Error(), "not a PIN") || strings.Contains(err.Error(), secret) {
		t.Errorf("a recorded key whose pin-source is a private key file: %v, want it refused before the token sees it", err)
	}
	if _, err := d.OpenRecordedKey(hsmtest.URI("chancery", "office", pin)); err != nil {
		t.Errorf("a recorded key with the directory's PIN file: %v", err)
	}
}

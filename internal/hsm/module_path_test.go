//go:build cgo

package hsm

import (
	"crypto"
	"path/filepath"
	"testing"
)

// TestOneModuleUnderTwoPaths: loaded modules were shared by their path as written (found by
// audit, forty-ninth session), and Debian installs SoftHSM2 at /usr/lib/softhsm/libsofthsm2.so,
// a link to /usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so. Two keys whose URIs named the one
// library by two paths (checkModule resolves the link, and accepts both) got two pkcs11.Ctx of
// one library, which dlopen shares: the second key's C_Initialize was refused, and Open failed
// with "initialize the module: CKR_CRYPTOKI_ALREADY_INITIALIZED" and the hint to fix
// module-path=. Modules are now shared by their path with links resolved: both keys open and
// sign.
func TestOneModuleUnderTwoPaths(t *testing.T) {
	pin := token(t)
	real, err := filepath.EvalSymlinks(softhsm)
	if err != nil || real == softhsm {
		t.Skipf("%s is not a link (%s, %v)", softhsm, real, err)
	}
	office, err := Open("pkcs11:token=chancery;object=office?module-path=" + softhsm + "&pin-source=file:" + pin)
	if err != nil {
		t.Fatal(err)
	}
	defer office.Close()
	lk, err := Open("pkcs11:token=chancery;object=log?module-path=" + real + "&pin-source=file:" + pin)
	if err != nil {
		t.Fatalf("the log key, its module named by its real path: %v", err)
	}
	defer lk.Close()
	if _, err := lk.Sign(nil, []byte("checkpoint"), crypto.Hash(0)); err != nil {
		t.Error(err)
	}
}

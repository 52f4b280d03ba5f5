//go:build !cgo

package hsm

import (
	"errors"
	"testing"
)

// requireCgo skips a test that loads a PKCS#11 module: a build without cgo cannot
// (key_nocgo.go), and its Open's refusal is tested by TestOpenWithoutCgo.
func requireCgo(t testing.TB) {
	t.Helper()
	t.Skip("PKCS#11 modules need cgo (CGO_ENABLED=0)")
}

// TestOpenWithoutCgo: a build without cgo checks a key's URI and then says it cannot load a
// module, rather than failing later or in another way.
func TestOpenWithoutCgo(t *testing.T) {
	if _, err := Open("pkcs11:token=chancery;object=office?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-value=1234"); !errors.Is(err, errNoCgo) {
		t.Errorf("Open: %v, want errNoCgo", err)
	}
	if _, err := Open("pkcs12:token=chancery"); err == nil || errors.Is(err, errNoCgo) {
		t.Errorf("Open of a bad URI: %v, want the URI's refusal", err)
	}
}

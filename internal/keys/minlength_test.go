package keys_test

import (
	"testing"

	"github.com/chancery/chancery/internal/keys"
	"github.com/chancery/chancery/internal/registry"
)

// A key's passphrase guards a signing key: it is held to at least the sign-in password's
// minimum.
func TestMinPassphraseLength(t *testing.T) {
	if keys.MinPassphraseLength < registry.MinPasswordLength {
		t.Fatalf("MinPassphraseLength %d < registry.MinPasswordLength %d", keys.MinPassphraseLength, registry.MinPasswordLength)
	}
	if err := keys.CheckNewPassphrase("éàçèùâêîôûë€"); err != nil {
		t.Errorf("12 characters (24 bytes): %v", err)
	}
	if err := keys.CheckNewPassphrase("ééééééééééé"); err == nil {
		t.Error("11 characters accepted")
	}
}

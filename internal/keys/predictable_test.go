package keys_test

import (
	"errors"
	"testing"

	"github.com/chancery/chancery/internal/keys"
)

// TestPredictablePassphraseRefused: a new key's passphrase was checked for its length alone,
// so "aaaaaaaaaaaa" and "123456789012" made key files (found live with 'chancery key new'):
// whoever copies the file tries such passphrases first, offline. The patterns guessing starts
// with are refused; passphrases of a few words still pass.
func TestPredictablePassphraseRefused(t *testing.T) {
	for _, p := range []string{"aaaaaaaaaaaa", "AAAAaaaaAAAA", "éééééééééééé", "abababababab", "passwordpassword", "abcabcabcabca",
		"123456789012", "987654321098", "abcdefghijklmnop", "ZYXWVUTSRQPO", "qwertyuiopas", "azertyuiopqsd", "1234567890qw"} {
		if err := keys.CheckNewPassphrase(p); !errors.Is(err, keys.ErrWeakPassphrase) {
			t.Errorf("%q: %v, want ErrWeakPassphrase", p, err)
		}
	}
	for _, p := range []string{"correct horse battery", "sam's long passphrase", "test-only-passphrase", "the right passphrase",
		"a passphrase", "éàçèùâêîôûëï", "Tr0ub4dor&3xyz", "تمرير طويل جدا"} {
		if err := keys.CheckNewPassphrase(p); err != nil {
			t.Errorf("%q: %v", p, err)
		}
	}
}

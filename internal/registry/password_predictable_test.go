package registry

import (
	"context"
	"errors"
	"testing"
)

// TestPredictablePasswordRefused: a sign-in password was checked for its length alone, so a
// signer could set "aaaaaaaaaaaa" or "123456789012", and whoever guessed it signed letters in
// the browser as them. The patterns a new key's passphrase may not be are refused here too;
// the sign-in with a password set before is unchanged.
func TestPredictablePasswordRefused(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	for _, pw := range []string{"aaaaaaaaaaaa", "123456789012", "passwordpassword", "qwertyuiopas"} {
		if err := o.r.SetPassword(ctx, o.signer, "", pw); !errors.Is(err, ErrInvalid) {
			t.Errorf("password %q: %v, want ErrInvalid", pw, err)
		}
		if err := o.r.SetPassword(ctx, o.admin, o.signer.Member.Name, pw); !errors.Is(err, ErrInvalid) {
			t.Errorf("password %q set by an admin: %v, want ErrInvalid", pw, err)
		}
	}
	if err := o.r.SetPassword(ctx, o.signer, "", "correct horse battery"); err != nil {
		t.Errorf("a password of words: %v", err)
	}
}

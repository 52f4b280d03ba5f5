package oidc

import (
	"context"
	"errors"
	"testing"
)

// TestEmailVerifiedWithoutEmailVouchesForNone: with the e-mail address naming members, an
// ID token that carried email_verified but no address had its email_verified stand for the
// address the userinfo gives, even where the userinfo says that address is not verified.
func TestEmailVerifiedWithoutEmailVouchesForNone(t *testing.T) {
	lp := newLocalProvider(t)
	p, err := New(context.Background(), Config{Issuer: lp.srv.URL, ClientID: "chancery", CLIClientID: "chancery-cli",
		RolesClaim: "groups", RoleMap: RoleMap{"chancery-signers": {"signer"}}, NameClaim: "email"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		userinfo map[string]any
		ok       bool
	}{
		{"the address unverified", map[string]any{"sub": "olga-1", "email": "rita@tfn.example", "email_verified": false}, false},
		{"the address without email_verified", map[string]any{"sub": "olga-1", "email": "rita@tfn.example"}, false},
		{"the address verified", map[string]any{"sub": "olga-1", "email": "rita@tfn.example", "email_verified": true}, true},
	} {
		lp.userinfo.Store(&tc.userinfo)
		id, err := p.Redeem(context.Background(), lp.token(map[string]any{"email_verified": true}), "at")
		switch {
		case tc.ok && (err != nil || id.Name != "rita@tfn.example"):
			t.Errorf("%s: %+v, %v; want signed in as rita@tfn.example", tc.name, id, err)
		case !tc.ok && !errors.Is(err, ErrRefused):
			t.Errorf("%s: signed in as %+v, %v; want ErrRefused", tc.name, id, err)
		}
	}
}

package oidc

import (
	"context"
	"errors"
	"testing"
)

// TestRedeemRefusesBrowserIDTokens: the command line's sign-in (the device authorization
// grant, which has no nonce) does not take an ID token that carries a nonce: such a token is
// a browser sign-in's, which the sign-out sends to the provider as id_token_hint, in an
// address the browser's history and the provider's logs keep. Where the command line's client
// is the web client (the default), the next person at a shared computer could otherwise
// trade the previous member's ID token, read from the history, for an 8-hour token as them.
func TestRedeemRefusesBrowserIDTokens(t *testing.T) {
	lp := newLocalProvider(t)
	p := lp.provider(RoleMap{"chancery-signers": {"signer"}})
	ctx := context.Background()
	for _, claims := range []map[string]any{{}, {"nonce": ""}} {
		if _, err := p.Redeem(ctx, lp.token(claims), ""); err != nil {
			t.Fatalf("a device grant's ID token %v: %v", claims, err)
		}
	}
	for _, nonce := range []any{"3MjThJ8MSwq9JZdKo5jESNR38Upkm5X69K3CheLxHf0", 7} {
		if id, err := p.Redeem(ctx, lp.token(map[string]any{"nonce": nonce}), ""); !errors.Is(err, ErrRefused) {
			t.Errorf("an ID token with the nonce %v: %v, %+v; want ErrRefused", nonce, err, id)
		}
	}
}

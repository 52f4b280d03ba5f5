package cli_test

import (
	"strings"
	"testing"
)

// serve refuses an incomplete or unreachable OpenID configuration at start, with a hint.
func TestServeOIDCFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--oidc-client-id", "chancery"}, "need --oidc-issuer"},
		{[]string{"--oidc-issuer", "http://127.0.0.1:1/", "--oidc-role-map", "g=signer"}, "needs --oidc-client-id"},
		{[]string{"--oidc-issuer", "http://127.0.0.1:1/", "--oidc-client-id", "c"}, "role map is empty"},
		{[]string{"--oidc-issuer", "http://127.0.0.1:1/", "--oidc-client-id", "c", "--oidc-role-map", "signers"}, "not VALUE=ROLE"},
		{[]string{"--oidc-issuer", "http://127.0.0.1:1/", "--oidc-client-id", "c", "--oidc-role-map", "g=signer"}, "hint: check --oidc-issuer"},
		{[]string{"--oidc-issuer", "http://127.0.0.1:1/", "--oidc-client-id", "c", "--oidc-role-map", "g=signer",
			"--oidc-client-secret-file", "/nonexistent/secret"}, "--oidc-client-secret-file"},
	} {
		args := append([]string{"serve", "--data", t.TempDir(), "--listen", "127.0.0.1:0"}, tc.args...)
		code, _, stderr := run(args...)
		if code == 0 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, want %q in:\n%s", tc.args, code, tc.want, stderr)
		}
	}
}

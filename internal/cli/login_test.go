package cli_test

import (
	"os"
	"path/filepath"
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

// TestServeRefusesAnOIDCSecretReadableByOthers: the OpenID client secret file was read
// whatever its mode, so a secret others on the machine could read (the usual 0644 of a file
// written with echo) was used without a word; whoever reads it can act as the registry
// towards the provider. Like the data directory's keys, it must be chmod 600.
func TestServeRefusesAnOIDCSecretReadableByOthers(t *testing.T) {
	secret := filepath.Join(t.TempDir(), "oidc.secret")
	if err := os.WriteFile(secret, []byte("s3cret\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"serve", "--data", t.TempDir(), "--listen", "127.0.0.1:0", "--oidc-issuer", "http://127.0.0.1:1/",
		"--oidc-client-id", "c", "--oidc-role-map", "g=signer", "--oidc-client-secret-file", secret}
	code, _, stderr := run(args...)
	if code == 0 || !strings.Contains(stderr, "chmod 600") {
		t.Errorf("a secret file of mode 0644: exit %d, stderr:\n%s", code, stderr)
	}
	if err := os.Chmod(secret, 0o600); err != nil {
		t.Fatal(err)
	}
	// Private, it is read: serve goes on to ask the (unreachable) provider.
	code, _, stderr = run(args...)
	if code == 0 || strings.Contains(stderr, "chmod 600") || !strings.Contains(stderr, "hint: check --oidc-issuer") {
		t.Errorf("a secret file of mode 0600: exit %d, stderr:\n%s", code, stderr)
	}
}

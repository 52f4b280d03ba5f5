package cli_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
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

// TestLoginBoundsTheSecretFile: 'chancery login' read CHANCERY_OIDC_CLIENT_SECRET_FILE whole,
// however large (a log or /dev/zero named by mistake filled the memory). It now refuses a
// file over 64 KiB with a hint, and asks the provider nothing; a secret within the bound is
// still sent, trimmed.
func TestLoginBoundsTheSecretFile(t *testing.T) {
	var asked atomic.Int32
	var got atomic.Value
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	defer srv.Close()
	answer := func(w http.ResponseWriter, v any) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(v)
	}
	mux.HandleFunc("GET /api/v1/oidc", func(w http.ResponseWriter, r *http.Request) {
		answer(w, map[string]string{"issuer": srv.URL, "client_id": "chancery-cli"})
	})
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		answer(w, map[string]any{"issuer": srv.URL, "authorization_endpoint": srv.URL + "/authorize",
			"token_endpoint": srv.URL + "/token", "jwks_uri": srv.URL + "/keys",
			"device_authorization_endpoint": srv.URL + "/device", "id_token_signing_alg_values_supported": []string{"RS256"}})
	})
	mux.HandleFunc("POST /device", func(w http.ResponseWriter, r *http.Request) {
		asked.Add(1)
		answer(w, map[string]any{"device_code": "d", "user_code": "u", "verification_uri": srv.URL + "/activate",
			"interval": 1, "expires_in": 60})
	})
	// The secret goes with the token request; the user then declines, which ends the login.
	mux.HandleFunc("POST /token", func(w http.ResponseWriter, r *http.Request) {
		_, secret, _ := r.BasicAuth()
		if err := r.ParseForm(); err == nil && r.PostForm.Get("client_secret") != "" {
			secret = r.PostForm.Get("client_secret")
		}
		got.Store(secret)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		json.NewEncoder(w).Encode(map[string]string{"error": "access_denied"})
	})
	t.Setenv("CHANCERY_URL", srv.URL)
	t.Setenv("CHANCERY_OIDC_CLIENT_SECRET", "")
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	dir := t.TempDir()

	big := filepath.Join(dir, "big")
	if err := os.WriteFile(big, bytes.Repeat([]byte("s"), 64<<10+1), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("CHANCERY_OIDC_CLIENT_SECRET_FILE", big)
	code, _, stderr := run("login")
	if code == 0 || !strings.Contains(stderr, "is over 64 KiB") || !strings.Contains(stderr, "hint: CHANCERY_OIDC_CLIENT_SECRET_FILE") {
		t.Errorf("a secret file of 64 KiB and a byte: exit %d, stderr:\n%s", code, stderr)
	}
	if asked.Load() != 0 {
		t.Errorf("the provider was asked with a secret read from a file over the bound")
	}
	// serve read its secret file cut to 64 KiB without a word; it refuses it now too.
	code, _, stderr = run("serve", "--data", t.TempDir(), "--listen", "127.0.0.1:0", "--oidc-issuer", "http://127.0.0.1:1/",
		"--oidc-client-id", "c", "--oidc-role-map", "g=signer", "--oidc-client-secret-file", big)
	if code == 0 || !strings.Contains(stderr, "is over 64 KiB") {
		t.Errorf("serve with a secret file of 64 KiB and a byte: exit %d, stderr:\n%s", code, stderr)
	}

	small := filepath.Join(dir, "small")
	if err := os.WriteFile(small, []byte("s3cret\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("CHANCERY_OIDC_CLIENT_SECRET_FILE", small)
	if code, _, stderr := run("login"); code == 0 || asked.Load() != 1 || got.Load() != "s3cret" {
		t.Errorf("a secret file of 7 bytes: exit %d, provider asked %d times with secret %q, stderr:\n%s", code, asked.Load(), got.Load(), stderr)
	}
}

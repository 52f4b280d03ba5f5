package cli_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/cli"
	"github.com/chancery/chancery/internal/registry"
)

// TestLogoutEndsTheTokenAtTheRegistry: there was no way for a member to end the token of
// 'chancery login' before its 8 hours: no logout command, no route, so a signer leaving a
// shared computer (or whose laptop was stolen, or copied meanwhile) could only delete
// login.json, and every copy of the token kept signing in as them. 'chancery logout' ends it
// at the registry, then removes the file.
func TestLogoutEndsTheTokenAtTheRegistry(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	config := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", config)
	t.Setenv("CHANCERY_TOKEN_FILE", "")
	path := filepath.Join(config, "chancery", "login.json")
	save := func(url, tok string, expires time.Time) {
		t.Helper()
		b, _ := json.Marshal(map[string]any{"url": url, "token": tok, "name": "sam", "roles": []string{"signer"}, "expires_at": expires})
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	tok, exp, err := o.reg.StartCLISession(ctx, o.actors["sam"].Member, "test", 8*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	save(o.url, tok, exp)
	if code, _, errs := o.run("nobody", "letter", "list"); code != cli.ExitOK {
		t.Fatalf("letter list with the saved sign-in: exit %d\n%s", code, errs)
	}

	code, out, errs := o.run("nobody", "logout")
	if code != cli.ExitOK || !strings.Contains(out, "signed out of") {
		t.Fatalf("logout: exit %d, stdout %q\n%s", code, out, errs)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("logout left %s: %v", path, err)
	}
	// A copy of the token (a backup, whoever used the machine) signs no one in any more.
	if _, err := o.reg.Authenticate(ctx, tok); !errors.Is(err, registry.ErrUnauthenticated) {
		t.Errorf("the token after logout: %v, want it refused", err)
	}
	req, _ := http.NewRequest("GET", o.url+"/api/v1/letters", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	if status := statusOf(t, req); status != http.StatusUnauthorized {
		t.Errorf("GET /api/v1/letters with the token after logout: %d, want 401", status)
	}
	// Again: nothing to end, not an error.
	if code, out, errs := o.run("nobody", "logout"); code != cli.ExitOK || !strings.Contains(out, "nothing to end") {
		t.Errorf("logout again: exit %d, stdout %q\n%s", code, out, errs)
	}

	// A registry that cannot be reached has not ended the token: the file is kept, and the
	// member told so.
	tok2, exp2, err := o.reg.StartCLISession(ctx, o.actors["sam"].Member, "test", 8*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	save("http://127.0.0.1:1", tok2, exp2)
	code, _, errs = o.run("nobody", "logout")
	if code != cli.ExitError || !strings.Contains(errs, "did not end the token") || !strings.Contains(errs, "hint: the token still works until") {
		t.Errorf("logout with the registry unreachable: exit %d\n%s", code, errs)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("logout that ended nothing removed the file: %v", err)
	}

	// A member's lasting token is no session to end: an admin replaces it.
	req, _ = http.NewRequest("DELETE", o.url+"/api/v1/session", nil)
	req.Header.Set("Authorization", "Bearer "+o.tokens["sam"])
	if status := statusOf(t, req); status != http.StatusConflict {
		t.Errorf("DELETE /api/v1/session with a member's token: %d, want 409", status)
	}
	if _, err := o.reg.Authenticate(ctx, o.tokens["sam"]); err != nil {
		t.Errorf("sam's token after a refused DELETE /api/v1/session: %v", err)
	}
}

// statusOf sends req and returns its answer's status.
func statusOf(t *testing.T, req *http.Request) int {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestLoginEndsTheTokenItReplaces: 'chancery login' overwrote the token file, so the token of
// an earlier sign-in (to this registry or another) left the file still working, where
// 'chancery logout' could no longer reach it. The login ends it at its registry.
func TestLoginEndsTheTokenItReplaces(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	config := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", config)
	t.Setenv("CHANCERY_OIDC_CLIENT_SECRET", "")
	t.Setenv("CHANCERY_OIDC_CLIENT_SECRET_FILE", "")
	earlier, exp, err := o.reg.StartCLISession(ctx, o.actors["sam"].Member, "test", 8*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(config, "chancery", "login.json")
	b, _ := json.Marshal(map[string]any{"url": o.url, "token": earlier, "name": "sam", "roles": []string{"signer"}, "expires_at": exp})
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}

	// A registry with its provider, whose device grant the user completes at once.
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	defer srv.Close()
	answer := func(w http.ResponseWriter, status int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(v)
	}
	mux.HandleFunc("GET /api/v1/oidc", func(w http.ResponseWriter, r *http.Request) {
		answer(w, 200, map[string]string{"issuer": srv.URL, "client_id": "chancery-cli"})
	})
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		answer(w, 200, map[string]any{"issuer": srv.URL, "authorization_endpoint": srv.URL + "/authorize",
			"token_endpoint": srv.URL + "/token", "jwks_uri": srv.URL + "/keys",
			"device_authorization_endpoint": srv.URL + "/device", "id_token_signing_alg_values_supported": []string{"RS256"}})
	})
	mux.HandleFunc("POST /device", func(w http.ResponseWriter, r *http.Request) {
		answer(w, 200, map[string]any{"device_code": "d", "user_code": "u", "verification_uri": srv.URL + "/activate", "interval": 1, "expires_in": 60})
	})
	mux.HandleFunc("POST /token", func(w http.ResponseWriter, r *http.Request) {
		answer(w, 200, map[string]any{"access_token": "a", "token_type": "Bearer", "id_token": "i", "expires_in": 3600})
	})
	mux.HandleFunc("POST /api/v1/oidc/token", func(w http.ResponseWriter, r *http.Request) {
		answer(w, http.StatusCreated, map[string]any{"token": "chl_new", "name": "sam", "roles": []string{"signer"}, "expires_at": time.Now().Add(8 * time.Hour)})
	})
	t.Setenv("CHANCERY_URL", srv.URL)
	t.Setenv("CHANCERY_TOKEN", "")
	var stdout, stderr strings.Builder
	if code := cli.Main([]string{"login"}, &stdout, &stderr); code != cli.ExitOK || strings.Contains(stderr.String(), "warning") {
		t.Fatalf("login: exit %d\n%s", code, stderr.String())
	}
	if _, err := o.reg.Authenticate(ctx, earlier); !errors.Is(err, registry.ErrUnauthenticated) {
		t.Errorf("the earlier sign-in's token after a new login: %v, want it refused", err)
	}
}

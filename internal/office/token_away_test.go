package office_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/hsm/hsmtest"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/server"
)

// TestReleaseWhileTheTokenIsAway: with the office's keys in a token that went away while the
// server ran, a release answered 500 "internal error" and /readyz "ready", and nothing
// changed once the token was back. The release is now refused as the token's (503, saying
// that nothing was recorded, the reason in the server's log), /readyz says that the office key
// cannot sign, nothing is logged, and once the token is back /readyz is ready again and the
// same letter is released.
func TestReleaseWhileTheTokenIsAway(t *testing.T) {
	t.Setenv("CHANCERY_STATE_DIR", t.TempDir())
	pin := hsmtest.Token(t, "chancery", "office", "log")
	dir := filepath.Join(t.TempDir(), "reg")
	adminTok := initOffice(t, dir, "--office-key", hsmtest.URI("chancery", "office", pin), "--log-key", hsmtest.URI("chancery", "log", pin))
	st, closeOffice := open(t, dir)
	defer closeOffice()
	ctx := context.Background()
	l := newLetters(t, st, adminTok)
	ref := l.prepare(t, st.Registry)
	admin, err := st.Registry.Authenticate(ctx, adminTok)
	if err != nil {
		t.Fatal(err)
	}
	officerTok, err := st.Registry.AddMember(ctx, registry.Actor{Member: admin}, "officer-2", []string{registry.RoleRelease})
	if err != nil {
		t.Fatal(err)
	}
	var logged bytes.Buffer
	srv := httptest.NewServer(server.New(server.Config{Log: st.Log, DB: st.DB, VerifierKey: st.Dir.VerifierKey(),
		Origin: st.Dir.Settings.Origin, Registry: st.Registry, Logger: slog.New(slog.NewTextHandler(&logged, nil))}))
	defer srv.Close()
	do := func(method, path string) (int, string) {
		t.Helper()
		req, err := http.NewRequest(method, srv.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+officerTok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}

	size := st.Log.Head().Size
	tokens := filepath.Join(filepath.Dir(pin), "tokens")
	if err := os.Rename(tokens, tokens+".away"); err != nil {
		t.Fatal(err)
	}
	if code, body := do("POST", "/api/v1/letters/"+ref+"/release"); code != http.StatusServiceUnavailable || !strings.Contains(body, "signing key cannot sign") {
		t.Errorf("release with the token away: %d %s", code, body)
	}
	if !strings.Contains(logged.String(), "no such token") {
		t.Errorf("the server's log does not say why the release failed:\n%s", logged.String())
	}
	if code, body := do("GET", "/readyz"); code != http.StatusServiceUnavailable || !strings.Contains(body, "the office key cannot sign") {
		t.Errorf("/readyz with the token away: %d %s", code, body)
	}
	if got := st.Log.Head().Size; got != size {
		t.Errorf("the log grew from %d to %d with the token away", size, got)
	}

	if err := os.Rename(tokens+".away", tokens); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		code, body := do("GET", "/readyz")
		if code == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("/readyz once the token is back: %d %s", code, body)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if code, body := do("POST", "/api/v1/letters/"+ref+"/release"); code != http.StatusCreated {
		t.Errorf("release once the token is back: %d %s", code, body)
	}
	if got := st.Log.Head().Size; got <= size {
		t.Errorf("the release once the token is back left the log at %d entries", got)
	}
}

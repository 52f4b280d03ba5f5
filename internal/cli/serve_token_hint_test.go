package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/hsm/hsmtest"
)

// TestServeHintsAtTheTokensRefusals: docs/keys.md says that serve, like every command that
// opens the data directory, stops with a wrong PIN or a missing token "with the same hints";
// serve, which opens the directory itself, printed the error alone. It gives the hint the
// other commands give.
func TestServeHintsAtTheTokensRefusals(t *testing.T) {
	t.Setenv("CHANCERY_STATE_DIR", t.TempDir())
	pin := hsmtest.Token(t, "chancery", "office", "log")
	dir := filepath.Join(t.TempDir(), "office")
	if code, _, errs := run("init", "--data", dir, "--office", "Token Office", "--prefix", "TOK", "--url", "https://token.example", "--no-pdf-ca",
		"--office-key", hsmtest.URI("chancery", "office", pin), "--log-key", hsmtest.URI("chancery", "log", pin)); code != 0 {
		t.Fatalf("init: status %d\n%s", code, errs)
	}
	if err := os.WriteFile(pin, []byte("000000\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errs := run("serve", "--data", dir, "--listen", "127.0.0.1:0")
	if code != 2 || !strings.Contains(errs, "the PIN is wrong") || !strings.Contains(errs, "chancery: hint: check the token's user PIN") ||
		strings.Contains(errs, "000000") {
		t.Errorf("serve with a wrong PIN: status %d\n%s", code, errs)
	}
}

package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/hsm/hsmtest"
)

// TestBackupSaysTheKeysInATokenAreNotInIt: 'chancery backup' of an office whose office and log
// keys are in a PKCS#11 token held neither (rightly: they never leave the token) but said
// nothing of it, and its help said that a backup holds the office's and the log's signing
// keys: an operator could take it for all a restore needs. It says which keys are in the
// token and not in the backup, in its text and as keys_in_token in its JSON; a restore
// where the token is not says why with a hint, as other commands' refusals of a token do.
func TestBackupSaysTheKeysInATokenAreNotInIt(t *testing.T) {
	t.Setenv("CHANCERY_STATE_DIR", t.TempDir())
	pin := hsmtest.Token(t, "chancery", "office", "log")
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "office")
	if code, _, errs := run("init", "--data", dir, "--office", "Token Office", "--prefix", "TOK", "--url", "https://token.example", "--no-pdf-ca",
		"--office-key", hsmtest.URI("chancery", "office", pin), "--log-key", hsmtest.URI("chancery", "log", pin)); code != 0 {
		t.Fatalf("init: status %d\n%s", code, errs)
	}
	code, out, errs := run("backup", "--data", dir, "--out", filepath.Join(tmp, "a.tar"))
	if code != 0 || !strings.Contains(out, "the office key and the log key are in a PKCS#11 token and not in this backup") {
		t.Errorf("backup: status %d\n%s%s", code, out, errs)
	}
	code, out, errs = run("backup", "--data", dir, "--out", filepath.Join(tmp, "b.tar"), "--json")
	var res struct {
		InToken []string `json:"keys_in_token"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil || !slices.Equal(res.InToken, []string{"office", "log"}) {
		t.Errorf("backup --json: status %d\n%s%s", code, out, errs)
	}
	if code, out, errs := run("backup", "--help"); code != 0 || !strings.Contains(out, "not in the backup") {
		t.Errorf("backup --help: status %d\n%s%s", code, out, errs)
	}

	// Restored where the token is not, the restore says that the keys are in a token.
	tokens := filepath.Join(filepath.Dir(pin), "tokens")
	if err := os.Rename(tokens, tokens+".away"); err != nil {
		t.Fatal(err)
	}
	defer os.Rename(tokens+".away", tokens)
	code, _, errs = run("restore", "--data", filepath.Join(tmp, "restored"), filepath.Join(tmp, "a.tar"))
	if code == 0 || !strings.Contains(errs, "chancery: hint: the backup's office keeps its keys in a PKCS#11 token") {
		t.Errorf("restore without the token: status %d\n%s", code, errs)
	}
}

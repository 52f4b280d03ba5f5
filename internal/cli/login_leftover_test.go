package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
)

// TestLoginRemovesAKilledLoginsTemporaryFile: a 'chancery login' killed while it saved the
// token (after writing the temporary file, before renaming it to login.json) left that
// file, a copy of the token, in the configuration directory for good. The next login
// removes it; other files there are kept.
func TestLoginRemovesAKilledLoginsTemporaryFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "chancery")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "login.json")
	// What exclfile.Replace leaves when killed between writing and renaming.
	left := path + ".s5x1k2m3n4.tmp"
	other := filepath.Join(dir, "notes.tmp")
	for _, f := range []string{left, other} {
		if err := os.WriteFile(f, []byte(`{"token":"chy_killed"}`), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := cli.WriteLogin(path, "https://letters.example", "chy_new"); err != nil {
		t.Fatal(err)
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	if got := strings.Join(names, " "); got != "login.json notes.tmp" {
		t.Fatalf("the configuration directory holds %s, want login.json notes.tmp", got)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("login.json: %v %v", fi, err)
	}
}

package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// When the sign-in 'chancery login' saved had ended, commands said "no token" and to set
// CHANCERY_TOKEN to the token 'chancery init' or 'chancery member add' printed: a member who
// signs in through the office's provider has none, and needed only to sign in again.
func TestExpiredLoginSaysToSignInAgain(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("CHANCERY_TOKEN", "")
	t.Setenv("CHANCERY_TOKEN_FILE", "")
	const url = "http://127.0.0.1:1"
	t.Setenv("CHANCERY_URL", url)
	path, err := loginFile()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	ended := time.Date(2026, 3, 3, 17, 4, 0, 0, time.UTC)
	if err := writeLogin(path, &savedLogin{URL: url, Token: "chy_old", Name: "rita", Roles: []string{"drafter"}, ExpiresAt: ended}); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	code := Main([]string{"letter", "list"}, &stdout, &stderr)
	want := "chancery: error: no token: the sign-in of 'chancery login' to http://127.0.0.1:1 ended at 2026-03-03 17:04 UTC\n" +
		"chancery: hint: sign in again with 'chancery login' (or set CHANCERY_TOKEN)\n"
	if code != ExitError || stdout.Len() != 0 || stderr.String() != want {
		t.Errorf("letter list after the sign-in ended: exit %d, stdout %q, stderr\n%s\nwant\n%s", code, stdout.String(), stderr.String(), want)
	}
	// Without a saved sign-in for this registry, the hint is the token's.
	t.Setenv("CHANCERY_URL", "http://127.0.0.1:2")
	stdout.Reset()
	stderr.Reset()
	if code := Main([]string{"letter", "list"}, &stdout, &stderr); code != ExitError ||
		stderr.String() != "chancery: error: no token\nchancery: hint: set CHANCERY_TOKEN (or CHANCERY_TOKEN_FILE) to the token 'chancery init' or 'chancery member add' printed\n" {
		t.Errorf("letter list without a sign-in: exit %d, stderr\n%s", code, stderr.String())
	}
}

package cli_test

import (
	"bytes"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
)

// TestJSONErrorHoldsTheWarnings: with --json, a failing command's error is one JSON object on
// stderr, but the warnings (here, a token file others can read) were printed before it as
// "chancery: warning:" lines, and a script reading stderr as JSON could not parse it. They
// are now in the object's "warnings".
func TestJSONErrorHoldsTheWarnings(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing answers there
	file := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(file, []byte("not-a-real-token\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("CHANCERY_URL", "http://"+addr)
	t.Setenv("CHANCERY_TOKEN", "")
	t.Setenv("CHANCERY_TOKEN_FILE", file)
	var stdout, stderr bytes.Buffer
	code := cli.Main([]string{"letter", "list", "--json"}, &stdout, &stderr)
	if code != cli.ExitError {
		t.Fatalf("exit %d, want %d\n%s", code, cli.ExitError, stderr.String())
	}
	var got struct {
		Error    string   `json:"error"`
		Hint     string   `json:"hint"`
		Warnings []string `json:"warnings"`
	}
	dec := json.NewDecoder(&stderr)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil || dec.More() {
		t.Fatalf("stderr is not one JSON object (%v):\n%s", err, stderr.String())
	}
	if got.Error == "" || got.Hint == "" || len(got.Warnings) != 1 ||
		!strings.HasPrefix(got.Warnings[0], "CHANCERY_TOKEN_FILE "+file+" can be read or changed by others") {
		t.Fatalf("JSON error = %+v", got)
	}
	if stdout.Len() != 0 {
		t.Errorf("stdout: %q", stdout.String())
	}

	// Without --json, the warning is a line before the error, as before.
	stderr.Reset()
	if code := cli.Main([]string{"letter", "list"}, &stdout, &stderr); code != cli.ExitError ||
		!strings.HasPrefix(stderr.String(), "chancery: warning: CHANCERY_TOKEN_FILE ") || !strings.Contains(stderr.String(), "\nchancery: error: ") {
		t.Fatalf("exit %d\n%s", code, stderr.String())
	}
}

// TestPlainHTTPWarningHidesAPassword: the warning about a registry reached over plain http
// quoted its URL whole, a password in it included (CHANCERY_URL=http://user:password@host),
// on the terminal and in whatever logs it. The password is now masked, as Go's own errors
// mask it.
func TestPlainHTTPWarningHidesAPassword(t *testing.T) {
	t.Setenv("CHANCERY_URL", "http://rita:s3cret-pass@no-such-host.invalid:1")
	t.Setenv("CHANCERY_TOKEN", "chy_not_a_real_token")
	t.Setenv("CHANCERY_TOKEN_FILE", "")
	var stdout, stderr bytes.Buffer
	cli.Main([]string{"letter", "list"}, &stdout, &stderr)
	if !strings.Contains(stderr.String(), "chancery: warning: http://rita:xxxxx@no-such-host.invalid:1 is plain http") || strings.Contains(stderr.String(), "s3cret-pass") {
		t.Fatalf("stderr:\n%s", stderr.String())
	}
}

// TestJSONErrorOfARefusedFlag: a command given --json after a flag whose value was refused
// (--limit abc) printed its error as "chancery: error:" lines, flag parsing having stopped
// before --json: a script reading the error as JSON could not. It is JSON now, wherever
// --json is.
func TestJSONErrorOfARefusedFlag(t *testing.T) {
	for _, args := range [][]string{
		{"letter", "list", "--json", "--limit", "abc"},
		{"letter", "list", "--limit", "abc", "--json"},
	} {
		var stdout, stderr bytes.Buffer
		code := cli.Main(args, &stdout, &stderr)
		var got struct{ Error, Hint string }
		if err := json.Unmarshal(stderr.Bytes(), &got); code != cli.ExitError || err != nil || !strings.Contains(got.Error, `invalid argument "abc" for "--limit"`) || got.Hint == "" {
			t.Errorf("%q: status %d, stderr:\n%s", args, code, stderr.String())
		}
	}
	// Not a flag: a value given to another flag.
	var stdout, stderr bytes.Buffer
	if code := cli.Main([]string{"letter", "list", "--limit", "abc", "--search", "--json"}, &stdout, &stderr); code != cli.ExitError || !strings.HasPrefix(stderr.String(), "chancery: error: ") {
		t.Errorf("--search --json: status %d, stderr:\n%s", code, stderr.String())
	}
}

// TestLoginJSONErrorHoldsTheWarning: 'login --json' printed its warning about a registry
// reached over plain http before its JSON error; it is in the error's "warnings" now.
func TestLoginJSONErrorHoldsTheWarning(t *testing.T) {
	t.Setenv("CHANCERY_URL", "http://no-such-host.invalid:1")
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	var stdout, stderr bytes.Buffer
	code := cli.Main([]string{"login", "--json"}, &stdout, &stderr)
	var got struct {
		Error    string   `json:"error"`
		Hint     string   `json:"hint"`
		Warnings []string `json:"warnings"`
	}
	dec := json.NewDecoder(&stderr)
	if err := dec.Decode(&got); code != cli.ExitError || err != nil || dec.More() || len(got.Warnings) != 1 ||
		!strings.Contains(got.Warnings[0], "no-such-host.invalid:1 is plain http") {
		t.Fatalf("status %d, %+v (%v), stderr:\n%s", code, got, err, stderr.String())
	}
}

// TestBothTokensSaysWhichActs: with CHANCERY_TOKEN and CHANCERY_TOKEN_FILE both set, the
// first was used and the file never read, without a word: two tokens may be two members.
func TestBothTokensSaysWhichActs(t *testing.T) {
	o := newOffice(t)
	t.Setenv("CHANCERY_URL", o.url)
	t.Setenv("CHANCERY_TOKEN", o.tokens["rita"])
	t.Setenv("CHANCERY_TOKEN_FILE", filepath.Join(t.TempDir(), "sam.token"))
	var stdout, stderr bytes.Buffer
	code := cli.Main([]string{"letter", "list"}, &stdout, &stderr)
	if code != cli.ExitOK || !strings.Contains(stderr.String(), "chancery: warning: CHANCERY_TOKEN and CHANCERY_TOKEN_FILE are both set: CHANCERY_TOKEN is used") {
		t.Fatalf("exit %d\n%s", code, stderr.String())
	}
}

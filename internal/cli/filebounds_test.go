package cli_test

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/client"
)

// sparse makes a file of size bytes that takes no disk (its zeros are holes).
func sparse(t *testing.T, name string, size int64) string {
	t.Helper()
	f, err := os.OpenFile(name, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	return name
}

// TestCommandFilesReadToTheirBound: the small files the commands read (init's --pdf-cert and
// --pdf-key, 'key register', 'key rotate signer --from', 'key rotate pdf-cert --ca-key', the
// policy and cases of 'policy check' and 'policy test', CHANCERY_NEW_PASSWORD_FILE, the
// saved login) and a letter's file ('letter new --file') are refused as too large without
// being read whole. Before, each was read with os.ReadFile or io.ReadAll: a file of 256 MiB
// took 256 MiB of memory or more before it was refused, or was sent, and /dev/zero all there
// was.
func TestCommandFilesReadToTheirBound(t *testing.T) {
	dir := t.TempDir()
	big := sparse(t, filepath.Join(dir, "big"), 256<<20)
	huge := sparse(t, filepath.Join(dir, "huge"), client.MaxFileBytes+1)
	office := filepath.Join(dir, "office")
	if code, _, errs := run("init", "--data", office, "--office", "Bound Office", "--prefix", "BND", "--url", "https://bound.example"); code != 0 {
		t.Fatalf("init: %d\n%s", code, errs)
	}
	policy := "../../examples/policy.yaml"
	t.Setenv("CHANCERY_URL", "http://127.0.0.1:1")
	t.Setenv("CHANCERY_TOKEN", "chy_test")
	config := filepath.Join(dir, "config")
	t.Setenv("XDG_CONFIG_HOME", config)
	t.Setenv("HOME", dir)
	for _, c := range []struct {
		args []string
		env  string // CHANCERY_NEW_PASSWORD_FILE
		want string
	}{
		{args: []string{"init", "--data", filepath.Join(dir, "o2"), "--office", "B", "--prefix", "B", "--pdf-cert", big, "--pdf-key", big}, want: "larger than"},
		{args: []string{"init", "--data", filepath.Join(dir, "o3"), "--office", "B", "--prefix", "B", "--pdf-cert", filepath.Join(office, "pdf-signing.crt"), "--pdf-key", big}, want: "larger than"},
		{args: []string{"key", "register", big}, want: "larger than"},
		{args: []string{"key", "rotate", "signer", "--from", big, "--out", filepath.Join(dir, "new.key")}, want: "larger than"},
		{args: []string{"key", "rotate", "pdf-cert", "--data", office, "--ca-key", big}, want: "larger than"},
		{args: []string{"policy", "check", big}, want: "larger than"},
		{args: []string{"policy", "test", policy, big}, want: "larger than"},
		{args: []string{"letter", "new", "--subject", "S", "--class", "c", "--to", "A", "--file", huge}, want: "larger than"},
		{args: []string{"letter", "new", "--subject", "S", "--class", "c", "--to", "A", "--file", os.DevNull}, want: "not a file"},
		{args: []string{"member", "password"}, env: big, want: "larger than"},
	} {
		t.Run(strings.Join(c.args[:min(3, len(c.args))], " "), func(t *testing.T) {
			if c.env != "" {
				t.Setenv("CHANCERY_NEW_PASSWORD_FILE", c.env)
			}
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			code, stdout, stderr := run(c.args...)
			runtime.ReadMemStats(&after)
			if code == 0 || !strings.Contains(stderr, c.want) || !strings.Contains(stderr, "chancery: error: ") {
				t.Errorf("%s: exit %d, printed:\n%s%s\nwant the file refused (%q)", strings.Join(c.args, " "), code, stdout, stderr, c.want)
			}
			if n := after.TotalAlloc - before.TotalAlloc; n > 64<<20 { // far below the 256 MiB read before; compiling a policy alone allocates about 20 MiB
				t.Errorf("%s: refusing the file allocated %d MiB", strings.Join(c.args, " "), n>>20)
			}
		})
	}

	// The saved login is read by every command without CHANCERY_TOKEN: a large one is
	// ignored, unread.
	t.Setenv("CHANCERY_TOKEN", "")
	if err := os.MkdirAll(filepath.Join(config, "chancery"), 0o700); err != nil {
		t.Fatal(err)
	}
	sparse(t, filepath.Join(config, "chancery", "login.json"), 256<<20)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	code, _, stderr := run("letter", "list")
	runtime.ReadMemStats(&after)
	if code == 0 || !strings.Contains(stderr, "no token") {
		t.Errorf("letter list with a large saved login: exit %d\n%s\nwant no token", code, stderr)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 64<<20 { // far below the 256 MiB read before; compiling a policy alone allocates about 20 MiB
		t.Errorf("a large saved login: reading it allocated %d MiB", n>>20)
	}
}

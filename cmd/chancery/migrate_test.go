package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/store/storetest"
	"github.com/chancery/chancery/internal/testbin"
)

// TestMigrateDemoThenREADME builds the demo office on SQLite, moves it to PostgreSQL with
// `chancery store migrate`, checks that the source is untouched and that a second migration
// into the now non-empty database is refused, then runs the README's walkthrough, from its
// first step after init, against a server of the moved office.
func TestMigrateDemoThenREADME(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs servers")
	}
	dbURL := storetest.PostgresURL(t)
	bin := testbin.Build(t)
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()

	// The demo office, on SQLite.
	demo := exec.CommandContext(ctx, bin, "serve", "--demo", "--data", filepath.Join(dir, "demo"), "--listen", "127.0.0.1:0")
	var stderr bytes.Buffer
	demo.Stderr = &stderr
	stdout, err := demo.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := demo.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	for sc.Scan() && !strings.HasPrefix(sc.Text(), "chancery: serving ") {
	}
	demo.Process.Signal(syscall.SIGTERM)
	demo.Wait()
	tok := regexp.MustCompile(`admin token, shown once: (\S+)`).FindStringSubmatch(stderr.String())
	if tok == nil {
		t.Fatalf("the demo printed no admin token:\n%s", stderr.String())
	}
	src := filepath.Join(dir, "demo", "chancery.db")
	before := fileSum(t, src)

	run := func(args ...string) ([]byte, error) {
		return exec.CommandContext(ctx, bin, args...).CombinedOutput()
	}
	out, err := run("store", "migrate", "--data", filepath.Join(dir, "demo"), "--to", dbURL)
	if err != nil || !bytes.Contains(out, []byte("log of 6 entries verified")) {
		t.Fatalf("store migrate: %v\n%s", err, out)
	}
	if fileSum(t, src) != before {
		t.Error("store migrate changed the source database")
	}
	// The migrated directory is marked: a second migration is refused, as serving it is.
	if out, err := run("store", "migrate", "--data", filepath.Join(dir, "demo"), "--to", dbURL); err == nil || !bytes.Contains(out, []byte("moved this office to")) {
		t.Errorf("a second migration of the migrated directory: %v\n%s", err, out)
	}
	// Without the mark (the operator going back before anything was logged on PostgreSQL),
	// a database that holds the office already is still refused.
	if err := os.Remove(filepath.Join(dir, "demo", "moved.json")); err != nil {
		t.Fatal(err)
	}
	if out, err := run("store", "migrate", "--data", filepath.Join(dir, "demo"), "--to", dbURL); err == nil || !bytes.Contains(out, []byte("not empty")) {
		t.Errorf("a second migration into the same database: %v\n%s", err, out)
	}

	// The README's walkthrough, after init, against the moved office: a copy of the data
	// directory without its SQLite database, served from PostgreSQL.
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)<!-- walkthrough:[^>]*-->\n```sh\n(.*?)```").FindSubmatch(readme)
	if m == nil {
		t.Fatal("README.md has no walkthrough block")
	}
	lines := strings.SplitN(string(m[1]), "\n", 3)
	if !strings.Contains(lines[0], "chancery init") || !strings.HasPrefix(lines[1], "chancery serve --data tfn &") {
		t.Fatalf("the walkthrough no longer starts with init and serve:\n%s\n%s", lines[0], lines[1])
	}
	script := `chancery serve --data tfn --database "$CHANCERY_DATABASE" & sleep 1` + "\n" + lines[2]
	if out, err := exec.Command("cp", "-a", filepath.Join(dir, "demo"), filepath.Join(dir, "tfn")).CombinedOutput(); err != nil {
		t.Fatalf("copy: %v\n%s", err, out)
	}
	for _, f := range []string{"chancery.db", "chancery.db-wal", "chancery.db-shm", "serve.lock"} {
		os.Remove(filepath.Join(dir, "tfn", f))
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	cmd := exec.CommandContext(ctx, "bash", "-euo", "pipefail", "-c", script)
	cmd.Dir = dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.WaitDelay = 5 * time.Second
	t.Cleanup(func() {
		if cmd.Process != nil {
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		}
	})
	cmd.Env = append(os.Environ(),
		"PATH="+filepath.Dir(bin)+string(os.PathListSeparator)+os.Getenv("PATH"),
		"CHANCERY_LISTEN="+addr, "CHANCERY_URL=http://"+addr, "CHANCERY_TOKEN="+tok[1], "CHANCERY_DATABASE="+dbURL)
	out, err = cmd.CombinedOutput()
	t.Logf("walkthrough output:\n%s", out)
	if err != nil {
		t.Fatalf("walkthrough against the moved office failed: %v", err)
	}
	for _, want := range []string{
		"release refused: missing 1 approval by a reviewer; missing 1 signature by a signer",
		"refused, as it must be",
		"valid: TFN-",
		"draft: not an official document",
		"best match: TFN-",
		"altered: these bytes are not a released letter, but the text is that of TFN-",
		"retracted: TFN-",
		"Sent before coordination ended",
		"letter.release",
		"(log entry 7)", // after the demo's 6 entries
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("walkthrough output lacks %q", want)
		}
	}
}

func fileSum(t *testing.T, name string) [sha256.Size]byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

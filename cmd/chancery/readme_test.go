package main

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/testbin"
)

// TestREADMEWalkthrough runs the README's walkthrough block, as it is, with the chancery binary
// built from this tree on PATH, in an empty folder, against a server on a free port.
func TestREADMEWalkthrough(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs a server")
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)<!-- walkthrough:[^>]*-->\n```sh\n(.*?)```").FindSubmatch(readme)
	if m == nil {
		t.Fatal("README.md has no walkthrough block")
	}
	script := string(m[1])

	bin := filepath.Dir(testbin.Build(t))
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dir := t.TempDir()
	cmd := exec.CommandContext(ctx, "bash", "-euo", "pipefail", "-c", script)
	cmd.Dir = dir
	// The walkthrough starts a server in the background: if the script stops early, the server
	// must not keep the output pipe (and the test) waiting.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.WaitDelay = 5 * time.Second
	t.Cleanup(func() {
		if cmd.Process != nil {
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		}
	})
	cmd.Env = append(os.Environ(),
		"PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
		"CHANCERY_LISTEN="+addr, "CHANCERY_URL=http://"+addr)
	out, err := cmd.CombinedOutput()
	t.Logf("walkthrough output:\n%s", out)
	if err != nil {
		t.Fatalf("walkthrough failed: %v", err)
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
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("walkthrough output lacks %q", want)
		}
	}
}

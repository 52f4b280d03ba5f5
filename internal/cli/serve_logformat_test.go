package cli_test

import (
	"bufio"
	"encoding/json"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/syncbuf"
	"github.com/chancery/chancery/internal/testbin"
)

// TestServeLogsOnlyJSONWithLogFormatJSON: with --log-format json every line serve writes to
// stderr is a JSON object, as log shippers parse them. Before, the office's own lines (the
// kept answers held in memory, at every start; the followers' failures on PostgreSQL) went
// through the default logger as plain text. (What net/http logs itself: TestOpsServerLogsThroughItsLogger.)
func TestServeLogsOnlyJSONWithLogFormatJSON(t *testing.T) {
	bin := testbin.Shared(t, "./cmd/chancery")
	dir := filepath.Join(t.TempDir(), "reg")
	if code, _, stderr := run("init", "--data", dir, "--office", "Log Office", "--prefix", "LOG"); code != 0 {
		t.Fatalf("init: exit %d\n%s", code, stderr)
	}
	free := func() string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		return ln.Addr().String()
	}
	cmd := exec.Command(bin, "serve", "--data", dir, "--listen", "127.0.0.1:0", "--log-format", "json",
		"--answer-memory", "1000000", "--metrics-listen", "0.0.0.0:0", "--debug-listen", free())
	var stderr syncbuf.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Kill()
		cmd.Wait()
	}()
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if rest, ok := strings.CutPrefix(sc.Text(), "chancery: serving "); ok {
				found <- strings.Fields(rest)[0]
			}
		}
		close(found)
	}()
	var base string
	select {
	case u, ok := <-found:
		if !ok {
			t.Fatalf("serve exited before serving:\n%s", stderr.String())
		}
		base = u
	case <-time.After(60 * time.Second):
		t.Fatalf("serve did not start within 60s:\n%s", stderr.String())
	}
	resp, err := http.Get(base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(stderr.String(), "kept answers held in memory") || !strings.Contains(stderr.String(), "/healthz") {
		if time.Now().After(deadline) {
			t.Fatalf("serve did not log the kept answers and the request within 30s:\n%s", stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	cmd.Wait()
	warned := false
	for _, line := range strings.Split(strings.TrimSpace(stderr.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Errorf("a line of serve --log-format json is not JSON: %q", line)
		}
		msg, _ := m["msg"].(string)
		warned = warned || m["level"] == "WARN" && strings.HasPrefix(msg, "the metrics listener listens on ")
	}
	// The warning of a metrics listener other machines may reach was a plain-text line
	// ("chancery: warning: …"), written before the logger existed (audit, fifty-sixth session).
	if !warned {
		t.Errorf("serve --metrics-listen 0.0.0.0:0 logged no warning that other machines may reach it:\n%s", stderr.String())
	}
}

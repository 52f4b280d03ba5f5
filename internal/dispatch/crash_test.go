package dispatch

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/testbin"
)

// serveProc is a chancery serve process.
type serveProc struct {
	cmd *exec.Cmd
	out bytes.Buffer
}

func startServer(t *testing.T, bin, data, addr string, extra ...string) *serveProc {
	t.Helper()
	s := &serveProc{cmd: exec.Command(bin, append([]string{"serve", "--data", data, "--listen", addr}, extra...)...)}
	s.cmd.Stdout, s.cmd.Stderr = &s.out, &s.out
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.cmd.Process.Kill(); s.cmd.Wait() })
	waitFor(t, "the server", func() bool {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
		}
		return err == nil && resp.StatusCode == 200
	})
	return s
}

// run runs a chancery client command with a token and returns its standard output.
func run(t *testing.T, bin, addr, token string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "CHANCERY_URL=http://"+addr, "CHANCERY_TOKEN="+token)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chancery %s: %v\n%s%s", strings.Join(args, " "), err, out, stderr.String())
	}
	return out
}

// demoTokens reads the tokens 'serve --demo' wrote.
func demoTokens(t *testing.T, data string) map[string]string {
	f, err := os.Open(filepath.Join(data, "demo", "tokens.env"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok && !strings.HasPrefix(k, "#") {
			out[strings.TrimPrefix(k, "CHANCERY_TOKEN_")] = v
		}
	}
	return out
}

// TestKillWith200Queued: the server is killed (SIGKILL) right after 200 messages are queued;
// restarted, it delivers all of them, each with its own Message-ID. A message the SMTP server
// accepted in the instant before the kill, and that the outbox had not yet marked sent, is
// sent again after the restart with the same Message-ID: the only duplicates possible, at
// most two per SMTP connection (dispatch.Run), and recognisable by the receiver.
func TestKillWith200Queued(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs a server")
	}
	mp := startMailpit(t)
	bin := testbin.Build(t)
	data, addr := t.TempDir(), freePort(t)
	const conns = 4
	flags := []string{"--smtp", mp.url(), "--mail-from", "registry@tfn.example", "--smtp-connections", fmt.Sprint(conns), "--dispatch-backoff", "10ms"}
	s := startServer(t, bin, data, addr, append([]string{"--demo"}, flags...)...)
	tok := demoTokens(t, data)

	var list struct{ Letters []registry.LetterSummary }
	if err := json.Unmarshal(run(t, bin, addr, tok["ADMIN"], "letter", "list", "--json"), &list); err != nil {
		t.Fatal(err)
	}
	var ref string
	for _, l := range list.Letters {
		if l.State == "released" {
			ref = l.Reference
		}
	}
	if ref == "" {
		t.Fatalf("the demo has no released letter: %+v", list)
	}
	args := []string{"recipient", "add", "bulk", "--organization", "Bulk registry"}
	for i := range 200 {
		args = append(args, "--email", fmt.Sprintf("r%03d@bulk.example", i))
	}
	run(t, bin, addr, tok["ADMIN"], args...)
	run(t, bin, addr, tok["RORY"], "dispatch", ref, "--recipient", "bulk")
	if err := syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	s.cmd.Wait()
	before := len(mp.messages(t))
	t.Logf("%d of 200 messages had reached the SMTP server when the server was killed", before)

	startServer(t, bin, data, addr, flags...)
	var status []registry.DispatchView
	waitFor(t, "200 messages sent", func() bool {
		if err := json.Unmarshal(run(t, bin, addr, tok["RORY"], "dispatch", "status", ref, "--json"), &status); err != nil {
			t.Fatal(err)
		}
		sent := 0
		for _, v := range status {
			if v.Status == "sent" {
				sent++
			}
		}
		return sent == 200
	})
	ids, total := map[string]int{}, 0
	to := map[string]bool{}
	for _, m := range mp.messages(t) {
		if strings.HasSuffix(m.To[0].Address, "@bulk.example") {
			total++
			ids[m.MessageID]++
			to[m.To[0].Address] = true
		}
	}
	for _, v := range status {
		if ids[v.MessageID] == 0 {
			t.Errorf("%s (%s) is marked sent but Mailpit has no message with its Message-ID", v.Email, v.MessageID)
		}
	}
	t.Logf("Mailpit holds %d messages with %d distinct Message-IDs", total, len(ids))
	if len(ids) != 200 || len(to) != 200 {
		t.Fatalf("%d distinct Message-IDs to %d addresses, want 200", len(ids), len(to))
	}
	if total-len(ids) > 2*conns {
		t.Fatalf("%d duplicates: more than the %d messages that can be between acceptance and record at a kill", total-len(ids), 2*conns)
	}
}

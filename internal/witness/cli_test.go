package witness

import (
	"bufio"
	"context"
	"errors"
	"net"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/chancery/chancery/internal/testbin"
)

// 'chancery witness serve' killed with SIGKILL right after answering keeps every size it
// cosigned: started again on its directory, it goes on from the last one.
func TestServeSurvivesKill(t *testing.T) {
	ctx := context.Background()
	bin := testbin.Build(t)
	dir := t.TempDir()
	k := newLogKey(t)
	lg := newTestLog(t, k, "main")
	run(t, exec.Command(bin, "witness", "add-log", "--data", dir, "--origin", testOrigin, "--key", k.vkey))

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	serve := func() (*exec.Cmd, string) {
		t.Helper()
		cmd := exec.Command(bin, "witness", "serve", "--data", dir, "--name", "witness.test.example/cli", "--listen", addr)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		// The second line names the verifier key; serving has begun once it is printed.
		sc := bufio.NewScanner(out)
		var lines []string
		for len(lines) < 2 && sc.Scan() {
			lines = append(lines, sc.Text())
		}
		m := regexp.MustCompile(`^chancery: verifier key (\S+)$`).FindStringSubmatch(strings.Join(lines[1:], ""))
		if m == nil {
			t.Fatalf("witness serve printed %q", lines)
		}
		waitFor(t, "the witness to listen", func() bool {
			c, err := net.Dial("tcp", addr)
			if err == nil {
				c.Close()
			}
			return err == nil
		})
		return cmd, m[1]
	}

	lg.grow(1)
	var held int64
	var vkey string
	for round := range 3 {
		cmd, vk := serve()
		if round > 0 && vk != vkey {
			t.Fatalf("verifier key changed across a restart: %s, was %s", vk, vkey)
		}
		vkey = vk
		c := newClient(t, "cli", "http://"+addr, vkey)
		size, cp := lg.Latest()
		_, err := c.AddCheckpoint(ctx, 0, nil, cp)
		var conflict *ConflictError
		switch {
		case round == 0 && err != nil:
			t.Fatal(err)
		case round == 0:
			held = size
		case !errors.As(err, &conflict) || conflict.Size != held:
			t.Fatalf("round %d: old size 0: %v, want a conflict at %d", round, err, held)
		}
		lg.grow(2)
		size, cp = lg.Latest()
		if _, err := c.AddCheckpoint(ctx, held, lg.proof(held, size), cp); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		held = size
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
	}
	if got := strings.TrimSpace(run(t, exec.Command(bin, "witness", "key", "--data", dir))); got != vkey {
		t.Errorf("witness key printed %q, serve %q", got, vkey)
	}
}

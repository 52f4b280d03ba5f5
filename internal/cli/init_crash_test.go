package cli_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/chancery/chancery/internal/cli"
	"github.com/chancery/chancery/internal/datadir"
	officepkg "github.com/chancery/chancery/internal/office"
	"github.com/chancery/chancery/internal/registry"
)

// initCrashEnv holds the arguments of the init TestInitCrashChild runs, separated by
// newlines, the last being the step of init after which it is killed.
const initCrashEnv = "CHANCERY_CLI_INIT_CRASH"

// initKilled runs init with args in a child process, SIGKILLed after step, and returns what
// it printed on stdout.
func initKilled(t *testing.T, step string, args ...string) string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestInitCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), initCrashEnv+"="+strings.Join(append(args, step), "\n"))
	var out, errs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errs
	err := cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("init was not killed after %s: %v\n%s%s", step, err, out.String(), errs.String())
	}
	return out.String()
}

// TestInitKilledBeforeItsTokenIsKeptIssuesANewOne: an init SIGKILLed after it printed the
// admin's token, before the operator could keep it, left a finished office whose only admin
// nobody could act for, and no local way to issue them a token. The same init run again
// gives the admin a new token; the one printed before stops working; then init refuses as
// for any finished office.
func TestInitKilledBeforeItsTokenIsKeptIssuesANewOne(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a child process")
	}
	dir := filepath.Join(t.TempDir(), "office")
	args := []string{"init", "--data", dir, "--office", "Crash Office", "--prefix", "CRA", "--url", "https://crash.example", "--no-pdf-ca"}
	lost := strings.TrimSpace(initKilled(t, "printed", args...))
	if !strings.HasPrefix(lost, "chy_") {
		t.Fatalf("the killed init printed %q, not a token", lost)
	}

	code, out, errs := run(args...)
	if code != 0 {
		t.Fatalf("init again after the token was lost: status %d\n%s", code, errs)
	}
	tok := strings.TrimSpace(out)
	code, _, errs = run(args...)
	if code == 0 || !strings.Contains(errs, "already initialized") {
		t.Fatalf("init of the finished office: status %d\n%s", code, errs)
	}
	d, err := datadir.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	st, err := officepkg.Open(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if m, err := st.Registry.Authenticate(context.Background(), tok); err != nil || m.Name != "admin" {
		t.Fatalf("the new token: %v, %v; want the admin", m, err)
	}
	if _, err := st.Registry.Authenticate(context.Background(), lost); !errors.Is(err, registry.ErrUnauthenticated) {
		t.Fatalf("the token of the killed init: %v, want it refused", err)
	}
}

// TestInitCrashChild is the child of the init crash tests: it runs the init initCrashEnv
// gives, with stdout its own, and kills itself after the step named last.
func TestInitCrashChild(t *testing.T) {
	v := os.Getenv(initCrashEnv)
	if v == "" {
		t.Skip("run as a child process by the init crash tests")
	}
	args := strings.Split(v, "\n")
	step := args[len(args)-1]
	cli.SetInitStep(func(s string) {
		if s == step {
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
		}
	})
	code := cli.Main(args[:len(args)-1], os.Stdout, os.Stderr)
	t.Fatalf("init ran to its end (status %d) without its step %s", code, step)
}

package cli_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"

	"github.com/chancery/chancery/internal/cli"
)

// killedEnv holds, for TestKilledChild, the command's arguments, then the hook and the step
// at which the child kills itself, separated by newlines.
const killedEnv = "CHANCERY_CLI_KILLED_AT"

// killedAt runs the command args in a child process that SIGKILLs itself when hook ("init":
// init's steps; "rotate": key rotate office's; "restore": the names restore moves in;
// "backup": "staged", once the database is copied beside the backup's file) reaches
// step, and returns what the command printed on stdout.
func killedAt(t *testing.T, hook, step string, args ...string) string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestKilledChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), "TMPDIR="+t.TempDir(), killedEnv+"="+strings.Join(append(args, hook, step), "\n"))
	var out, errs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errs
	err := cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("%s was not killed at %s %s: %v\n%s%s", args[0], hook, step, err, out.String(), errs.String())
	}
	return out.String()
}

// TestKilledChild is the child process of killedAt.
func TestKilledChild(t *testing.T) {
	v := os.Getenv(killedEnv)
	if v == "" {
		t.Skip("run as a child process by the crash tests (killedAt)")
	}
	args := strings.Split(v, "\n")
	n := len(args)
	hook, step := args[n-2], args[n-1]
	kill := func(s string) {
		if s == step {
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
		}
	}
	switch hook {
	case "init":
		cli.SetInitStep(kill)
	case "rotate":
		cli.SetRotateStep(kill)
	case "restore":
		cli.SetRestoreMovedIn(kill)
	case "backup":
		cli.SetBackupStaged(func(context.Context) { kill("staged") })
	default:
		t.Fatalf("no hook %q", hook)
	}
	code := cli.Main(args[:n-2], os.Stdout, os.Stderr)
	t.Fatalf("the command ran to its end (status %d) without reaching %s %s", code, hook, step)
}

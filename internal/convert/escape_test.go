//go:build linux

package convert_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/convert"
)

// sleepers returns the processes running sleep(1) with the one argument arg.
func sleepers(arg string) []int {
	var pids []int
	procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, p := range procs {
		b, err := os.ReadFile(p)
		if err != nil || !bytes.Equal(b, []byte("sleep\x00"+arg+"\x00")) {
			continue
		}
		if pid, err := strconv.Atoi(filepath.Base(filepath.Dir(p))); err == nil {
			pids = append(pids, pid)
		}
	}
	return pids
}

// survivors waits a little for the sleepers of arg to end and returns those still running,
// killing them.
func survivors(t *testing.T, arg string) []int {
	t.Helper()
	var left []int
	for range 100 {
		if left = sleepers(arg); len(left) == 0 {
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, pid := range left {
		syscall.Kill(pid, syscall.SIGKILL)
	}
	return left
}

// sleepArg returns an argument for sleep(1) that no other process of the machine is likely to
// run it with: a number of seconds, long enough to outlive any test.
func sleepArg() string {
	return fmt.Sprintf("%d", 900000+os.Getpid()%50000+int(time.Now().UnixNano()%1000))
}

// TestConversionLeavesNoProcess: a conversion's end, by its time limit or by LibreOffice's
// own, killed its process group only, so a process LibreOffice started that left the group
// (setsid(2), as code a hostile letter took over can do) ran on, with the letter's files and
// without a time limit. Every process a conversion starts ends with it.
func TestConversionLeavesNoProcess(t *testing.T) {
	if _, err := exec.LookPath("setsid"); err != nil {
		t.Skip("setsid not installed")
	}
	for _, c := range []struct{ name, script string }{
		{"time limit", "sleep 300\n"},
		{"exit", "exit 0\n"},
	} {
		arg := sleepArg()
		prog := filepath.Join(t.TempDir(), "escaping-soffice")
		script := "#!/bin/sh\nsetsid sleep " + arg + " </dev/null >/dev/null 2>&1 &\nsleep 0.5\n" + c.script
		if err := os.WriteFile(prog, []byte(script), 0o700); err != nil {
			t.Fatal(err)
		}
		conv, err := convert.Find(prog, 2*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := conv.ToPDF(context.Background(), docxType, []byte("the letter")); err == nil {
			t.Fatalf("%s: the conversion succeeded", c.name)
		}
		if left := survivors(t, arg); len(left) > 0 {
			t.Errorf("%s: processes %v the conversion started outlived it", c.name, left)
		}
	}
}

// convertSleeperEnv names, for TestConvertChild's kin TestConvertSleeperChild, the program
// the child's converter runs.
const convertSleeperEnv = "CHANCERY_CONVERT_SLEEPER"

// TestConvertSleeperChild is the child process of TestConversionEndsWithItsServer: a server
// converting a letter with a converter that takes its time.
func TestConvertSleeperChild(t *testing.T) {
	prog := os.Getenv(convertSleeperEnv)
	if prog == "" {
		t.Skip("run as a child process by TestConversionEndsWithItsServer")
	}
	c, err := convert.Find(prog, 10*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ToPDF(context.Background(), docxType, []byte("the letter"))
	t.Fatalf("the conversion ended (%v) before the child was killed", err)
}

// TestConversionEndsWithItsServer: a server killed (kill -9, the OOM killer) while it
// converted a letter left LibreOffice running, its time limit gone with the server, for as
// long as a hostile letter kept it busy; the next server removes the conversion's directory
// but knew nothing of its processes. A conversion's processes end with their server.
func TestConversionEndsWithItsServer(t *testing.T) {
	arg := sleepArg()
	prog := filepath.Join(t.TempDir(), "slow-soffice")
	if err := os.WriteFile(prog, []byte("#!/bin/sh\nsleep "+arg+" &\nwait\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestConvertSleeperChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), convertSleeperEnv+"="+prog)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	for i := 0; len(sleepers(arg)) == 0; i++ {
		if i == 500 {
			t.Fatal("the child's conversion did not start")
		}
		time.Sleep(20 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	if left := survivors(t, arg); len(left) > 0 {
		t.Errorf("processes %v of the killed server's conversion are still running", left)
	}
}

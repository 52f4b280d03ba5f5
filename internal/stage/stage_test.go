package stage_test

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/stage"
)

// childEnv holds, for TestChild, the parent directory and what the child does once it has
// made its working directory ("kill": SIGKILL itself; "hold": print the path and wait).
const childEnv = "CHANCERY_STAGE_CHILD"

const prefix = ".work-"

// TestChild is the child process of TestRemoveStaleKeepsHeldDirectories.
func TestChild(t *testing.T) {
	v := os.Getenv(childEnv)
	if v == "" {
		t.Skip("run as a child process by TestRemoveStaleKeepsHeldDirectories")
	}
	dir, what, _ := strings.Cut(v, "\n")
	p, _, err := stage.New(dir, prefix)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(p, "copy.db"), []byte("letters"), 0o600); err != nil {
		t.Fatal(err)
	}
	if what == "kill" {
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
	}
	os.Stdout.WriteString(p + "\n")
	time.Sleep(time.Minute)
	t.Fatal("the holder was not killed")
}

// child starts TestChild in dir.
func child(t *testing.T, dir, what string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), childEnv+"="+dir+"\n"+what)
	return cmd
}

// TestRemoveStaleKeepsHeldDirectories: a run SIGKILLed after making its working directory
// (a backup's staging copy, a conversion's files) left it, with what it had written; the next
// run's RemoveStale removes it, but not the directory of a run still going (another process
// holding its lock), nor directories of other names. Once that run is killed too, its
// directory goes as well.
func TestRemoveStaleKeepsHeldDirectories(t *testing.T) {
	dir := t.TempDir()
	err := child(t, dir, "kill").Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("the child was not killed: %v", err)
	}
	killed, _ := filepath.Glob(filepath.Join(dir, prefix+"*"))
	if len(killed) != 1 {
		t.Fatalf("the killed child left %v, want one working directory", killed)
	}

	holder := child(t, dir, "hold")
	out, err := holder.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := holder.Start(); err != nil {
		t.Fatal(err)
	}
	defer holder.Process.Kill()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("the holder printed no directory: %v", err)
	}
	held := strings.TrimSpace(line)
	notOurs := filepath.Join(dir, prefix+"notes")
	if err := os.Mkdir(notOurs, 0o700); err != nil {
		t.Fatal(err)
	}

	if err := stage.RemoveStale(dir, prefix); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]bool{killed[0]: false, held: true, notOurs: true} {
		if _, err := os.Lstat(p); (err == nil) != want {
			t.Errorf("%s: kept %v, want %v", filepath.Base(p), err == nil, want)
		}
	}

	holder.Process.Signal(syscall.SIGKILL)
	holder.Wait()
	if err := stage.RemoveStale(dir, prefix); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(held); !os.IsNotExist(err) {
		t.Errorf("the killed holder's directory is still there: %v", err)
	}
}

// TestNewAndRelease: New's directory is private and locked; release removes it.
func TestNewAndRelease(t *testing.T) {
	dir := t.TempDir()
	p, release, err := stage.New(dir, prefix)
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != 0o700 || !stage.Named(filepath.Base(p), prefix) {
		t.Fatalf("New made %s (%v, %v)", p, fi, err)
	}
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err == nil {
		t.Error("New's directory is not locked")
	}
	f.Close()
	release()
	if _, err := os.Lstat(p); !os.IsNotExist(err) {
		t.Errorf("release left %s: %v", p, err)
	}
}

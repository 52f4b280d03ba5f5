package datadir

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// initCrashEnv holds the data directory and the file after whose writing TestInitCrashChild
// is killed, separated by a newline.
const initCrashEnv = "CHANCERY_DATADIR_INIT_CRASH"

var crashSettings = Settings{Office: "Crash Office", Prefix: "CRA", Origin: "crash.example/log", URL: "https://crash.example"}

// TestInitKilledWritingItsKeysIsFinishedByInitAgain: an init SIGKILLed after it wrote a key
// file, before the settings, left the file under its own name, and init again refused it
// ("file exists"): the directory could only be cleaned by hand. Killed at any point, init
// now leaves staged files the next init replaces, or settings whose keys Reopen moves in.
func TestInitKilledWritingItsKeysIsFinishedByInitAgain(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a child process")
	}
	for _, step := range []string{"log.key.init", "office.key.init", "dispatch.key.init", "chancery.json", "log.key", "office.key"} {
		t.Run(step, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "office")
			cmd := exec.Command(os.Args[0], "-test.run=^TestInitCrashChild$", "-test.count=1")
			cmd.Env = append(os.Environ(), initCrashEnv+"="+dir+"\n"+step)
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			err := cmd.Run()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
				t.Fatalf("init was not killed after writing %s: %v\n%s", step, err, out.String())
			}
			d, err := Init(dir, crashSettings)
			if errors.Is(err, ErrInitialized) {
				d, err = Reopen(dir, crashSettings)
			}
			if err != nil {
				t.Fatalf("init again after a kill after %s: %v", step, err)
			}
			defer d.Close()
			d2, err := Open(dir)
			if err != nil {
				t.Fatalf("open the directory init finished: %v", err)
			}
			defer d2.Close()
			if d2.VerifierKey() != d.VerifierKey() || !bytes.Equal(d2.DispatchSecret(), d.DispatchSecret()) {
				t.Error("the directory opens with other keys than init again gave")
			}
			names, _ := os.ReadDir(dir)
			for _, n := range names {
				if strings.HasSuffix(n.Name(), stagedSuffix) || strings.HasSuffix(n.Name(), ".tmp") {
					t.Errorf("%s is left in the directory", n.Name())
				}
			}
		})
	}
}

// A file under a key's own name, in a directory without settings, is not init's: it is
// refused, never overwritten.
func TestInitRefusesAKeyFileItDidNotWrite(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, logKeyFile), []byte("someone's\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Init(dir, crashSettings); !errors.Is(err, os.ErrExist) {
		t.Fatalf("init over a log.key: %v, want it refused", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, logKeyFile)); string(b) != "someone's\n" {
		t.Fatalf("log.key became %q", b)
	}
	if _, err := os.Stat(filepath.Join(dir, settingsFile)); err == nil {
		t.Fatal("the refused init wrote settings")
	}
}

// TestInitCrashChild is the child of TestInitKilledWritingItsKeysIsFinishedByInitAgain: it
// runs Init and kills itself once the file initCrashEnv names is written.
func TestInitCrashChild(t *testing.T) {
	v := os.Getenv(initCrashEnv)
	if v == "" {
		t.Skip("run as a child process by TestInitKilledWritingItsKeysIsFinishedByInitAgain")
	}
	dir, step, _ := strings.Cut(v, "\n")
	initStep = func(name string) {
		if name == step {
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
		}
	}
	_, err := Init(dir, crashSettings)
	t.Fatalf("init ran to its end without writing %s: %v", step, err)
}

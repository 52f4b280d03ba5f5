package officeca

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// createCrashEnv holds the directory and the file after whose writing TestCreateCrashChild is
// killed, separated by a newline.
const createCrashEnv = "CHANCERY_OFFICECA_CRASH"

// TestCreateKilledMidwayIsDiscardedAndMadeAgain: a Create SIGKILLed after some of its files
// left them whole or torn, and a new Create refused them (ErrExists), so that an init killed
// there could not be finished. Killed after any file, it now leaves either the whole
// material, which Load reads, or files Load does not read, which Discard removes for a new
// Create.
func TestCreateKilledMidwayIsDiscardedAndMadeAgain(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a child process")
	}
	for _, step := range []string{CACertFile, CAKeyFile, SigningKeyFile, SigningCertFile} {
		t.Run(step, func(t *testing.T) {
			dir := t.TempDir()
			cmd := exec.Command(os.Args[0], "-test.run=^TestCreateCrashChild$", "-test.count=1")
			cmd.Env = append(os.Environ(), createCrashEnv+"="+dir+"\n"+step)
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			err := cmd.Run()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
				t.Fatalf("create was not killed after writing %s: %v\n%s", step, err, out.String())
			}
			_, err = Load(dir)
			if step == SigningCertFile {
				if err != nil {
					t.Fatalf("the material of a create killed after its last file: %v", err)
				}
				return
			}
			if !errors.Is(err, ErrNoCertificate) {
				t.Fatalf("load after a kill after %s: %v, want no certificate", step, err)
			}
			if err := Discard(dir); err != nil {
				t.Fatal(err)
			}
			if err := Create(dir, "Crash Office", time.Now()); err != nil {
				t.Fatalf("create again: %v", err)
			}
			if _, err := Load(dir); err != nil {
				t.Fatal(err)
			}
			names, _ := os.ReadDir(dir)
			for _, n := range names {
				if strings.HasSuffix(n.Name(), ".tmp") {
					t.Errorf("%s is left in the directory", n.Name())
				}
			}
		})
	}
}

// Discard leaves whole material alone.
func TestDiscardKeepsWholeMaterial(t *testing.T) {
	dir := t.TempDir()
	if err := Create(dir, "Office", time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := Discard(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(dir); err != nil {
		t.Fatalf("load after Discard of whole material: %v", err)
	}
}

// TestCreateCrashChild is the child of TestCreateKilledMidwayIsDiscardedAndMadeAgain: it runs
// Create and kills itself once the file createCrashEnv names is written.
func TestCreateCrashChild(t *testing.T) {
	v := os.Getenv(createCrashEnv)
	if v == "" {
		t.Skip("run as a child process by TestCreateKilledMidwayIsDiscardedAndMadeAgain")
	}
	dir, step, _ := strings.Cut(v, "\n")
	written = func(name string) {
		if name == step {
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
		}
	}
	err := Create(dir, "Crash Office", time.Now())
	t.Fatalf("create ran to its end without writing %s: %v", step, err)
}

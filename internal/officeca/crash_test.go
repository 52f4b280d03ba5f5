package officeca

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
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

// renewCrashEnv holds the directory and the step (a file written or renamed) after which
// TestRenewCrashChild is killed, separated by a newline.
const renewCrashEnv = "CHANCERY_OFFICECA_RENEW_CRASH"

// TestRenewKilledMidwayIsFinished: a Renew SIGKILLed after any of its steps leaves the old
// pair or the new one, which Load reads, or the new key beside the old certificate, which
// Load refuses with the hint to renew again; Renew run again finishes or redoes the renewal,
// leaving no staged file.
func TestRenewKilledMidwayIsFinished(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a child process")
	}
	for _, step := range []string{renewedKeyFile, renewedCertFile, SigningKeyFile, SigningCertFile} {
		t.Run(step, func(t *testing.T) {
			dir := t.TempDir()
			if err := Create(dir, "Crash Office", time.Now().AddDate(-3, 0, 0)); err != nil {
				t.Fatal(err)
			}
			old, err := Load(dir)
			if err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(os.Args[0], "-test.run=^TestRenewCrashChild$", "-test.count=1")
			cmd.Env = append(os.Environ(), renewCrashEnv+"="+dir+"\n"+step)
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			err = cmd.Run()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
				t.Fatalf("renew was not killed after %s: %v\n%s", step, err, out.String())
			}
			s, err := Load(dir)
			switch step {
			case SigningKeyFile:
				if err == nil || !strings.Contains(err.Error(), "again to finish it") {
					t.Fatalf("load after a kill between the renames: %v, want the hint to renew again", err)
				}
			case SigningCertFile:
				if err != nil || s.Cert.Equal(old.Cert) {
					t.Fatalf("load after a kill after the last rename: %v, or the old certificate", err)
				}
			default:
				if err != nil || !s.Cert.Equal(old.Cert) {
					t.Fatalf("load after a kill before the renames: %v, or not the old certificate", err)
				}
			}
			caKey, err := os.ReadFile(filepath.Join(dir, CAKeyFile))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := Renew(dir, caKey, time.Now()); err != nil {
				t.Fatalf("renew again: %v", err)
			}
			if s, err := Load(dir); err != nil || s.Cert.Equal(old.Cert) {
				t.Fatalf("load after renewing again: %v, or the old certificate", err)
			}
			names, _ := os.ReadDir(dir)
			for _, n := range names {
				if strings.HasSuffix(n.Name(), ".new") || strings.HasSuffix(n.Name(), ".tmp") {
					t.Errorf("%s is left in the directory", n.Name())
				}
			}
		})
	}
}

// TestRenewCrashChild is the child of TestRenewKilledMidwayIsFinished: it runs Renew and
// kills itself once the step renewCrashEnv names is done.
func TestRenewCrashChild(t *testing.T) {
	v := os.Getenv(renewCrashEnv)
	if v == "" {
		t.Skip("run as a child process by TestRenewKilledMidwayIsFinished")
	}
	dir, step, _ := strings.Cut(v, "\n")
	written = func(name string) {
		if name == step {
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
		}
	}
	caKey, err := os.ReadFile(filepath.Join(dir, CAKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Renew(dir, caKey, time.Now())
	t.Fatalf("renew ran to its end without %s: %v", step, err)
}

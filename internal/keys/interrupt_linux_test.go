package keys_test

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/chancery/chancery/internal/keys"
)

// TestInterruptedPromptGivesTheEchoBack: the passphrase prompt turns the terminal's echo off
// and turned it on again only when the read returned, so Ctrl-C at the prompt (the way to
// decline what 'chancery sign' shows) left the signer's shell echoing nothing, whatever they
// typed next. A child process asks on a pseudo-terminal and is interrupted there.
func TestInterruptedPromptGivesTheEchoBack(t *testing.T) {
	if os.Getenv("CHANCERY_TEST_PROMPT_CHILD") == "1" {
		keys.Passphrase("passphrase: ", os.Stdin, os.Stderr)
		return
	}
	_, slave := openPTY(t)
	echo := func() bool {
		tio, err := unix.IoctlGetTermios(int(slave.Fd()), unix.TCGETS)
		if err != nil {
			t.Fatal(err)
		}
		return tio.Lflag&unix.ECHO != 0
	}
	if !echo() {
		t.Fatal("a new pseudo-terminal without echo")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestInterruptedPromptGivesTheEchoBack$", "-test.count=1")
	cmd.Env = append(os.Environ(), "CHANCERY_TEST_PROMPT_CHILD=1", keys.PassphraseEnv+"=", keys.PassphraseFileEnv+"=")
	cmd.Stdin = slave
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	r := bufio.NewReader(stderr)
	var seen strings.Builder
	for !strings.Contains(seen.String(), "passphrase: ") {
		b, err := r.ReadByte()
		if err != nil {
			t.Fatalf("the child ended before its prompt: %v\n%s", err, seen.String())
		}
		seen.WriteByte(b)
	}
	// The prompt is written before the echo is turned off: wait for the read to begin.
	for deadline := time.Now().Add(30 * time.Second); echo(); {
		if time.Now().After(deadline) {
			t.Fatal("the prompt never turned the echo off")
		}
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	err = cmd.Wait()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGINT {
		t.Errorf("the interrupted child: %v, want it killed by SIGINT", err)
	}
	if !echo() {
		t.Error("the terminal was left without echo after Ctrl-C at the passphrase prompt")
	}
}

// openPTY opens a pseudo-terminal and returns its two ends.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { m.Close() })
	var unlock int32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, m.Fd(), syscall.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock))); e != 0 {
		t.Skipf("unlock the pseudo-terminal: %v", e)
	}
	var n uint32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, m.Fd(), syscall.TIOCGPTN, uintptr(unsafe.Pointer(&n))); e != 0 {
		t.Skipf("name the pseudo-terminal: %v", e)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("open the pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return m, s
}

package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"unsafe"

	"github.com/chancery/chancery/internal/keys"
)

// openPTY opens a pseudo-terminal and returns its two ends: what the test writes to master,
// a command reads from the terminal slave.
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

// TestKeyNewAsksThePassphraseTwice: a new key's passphrase typed at a terminal was read once,
// unseen, so that a typo made a key file no one could open; 'key rotate signer' went on to
// register that key and revoke the one its signer could open. Like 'member password', it is
// asked twice now, and two that differ write nothing.
func TestKeyNewAsksThePassphraseTwice(t *testing.T) {
	t.Setenv(keys.PassphraseEnv, "")
	t.Setenv(keys.PassphraseFileEnv, "")
	for _, tc := range []struct {
		name, typed string
		ok          bool
	}{
		{"differ", "correct horse battery\ncorrect horse batterx\n", false},
		{"same", "correct horse battery\ncorrect horse battery\n", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			master, slave := openPTY(t)
			stdin := os.Stdin
			os.Stdin = slave
			t.Cleanup(func() { os.Stdin = stdin })
			if _, err := master.WriteString(tc.typed); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(t.TempDir(), "sam.key")
			var stdout, stderr bytes.Buffer
			code := Main([]string{"key", "new", "--out", out}, &stdout, &stderr)
			_, statErr := os.Lstat(out)
			if !tc.ok {
				if code != ExitError || statErr == nil {
					t.Fatalf("two different passphrases: status %d, key file written: %v\n%s", code, statErr == nil, stderr.String())
				}
				if !strings.Contains(stderr.String(), "chancery: error:") {
					t.Errorf("no error line:\n%s", stderr.String())
				}
				return
			}
			if code != ExitOK {
				t.Fatalf("status %d\n%s", code, stderr.String())
			}
			if _, err := keys.Load(out, "correct horse battery"); err != nil {
				t.Errorf("the passphrase typed does not open the key: %v", err)
			}
		})
	}
}

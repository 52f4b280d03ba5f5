package verify

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// openPTY returns the two ends of a new pseudo-terminal.
func openPTY(t *testing.T) (master, slave *os.File) {
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	var n uint32
	var unlock int32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, m.Fd(), syscall.TIOCGPTN, uintptr(unsafe.Pointer(&n))); e != 0 {
		m.Close()
		t.Skipf("no pseudo-terminals here: %v", e)
	}
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, m.Fd(), syscall.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock))); e != 0 {
		m.Close()
		t.Skipf("no pseudo-terminals here: %v", e)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		m.Close()
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	return m, s
}

// TestTerminalLinesAsTheyCome: on a terminal, verify held every line until the last file was
// verified (to print them after the progress line), so that a folder of many files held all
// their results in memory at once: 335 MB for 200,000 empty files, where a pipe took 86 MB.
// Each line is now printed as soon as it is known, on a terminal too: here the letter's line
// must show while the next file, a pipe, is still being read.
func TestTerminalLinesAsTheyCome(t *testing.T) {
	files := sealVectors(t)
	dir := t.TempDir()
	trust := filepath.Join(dir, "trust.json")
	letter := filepath.Join(dir, "letter.txt")
	for name, b := range map[string][]byte{trust: files["trust.json"], letter: files["letter.txt"],
		letter + ".seal": files["seals/valid.json"]} {
		if err := os.WriteFile(name, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	master, slave := openPTY(t)
	defer master.Close()
	defer slave.Close()
	var mu sync.Mutex
	var shown bytes.Buffer
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := master.Read(buf)
			mu.Lock()
			shown.Write(buf[:n])
			mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	done := make(chan int, 1)
	go func() {
		done <- Main([]string{"--offline", "--trust", trust, letter, fmt.Sprintf("/dev/fd/%d", r.Fd())}, slave, slave)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		mu.Lock()
		got := strings.Contains(shown.String(), letter+": ")
		mu.Unlock()
		if got {
			break
		}
		if time.Now().After(deadline) {
			t.Error("the letter's line was not shown while the next file was being read")
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	w.Write(files["letter.txt"])
	w.Close()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatal("verify did not end once the pipe was closed")
	}
}

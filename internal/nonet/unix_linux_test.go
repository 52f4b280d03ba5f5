package nonet

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// ioUringSetup numbers io_uring_setup(2), the same on every architecture.
const ioUringSetup = 425

// unixChild is what the test binary does as a child with NONET_UNIX set to "what:path": it
// tries what and exits 0 if it got through, 3 if not (the error on its standard error).
//   - stream: connects to the stream listener at path (a resolver's, PostgreSQL's, D-Bus's);
//   - datagram: sends to the datagram socket at path from a datagram socket of its own;
//   - datagram-pair: the same from one of a datagram pair (socketpair(2)), which a connected
//     datagram socket does too when given an address;
//   - io_uring: sets up an io_uring (which makes and connects sockets of itself);
//   - pair: makes a stream pair and sends a byte over it, as programs do between their own
//     processes.
func unixChild(spec string) int {
	what, path, _ := strings.Cut(spec, ":")
	err := func() error {
		switch what {
		case "stream":
			c, err := net.Dial("unix", path)
			if err != nil {
				return err
			}
			return c.Close()
		case "datagram":
			fd, err := syscall.Socket(syscall.AF_UNIX, syscall.SOCK_DGRAM, 0)
			if err != nil {
				return err
			}
			return syscall.Sendto(fd, []byte("x"), 0, &syscall.SockaddrUnix{Name: path})
		case "datagram-pair":
			fds, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_DGRAM, 0)
			if err != nil {
				return err
			}
			return syscall.Sendto(fds[0], []byte("x"), 0, &syscall.SockaddrUnix{Name: path})
		case "io_uring":
			var params [120]byte // struct io_uring_params
			fd, _, errno := syscall.Syscall(ioUringSetup, 1, uintptr(unsafe.Pointer(&params)), 0)
			if errno != 0 {
				return fmt.Errorf("io_uring_setup: %w", errno)
			}
			return syscall.Close(int(fd))
		case "pair":
			fds, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_STREAM, 0)
			if err != nil {
				return err
			}
			if _, err := syscall.Write(fds[0], []byte("x")); err != nil {
				return err
			}
			_, err = syscall.Read(fds[1], make([]byte, 1))
			return err
		}
		return fmt.Errorf("unknown: %q", what)
	}()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	return 0
}

// runUnixChild starts the test binary as a unixChild doing spec, through Isolate when
// isolate, and returns its exit code and standard error.
func runUnixChild(t *testing.T, isolate bool, spec string) (int, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "NONET_UNIX="+spec)
	if isolate && !Isolate(cmd) {
		t.Fatal("Isolate did not isolate, though Available")
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode(), stderr.String()
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0, stderr.String()
}

// TestIsolatedChildReachesNoUnixSocket: a child started through Isolate cannot reach a Unix
// socket on the file system. The network namespace refuses abstract sockets, not those with
// a path: the child connected to a stream listener (as to a local resolver's, PostgreSQL's,
// D-Bus's socket), and sent to a datagram socket (as to syslog's), also from a socketpair(2).
func TestIsolatedChildReachesNoUnixSocket(t *testing.T) {
	if !Available() {
		t.Skip("network namespaces are not available to this process (unprivileged user namespaces refused?)")
	}
	dir := t.TempDir()
	// Reachable by the child whatever its user: as another user (nobody), the temporary
	// directory is the test's.
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	stream := filepath.Join(dir, "stream")
	ln, err := net.Listen("unix", stream)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	datagram := filepath.Join(dir, "datagram")
	pc, err := net.ListenPacket("unixgram", datagram)
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	for _, p := range []string{stream, datagram} {
		if err := os.Chmod(p, 0o777); err != nil {
			t.Fatal(err)
		}
	}
	for _, spec := range []string{"stream:" + stream, "datagram:" + datagram, "datagram-pair:" + datagram} {
		if code, stderr := runUnixChild(t, false, spec); code != 0 {
			t.Fatalf("%s: the child as it is could not reach the socket (exit %d: %s): the test proves nothing here", spec, code, stderr)
		}
		code, stderr := runUnixChild(t, true, spec)
		if code == 0 {
			t.Errorf("%s: the isolated child reached the socket", spec)
			continue
		}
		if code != 3 || !strings.Contains(stderr, "permission denied") {
			t.Errorf("%s: the isolated child exited %d (%s), want 3 and permission denied", spec, code, strings.TrimSpace(stderr))
		}
	}
}

// TestIsolatedChildHasNoIoUring: a child started through Isolate cannot set up an io_uring,
// whose operations make a Unix socket and connect it without the system calls the filter
// refuses.
func TestIsolatedChildHasNoIoUring(t *testing.T) {
	if !Available() {
		t.Skip("network namespaces are not available to this process (unprivileged user namespaces refused?)")
	}
	if code, stderr := runUnixChild(t, false, "io_uring:"); code != 0 {
		t.Skipf("io_uring is not available here: %s", stderr)
	}
	if code, stderr := runUnixChild(t, true, "io_uring:"); code != 3 || !strings.Contains(stderr, "permission denied") {
		t.Fatalf("the isolated child exited %d (%s), want 3 and permission denied", code, strings.TrimSpace(stderr))
	}
}

// TestIsolatedChildKeepsSocketPairs: what programs do between their own processes still
// works in an isolated child: a stream socketpair(2) (LibreOffice's processes talk so).
func TestIsolatedChildKeepsSocketPairs(t *testing.T) {
	if !Available() {
		t.Skip("network namespaces are not available to this process (unprivileged user namespaces refused?)")
	}
	if code, stderr := runUnixChild(t, true, "pair:"); code != 0 {
		t.Fatalf("the isolated child could not use a socket pair (exit %d): %s", code, stderr)
	}
}

// TestWithoutFilterStillNamespaced: where the filter cannot be installed (here: this program
// cannot be started again), Available reports false, so that serve warns, and Isolate
// reports false too but still gives the child its network namespace.
func TestWithoutFilterStillNamespaced(t *testing.T) {
	if !Available() {
		t.Skip("network namespaces are not available to this process (unprivileged user namespaces refused?)")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	self = filepath.Join(t.TempDir(), "missing")
	probe, available = sync.Once{}, false
	t.Cleanup(func() { self, probe, available = "/proc/self/exe", sync.Once{}, false })
	if Available() {
		t.Fatal("Available, though the filter cannot be installed")
	}
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "NONET_DIAL="+ln.Addr().String())
	if Isolate(cmd) {
		t.Error("Isolate reported the child isolated, though the filter cannot be installed")
	}
	err = cmd.Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 3 {
		t.Fatalf("the child without the filter reached the listener, or failed otherwise: %v", err)
	}
}

// TestFilterNumbers: the filter's system call numbers for this architecture are package
// syscall's (io_uring_setup(2), which it does not name, is the same everywhere), and
// x/sys/unix's for the calls that make namespaces.
func TestFilterNumbers(t *testing.T) {
	a, ok := abis[runtime.GOARCH]
	if !ok {
		t.Skipf("no filter for %s", runtime.GOARCH)
	}
	if a.socket != syscall.SYS_SOCKET || a.socketpair != syscall.SYS_SOCKETPAIR || a.connect != syscall.SYS_CONNECT || a.ioUringSetup != ioUringSetup {
		t.Errorf("filter's numbers %+v, want socket %d, socketpair %d, connect %d, io_uring_setup %d",
			a, syscall.SYS_SOCKET, syscall.SYS_SOCKETPAIR, syscall.SYS_CONNECT, ioUringSetup)
	}
	if a.clone != unix.SYS_CLONE || a.clone3 != unix.SYS_CLONE3 || a.unshare != unix.SYS_UNSHARE || a.setns != unix.SYS_SETNS {
		t.Errorf("filter's numbers %+v, want clone %d, clone3 %d, unshare %d, setns %d",
			a, unix.SYS_CLONE, unix.SYS_CLONE3, unix.SYS_UNSHARE, unix.SYS_SETNS)
	}
}

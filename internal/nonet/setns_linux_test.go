package nonet

import (
	"errors"
	"net"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"syscall"
	"testing"
)

// setnsCalls numbers setns(2) on the architectures the tests run on (package syscall does not
// name it, and golang.org/x/sys is not a dependency of Chancery's own).
var setnsCalls = map[string]uintptr{"amd64": 308, "arm64": 268, "riscv64": 268, "loong64": 268, "386": 346, "arm": 375, "ppc64le": 350, "s390x": 339}

// enterNetwork joins the network namespace of process pid, as a program with code of an
// attacker's running in an isolated child could: setns(2) on /proc/PID/ns/net.
func enterNetwork(pid string) error {
	runtime.LockOSThread() // for good: the namespace is this thread's
	f, err := os.Open("/proc/" + pid + "/ns/net")
	if err != nil {
		return err
	}
	defer f.Close()
	if _, _, errno := syscall.Syscall(setnsCalls[runtime.GOARCH], f.Fd(), syscall.CLONE_NEWNET, 0); errno != 0 {
		return errno
	}
	return nil
}

// TestIsolatedChildCannotRejoinTheNetwork: a child started through Isolate cannot join the
// server's network namespace again. As root, Isolate gave the child a network namespace
// alone, and the child, root with every capability, joined the server's with one setns(2)
// on /proc/PID/ns/net and reached the listener (and so the office's network); in a user
// namespace of its own it lacks the capability that setns(2) asks for over the server's.
func TestIsolatedChildCannotRejoinTheNetwork(t *testing.T) {
	if !Available() {
		t.Skip("network namespaces are not available to this process (unprivileged user namespaces refused?)")
	}
	if setnsCalls[runtime.GOARCH] == 0 {
		t.Skipf("setns(2)'s number on %s is not known to the test", runtime.GOARCH)
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
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "NONET_DIAL="+ln.Addr().String(), "NONET_SETNS="+strconv.Itoa(os.Getpid()))
	if !Isolate(cmd) {
		t.Fatal("Isolate did not isolate, though Available")
	}
	err = cmd.Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		t.Fatalf("the isolated child joined this process's network namespace and reached the listener (euid %d): %v", os.Geteuid(), err)
	}
	if ee.ExitCode() != 4 {
		t.Errorf("the isolated child exited %d, want 4 (refused to join the namespace)", ee.ExitCode())
	}
}

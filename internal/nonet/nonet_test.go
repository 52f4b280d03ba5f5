package nonet

import (
	"errors"
	"net"
	"os"
	"os/exec"
	"testing"
	"time"
)

// TestMain makes the test binary also the child the tests start: with NONET_DIAL set, it
// dials that address and exits 0 if it got through, 3 if not; with NONET_SETNS set too, it
// first joins the network namespace of that process (enterNetwork), and exits 4 if it cannot.
// With NONET_UNIX set, it tries to reach a Unix socket (unixChild); with NONET_FILES set, to
// read or write a file (filesChild); with NONET_NS set, to make a namespace (nsChild).
func TestMain(m *testing.M) {
	if spec := os.Getenv(nsEnv); spec != "" {
		os.Exit(nsChild(spec))
	}
	if spec := os.Getenv("NONET_UNIX"); spec != "" {
		os.Exit(unixChild(spec))
	}
	if spec := os.Getenv("NONET_FILES"); spec != "" {
		os.Exit(filesChild(spec))
	}
	if addr := os.Getenv("NONET_DIAL"); addr != "" {
		if pid := os.Getenv("NONET_SETNS"); pid != "" && enterNetwork(pid) != nil {
			os.Exit(4)
		}
		c, err := net.DialTimeout("tcp", addr, 2*time.Second)
		if err != nil {
			os.Exit(3)
		}
		c.Close()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestIsolate: a child started as it is reaches a listener on this machine's loopback; one
// started through Isolate reaches nothing.
func TestIsolate(t *testing.T) {
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
	dial := func(isolate bool) int {
		t.Helper()
		cmd := exec.Command(os.Args[0])
		cmd.Env = append(os.Environ(), "NONET_DIAL="+ln.Addr().String())
		if isolate && !Isolate(cmd) {
			t.Fatal("Isolate did not isolate, though Available")
		}
		err := cmd.Run()
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		if err != nil {
			t.Fatal(err)
		}
		return 0
	}
	if code := dial(false); code != 0 {
		t.Fatalf("the child as it is could not reach the listener (exit %d): the test proves nothing here", code)
	}
	if code := dial(true); code != 3 {
		t.Fatalf("the isolated child exited %d: it reached the listener", code)
	}
}

// BenchmarkRun: what a network namespace adds to starting a program (true(1)), against the
// same program started as it is.
func BenchmarkRun(b *testing.B) {
	path, err := exec.LookPath("true")
	if err != nil {
		b.Skip(err)
	}
	work := b.TempDir()
	for _, how := range []string{"plain", "isolated", "confined"} {
		b.Run(how, func(b *testing.B) {
			if how != "plain" && !Available() {
				b.Skip("network namespaces are not available")
			}
			if how == "confined" && !Confined() {
				b.Skip("mount namespaces are not available")
			}
			for b.Loop() {
				cmd := exec.Command(path)
				switch how {
				case "isolated":
					Isolate(cmd)
				case "confined":
					IsolateFiles(cmd, Files{Hide: []string{work + "/data"}, Writable: []string{work}, Keep: ProgramDirs(path)})
				}
				if err := cmd.Run(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

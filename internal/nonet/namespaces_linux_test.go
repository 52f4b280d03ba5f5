package nonet

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// nsEnv holds what the test binary does as a child with it set (nsChild).
const nsEnv = "NONET_NS"

// newFlags are the flags that ask clone(2) for a namespace of each kind but time, whose flag
// clone(2) reads as part of the exit signal.
var newFlags = map[string]uintptr{
	"user":   syscall.CLONE_NEWUSER,
	"mount":  syscall.CLONE_NEWNS,
	"pid":    syscall.CLONE_NEWPID,
	"net":    syscall.CLONE_NEWNET,
	"ipc":    syscall.CLONE_NEWIPC,
	"uts":    syscall.CLONE_NEWUTS,
	"cgroup": syscall.CLONE_NEWCGROUP,
}

// nsChild is what the test binary does as a child with nsEnv set to "what:arg": it exits 0
// if it got through, 3 if not (the error on its standard error).
//   - clone: starts true(1) in a namespace of the kind arg names (newFlags, or "time", which
//     Go asks clone3(2) for), or all of them with "all", as code of an attacker's would;
//   - unshare: executes unshare(1) from util-linux with the arguments arg (space-separated);
//   - calls: makes unshare(2) with no flags, setns(2) on no descriptor and clone3(2) with no
//     arguments, and succeeds if they returned what the filter returns (arg "filtered") or
//     what the kernel does (arg "kernel");
//   - work: runs threads, and /bin/sh, which forks and executes true(1), as programs do.
func nsChild(spec string) int {
	what, arg, _ := strings.Cut(spec, ":")
	err := func() error {
		switch what {
		case "clone":
			return cloneNamespace(arg)
		case "unshare":
			out, err := exec.Command("unshare", strings.Fields(arg)...).CombinedOutput()
			if err != nil {
				return fmt.Errorf("unshare %s: %v: %s", arg, err, out)
			}
			return nil
		case "calls":
			return namespaceCalls(arg == "filtered")
		case "work":
			return work()
		}
		return fmt.Errorf("unknown: %q", what)
	}()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	return 0
}

func cloneNamespace(kind string) error {
	var flags uintptr
	switch kind {
	case "all":
		for _, f := range newFlags {
			flags |= f
		}
	case "time":
		flags = unix.CLONE_NEWTIME
	default:
		flags = newFlags[kind]
	}
	if flags == 0 {
		return fmt.Errorf("unknown namespace %q", kind)
	}
	cmd := exec.Command("true")
	// A new user namespace is not mapped: a confined child cannot write the map of one (no
	// capability over its own), but makes it all the same, and the namespaces it owns.
	cmd.SysProcAttr = &syscall.SysProcAttr{Cloneflags: flags}
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("true in a new %s namespace: %w", kind, err)
	}
	return nil
}

// namespaceCalls makes calls that create or join no namespace, whatever the filter, so that
// their results tell only whether the filter refused them.
func namespaceCalls(filtered bool) error {
	want := map[string]syscall.Errno{"unshare": 0, "setns": syscall.EBADF, "clone3": syscall.EINVAL}
	if filtered {
		want = map[string]syscall.Errno{"unshare": syscall.EPERM, "setns": syscall.EPERM, "clone3": syscall.ENOSYS}
	}
	got := map[string]syscall.Errno{}
	_, _, got["unshare"] = syscall.RawSyscall(unix.SYS_UNSHARE, 0, 0, 0)
	fd := -1
	_, _, got["setns"] = syscall.RawSyscall(unix.SYS_SETNS, uintptr(fd), 0, 0)
	_, _, got["clone3"] = syscall.RawSyscall(unix.SYS_CLONE3, 0, 0, 0)
	var errs []error
	for call, errno := range want {
		if got[call] != errno {
			errs = append(errs, fmt.Errorf("%s returned %q, want %q", call, got[call], errno))
		}
	}
	return errors.Join(errs...)
}

// work runs threads (goroutines locked to threads of their own at once, which the runtime
// makes new threads for) and a shell that forks twice.
func work() error {
	const n = 8
	tids := make(chan int, n)
	release := make(chan struct{})
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			tids <- syscall.Gettid()
			<-release
		})
	}
	seen := map[int]bool{}
	for range n {
		seen[<-tids] = true
	}
	close(release)
	wg.Wait()
	var errs []error
	if len(seen) != n {
		errs = append(errs, fmt.Errorf("%d goroutines locked to threads ran on %d threads", n, len(seen)))
	}
	if out, err := exec.Command("/bin/sh", "-c", "true & wait $! && /bin/sh -c true").CombinedOutput(); err != nil {
		errs = append(errs, fmt.Errorf("/bin/sh: %v: %s", err, out))
	}
	return errors.Join(errs...)
}

// runNsChild starts the test binary as an nsChild doing spec: as it is (how ""), through
// Isolate ("isolate"), or through IsolateFiles ("confine"), with a writable directory as
// conversions have. It returns the child's exit code and standard error.
func runNsChild(t *testing.T, how, spec string) (int, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), nsEnv+"="+spec)
	switch how {
	case "isolate":
		if !Isolate(cmd) {
			t.Fatal("Isolate did not isolate, though Available")
		}
	case "confine":
		exe, err := os.Executable()
		if err != nil {
			t.Fatal(err)
		}
		work := filepath.Join(t.TempDir(), "work")
		if err := os.Mkdir(work, 0o700); err != nil {
			t.Fatal(err)
		}
		if !IsolateFiles(cmd, Files{Writable: []string{work}, Keep: []string{exe}}) {
			t.Fatal("IsolateFiles did not confine, though Confined")
		}
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

// TestIsolatedChildMakesNoNamespace: a child started through Isolate or IsolateFiles made
// user namespaces of its own, nested in its own (unshare -U), and others in them: that
// revealed nothing, but it let the child mount a tmpfs as big as it liked, and reach much of
// the kernel that only a namespace's "root" reaches. The filter refuses unshare(2) and
// setns(2), clone(2) asking for a namespace, and clone3(2), whose flags it cannot read. Each
// attempt is first made by the same child started as it is, where it gets through (or, for
// namespaces other than a user one, which need root, does not without root).
func TestIsolatedChildMakesNoNamespace(t *testing.T) {
	requireConfined(t)
	specs := []string{"clone:all", "clone:time"}
	for kind := range newFlags {
		specs = append(specs, "clone:"+kind)
	}
	if _, err := exec.LookPath("unshare"); err == nil {
		specs = append(specs, "unshare:-U true", "unshare:-Umpinu --fork true")
	} else {
		t.Log("no unshare(1) from util-linux: its attempts are not made")
	}
	for _, spec := range specs {
		t.Run(spec, func(t *testing.T) {
			code, stderr := runNsChild(t, "", spec)
			switch {
			case code == 0:
			case spec != "clone:user" && spec != "clone:all" && spec != "unshare:-U true":
				// Without root, only a user namespace comes first; the time namespace
				// needs a kernel with CONFIG_TIME_NS too.
				t.Logf("the child as it is did not get through either (exit %d: %s)", code, strings.TrimSpace(stderr))
			default:
				t.Fatalf("the child as it is failed (exit %d: %s): the test proves nothing here", code, strings.TrimSpace(stderr))
			}
			for _, how := range []string{"isolate", "confine"} {
				code, stderr := runNsChild(t, how, spec)
				t.Logf("%s: exit %d: %s", how, code, strings.TrimSpace(stderr))
				if code != 3 {
					t.Errorf("%s: the child exited %d: it made the namespace", how, code)
					continue
				}
				// Go's and unshare(1)'s words for EPERM; clone3(2)'s ENOSYS for a time namespace.
				refused := strings.Contains(stderr, "operation not permitted") || strings.Contains(stderr, "Operation not permitted")
				if spec == "clone:time" {
					refused = strings.Contains(stderr, "function not implemented")
				}
				if !refused {
					t.Errorf("%s: the child failed otherwise than by the filter: %s", how, strings.TrimSpace(stderr))
				}
			}
		})
	}
}

// TestFilterRefusesNamespaceCalls: unshare(2), setns(2) and clone3(2) made so that they create
// or join nothing return what the kernel does for a child as it is, and what the filter does
// (EPERM, EPERM, ENOSYS) for an isolated or confined one: the filter, not a namespace's
// limits, refuses them.
func TestFilterRefusesNamespaceCalls(t *testing.T) {
	requireConfined(t)
	if code, stderr := runNsChild(t, "", "calls:kernel"); code != 0 {
		t.Fatalf("the child as it is: exit %d: %s", code, stderr)
	}
	for _, how := range []string{"isolate", "confine"} {
		if code, stderr := runNsChild(t, how, "calls:filtered"); code != 0 {
			t.Errorf("%s: exit %d: %s", how, code, stderr)
		}
	}
}

// TestIsolatedChildStillWorks: a filtered child still runs threads and forks and executes
// programs, which clone(2) without a namespace's flag does (and glibc's clone3(2), which
// falls back on clone(2) when refused with ENOSYS).
func TestIsolatedChildStillWorks(t *testing.T) {
	requireConfined(t)
	for _, how := range []string{"", "isolate", "confine"} {
		if code, stderr := runNsChild(t, how, "work:"); code != 0 {
			t.Errorf("%q: exit %d: %s", how, code, stderr)
		}
	}
}

// runFilter runs prog, as the kernel would, on a system call of architecture arch, number nr,
// and arguments args (their low 32 bits, which is what the filter loads), and returns what
// it returns. It knows only the instructions program uses.
func runFilter(t *testing.T, prog []sockFilter, arch, nr uint32, args ...uint32) uint32 {
	t.Helper()
	data := map[uint32]uint32{offNr: nr, offArch: arch}
	for i, a := range args {
		data[offArg0+8*uint32(i)] = a
	}
	var acc uint32
	for pc := 0; pc < len(prog); pc++ {
		in := prog[pc]
		jump := func(cond bool) {
			if cond {
				pc += int(in.jt)
			} else {
				pc += int(in.jf)
			}
		}
		switch in.code {
		case bpfLdWAbs:
			acc = data[in.k]
		case bpfAndK:
			acc &= in.k
		case bpfJeqK:
			jump(acc == in.k)
		case bpfJgeK:
			jump(acc >= in.k)
		case bpfJsetK:
			jump(acc&in.k != 0)
		case bpfRetK:
			return in.k
		default:
			t.Fatalf("instruction %d: unknown code %#x", pc, in.code)
		}
	}
	t.Fatal("the filter ran past its end")
	return 0
}

// TestFilterProgram: the filter, for each architecture it knows, run on the system calls it
// checks: its hand-counted jumps land where they should, for arm64 too, where the tests do
// not run. Ordinary clone(2) calls (a thread's, a fork's, Go's vfork) pass; one asking for
// any namespace does not.
func TestFilterProgram(t *testing.T) {
	const sigchld = uint32(syscall.SIGCHLD)
	thread := uint32(syscall.CLONE_VM | syscall.CLONE_FS | syscall.CLONE_FILES | syscall.CLONE_SIGHAND |
		syscall.CLONE_THREAD | syscall.CLONE_SYSVSEM | syscall.CLONE_SETTLS | syscall.CLONE_PARENT_SETTID |
		syscall.CLONE_CHILD_CLEARTID)
	eacces, eperm := retErrno|uint32(syscall.EACCES), retErrno|uint32(syscall.EPERM)
	for name, a := range abis {
		prog := program(a)
		type call struct {
			what string
			nr   uint32
			args []uint32
			want uint32
		}
		calls := []call{
			{"x32", x32Bit | a.socket, nil, retKill},
			{"connect", a.connect, nil, eacces},
			{"io_uring_setup", a.ioUringSetup, nil, eacces},
			{"unshare(0)", a.unshare, []uint32{0}, eperm},
			{"setns", a.setns, []uint32{0, 0}, eperm},
			{"clone3", a.clone3, nil, retErrno | uint32(syscall.ENOSYS)},
			{"clone a thread", a.clone, []uint32{thread}, retAllow},
			{"fork", a.clone, []uint32{sigchld}, retAllow},
			{"vfork", a.clone, []uint32{syscall.CLONE_VM | syscall.CLONE_VFORK | sigchld}, retAllow},
			{"clone, exit signal 128", a.clone, []uint32{0x80}, retAllow},
			{"socket unix stream", a.socket, []uint32{syscall.AF_UNIX, syscall.SOCK_STREAM | syscall.SOCK_CLOEXEC}, retAllow},
			{"socket unix seqpacket", a.socket, []uint32{syscall.AF_UNIX, syscall.SOCK_SEQPACKET}, retAllow},
			{"socket unix datagram", a.socket, []uint32{syscall.AF_UNIX, syscall.SOCK_DGRAM}, eacces},
			{"socketpair unix datagram", a.socketpair, []uint32{syscall.AF_UNIX, syscall.SOCK_DGRAM}, eacces},
			{"socket inet datagram", a.socket, []uint32{syscall.AF_INET, syscall.SOCK_DGRAM}, retAllow},
			{"fchmod 0755", a.fchmod, []uint32{0, 0o755}, retAllow},
			{"fchmod 04755", a.fchmod, []uint32{0, 0o4755}, eacces},
			{"chmod 02755", a.chmod, []uint32{0, 0o2755}, eacces},
			{"fchmodat 0644", a.fchmodat, []uint32{0, 0, 0o644}, retAllow},
			{"fchmodat 04755", a.fchmodat, []uint32{0, 0, 0o4755}, eacces},
			{"fchmodat2 02755", a.fchmodat2, []uint32{0, 0, 0o2755}, eacces},
		}
		for _, f := range []uint32{syscall.CLONE_NEWUSER, syscall.CLONE_NEWNS, syscall.CLONE_NEWPID, syscall.CLONE_NEWNET,
			syscall.CLONE_NEWIPC, syscall.CLONE_NEWUTS, syscall.CLONE_NEWCGROUP} {
			calls = append(calls, call{fmt.Sprintf("clone %#x", f), a.clone, []uint32{f | sigchld}, eperm},
				call{fmt.Sprintf("clone a thread, %#x", f), a.clone, []uint32{thread | f}, eperm})
		}
		if got := runFilter(t, prog, a.arch^1, a.socket); got != retKill {
			t.Errorf("%s: another architecture's call: %#x, want %#x", name, got, retKill)
		}
		for _, c := range calls {
			if got := runFilter(t, prog, a.arch, c.nr, c.args...); got != c.want {
				t.Errorf("%s: %s (%d): %#x, want %#x", name, c.what, c.nr, got, c.want)
			}
		}
	}
}

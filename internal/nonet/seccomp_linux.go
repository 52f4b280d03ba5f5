package nonet

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"syscall"
	"unsafe"
)

// A network namespace refuses abstract Unix sockets, not those with a path in the file
// system: a local resolver's (systemd-resolved, nscd), PostgreSQL's, D-Bus's. Go cannot have
// a child filter its system calls between fork and exec, so Isolate starts this program
// again instead (/proc/self/exe, under the name reexecName), whose init (below) installs a
// seccomp filter on itself and then executes the program asked for, which keeps the filter,
// and so do its children. A filter sees a system call's arguments, not the memory they point
// to (an address), so it refuses, with EACCES:
//   - connect(2), whatever the address: the only way a stream or seqpacket Unix socket
//     reaches one it did not make (a network namespace leaves nothing else to connect to);
//   - Unix datagram sockets, by socket(2) or socketpair(2): one sends to any address it is
//     given (sendto(2), sendmsg(2)), connected or not;
//   - io_uring_setup(2): io_uring makes sockets and connects them without these system calls;
//   - making a file set-user-ID or set-group-ID (chmod(2) and the like): a program so made in
//     a child's writable directory, the server's user's, in a conversion's directory in a
//     /tmp shared with the machine's other users, ran as that user, for whoever reached it.
//     A file created with those bits loses them when written to, as it is not root's.
//
// And it refuses new namespaces, with EPERM: unshare(2) and setns(2) whatever they ask,
// clone(2) asking for a namespace of any kind (its flags, the first argument on amd64 and
// arm64 alike, the kernel reading their low 32 bits only), and clone3(2), whose flags are in
// memory, with ENOSYS, so that glibc falls back on clone(2). A child made user namespaces of
// its own, nested in its own, and namespaces of every other kind in them: that revealed
// nothing (the kernel locks the mounts it copies), but in them the child is a namespace's
// "root", which reaches much of the kernel no other user does, and mounts a tmpfs as big as
// it likes, in memory the service's cgroup alone limits.
//
// Stream and seqpacket pairs, and sockets a program binds and listens on (LibreOffice's
// pipe, which it still connects to itself to wake its own accept(2) on closing, a connect
// it goes without), keep working. And the filter kills a program that makes system calls
// of another ABI than this program's (i386's through int 0x80, x32's on amd64), whose
// numbers it does not check.

// reexecName is the name (argv[0]) under which Isolate starts this program again:
// "chancery-nonet PATH ARGV...".
const reexecName = "chancery-nonet"

func init() {
	if len(os.Args) < 3 || (os.Args[0] != reexecName && os.Args[0] != confineName) {
		return
	}
	fail := func(err error) {
		fmt.Fprintf(os.Stderr, "%s: %v\n", os.Args[0], err)
		os.Exit(126)
	}
	args, confining := os.Args[1:], os.Args[0] == confineName
	// The filter and the capabilities are the thread's that sets them: the one that then
	// calls execve(2).
	runtime.LockOSThread()
	if confining {
		files, rest, err := parseFiles(args)
		if err != nil {
			fail(err)
		}
		if len(rest) < 2 {
			fail(errors.New("no program to run"))
		}
		if err := confineFiles(files); err != nil {
			fail(err)
		}
		if err := closeInherited(); err != nil {
			fail(err)
		}
		args = rest
	}
	if err := installFilter(); err != nil {
		fail(err)
	}
	if confining {
		if err := dropCapabilities(); err != nil {
			fail(err)
		}
	}
	err := syscall.Exec(args[0], args[1:], os.Environ())
	fmt.Fprintf(os.Stderr, "%s: %s: %v\n", os.Args[0], args[0], err)
	os.Exit(127)
}

// wrap makes cmd start this program again, under reexecName, to filter cmd's system calls.
func wrap(cmd *exec.Cmd) {
	args := cmd.Args
	if len(args) == 0 {
		args = []string{cmd.Path}
	}
	if args[0] == reexecName {
		return
	}
	cmd.Args = append([]string{reexecName, cmd.Path}, args...)
	cmd.Path = self
}

// self is this program, also when its file was replaced or removed since it started.
var self = "/proc/self/exe"

// abi is what the filter needs to know of an architecture: its AUDIT_ARCH_ value
// (linux/audit.h) and the numbers of the system calls it checks.
type abi struct {
	arch, socket, socketpair, connect, ioUringSetup uint32
	// The calls that change a file's mode: chmod and fchmod take it second, fchmodat and
	// fchmodat2 third. arm64 has no chmod: fchmod's number stands in for it.
	chmod, fchmod, fchmodat, fchmodat2 uint32
	// The calls that make or join namespaces.
	clone, clone3, unshare, setns uint32
}

var abis = map[string]abi{
	"amd64": {arch: 0xc000003e, socket: 41, socketpair: 53, connect: 42, ioUringSetup: 425, chmod: 90, fchmod: 91, fchmodat: 268, fchmodat2: 452, clone: 56, clone3: 435, unshare: 272, setns: 308},   // AUDIT_ARCH_X86_64
	"arm64": {arch: 0xc00000b7, socket: 198, socketpair: 199, connect: 203, ioUringSetup: 425, chmod: 52, fchmod: 52, fchmodat: 53, fchmodat2: 452, clone: 220, clone3: 435, unshare: 97, setns: 268}, // AUDIT_ARCH_AARCH64
}

// sockFilter and sockFprog are linux/filter.h's sock_filter and sock_fprog.
type sockFilter struct {
	code   uint16
	jt, jf uint8
	k      uint32
}

type sockFprog struct {
	len    uint16
	filter *sockFilter
}

// Classic BPF (linux/bpf_common.h) and seccomp (linux/seccomp.h) constants.
const (
	bpfLdWAbs  = 0x20 // BPF_LD | BPF_W | BPF_ABS
	bpfJeqK    = 0x15 // BPF_JMP | BPF_JEQ | BPF_K
	bpfJgeK    = 0x35 // BPF_JMP | BPF_JGE | BPF_K
	bpfJsetK   = 0x45 // BPF_JMP | BPF_JSET | BPF_K
	bpfAndK    = 0x54 // BPF_ALU | BPF_AND | BPF_K
	bpfRetK    = 0x06 // BPF_RET | BPF_K
	retAllow   = 0x7fff0000
	retErrno   = 0x00050000
	retKill    = 0x80000000 // SECCOMP_RET_KILL_PROCESS
	x32Bit     = 0x40000000 // __X32_SYSCALL_BIT
	sockTypeOf = 0xf        // SOCK_TYPE_MASK: the type without SOCK_NONBLOCK, SOCK_CLOEXEC

	modeSetID = 0o6000 // S_ISUID | S_ISGID

	// cloneNew are clone(2)'s flags that ask for a namespace. CLONE_NEWTIME is not among
	// them: its bit is, to clone(2), part of the exit signal (CSIGNAL), and only unshare(2)
	// and clone3(2) ask for a time namespace.
	cloneNew = syscall.CLONE_NEWUSER | syscall.CLONE_NEWNS | syscall.CLONE_NEWPID | syscall.CLONE_NEWNET |
		syscall.CLONE_NEWIPC | syscall.CLONE_NEWUTS | syscall.CLONE_NEWCGROUP

	// Offsets in struct seccomp_data: the call's number, the architecture, the low 32 bits
	// of its first three arguments (amd64 and arm64 are little-endian).
	offNr, offArch, offArg0, offArg1, offArg2 = 0, 4, 16, 24, 32

	prSetSeccomp      = 22 // PR_SET_SECCOMP
	prSetNoNewPrivs   = 38 // PR_SET_NO_NEW_PRIVS
	seccompModeFilter = 2  // SECCOMP_MODE_FILTER
)

// program is the filter for a: jumps (jt, jf) count the instructions skipped, forward.
func program(a abi) []sockFilter {
	deny := retErrno | uint32(syscall.EACCES)
	return []sockFilter{
		/* 0 */ {code: bpfLdWAbs, k: offArch},
		/* 1 */ {code: bpfJeqK, k: a.arch, jf: 33}, // another ABI: kill (35)
		/* 2 */ {code: bpfLdWAbs, k: offNr},
		/* 3 */ {code: bpfJgeK, k: x32Bit, jt: 31}, // x32's numbers: kill (35)
		/* 4 */ {code: bpfJeqK, k: a.connect, jt: 27}, // deny (32)
		/* 5 */ {code: bpfJeqK, k: a.ioUringSetup, jt: 26}, // deny (32)
		/* 6 */ {code: bpfJeqK, k: a.unshare, jt: 26}, // no namespace (33)
		/* 7 */ {code: bpfJeqK, k: a.setns, jt: 25}, // no namespace (33)
		/* 8 */ {code: bpfJeqK, k: a.clone3, jt: 25}, // no clone3 (34)
		/* 9 */ {code: bpfJeqK, k: a.clone, jt: 19}, // 29
		/* 10 */ {code: bpfJeqK, k: a.socket, jt: 6}, // 17
		/* 11 */ {code: bpfJeqK, k: a.socketpair, jt: 5}, // 17
		/* 12 */ {code: bpfJeqK, k: a.chmod, jt: 10}, // 23
		/* 13 */ {code: bpfJeqK, k: a.fchmod, jt: 9}, // 23
		/* 14 */ {code: bpfJeqK, k: a.fchmodat, jt: 11}, // 26
		/* 15 */ {code: bpfJeqK, k: a.fchmodat2, jt: 10}, // 26
		/* 16 */ {code: bpfRetK, k: retAllow},
		/* 17 */ {code: bpfLdWAbs, k: offArg0}, // the family
		/* 18 */ {code: bpfJeqK, k: syscall.AF_UNIX, jf: 12}, // allow (31)
		/* 19 */ {code: bpfLdWAbs, k: offArg1}, // the type
		/* 20 */ {code: bpfAndK, k: sockTypeOf},
		/* 21 */ {code: bpfJeqK, k: syscall.SOCK_STREAM, jt: 9}, // allow (31)
		/* 22 */ {code: bpfJeqK, k: syscall.SOCK_SEQPACKET, jt: 8, jf: 9}, // allow (31), or deny (32)
		/* 23 */ {code: bpfLdWAbs, k: offArg1}, // chmod's and fchmod's mode
		/* 24 */ {code: bpfAndK, k: modeSetID},
		/* 25 */ {code: bpfJeqK, k: 0, jt: 5, jf: 6}, // allow (31), or deny (32)
		/* 26 */ {code: bpfLdWAbs, k: offArg2}, // fchmodat's and fchmodat2's mode
		/* 27 */ {code: bpfAndK, k: modeSetID},
		/* 28 */ {code: bpfJeqK, k: 0, jt: 2, jf: 3}, // allow (31), or deny (32)
		/* 29 */ {code: bpfLdWAbs, k: offArg0}, // clone's flags
		/* 30 */ {code: bpfJsetK, k: cloneNew, jt: 2}, // no namespace (33), or allow (31)
		/* 31 */ {code: bpfRetK, k: retAllow},
		/* 32 */ {code: bpfRetK, k: deny},
		/* 33 */ {code: bpfRetK, k: retErrno | uint32(syscall.EPERM)},
		/* 34 */ {code: bpfRetK, k: retErrno | uint32(syscall.ENOSYS)},
		/* 35 */ {code: bpfRetK, k: retKill},
	}
}

// installFilter forbids the calling thread, and the program it executes next, Unix sockets
// in the file system and new namespaces. PR_SET_NO_NEW_PRIVS, which an unprivileged process needs for a filter,
// also keeps that program from gaining privileges through set-user-ID files.
func installFilter() error {
	a, ok := abis[runtime.GOARCH]
	if !ok {
		return fmt.Errorf("no system call filter for %s", runtime.GOARCH)
	}
	prog := program(a)
	fprog := sockFprog{len: uint16(len(prog)), filter: &prog[0]}
	if _, _, errno := syscall.RawSyscall6(syscall.SYS_PRCTL, prSetNoNewPrivs, 1, 0, 0, 0, 0); errno != 0 {
		return fmt.Errorf("prctl(PR_SET_NO_NEW_PRIVS): %w", errno)
	}
	if _, _, errno := syscall.RawSyscall6(syscall.SYS_PRCTL, prSetSeccomp, seccompModeFilter, uintptr(unsafe.Pointer(&fprog)), 0, 0, 0); errno != 0 {
		if errors.Is(errno, syscall.EINVAL) {
			return fmt.Errorf("seccomp filters are not available (kernel without CONFIG_SECCOMP_FILTER?): %w", errno)
		}
		return fmt.Errorf("prctl(PR_SET_SECCOMP): %w", errno)
	}
	runtime.KeepAlive(prog)
	return nil
}

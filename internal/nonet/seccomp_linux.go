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
//   - io_uring_setup(2): io_uring makes sockets and connects them without these system calls.
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
}

var abis = map[string]abi{
	"amd64": {arch: 0xc000003e, socket: 41, socketpair: 53, connect: 42, ioUringSetup: 425},    // AUDIT_ARCH_X86_64
	"arm64": {arch: 0xc00000b7, socket: 198, socketpair: 199, connect: 203, ioUringSetup: 425}, // AUDIT_ARCH_AARCH64
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
	bpfAndK    = 0x54 // BPF_ALU | BPF_AND | BPF_K
	bpfRetK    = 0x06 // BPF_RET | BPF_K
	retAllow   = 0x7fff0000
	retErrno   = 0x00050000
	retKill    = 0x80000000 // SECCOMP_RET_KILL_PROCESS
	x32Bit     = 0x40000000 // __X32_SYSCALL_BIT
	sockTypeOf = 0xf        // SOCK_TYPE_MASK: the type without SOCK_NONBLOCK, SOCK_CLOEXEC

	// Offsets in struct seccomp_data: the call's number, the architecture, the low 32 bits
	// of its first two arguments (amd64 and arm64 are little-endian).
	offNr, offArch, offArg0, offArg1 = 0, 4, 16, 24

	prSetSeccomp      = 22 // PR_SET_SECCOMP
	prSetNoNewPrivs   = 38 // PR_SET_NO_NEW_PRIVS
	seccompModeFilter = 2  // SECCOMP_MODE_FILTER
)

// program is the filter for a: jumps (jt, jf) count the instructions skipped, forward.
func program(a abi) []sockFilter {
	deny := retErrno | uint32(syscall.EACCES)
	return []sockFilter{
		/* 0 */ {code: bpfLdWAbs, k: offArch},
		/* 1 */ {code: bpfJeqK, k: a.arch, jf: 14}, // another ABI: kill (16)
		/* 2 */ {code: bpfLdWAbs, k: offNr},
		/* 3 */ {code: bpfJgeK, k: x32Bit, jt: 12}, // x32's numbers: kill (16)
		/* 4 */ {code: bpfJeqK, k: a.connect, jt: 10}, // deny (15)
		/* 5 */ {code: bpfJeqK, k: a.ioUringSetup, jt: 9}, // deny (15)
		/* 6 */ {code: bpfJeqK, k: a.socket, jt: 1}, // 8
		/* 7 */ {code: bpfJeqK, k: a.socketpair, jf: 6}, // 8, or allow (14)
		/* 8 */ {code: bpfLdWAbs, k: offArg0}, // the family
		/* 9 */ {code: bpfJeqK, k: syscall.AF_UNIX, jf: 4}, // allow (14)
		/* 10 */ {code: bpfLdWAbs, k: offArg1}, // the type
		/* 11 */ {code: bpfAndK, k: sockTypeOf},
		/* 12 */ {code: bpfJeqK, k: syscall.SOCK_STREAM, jt: 1}, // allow (14)
		/* 13 */ {code: bpfJeqK, k: syscall.SOCK_SEQPACKET, jf: 1}, // allow (14), or deny (15)
		/* 14 */ {code: bpfRetK, k: retAllow},
		/* 15 */ {code: bpfRetK, k: deny},
		/* 16 */ {code: bpfRetK, k: retKill},
	}
}

// installFilter forbids the calling thread, and the program it executes next, Unix sockets
// in the file system. PR_SET_NO_NEW_PRIVS, which an unprivileged process needs for a filter,
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

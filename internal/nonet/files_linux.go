package nonet

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// confineName is the name (argv[0]) under which IsolateFiles starts this program again:
// "chancery-nonet-files hide=PATH... writable=PATH... keep=PATH... temp=PATH... -- PATH
// ARGV...". Its init (in seccomp_linux.go) sets up the file system (confineFiles), installs
// the filter, gives up its capabilities (dropCapabilities) and executes the program asked for.
const confineName = "chancery-nonet-files"

// confine makes cmd, which Isolate made start this program again, start in a mount namespace
// and a PID namespace of its own, in which this program sets up what the child sees of the
// file system before it executes cmd's program.
func confine(cmd *exec.Cmd, files Files) {
	if len(cmd.Args) < 2 || cmd.Args[0] != reexecName {
		return
	}
	// Relative paths are this process's, made absolute here: the child resolves them in its
	// own working directory, cmd.Dir, where a relative path to hide (the data directory's
	// default, "chancery-data") named nothing and was left out, the directory in sight. One
	// that cannot be made absolute is passed as it is, and the child refuses it.
	args := []string{confineName}
	for _, l := range []struct {
		prefix string
		paths  []string
	}{{"hide=", files.Hide}, {"writable=", files.Writable}, {"keep=", files.Keep}, {"temp=", temp(files)}} {
		for _, p := range l.paths {
			if abs, err := filepath.Abs(p); err == nil {
				p = abs
			}
			args = append(args, l.prefix+p)
		}
	}
	cmd.Args = append(append(args, "--"), cmd.Args[1:]...)
	// And an IPC namespace of its own: System V shared memory, semaphores and message queues,
	// and POSIX message queues, are the machine's otherwise, files outside the file system
	// (a segment another program left readable to the server's user was read).
	cmd.SysProcAttr.Cloneflags |= syscall.CLONE_NEWNS | syscall.CLONE_NEWPID | syscall.CLONE_NEWIPC
	if os.Geteuid() != 0 {
		// A user other than root keeps its user ID in the child's user namespace
		// (Isolate), and so would lose, on executing this program, the capabilities over
		// the namespace's mounts it needs to set them up, and the one to give up the rest
		// for good: it keeps those two, as ambient capabilities, which dropCapabilities
		// gives up before the program asked for runs.
		cmd.SysProcAttr.AmbientCaps = append(cmd.SysProcAttr.AmbientCaps, unix.CAP_SYS_ADMIN, unix.CAP_SETPCAP)
	}
}

// temp is the server's temporary directory, where the directories of its other children are,
// when files has writable directories and it is not /tmp or in it, which the child's empty
// /tmp covers already: with TMPDIR=/var/tmp, a conversion listed the others' directories
// next to its own and read their letters.
func temp(files Files) []string {
	dir := filepath.Clean(os.TempDir())
	if len(files.Writable) == 0 || dir == "/tmp" || strings.HasPrefix(dir, "/tmp/") {
		return nil
	}
	return []string{dir}
}

// parseFiles reads confine's arguments, returning the files and what follows "--". It
// refuses relative paths, which would be resolved in the child's working directory.
func parseFiles(args []string) (Files, []string, error) {
	var files Files
	for i, a := range args {
		if a == "--" {
			return files, args[i+1:], nil
		}
		_, p, _ := strings.Cut(a, "=")
		if !filepath.IsAbs(p) {
			return files, nil, fmt.Errorf("argument %q: not an absolute path", a)
		}
		if p, ok := strings.CutPrefix(a, "hide="); ok {
			files.Hide = append(files.Hide, p)
		} else if p, ok := strings.CutPrefix(a, "writable="); ok {
			files.Writable = append(files.Writable, p)
		} else if p, ok := strings.CutPrefix(a, "keep="); ok {
			files.Keep = append(files.Keep, p)
		} else if p, ok := strings.CutPrefix(a, "temp="); ok {
			files.temp = append(files.temp, p)
		} else {
			return files, nil, fmt.Errorf("unknown argument %q", a)
		}
	}
	return files, nil, errors.New("no program to run")
}

// mount_setattr(2), the same number on every architecture, and its constants (linux/mount.h).
const (
	sysMountSetattr = 442
	atFdcwd         = -100
	atRecursive     = 0x8000
	mountAttrRdonly = 0x1
)

// mountAttr is struct mount_attr.
type mountAttr struct {
	set, clr, propagation, userns uint64
}

// setReadOnly makes the mount at path read-only (ro) or writable again, and those under it
// too with recursive. It keeps the mounts' other flags, which a mount inherited from a more
// privileged namespace cannot have changed (nosuid, nodev, noexec, the atime ones).
func setReadOnly(path string, ro, recursive bool) error {
	p, err := syscall.BytePtrFromString(path)
	if err != nil {
		return err
	}
	attr := mountAttr{clr: mountAttrRdonly}
	if ro {
		attr = mountAttr{set: mountAttrRdonly}
	}
	flags := 0
	if recursive {
		flags = atRecursive
	}
	fd := atFdcwd
	if _, _, errno := syscall.Syscall6(sysMountSetattr, uintptr(fd), uintptr(unsafe.Pointer(p)), uintptr(flags), uintptr(unsafe.Pointer(&attr)), unsafe.Sizeof(attr), 0); errno != 0 {
		return fmt.Errorf("mount_setattr %s: %w", path, errno)
	}
	return nil
}

// confineFiles sets up the file system of this process's mount namespace as files says, and
// a /proc of its PID namespace's processes only. With writable directories, /tmp is an empty
// file system of its own, writable, small: programs expect to write there (LibreOffice's pipe
// is a socket in /tmp, whatever TMPDIR says), and the server's /tmp holds other conversions'
// directories, which this one must not read; the writable directories are put back in their
// places, under /tmp as elsewhere.
func confineFiles(files Files) error {
	// The working directory is entered again at the end, through the mounts set up here: the
	// one entered before is on the server's, made read-only below.
	wd, err := os.Getwd()
	if err != nil {
		return fmt.Errorf("working directory: %w", err)
	}
	// The writable and kept directories, held before /tmp, where they may be, is covered.
	type place struct {
		path     string
		fd       int
		writable bool
	}
	var places []place
	for _, p := range files.Writable {
		places = append(places, place{path: p, writable: true})
	}
	if len(files.Writable) > 0 {
		for _, p := range files.Keep {
			places = append(places, place{path: p})
		}
	}
	for i, pl := range places {
		fd, err := syscall.Open(pl.path, unix.O_PATH|unix.O_CLOEXEC, 0)
		if err != nil {
			return fmt.Errorf("keep %s: %w", pl.path, err)
		}
		places[i].fd = fd
	}
	// Nothing mounted here reaches the server's namespace.
	if err := syscall.Mount("", "/", "", syscall.MS_REC|syscall.MS_PRIVATE, ""); err != nil {
		return fmt.Errorf("make the mounts private: %w", err)
	}
	if len(places) > 0 {
		if err := syscall.Mount("tmpfs", "/tmp", "tmpfs", syscall.MS_NOSUID|syscall.MS_NODEV, "mode=1777,size=16m"); err != nil {
			return fmt.Errorf("an empty /tmp: %w", err)
		}
		// The server's temporary directory elsewhere, empty too, made read-only below.
		for _, p := range files.temp {
			if err := syscall.Mount("tmpfs", p, "tmpfs", syscall.MS_NOSUID|syscall.MS_NODEV|syscall.MS_NOEXEC, "mode=0755,size=1m"); err != nil {
				return fmt.Errorf("an empty %s: %w", p, err)
			}
		}
	}
	// Each writable or kept directory a mount of its own in its place (writable ones made
	// writable again below), bound from what was held.
	for _, pl := range places {
		var st syscall.Stat_t
		if err := syscall.Fstat(pl.fd, &st); err != nil {
			return fmt.Errorf("keep %s: %w", pl.path, err)
		}
		if _, err := os.Lstat(pl.path); errors.Is(err, fs.ErrNotExist) {
			if st.Mode&syscall.S_IFMT == syscall.S_IFDIR {
				err = os.MkdirAll(pl.path, 0o700)
			} else if err = os.MkdirAll(filepath.Dir(pl.path), 0o700); err == nil {
				err = os.WriteFile(pl.path, nil, 0o600)
			}
			if err != nil {
				return fmt.Errorf("keep %s: %w", pl.path, err)
			}
		}
		if err := syscall.Mount("/proc/self/fd/"+strconv.Itoa(pl.fd), pl.path, "", syscall.MS_BIND|syscall.MS_REC, ""); err != nil {
			return fmt.Errorf("bind %s: %w", pl.path, err)
		}
		syscall.Close(pl.fd)
	}
	// Then the hidden paths, wherever they are seen, kept directories included.
	for _, p := range files.Hide {
		st, err := os.Stat(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("hide %s: %w", p, err)
		}
		if st.IsDir() {
			err = syscall.Mount("tmpfs", p, "tmpfs", syscall.MS_RDONLY|syscall.MS_NOSUID|syscall.MS_NODEV|syscall.MS_NOEXEC, "mode=0500")
		} else {
			err = syscall.Mount("/dev/null", p, "", syscall.MS_BIND, "")
		}
		if err != nil {
			return fmt.Errorf("hide %s: %w", p, err)
		}
	}
	if len(files.Writable) > 0 {
		if err := setReadOnly("/", true, true); err != nil {
			return err
		}
		writable := []string{"/tmp"}
		for _, pl := range places {
			if pl.writable {
				writable = append(writable, pl.path)
			}
		}
		for _, p := range writable {
			if err := setReadOnly(p, false, false); err != nil {
				return err
			}
		}
	}
	// Where it is no longer in sight (under the server's /tmp, or hidden), the root: the one
	// entered before would still reach, by relative paths, what the mounts cover.
	if err := os.Chdir(wd); err != nil {
		if err := os.Chdir("/"); err != nil {
			return fmt.Errorf("working directory: %w", err)
		}
	}
	return mountProc()
}

// closeInherited marks every descriptor of this process past its standard error
// close-on-exec, so that the program it executes gets none of them. Go opens its own files
// close-on-exec, but not those it inherited: a descriptor the server's parent left open
// (a shell's, a supervisor's) reached the confined program, which read, through one on the
// data directory (/proc/self/fd/N/office.key), what the mounts hide.
func closeInherited() error {
	err := unix.CloseRange(3, ^uint(0), unix.CLOSE_RANGE_CLOEXEC)
	if err == nil {
		return nil
	}
	if !errors.Is(err, syscall.ENOSYS) && !errors.Is(err, syscall.EINVAL) {
		return fmt.Errorf("close_range: %w", err)
	}
	// Before Linux 5.11: one by one, as this process's /proc lists them.
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return fmt.Errorf("inherited descriptors: %w", err)
	}
	for _, e := range entries {
		if fd, err := strconv.Atoi(e.Name()); err == nil && fd > 2 {
			if _, err := unix.FcntlInt(uintptr(fd), syscall.F_SETFD, syscall.FD_CLOEXEC); err != nil && !errors.Is(err, syscall.EBADF) {
				return fmt.Errorf("inherited descriptor %d: %w", fd, err)
			}
		}
	}
	return nil
}

// mountProc mounts a /proc of this PID namespace's processes over the server's, whose
// /proc/PID/root showed the server's file system, hidden paths included.
func mountProc() error {
	if err := syscall.Mount("proc", "/proc", "proc", syscall.MS_NOSUID|syscall.MS_NODEV|syscall.MS_NOEXEC, ""); err != nil {
		return fmt.Errorf("mount /proc: %w", err)
	}
	return nil
}

// Capability constants (linux/capability.h, linux/prctl.h).
const (
	prCapbsetDrop        = 24 // PR_CAPBSET_DROP
	prCapAmbient         = 47 // PR_CAP_AMBIENT
	prCapAmbientClearAll = 4  // PR_CAP_AMBIENT_CLEAR_ALL
	capVersion3          = 0x20080522
	capLast              = 63 // past CAP_LAST_CAP, prctl says EINVAL
)

// dropCapabilities gives up the calling thread's capabilities, and those the program it
// executes next would get (as root, or from its file), so that this program cannot undo the
// mounts that hide files from it. In a user namespace of its own, a child has every
// capability over its mount namespace: root's program kept them, and unmounted what covered
// a hidden directory.
func dropCapabilities() error {
	for c := uintptr(0); c <= capLast; c++ {
		if _, _, errno := syscall.RawSyscall6(syscall.SYS_PRCTL, prCapbsetDrop, c, 0, 0, 0, 0); errno != 0 && errno != syscall.EINVAL {
			return fmt.Errorf("prctl(PR_CAPBSET_DROP, %d): %w", c, errno)
		}
	}
	if _, _, errno := syscall.RawSyscall6(syscall.SYS_PRCTL, prCapAmbient, prCapAmbientClearAll, 0, 0, 0, 0); errno != 0 && errno != syscall.EINVAL {
		return fmt.Errorf("prctl(PR_CAP_AMBIENT_CLEAR_ALL): %w", errno)
	}
	hdr := struct {
		version uint32
		pid     int32
	}{version: capVersion3}
	var data [2]struct{ effective, permitted, inheritable uint32 }
	if _, _, errno := syscall.RawSyscall(syscall.SYS_CAPSET, uintptr(unsafe.Pointer(&hdr)), uintptr(unsafe.Pointer(&data[0])), 0); errno != 0 {
		return fmt.Errorf("capset: %w", errno)
	}
	return nil
}

package nonet

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// errNoControl is the failure of an attempt's control: what the attempt needs (a capability,
// a namespace) is missing, so that its failure proves nothing.
var errNoControl = errors.New("the control failed: the attempt proves nothing")

// handleEnv holds, for the handle attempt, the file handle of the hidden directory
// (name_to_handle_at(2)) as "TYPE:HEX": what an attacker who knows the data directory's
// inode and generation could forge.
const handleEnv = "NONET_HANDLE"

// secretText is what the hidden files hold; the attempts look for it.
const secretText = "SECRET"

// escapeChild tries the escapes filesChild leaves to it, each given a path to read or write:
//   - fds: reads the file at path through every descriptor the child inherited, by its name
//     in the directory a descriptor holds or as the file a descriptor is;
//   - handle: opens the hidden directory of path by its file handle (handleEnv) from every
//     mount the child sees (open_by_handle_at(2)), then reads the file at path in it;
//   - fill: writes 17 MiB in the directory path;
//   - setuid: makes, in the directory path, a set-user-ID program (set-group-ID too);
//   - shm: reads the System V shared memory segment whose key is path;
//   - nested: path is another attempt, made in a new user and mount namespace, in which the
//     child has every capability over its mounts, after undoing what they can (nested).
func escapeChild(what, path string) error {
	switch what {
	case "fds":
		return readThroughFds(path)
	case "handle":
		return openByHandle(path)
	case "fill":
		return fill(path)
	case "setuid":
		return setuid(path)
	case "shm":
		return readShm(path)
	case "nested":
		return nested(path)
	}
	return errors.New("unknown test " + what)
}

// readSecret reads the file at path, and fails unless it holds secretText.
func readSecret(path string) error {
	b, err := os.ReadFile(path)
	if err == nil && !bytes.Contains(b, []byte(secretText)) {
		err = fmt.Errorf("%s holds %q", path, b)
	}
	return err
}

func readThroughFds(path string) error {
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return err
	}
	var tried []string
	for _, e := range entries {
		if fd, err := strconv.Atoi(e.Name()); err != nil || fd <= 2 {
			continue
		}
		tried = append(tried, e.Name())
		// Only a directory or a file: reading a pipe could wait for ever.
		if st, err := os.Stat("/proc/self/fd/" + e.Name()); err != nil || !(st.IsDir() || st.Mode().IsRegular()) {
			continue
		}
		for _, p := range []string{"/proc/self/fd/" + e.Name() + "/" + filepath.Base(path), "/proc/self/fd/" + e.Name()} {
			if readSecret(p) == nil {
				fmt.Fprintf(os.Stderr, "read %s through %s\n", path, p)
				return nil
			}
		}
	}
	return fmt.Errorf("no descriptor reaches %s (descriptors past 2: %v)", path, tried)
}

func openByHandle(path string) error {
	typ, h, ok := strings.Cut(os.Getenv(handleEnv), ":")
	t, err := strconv.Atoi(typ)
	b, errH := hex.DecodeString(h)
	if !ok || err != nil || errH != nil {
		return fmt.Errorf("%w: no handle in %s", errNoControl, handleEnv)
	}
	handle := unix.NewFileHandle(int32(t), b)
	var errs []string
	for _, m := range mountPoints() {
		// Not O_PATH: open_by_handle_at(2) refuses such a descriptor (EBADF).
		mfd, err := unix.Open(m, unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			continue
		}
		fd, err := unix.OpenByHandleAt(mfd, handle, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC)
		unix.Close(mfd)
		if err != nil {
			errs = append(errs, m+": "+err.Error())
			continue
		}
		err = readSecret("/proc/self/fd/" + strconv.Itoa(fd) + "/" + filepath.Base(path))
		unix.Close(fd)
		if err == nil {
			fmt.Fprintf(os.Stderr, "opened the hidden directory by its handle from the mount at %s\n", m)
			return nil
		}
		errs = append(errs, m+": "+err.Error())
	}
	return fmt.Errorf("open_by_handle_at: %s", strings.Join(errs, "; "))
}

func fill(dir string) error {
	f, err := os.CreateTemp(dir, "fill-")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	chunk := make([]byte, 1<<20)
	for i := range 17 {
		if _, err := f.Write(chunk); err != nil {
			return fmt.Errorf("after %d MiB: %w", i, err)
		}
	}
	return f.Sync()
}

// pythonEnv names the Python 3 the nested attempts run (nestedScript).
const pythonEnv = "NONET_PYTHON"

// setuid makes a program in dir, /bin/sh's copy, set-user-ID and set-group-ID, by each of the
// system calls that change a file's mode: the server's user's, which anyone who reached the
// directory (a conversion's, in a /tmp shared with the machine's other users) could run as
// that user, the data directory's owner.
func setuid(dir string) error {
	sh, err := os.ReadFile("/bin/sh")
	if err != nil {
		return fmt.Errorf("%w: %v", errNoControl, err)
	}
	p := filepath.Join(dir, "sh")
	if err := os.WriteFile(p, sh, 0o755); err != nil {
		return err
	}
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	var errs []error
	for _, mode := range []uint32{0o4755, 0o2755} {
		for name, chmod := range map[string]func() error{
			"chmod":     func() error { return syscall.Chmod(p, mode) },
			"fchmod":    func() error { return syscall.Fchmod(int(f.Fd()), mode) },
			"fchmodat":  func() error { return unix.Fchmodat(unix.AT_FDCWD, p, mode, 0) },
			"fchmodat2": func() error { return fchmodat2(p, mode) },
		} {
			if err := chmod(); err != nil {
				errs = append(errs, fmt.Errorf("%s %o: %w", name, mode, err))
				continue
			}
			if st, err := os.Stat(p); err == nil && st.Mode()&(os.ModeSetuid|os.ModeSetgid) != 0 {
				fmt.Fprintf(os.Stderr, "%s %o: %s\n", name, mode, st.Mode())
				return nil
			}
		}
	}
	return errors.Join(errs...)
}

// readShm reads the System V shared memory segment whose key is key, which the server made:
// a segment of the machine's IPC namespace, another program's (a database's), its mode
// allowing the server's user.
func readShm(key string) error {
	k, err := strconv.Atoi(key)
	if err != nil {
		return fmt.Errorf("%w: key %q", errNoControl, key)
	}
	id, err := unix.SysvShmGet(k, 0, 0)
	if err != nil {
		return fmt.Errorf("shmget: %w", err)
	}
	b, err := unix.SysvShmAttach(id, 0, unix.SHM_RDONLY)
	if err != nil {
		return fmt.Errorf("shmat: %w", err)
	}
	defer unix.SysvShmDetach(b)
	if !bytes.Contains(b, []byte(secretText)) {
		return errors.New("the segment does not hold the secret")
	}
	return nil
}

// fchmodat2 is fchmodat2(2) (Linux 6.6), which x/sys does not have.
func fchmodat2(path string, mode uint32) error {
	p, err := syscall.BytePtrFromString(path)
	if err != nil {
		return err
	}
	fd := atFdcwd
	if _, _, errno := syscall.Syscall6(452, uintptr(fd), uintptr(unsafe.Pointer(p)), uintptr(mode), 0, 0, 0); errno != 0 {
		return errno
	}
	return nil
}

// nested makes the attempt spec (what:path) in a new user namespace and a mount namespace it
// owns, made by Python's unshare(2), in which that process (Python runs one thread, which
// unshare(CLONE_NEWUSER) needs) has every capability over its mounts until it executes
// another program: as code a hostile document took over would. A confined child has no
// capability bounding set, so a program executed there (unshare -Urm's shell) has none.
func nested(spec string) error {
	what, path, _ := strings.Cut(spec, ":")
	py := os.Getenv(pythonEnv)
	exe, err := os.Executable()
	if py == "" || err != nil {
		return fmt.Errorf("%w: no python3 (%v)", errNoControl, err)
	}
	return syscall.Exec(py, []string{py, "-c", nestedScript, what, path, exe}, os.Environ())
}

// nestedScript is nested's Python: in its new namespaces, with a control first (it mounts a
// file system of its own and unmounts it, without which its attempts prove nothing), it
// undoes what it can of its mounts, reporting each attempt on the standard error: it
// unmounts each (the innermost first), moves each away, binds the directories above path
// onto themselves without what is mounted under them (which would show what a mount
// covers), makes each writable again, and remounts /tmp bigger. Then it opens the hidden
// directory by its handle (handle: Python has the capabilities, a program it executes would
// not), or executes the test binary for the attempt what:path.
const nestedScript = `
import ctypes, os, struct, sys, tempfile
libc = ctypes.CDLL(None, use_errno=True)
what, path, exe = sys.argv[1:4]
def err(r):
    return None if r == 0 else os.strerror(ctypes.get_errno())
def mount(src, dst, fs, flags, data):
    b = lambda s: s.encode() if s is not None else None
    return err(libc.mount(b(src), b(dst), b(fs), ctypes.c_ulong(flags), b(data)))
def points():
    with open("/proc/self/mountinfo") as f:
        return [l.split()[4].encode().decode("unicode_escape") for l in f]
def report(what, e):
    print(what + ": " + (e or "done"), file=sys.stderr)
uid, gid = os.geteuid(), os.getegid()
e = err(libc.unshare(0x10000000 | 0x20000))
if e:
    print("unshare: " + e, file=sys.stderr)
    sys.exit(3)
for f, s in (("setgroups", "deny"), ("uid_map", "1 %d 1" % uid), ("gid_map", "1 %d 1" % gid)):
    try:
        with open("/proc/self/" + f, "w") as fh:
            fh.write(s)
    except OSError as x:
        report("write " + f, str(x))
ctl = tempfile.mkdtemp(prefix="nonet-ctl-")
e = mount("tmpfs", ctl, "tmpfs", 0, None) or err(libc.umount2(ctl.encode(), 0))
if e:
    print("the control failed: mount: " + e, file=sys.stderr)
    sys.exit(4)
for m in reversed(points()):
    report("umount " + m, err(libc.umount2(m.encode(), 2)))
for i, m in enumerate(points()):
    to = os.path.join(ctl, str(i))
    os.mkdir(to)
    report("move " + m, mount(m, to, None, 8192, None))
d = os.path.dirname(path)
while True:
    report("bind " + d, mount(d, d, None, 4096, None))
    if d == "/":
        break
    d = os.path.dirname(d)
class Attr(ctypes.Structure):
    _fields_ = [("set", ctypes.c_uint64), ("clr", ctypes.c_uint64), ("prop", ctypes.c_uint64), ("userns", ctypes.c_uint64)]
for m in points():
    a = Attr(0, 1, 0, 0)
    report("mount_setattr rw " + m, err(libc.syscall(442, -100, m.encode(), 0, ctypes.byref(a), ctypes.sizeof(a))))
    report("remount rw " + m, mount(None, m, None, 32 | 4096, None))
report("remount /tmp size=1g", mount(None, "/tmp", None, 32, "size=1g"))
if what == "handle":
    t, h = os.environ["NONET_HANDLE"].split(":")
    b = bytes.fromhex(h)
    fh = struct.pack("Ii", len(b), int(t)) + b
    for m in points():
        try:
            mfd = os.open(m, os.O_RDONLY)
        except OSError:
            continue
        fd = libc.open_by_handle_at(mfd, fh, os.O_RDONLY | os.O_DIRECTORY)
        os.close(mfd)
        if fd < 0:
            report("open_by_handle_at " + m, err(fd))
            continue
        try:
            with open("/proc/self/fd/%d/%s" % (fd, os.path.basename(path))) as f:
                if "SECRET" in f.read():
                    print("opened the hidden directory by its handle from " + m, file=sys.stderr)
                    sys.exit(0)
        except OSError as x:
            report("read through the handle from " + m, str(x))
    sys.exit(3)
os.execve(exe, [exe], dict(os.environ, NONET_FILES=what + ":" + path))
`

// mountPoints are the mount points /proc/self/mountinfo lists, in its order.
func mountPoints() []string {
	b, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		return nil
	}
	var points []string
	for line := range strings.Lines(string(b)) {
		if f := strings.Fields(line); len(f) > 4 {
			points = append(points, unescapeMountinfo(f[4]))
		}
	}
	return points
}

// unescapeMountinfo undoes the octal escapes (\040 for a space) of a mountinfo field.
func unescapeMountinfo(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) {
			if n, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(n))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// TestConfinedChildCannotEscape: a child started through IsolateFiles tries the ways around
// its confinement known to work elsewhere: other routes to a hidden directory (the /proc of
// its processes, inherited descriptors, a symbolic link or ".." in its writable directory,
// a file handle), undoing the mounts that cover it or keep the file system read-only, in a
// user and mount namespace it makes itself (where it has every capability over its mounts),
// writing where it must not, and filling its /tmp past 16 MiB. Each attempt is first made
// by the same child started as it is, where it gets through (or, where it cannot, its
// control shows the attempt is real). The filter now refuses the confined child the nested
// namespaces (TestIsolatedChildMakesNoNamespace): its nested attempts stop there.
func TestConfinedChildCannotEscape(t *testing.T) {
	requireConfined(t)
	dir := outsideTmp(t)
	hidden, other, keep := filepath.Join(dir, "data"), filepath.Join(dir, "other"), filepath.Join(dir, "bin")
	work := filepath.Join(t.TempDir(), "work")
	for _, d := range []string{hidden, work, other, keep} {
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	secret := filepath.Join(hidden, "secret")
	if err := os.WriteFile(secret, []byte(secretText), 0o600); err != nil {
		t.Fatal(err)
	}
	// A symbolic link left in the writable directory, and a path through it with "..".
	if err := os.Symlink(secret, filepath.Join(work, "link")); err != nil {
		t.Fatal(err)
	}
	dotdot := work + strings.Repeat("/..", strings.Count(work, "/")) + secret
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	handle, _, err := unix.NameToHandleAt(unix.AT_FDCWD, hidden, 0)
	if err != nil {
		t.Fatalf("name_to_handle_at: %v", err)
	}
	py := "/usr/bin/python3"
	if _, err := os.Stat(py); err != nil {
		py, _ = exec.LookPath("python3")
	}
	handleVal := strconv.Itoa(int(handle.Type())) + ":" + hex.EncodeToString(handle.Bytes())
	held, err := os.Open(hidden)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	// A System V shared memory segment, as another program of the machine's could have one.
	shmKey := 0x6e6e0000 | os.Getpid()&0xffff
	shmID, err := unix.SysvShmGet(shmKey, 4096, unix.IPC_CREAT|unix.IPC_EXCL|0o600)
	if err != nil {
		t.Fatalf("shmget: %v", err)
	}
	t.Cleanup(func() { unix.SysvShmCtl(shmID, unix.IPC_RMID, nil) })
	if b, err := unix.SysvShmAttach(shmID, 0, 0); err != nil {
		t.Fatalf("shmat: %v", err)
	} else {
		copy(b, secretText)
		unix.SysvShmDetach(b)
	}
	files := Files{Hide: []string{hidden}, Writable: []string{work}, Keep: []string{exe, keep}}
	try := func(spec string, isolate bool) int {
		t.Helper()
		cmd := exec.Command(os.Args[0])
		cmd.Env = append(os.Environ(), "NONET_FILES="+spec, handleEnv+"="+handleVal, pythonEnv+"="+py)
		if !isolate {
			// The nested attempts' control directory, which outlives their namespaces.
			cmd.Env = append(cmd.Env, "TMPDIR="+t.TempDir())
		}
		if isolate && !IsolateFiles(cmd, files) {
			t.Fatal("IsolateFiles did not confine, though Confined")
		}
		if strings.HasPrefix(spec, "fds:") {
			// A descriptor of the hidden directory the server holds without close-on-exec,
			// as it does those it inherited from whoever started it (Go sets it on its own).
			cmd.ExtraFiles = []*os.File{held}
		}
		out, err := cmd.CombinedOutput()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s (isolated %v): exit %d: %s", spec, isolate, code, out)
		return code
	}
	shm := "/dev/shm/nonet-test-" + filepath.Base(dir)
	t.Cleanup(func() { os.Remove(shm) })
	for _, spec := range []string{
		"read:/proc/" + strconv.Itoa(os.Getpid()) + "/root" + secret,
		"read:/proc/self/root" + secret,
		"read:" + filepath.Join(work, "link"),
		"read:" + dotdot,
		"fds:" + secret,
		"handle:" + secret,
		"nested:read:" + secret,
		"nested:handle:" + secret,
		"nested:read:/proc/self/root" + secret,
		"write:" + filepath.Join(other, "x"),
		"write:" + filepath.Join(keep, "x"),
		"write:" + shm,
		"nested:write:" + filepath.Join(other, "y"),
		"nested:write:" + filepath.Join(keep, "y"),
		"fill:/tmp",
		"nested:fill:/tmp",
		"setuid:" + work,
		"shm:" + strconv.Itoa(shmKey),
	} {
		name, _, _ := strings.Cut(spec, "/")
		t.Run(name, func(t *testing.T) {
			if strings.HasPrefix(spec, "nested:") && py == "" {
				t.Skip("no python3 to make a user namespace in one thread")
			}
			switch code := try(spec, false); {
			case code == 0:
			case strings.Contains(spec, "handle:") && os.Geteuid() != 0:
				// Without root's CAP_DAC_READ_SEARCH no file handle opens from a mount
				// with others under it, as / is.
				t.Logf("%s: the child as it is did not get through either (exit %d)", spec, code)
			default:
				t.Fatalf("%s: the child as it is failed (exit %d): the test proves nothing here", spec, code)
			}
			if code := try(spec, true); code != 3 {
				t.Errorf("%s: the confined child exited %d: it got through", spec, code)
			}
		})
	}
}

// TestConfinedPaths: IsolateFiles passes its paths as arguments ("hide=PATH"), which the
// child reads back and resolves in its working directory, cmd.Dir. A relative path to hide
// was looked up there, found missing and left out, so that the child read what it named (the
// data directory's default, "chancery-data", is relative); paths with spaces, newlines, "=",
// "--" or another argument's prefix are paths like others; a hidden directory under a
// writable one stays hidden; and what cannot be set up (a writable symbolic link into the
// /tmp the child does not see, a missing kept path) fails, clearly, without running the
// program.
func TestConfinedPaths(t *testing.T) {
	requireConfined(t)
	dir := outsideTmp(t)
	tmp := t.TempDir()
	work := filepath.Join(tmp, "work")
	odd := []string{"a b", "new\nline", "x=y", "--", "keep=z", "-- keep=w"}
	var hidden []string
	for _, d := range append([]string{"data", "work/sub"}, odd...) {
		base := dir
		if strings.HasPrefix(d, "work") {
			base = tmp
		}
		p := filepath.Join(base, d)
		if err := os.MkdirAll(p, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(p, "secret"), []byte(secretText), 0o600); err != nil {
			t.Fatal(err)
		}
		hidden = append(hidden, p)
	}
	oddWork := filepath.Join(tmp, "w b=c\n--")
	realWork, linkWork := filepath.Join(tmp, "real"), filepath.Join(dir, "link")
	for _, d := range []string{oddWork, realWork} {
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(realWork, linkWork); err != nil {
		t.Fatal(err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	// The server's working directory is dir, its data directory named from there.
	t.Chdir(dir)
	hide := append([]string{"data"}, hidden[1:]...)
	try := func(spec string, files Files, isolate bool) (int, string) {
		t.Helper()
		cmd := exec.Command(os.Args[0])
		cmd.Dir = work
		cmd.Env = append(os.Environ(), "NONET_FILES="+spec)
		if isolate && !IsolateFiles(cmd, files) {
			t.Fatal("IsolateFiles did not confine, though Confined")
		}
		out, err := cmd.CombinedOutput()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		t.Logf("%q (isolated %v): exit %d: %s", spec, isolate, code, out)
		return code, string(out)
	}
	files := Files{Hide: hide, Writable: []string{work, oddWork}, Keep: []string{exe}}
	for _, p := range hidden {
		spec := "read:" + filepath.Join(p, "secret")
		if code, _ := try(spec, files, false); code != 0 {
			t.Fatalf("%q: the child as it is failed (exit %d): the test proves nothing here", spec, code)
		}
		if code, _ := try(spec, files, true); code != 3 {
			t.Errorf("%q: the confined child exited %d: it got through", spec, code)
		}
	}
	for _, p := range []string{filepath.Join(work, "x"), filepath.Join(oddWork, "x")} {
		if code, _ := try("write:"+p, files, true); code != 0 {
			t.Errorf("%q: the confined child could not write in its writable directory (exit %d)", p, code)
		}
	}
	// A writable symbolic link works where its target's directory is in sight, and fails
	// where it is the server's /tmp, which the child does not see.
	linked := Files{Writable: []string{linkWork}, Keep: []string{exe}}
	code, out := try("write:"+filepath.Join(linkWork, "ran"), linked, true)
	_, err = os.Stat(filepath.Join(realWork, "ran"))
	if !(code == 0 && err == nil) && !(code == 126 && strings.Contains(out, confineName+": ")) {
		t.Errorf("a writable symbolic link: exit %d, %q; want the program to write through it, or not run and exit 126 with the reason", code, out)
	}
	missing := Files{Writable: []string{work}, Keep: []string{exe, filepath.Join(dir, "missing")}}
	code, out = try("write:"+filepath.Join(work, "ran"), missing, true)
	if _, err := os.Stat(filepath.Join(work, "ran")); err == nil || code != 126 || !strings.Contains(out, confineName+": ") {
		t.Errorf("a missing kept path: exit %d, %q; want the program not run and exit 126 with the reason", code, out)
	}
}

// TestRemoveLinks: what a confined child leaves in its directory that is not a regular file
// or a directory (a link to a file it cannot see, to a directory, to /dev/zero, a named
// pipe) is removed, wherever it is under the directory; its files and directories stay, and
// nothing a link leads to is touched.
func TestRemoveLinks(t *testing.T) {
	dir, outside := t.TempDir(), t.TempDir()
	secret := filepath.Join(outside, "secret")
	if err := os.WriteFile(secret, []byte(secretText), 0o600); err != nil {
		t.Fatal(err)
	}
	kept := []string{"out", "out/letter.pdf", "out/sub", "page-1.png"}
	for _, p := range kept {
		p = filepath.Join(dir, p)
		var err error
		if filepath.Ext(p) == "" {
			err = os.MkdirAll(p, 0o700)
		} else {
			err = os.WriteFile(p, []byte("%PDF"), 0o600)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	removed := []string{"page-2.png", "out/sub/letter.pdf", "data", "zero", "pipe"}
	for i, target := range []string{secret, secret, outside, "/dev/zero"} {
		if err := os.Symlink(target, filepath.Join(dir, removed[i])); err != nil {
			t.Fatal(err)
		}
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := RemoveLinks(dir); err != nil {
		t.Fatal(err)
	}
	for _, p := range kept {
		if _, err := os.Lstat(filepath.Join(dir, p)); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
	for _, p := range removed {
		if _, err := os.Lstat(filepath.Join(dir, p)); err == nil {
			t.Errorf("%s is still there", p)
		}
	}
	if err := readSecret(secret); err != nil {
		t.Errorf("what a link led to: %v", err)
	}
}

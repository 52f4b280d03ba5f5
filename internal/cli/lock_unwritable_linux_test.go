package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"unsafe"
)

// Linux's FS_IOC_GETFLAGS, FS_IOC_SETFLAGS and FS_IMMUTABLE_FL (linux/fs.h).
const (
	fsIocGetFlags = 0x80086601
	fsIocSetFlags = 0x40086602
	fsImmutableFl = 0x10
)

// unwritable makes dir refuse new files to this process: mode 0500 for a user, the
// immutable flag for root (whom modes do not stop), taken off again at the test's end.
func unwritable(t *testing.T, dir string) {
	t.Helper()
	if os.Geteuid() != 0 {
		if err := os.Chmod(dir, 0o500); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(dir, 0o700) })
		return
	}
	setFlags := func(set bool) error {
		f, err := os.Open(dir)
		if err != nil {
			return err
		}
		defer f.Close()
		var flags int32
		if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, f.Fd(), fsIocGetFlags, uintptr(unsafe.Pointer(&flags))); e != 0 {
			return e
		}
		if set {
			flags |= fsImmutableFl
		} else {
			flags &^= fsImmutableFl
		}
		if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, f.Fd(), fsIocSetFlags, uintptr(unsafe.Pointer(&flags))); e != 0 {
			return e
		}
		return nil
	}
	if err := setFlags(true); err != nil {
		t.Skipf("root is not kept from writing by a mode, and %s cannot be made immutable here: %v", dir, err)
	}
	t.Cleanup(func() {
		if err := setFlags(false); err != nil {
			t.Errorf("taking the immutable flag off %s: %v", dir, err)
		}
	})
}

// TestLockOfAnUnwritableDirectoryHintsAtItsRights: a command taking the data directory's
// lock in a directory where its lock file cannot be made (read-only mount, mode, immutable
// flag: EACCES, EPERM, EROFS) hinted to stop the server on it, though none runs. The hint now
// says the directory is not writable and what to check.
func TestLockOfAnUnwritableDirectoryHintsAtItsRights(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "office")
	if code, out, errs := run("init", "--data", dir, "--office", "Unwritable Office", "--prefix", "UNW", "--url", "https://unwritable.example", "--no-pdf-ca"); code != 0 {
		t.Fatalf("init: status %d\n%s%s", code, out, errs)
	}
	for _, name := range []string{"serve.lock", ".serve.lock"} {
		if err := os.Remove(filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	unwritable(t, dir)
	for _, args := range [][]string{
		{"store", "migrate", "--data", dir, "--to", "postgres://chancery@127.0.0.1:1/none"},
		{"log", "accept-restore", "--data", dir},
		{"key", "rotate", "pdf-cert", "--data", dir},
		{"log", "verify", "--data", dir},
	} {
		code, out, errs := run(args...)
		if code != 2 || !strings.Contains(errs, "chancery: error: ") || !strings.Contains(errs, "chancery: hint: "+dir+" is not writable by the user running chancery") || strings.Contains(errs, "stop the") {
			t.Errorf("chancery %s in a directory that refuses new files: status %d\n%s%s\nwant a hint that the directory is not writable, none to stop a server", strings.Join(args[:2], " "), code, out, errs)
		}
	}
}

// TestStoreOfAnUnwritableDirectoryHintsAtItsRights: with its lock files in place, a data
// directory that refuses new files failed SQLite's opening ("unable to open database file":
// its journal is made beside the database) with no hint (serve, log verify), or with one
// asking whether --data is an office's directory (store migrate, backup). They now say the
// directory is not writable and what to check.
func TestStoreOfAnUnwritableDirectoryHintsAtItsRights(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "office")
	if code, out, errs := run("init", "--data", dir, "--office", "Unwritable Office", "--prefix", "UNW", "--url", "https://unwritable.example", "--no-pdf-ca"); code != 0 {
		t.Fatalf("init: status %d\n%s%s", code, out, errs)
	}
	unwritable(t, dir)
	for _, args := range [][]string{
		{"store", "migrate", "--data", dir, "--to", "postgres://chancery@127.0.0.1:1/none"},
		{"log", "verify", "--data", dir},
		{"backup", "--data", dir, "--out", filepath.Join(t.TempDir(), "office.tar")},
	} {
		code, out, errs := run(args...)
		if code != 2 || !strings.Contains(errs, "chancery: error: ") || !strings.Contains(errs, "chancery: hint: "+dir+" is not writable by the user running chancery") {
			t.Errorf("chancery %s in a directory that refuses new files: status %d\n%s%s\nwant a hint that the directory is not writable", strings.Join(args[:2], " "), code, out, errs)
		}
	}
}

// TestWitnessKeyOnAReadOnlyMountHintsAtIt: a witness's first key, made by 'witness key
// --name' or the first 'witness serve' in a directory on a file system mounted read-only,
// failed "witness: create key: open …: read-only file system" with no hint, where 'witness
// add-log' there, and a directory the user cannot write for its mode, get the unwritable
// directory's hint, which names a read-only mount (found by review of 8c419d7, sixtieth
// session: the hint was given to EACCES and EPERM alone). Root mounts a read-only tmpfs.
func TestWitnessKeyOnAReadOnlyMountHintsAtIt(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("mounting a file system needs root")
	}
	dir := filepath.Join(t.TempDir(), "witness")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mount("tmpfs", dir, "tmpfs", syscall.MS_RDONLY, "size=64k"); err != nil {
		t.Skipf("a read-only tmpfs cannot be mounted here: %v", err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, syscall.MNT_DETACH); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
	for _, args := range [][]string{
		{"witness", "key", "--data", dir, "--name", "witness.readonly.example"},
		{"witness", "serve", "--data", dir, "--name", "witness.readonly.example", "--listen", "127.0.0.1:0"},
		{"witness", "add-log", "--data", dir, "--origin", "log.readonly.example", "--key", "log.readonly.example+12345678+AQ=="},
	} {
		code, out, errs := run(args...)
		if code != 2 || !strings.Contains(errs, "read-only file system") || !strings.Contains(errs, "chancery: hint: "+dir+" is not writable by the user running chancery") {
			t.Errorf("chancery %s on a read-only mount: status %d\n%s%s\nwant the unwritable directory's hint", strings.Join(args[:2], " "), code, out, errs)
		}
	}
}

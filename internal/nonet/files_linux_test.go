package nonet

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// filesChild is what the test binary does as a child with NONET_FILES set to "what:path": it
// tries what and exits 0 if it got through, 3 if not (the error on its standard error), 4 if
// a control showed that the attempt proves nothing (errNoControl).
//   - read: reads the file at path, which must not be empty;
//   - write: creates the file at path;
//   - unhide: unmounts what covers the directory of path, then reads the file at path;
//   - the attempts of escapeChild (escape_linux_test.go).
func filesChild(spec string) int {
	if err := attempt(spec); err != nil {
		os.Stderr.WriteString(err.Error() + "\n")
		if errors.Is(err, errNoControl) {
			return 4
		}
		return 3
	}
	return 0
}

// attempt tries what spec says (filesChild).
func attempt(spec string) error {
	what, path, _ := strings.Cut(spec, ":")
	switch what {
	case "read":
		return readSome(path)
	case "write":
		return os.WriteFile(path, []byte("x"), 0o600)
	case "unhide":
		if err := syscall.Unmount(filepath.Dir(path), syscall.MNT_DETACH); err != nil {
			return err
		}
		return readSome(path)
	}
	return escapeChild(what, path)
}

// readSome reads the file at path, and fails if it is empty.
func readSome(path string) error {
	b, err := os.ReadFile(path)
	if err == nil && len(b) == 0 {
		err = errors.New(path + " is empty")
	}
	return err
}

// requireConfined skips the test where the system refuses namespaces (Available), and fails
// it where namespaces are available but IsolateFiles cannot confine a child's files.
func requireConfined(t *testing.T) {
	t.Helper()
	if !Available() {
		t.Skip("namespaces are not available to this process (unprivileged user namespaces refused?)")
	}
	if !Confined() {
		t.Fatalf("namespaces are available, but a child's file system cannot be confined: %v", confineErr)
	}
}

// TestIsolateFiles: a child started through Isolate read and wrote whatever the server could,
// the office's data directory among it (signing keys, the database, tokens): a program that
// an untrusted upload takes over, LibreOffice's, read them and wrote them into the PDF that
// members are shown. A child started through IsolateFiles reads nothing in a hidden directory
// or file, not even through the server's /proc/PID/root, nor after unmounting what hides it,
// and writes nowhere but in its writable directory; the same child started as it is does.
func TestIsolateFiles(t *testing.T) {
	requireConfined(t)
	// The hidden paths are out of /tmp, which the child sees empty: there, hiding them is
	// what keeps them from it. Its writable directory is in /tmp, where conversions have
	// theirs.
	dir := outsideTmp(t)
	hidden, work, other := filepath.Join(dir, "data"), filepath.Join(t.TempDir(), "work"), filepath.Join(dir, "other")
	for _, d := range []string{hidden, work, other} {
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	secret, key := filepath.Join(hidden, "secret"), filepath.Join(dir, "key")
	for _, f := range []string{secret, key} {
		if err := os.WriteFile(f, []byte("SECRET"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	files := Files{Hide: []string{hidden, key, filepath.Join(dir, "missing")}, Writable: []string{work}, Keep: []string{exe}}
	try := func(spec string, isolate bool) int {
		t.Helper()
		cmd := exec.Command(os.Args[0])
		cmd.Env = append(os.Environ(), "NONET_FILES="+spec)
		if isolate && !IsolateFiles(cmd, files) {
			t.Fatal("IsolateFiles did not confine, though Confined")
		}
		out, err := cmd.CombinedOutput()
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Logf("%s (isolated %v): exit %d: %s", spec, isolate, ee.ExitCode(), out)
			return ee.ExitCode()
		}
		if err != nil {
			t.Fatal(err)
		}
		return 0
	}
	root := "/proc/" + strconv.Itoa(os.Getpid()) + "/root"
	specs := []string{"read:" + secret, "read:" + key, "read:" + root + secret, "unhide:" + secret, "write:" + filepath.Join(other, "x")}
	// The server's /tmp, other conversions' directories among it, is out of sight.
	note := filepath.Join(filepath.Dir(work), "note")
	if err := os.WriteFile(note, []byte("another conversion's letter"), 0o600); err != nil {
		t.Fatal(err)
	}
	specs = append(specs, "read:"+note)
	for _, spec := range specs {
		if strings.HasPrefix(spec, "unhide:") {
			// As it is, the child has nothing to unmount: that it reads the file is the
			// read test's.
		} else if code := try(spec, false); code != 0 {
			t.Fatalf("%s: the child as it is failed (exit %d): the test proves nothing here", spec, code)
		}
		if code := try(spec, true); code != 3 {
			t.Errorf("%s: the confined child exited %d: it got through", spec, code)
		}
	}
	if code := try("write:"+filepath.Join(work, "x"), true); code != 0 {
		t.Errorf("the confined child could not write in its writable directory (exit %d)", code)
	}
	if code := try("read:/etc/passwd", true); code != 0 {
		t.Errorf("the confined child could not read the system's files (exit %d)", code)
	}
}

// outsideTmp is a new directory out of /tmp, removed when t ends: in /var/tmp, else in the
// working directory.
func outsideTmp(t *testing.T) string {
	t.Helper()
	for _, base := range []string{"/var/tmp", "."} {
		if dir, err := os.MkdirTemp(base, "nonet-test-"); err == nil {
			t.Cleanup(func() { os.RemoveAll(dir) })
			abs, err := filepath.Abs(dir)
			if err != nil {
				t.Fatal(err)
			}
			return abs
		}
	}
	t.Skip("no directory can be made out of /tmp")
	return ""
}

package cli_test

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/chancery/chancery/internal/cli"
	"github.com/chancery/chancery/internal/datadir"
	"github.com/chancery/chancery/internal/store"
)

// restoreKilledEnv holds, for TestRestoreKilledChild, the command's arguments, then the step
// (cli.SetRestoreStep) or the name moved in (cli.SetRestoreMovedIn) at which the child kills
// itself, separated by newlines.
const restoreKilledEnv = "CHANCERY_CLI_RESTORE_KILLED_AT"

// TestRestoreKilledChild is the child process of restoreKilledAt.
func TestRestoreKilledChild(t *testing.T) {
	v := os.Getenv(restoreKilledEnv)
	if v == "" {
		t.Skip("run as a child process by the crash tests (restoreKilledAt)")
	}
	args := strings.Split(v, "\n")
	at := args[len(args)-1]
	kill := func(s string) {
		if s == at {
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
		}
	}
	cli.SetRestoreStep(kill)
	cli.SetRestoreMovedIn(kill)
	code := cli.Main(args[:len(args)-1], os.Stdout, os.Stderr)
	t.Fatalf("the restore ran to its end (status %d) without reaching %s", code, at)
}

// restoreKilledAt runs 'chancery restore backup --data dir' in a child process (this test
// binary) that SIGKILLs itself at the step or name at.
func restoreKilledAt(t *testing.T, at, backup, dir string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestRestoreKilledChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), "TMPDIR="+t.TempDir(), restoreKilledEnv+"="+strings.Join([]string{"restore", backup, "--data", dir, at}, "\n"))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("the restore was not killed at %s: %v\n%s", at, err, out.String())
	}
}

// complete fails the test unless dir is a data directory whose log verifies.
func complete(t *testing.T, dir string) {
	t.Helper()
	d, err := datadir.Open(dir)
	if err != nil {
		t.Fatalf("%s: %v", dir, err)
	}
	d.Close()
	if code, stdout, stderr := run("log", "verify", "--data", dir); code != 0 {
		t.Fatalf("log verify --data %s: status %d\n%s%s", dir, code, stdout, stderr)
	}
}

// leftovers lists the names in dir that start with prefix.
func leftovers(t *testing.T, dir, prefix string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), prefix) {
			out = append(out, e.Name())
		}
	}
	return out
}

// TestRestoreKilledIntoANewDirectoryLeavesItWholeOrAbsent: a restore into a new directory
// SIGKILLed while it moved the files in left the keys and the database without
// chancery.json, and the next restore refused that directory ("already holds a database").
// Killed at any step, a restore into a directory that did not exist leaves it absent (then
// the next restore succeeds and removes the copy the killed one left beside it) or complete;
// into an existing empty directory, the next restore takes out what the killed one moved in
// and succeeds, unless the directory was complete.
func TestRestoreKilledIntoANewDirectoryLeavesItWholeOrAbsent(t *testing.T) {
	if testing.Short() {
		t.Skip("kills child processes")
	}
	tmp := t.TempDir()
	_, backup := closedBackup(t, tmp)

	t.Run("absent", func(t *testing.T) {
		for _, at := range []string{"unpacked", "verified", "staged", "."} {
			parent := filepath.Join(tmp, "absent-"+strings.Trim(at, "."))
			if err := os.Mkdir(parent, 0o700); err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join(parent, "office")
			restoreKilledAt(t, at, backup, dir)
			if at == "." {
				complete(t, dir)
				if l := leftovers(t, parent, ".office"); len(l) != 0 {
					t.Errorf("killed after the rename: %v left beside the directory", l)
				}
				continue
			}
			if _, err := os.Lstat(dir); !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("killed at %s: the new directory exists (%v), want it absent", at, err)
			}
			if l := leftovers(t, parent, ".office.restore-"); len(l) != 1 {
				t.Fatalf("killed at %s: %v beside the directory, want the copy it was making", at, l)
			}
			if code, stdout, stderr := run("restore", backup, "--data", dir); code != 0 {
				t.Fatalf("restore after one killed at %s: status %d\n%s%s", at, code, stdout, stderr)
			}
			complete(t, dir)
			if l := leftovers(t, parent, ".office"); len(l) != 0 {
				t.Errorf("after a restore killed at %s and another: %v left beside the directory", at, l)
			}
		}
	})

	t.Run("empty", func(t *testing.T) {
		for _, at := range []string{"verified", store.SQLiteFile, datadir.PublishedFile, "chancery.json"} {
			dir := filepath.Join(tmp, "empty-"+at)
			if err := os.Mkdir(dir, 0o700); err != nil {
				t.Fatal(err)
			}
			restoreKilledAt(t, at, backup, dir)
			code, stdout, stderr := run("restore", backup, "--data", dir)
			switch {
			case at == "chancery.json":
				if code != 2 || !strings.Contains(stderr, "already holds a database") {
					t.Errorf("restore over the complete directory: status %d\n%s%s", code, stdout, stderr)
				}
			case code != 0:
				t.Fatalf("restore after one killed at %s: status %d\n%s%s", at, code, stdout, stderr)
			}
			complete(t, dir)
			if l := leftovers(t, dir, ".restore-"); len(l) != 0 {
				t.Errorf("after a restore killed at %s and another: %v left in the directory", at, l)
			}
		}
	})
}

// TestRestoreAsRootIntoANewDirectoryGivesItTheParentsOwner: root restoring into a directory
// that did not exist yet made it, and every file in it, root's: inside a directory of the
// service's user (its home, or one handed to it), the service could not open its own data
// directory. A new directory takes the owner of the directory it is made in, with the
// directories made above it, unless that is root's (/var/lib: systemd's StateDirectory=
// hands the directory to the service, as for init). (Run as root only.)
func TestRestoreAsRootIntoANewDirectoryGivesItTheParentsOwner(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("changes owners: run as root")
	}
	tmp := t.TempDir()
	_, backup := closedBackup(t, tmp)
	const service = 65534 // nobody
	home := filepath.Join(tmp, "home")
	if err := os.Mkdir(home, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Lchown(home, service, service); err != nil {
		t.Fatal(err)
	}
	owners := func(dir string, uid uint32) {
		t.Helper()
		err := filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			fi, err := e.Info()
			if err != nil {
				return err
			}
			if st := fi.Sys().(*syscall.Stat_t); st.Uid != uid || st.Gid != uid {
				t.Errorf("%s is %d:%d after the restore as root, want %d:%d", p, st.Uid, st.Gid, uid, uid)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	dir := filepath.Join(home, "state", "chancery")
	if code, stdout, stderr := run("restore", backup, "--data", dir); code != 0 {
		t.Fatalf("restore: status %d\n%s%s", code, stdout, stderr)
	}
	owners(filepath.Join(home, "state"), service)
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("the new directory: %v, %v; want mode 0700", fi.Mode(), err)
	}

	rootsDir := filepath.Join(tmp, "var-lib", "chancery")
	if code, stdout, stderr := run("restore", backup, "--data", rootsDir); code != 0 {
		t.Fatalf("restore: status %d\n%s%s", code, stdout, stderr)
	}
	owners(rootsDir, 0)
}

// TestRestoreIntoWhatIsNoDirectorySaysWhatToDo: restored into a file, restore failed with
// "open …: not a directory"; into a link to nothing (under DynamicUser=, /var/lib/chancery
// links into /var/lib/private, whose directory an operator may have moved aside), with
// "mkdir …: file exists". Both are refused with what to do, and nothing is written.
func TestRestoreIntoWhatIsNoDirectorySaysWhatToDo(t *testing.T) {
	tmp := t.TempDir()
	_, backup := closedBackup(t, tmp)
	file := filepath.Join(tmp, "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(tmp, "link")
	if err := os.Symlink(filepath.Join(tmp, "private", "chancery"), link); err != nil {
		t.Fatal(err)
	}
	for dir, want := range map[string]string{file: "is not a directory", link: "which does not exist"} {
		code, stdout, stderr := run("restore", backup, "--data", dir)
		if code != 2 || !strings.Contains(stderr, want) || !strings.Contains(stderr, "hint: ") {
			t.Errorf("restore into %s: status %d, want 2 saying %q with a hint\n%s%s", filepath.Base(dir), code, want, stdout, stderr)
		}
	}
	if l := leftovers(t, tmp, "."); len(l) != 0 {
		t.Errorf("the refused restores left %v", l)
	}
}

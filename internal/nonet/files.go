package nonet

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
)

// Files is what a child started by IsolateFiles sees of the file system.
type Files struct {
	// Hide lists files and directories the child cannot read: each directory is covered by
	// an empty read-only file system, each other file by an empty one (/dev/null). Paths that
	// do not exist are left out.
	Hide []string
	// Writable, when not empty, lists the only directories the child can write in, with an
	// empty /tmp of its own: the rest of the file system is read-only to it, and the server's
	// /tmp out of its sight.
	Writable []string
	// Keep lists files and directories the child still sees, read-only, where the empty
	// /tmp given with Writable covers them: the program it runs, when that is there.
	Keep []string

	// temp is the server's temporary directory where it is not /tmp ($TMPDIR), which the
	// child sees empty as it does /tmp (with Writable), and read-only.
	temp []string
}

// IsolateFiles does what Isolate does and, where the system allows it (Confined), also starts
// cmd in a mount namespace, a PID namespace and an IPC namespace of its own, in which it sees
// the file system as files says and a /proc of its own processes only (the server's
// /proc/PID/root showed the server's file system, hidden paths included), and which it cannot
// undo: its program starts without capabilities, nor any descriptor but its standard input,
// output and error (cmd.ExtraFiles are closed). It reports whether cmd gets all of it; where
// it cannot, cmd gets what Isolate gives it.
func IsolateFiles(cmd *exec.Cmd, files Files) bool {
	isolated := Isolate(cmd)
	if !isolated || !Confined() {
		return false
	}
	confine(cmd, files)
	return true
}

// Confined reports whether IsolateFiles can confine children's file systems: found out once,
// by starting the system's true(1) so, hiding a directory and with another writable.
func Confined() bool {
	confinedOnce.Do(func() {
		confined = false
		if !Available() {
			return
		}
		path, err := exec.LookPath("true")
		if err != nil {
			return
		}
		dir, err := os.MkdirTemp("", "chancery-nonet-")
		if err != nil {
			return
		}
		defer os.RemoveAll(dir)
		hide, writable := filepath.Join(dir, "hidden"), filepath.Join(dir, "writable")
		if os.Mkdir(hide, 0o700) != nil || os.Mkdir(writable, 0o700) != nil {
			return
		}
		cmd := exec.Command(path)
		cmd.Env = []string{}
		Isolate(cmd)
		confine(cmd, Files{Hide: []string{hide}, Writable: []string{writable}})
		out, err := cmd.CombinedOutput()
		if err != nil {
			confineErr = fmt.Errorf("%w: %s", err, strings.TrimSpace(string(out)))
			return
		}
		confined = true
	})
	return confined
}

var (
	confinedOnce sync.Once
	confined     bool
	confineErr   error // why not, when Available
)

// ProgramDirs are the directories of the program at path, as named and as its links
// resolve: what a child running it keeps in sight (Files.Keep) wherever they are.
func ProgramDirs(path string) []string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil
	}
	dirs := []string{filepath.Dir(abs)}
	if real, err := filepath.EvalSymlinks(abs); err == nil && filepath.Dir(real) != dirs[0] {
		dirs = append(dirs, filepath.Dir(real))
	}
	return dirs
}

// RemoveLinks removes from dir, and the directories under it, every entry that is neither a
// regular file nor a directory: symbolic links, named pipes, sockets, devices. A confined
// child writes in its directories what it likes, and the server, which reads its results
// there in its own file system, followed a link the child left in their place to what the
// child cannot see (a letter's PDF linked to a file of the data directory, returned as the
// conversion's), or read a pipe or /dev/zero for ever. Called once the child has ended (its
// PID namespace's processes end with it), nothing can put them back.
func RemoveLinks(dir string) error {
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type()&fs.ModeType != 0 && !d.IsDir() {
			if err := os.Remove(path); err != nil {
				return fmt.Errorf("remove what the child left: %w", err)
			}
		}
		return nil
	})
}

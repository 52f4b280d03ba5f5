// Package cli is the chancery command line. cmd/chancery only calls Main.
//
// Exit status: 0 success; 1 a check that ran and failed (for example `log verify` found the
// log unsound); 2 the command could not be carried out (usage, I/O, bad input); 3 (`monitor
// --once` only) a log signed conflicting checkpoints; 4 a change was proposed and waits for
// a second admin (the policy in force has two_admins: `chancery change`).
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/chancery/chancery/internal/datadir"
	"github.com/chancery/chancery/internal/hsm"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/smallfile"
	"github.com/chancery/chancery/internal/verify"
	"github.com/spf13/cobra"
)

// Exit statuses.
const (
	ExitOK     = 0
	ExitFailed = 1
	ExitError  = 2
	// ExitProposed: the change was proposed, not made; it waits for a second admin, the
	// policy in force having two_admins (chancery change). 3 is monitor's ExitConflict.
	ExitProposed = 4
)

// hinted is an error with advice for the user, printed as a "chancery: hint:" line.
type hinted struct {
	err  error
	hint string
}

func (h *hinted) Error() string { return h.err.Error() }
func (h *hinted) Unwrap() error { return h.err }

func withHint(err error, format string, args ...any) error {
	return &hinted{err: err, hint: fmt.Sprintf(format, args...)}
}

// lockHint gives a failed Lock of the data directory dir the hint format says (what to do
// when another process holds the lock), unless unwritableHint has one that fits better.
func lockHint(err error, dir, format string, args ...any) error {
	if !errors.Is(err, datadir.ErrLocked) {
		if h := unwritableHint(err, dir); h != err {
			return h
		}
	}
	return withHint(err, format, args...)
}

// unwritableHint says what to check when a file of the data directory dir could not be made
// for want of rights (err is EACCES, EPERM or EROFS, or this user cannot write dir): no
// server is to stop then, and dir is the office's. Other errors are returned as they are.
func unwritableHint(err error, dir string) error {
	if !errors.Is(err, fs.ErrPermission) && !errors.Is(err, syscall.EROFS) && !unwritableDir(dir) {
		return err
	}
	if h := otherUsersFile(err, dir); h != nil {
		return h
	}
	return withHint(err, "%s is not writable by the user running chancery (uid %d), and chancery makes its lock files in it, SQLite its journal: check its owner and mode ('ls -ld %s'), whether its file system is mounted read-only, and whether it is immutable ('lsattr -d %s')", dir, os.Geteuid(), shellArg(dir), shellArg(dir))
}

// unmadeDirHint is the hint for err, the refusal (EACCES, EPERM, EROFS) to make dir, the
// data directory a command was given (init's, serve's, a witness's, restore's), which does not exist,
// in a parent this user cannot write: root's /var/lib, where the service's user may not make
// its directory. Another user's parent is named with its owner, and the command that makes
// the directory for this one, as ownedFileHint names a file's; a parent of this user's is
// checked as unwritableHint's directory is. A directory above it that this user cannot
// enter, where mkdir is refused whether or not dir is there, gets closedDirHint's hint; dir a
// link to a directory that does not exist, danglingLinkHint's. Nil for another error.
func unmadeDirHint(err error, dir string) error {
	// A link to a directory under one this user cannot enter, which mkdir finds there
	// ("file exists") and cannot make: the closed directory is named.
	if h := closedLinkHint(err, dir); h != nil {
		return h
	}
	// A link to a directory that does not exist: the link and where it leads are named.
	if h := danglingLinkHint(err, dir); h != nil {
		return h
	}
	if h := notDirHint(err, dir); h != nil {
		return h
	}
	// dir under a directory this user cannot enter, whatever the refusal (restore's is a
	// stat of dir): that one is named.
	if _, lerr := os.Lstat(dir); errors.Is(lerr, fs.ErrPermission) {
		if h := closedDirHint(err, dir); h != nil {
			return h
		}
	}
	var pe *fs.PathError
	if !errors.As(err, &pe) || pe.Op != "mkdir" || !errors.Is(pe.Err, fs.ErrPermission) && !errors.Is(pe.Err, syscall.EROFS) {
		return nil
	}
	for _, p := range []string{dir, pe.Path} {
		if _, lerr := os.Lstat(p); !errors.Is(lerr, fs.ErrNotExist) {
			if errors.Is(lerr, fs.ErrPermission) {
				return closedDirHint(err, p)
			}
			return nil
		}
	}
	// pe.Path is dir, a directory above it, or restore's staging directory beside it.
	parent := filepath.Dir(pe.Path)
	fi, serr := os.Stat(parent)
	if serr != nil {
		return nil
	}
	// A relative dir's parent is named by its path from the working directory, where the
	// hint's commands (ls -ld) run; but dots alone (init --data office, run in /var/lib) said
	// "cannot make it in .", or "..": that directory is named by its absolute path instead.
	if strings.Trim(parent, "."+string(filepath.Separator)) == "" {
		if abs, aerr := filepath.Abs(parent); aerr == nil {
			parent = abs
		}
	}
	euid := os.Geteuid()
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && int(st.Uid) != euid && errors.Is(pe.Err, syscall.EACCES) {
		me := currentUser()
		return withHint(err, "%s does not exist, and the user running chancery (%s, uid %d) cannot make it in %s, which belongs to %s: make it for that user with 'sudo install -d -m 700 -o %s %s', or pass --data a directory it can write",
			dir, me, euid, parent, ownerName(st.Uid), me, shellArg(dir))
	}
	return withHint(err, "%s does not exist, and the user running chancery (uid %d) cannot make it: %s is not writable by that user: check its owner and mode ('ls -ld %s'), whether its file system is mounted read-only, and whether it is immutable ('lsattr -d %s')",
		dir, euid, parent, shellArg(parent), shellArg(parent))
}

// unownedEmptyDirHint is the hint for err, the refusal (EPERM) to make dir, an empty data
// directory init or restore was given, private (mode 0700, as they make it for the office's
// keys), when dir is another user's (root's: 'sudo mkdir /srv/office' for the service's user):
// chmod is its owner's. It names the owner, and the chown that gives dir to the user running
// chancery. Nil otherwise.
func unownedEmptyDirHint(err error, dir string) error {
	var pe *fs.PathError
	euid := os.Geteuid()
	if euid == 0 || !errors.As(err, &pe) || pe.Op != "chmod" || !errors.Is(pe.Err, fs.ErrPermission) {
		return nil
	}
	fi, serr := os.Stat(dir)
	if serr != nil || !fi.IsDir() {
		return nil
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || int(st.Uid) == euid {
		return nil
	}
	me, name := currentUser(), dir
	if li, lerr := os.Lstat(dir); lerr == nil && li.Mode()&fs.ModeSymlink != 0 {
		if to, terr := filepath.EvalSymlinks(dir); terr == nil {
			name = fmt.Sprintf("%s (a link to %s)", dir, to) // chown follows it
		}
	}
	return withHint(err, "%s belongs to %s, not to the user running chancery (%s, uid %d), who cannot make it private (mode 0700) for the office's keys: give it to that user with 'sudo chown %s %s', or pass --data a new directory",
		name, ownerName(st.Uid), me, euid, me, shellArg(dir))
}

// otherUsersFile is ownedFileHint for err, the refusal to open a file of dir, when dir is
// writable by this user: a lock file or database left there by another user (root, running
// a restore or a migration by hand), where the directory is not what to check. Nil otherwise.
func otherUsersFile(err error, dir string) error {
	var pe *fs.PathError
	if !errors.As(err, &pe) || unwritableDir(dir) {
		return nil
	}
	fi, serr := os.Lstat(pe.Path)
	if serr != nil {
		return nil
	}
	return ownedFileHint(err, pe.Path, fi, syscall.Access(pe.Path, 0x2) == nil, os.Geteuid(), currentUser())
}

// otherUsersReadFile is ownedFileHint for err, the refusal (EACCES, EPERM) to read a file
// of the data directory: its settings or a key file left there by another user (root,
// running an init or a restore by hand), which this one cannot read; or the data directory
// dataDir itself, another user's, which this one cannot enter; or a key file of another
// user's that others can read, which this one cannot make private. A file elsewhere (a token's
// PIN file) in a directory this user cannot enter gets closedDirHint's hint, never a chown
// of that directory: it may be /root or /etc/ssl/private. dataDir is "" where no data
// directory is in question. Nil otherwise.
func otherUsersReadFile(err error, dataDir string) error {
	if h := otherUsersSecretFile(err); h != nil {
		return h
	}
	var pe *fs.PathError
	if !errors.As(err, &pe) || !errors.Is(pe.Err, fs.ErrPermission) {
		return nil
	}
	path, mode := pe.Path, uint32(0x4) // R_OK
	fi, serr := os.Lstat(path)
	whole := false
	if errors.Is(serr, fs.ErrPermission) {
		if dataDir == "" || filepath.Dir(path) != filepath.Clean(dataDir) {
			return closedDirHint(err, path)
		}
		// The data directory, not to be entered: every file in it is the office's, to be
		// given back with it.
		whole = true
		path, mode = filepath.Dir(path), 0x1 // X_OK: the directory is not to be entered
		fi, serr = os.Lstat(path)
		if errors.Is(serr, fs.ErrPermission) {
			// The data directory, the service's, under a directory this user cannot
			// enter (root's, mode 0700): that one is named, never the data directory.
			return closedDirHint(err, path)
		}
		if serr == nil && fi.Mode()&fs.ModeSymlink != 0 {
			// One that leads under a directory this user cannot enter: that one is named.
			if h := closedLinkHint(err, path); h != nil {
				return h
			}
			// A data directory named by a link (systemd's /var/lib/chancery, leading to
			// /var/lib/private/chancery; a link of the operator's): the owner is the
			// directory's, not the link's, and 'chown -R' given the link changes the link
			// alone. The directory's path with a slash after it is the directory.
			path += string(filepath.Separator)
			fi, serr = os.Stat(path)
		}
	}
	if serr != nil {
		return nil
	}
	refused := &fs.PathError{Op: pe.Op, Path: path, Err: syscall.EACCES}
	owned := ownedFileHint
	if whole && fi.IsDir() {
		owned = ownedDataDirHint
	}
	var h *hinted
	if errors.As(owned(refused, path, fi, syscall.Access(path, mode) == nil, os.Geteuid(), currentUser()), &h) {
		return withHint(err, "%s", h.hint)
	}
	return nil
}

// closedDirHint is the hint for err, the refusal to reach the file (or data directory) at
// path through a directory above it that this user cannot enter (X_OK), another user's: it
// names that directory and its owner, and says to keep path where this user can reach it. It gives
// no chown: such a directory (root's home, a directory of private keys) holds more than the
// file, and is not the service's to own. Nil when no such directory is found.
func closedDirHint(err error, path string) error {
	return closedDirHintAs(err, path, path)
}

// closedDirHintAs is closedDirHint naming path as shown: a link to it, with where it leads.
func closedDirHintAs(err error, path, shown string) error {
	for dir := filepath.Dir(path); ; dir = filepath.Dir(dir) {
		fi, serr := os.Lstat(dir)
		if serr == nil {
			st, ok := fi.Sys().(*syscall.Stat_t)
			if !ok || syscall.Access(dir, 0x1) == nil || int(st.Uid) == os.Geteuid() { // X_OK
				return nil
			}
			return withHint(err, "the user running chancery (%s, uid %d) cannot reach %s: %s, which belongs to %s, does not let it in ('ls -ld %s'); keep it in a directory that user may enter, rather than give that user %s and all it holds",
				currentUser(), os.Geteuid(), shown, dir, ownerName(st.Uid), shellArg(dir), dir)
		}
		if !errors.Is(serr, fs.ErrPermission) || filepath.Dir(dir) == dir {
			return nil
		}
	}
}

// closedLinkHint is closedDirHint's hint for err when dir, a data directory, is a link
// (systemd's /var/lib/chancery, which leads to /var/lib/private/chancery, root's, mode 0700;
// a link of the operator's) that this user cannot follow: the directory on the way to where
// it leads that does not let the user in is named, never the link, whose own directory may
// be entered. Nil otherwise.
func closedLinkHint(err error, dir string) error {
	fi, lerr := os.Lstat(dir)
	if lerr != nil || fi.Mode()&fs.ModeSymlink == 0 {
		return nil
	}
	if _, serr := os.Stat(dir); !errors.Is(serr, fs.ErrPermission) {
		return nil
	}
	target, rerr := os.Readlink(dir)
	if rerr != nil {
		return nil
	}
	if !filepath.IsAbs(target) {
		target = filepath.Join(filepath.Dir(dir), target)
	}
	return closedDirHintAs(err, target, fmt.Sprintf("%s (a link to %s)", dir, target))
}

// danglingLinkHint is the hint for err, the failure to make (or open) dir, a data directory
// that is a link to a directory that does not exist (an operator's link made before its
// target; systemd's StateDirectory= makes the target first): mkdir finds the link ("file
// exists") and makes nothing where it leads. It names the link and its target, to make or
// to give as --data. Chancery does not make the target itself: a link into the wrong place
// would then be followed without a word. Nil when dir is no such link.
func danglingLinkHint(err error, dir string) error {
	var h *hinted
	if errors.As(err, &h) {
		return nil // restore's, which says so itself
	}
	what, todo, ok := danglingLink(dir)
	if !ok {
		return nil
	}
	return withHint(err, "%s: %s", what, todo)
}

// notDirHint is the hint for err, a failure to make dir, the data directory a command was
// given, or to open a file in it, when dir is there but no directory: a file, or a link to
// one, which mkdir finds there ("mkdir DIR: not a directory") and opening a file in it
// refuses ("open DIR/chancery.json: not a directory"); or a link in a loop, which leads to
// nothing ("mkdir DIR: file exists", "too many levels of symbolic links"). Nil otherwise,
// and for an err that has its hint.
func notDirHint(err error, dir string) error {
	var h *hinted
	if err == nil || errors.As(err, &h) {
		return nil
	}
	// The path's first step that is no directory is named: dir itself, or one above it
	// (--data FILE/office, or LOOP/office, which is no link at all).
	p, serr := notDirStep(dir)
	if p == "" {
		return nil
	}
	under := ""
	if p != strings.TrimRight(dir, string(filepath.Separator)) {
		under = fmt.Sprintf(", and %s is under it", dir)
	}
	if errors.Is(serr, syscall.ELOOP) {
		return withHint(err, "%s goes round a loop of links (one that leads back to itself, or through others), and reaches no directory%s: give --data a data directory, or the name of a new one", p, under)
	}
	fi, _ := os.Stat(p)
	what := "is not a directory"
	if fi.Mode().IsRegular() {
		what = "is a file, not a directory"
	}
	if li, lerr := os.Lstat(p); lerr == nil && li.Mode()&fs.ModeSymlink != 0 {
		what = "is a link to " + strings.TrimPrefix(what, "is ")
	}
	return withHint(err, "%s %s%s: give --data a data directory, or the name of a new one", p, what, under)
}

// notDirStep is the first of dir's paths from its first step to itself (a, a/b, a/b/c)
// that is there but no directory, or a link in a loop (its stat's error then, ELOOP); "" if
// dir is a directory, does not exist, or is out of reach another way.
func notDirStep(dir string) (string, error) {
	fi, err := os.Stat(dir)
	if err == nil && fi.IsDir() || err != nil && !errors.Is(err, syscall.ELOOP) && !errors.Is(err, syscall.ENOTDIR) {
		return "", nil
	}
	// Not cleaned: a ".." after a link is the kernel's to follow (cf. missingLinkTarget).
	if d := strings.TrimRight(dir, string(filepath.Separator)); d != "" {
		dir = d
	}
	for i := 0; i <= len(dir); i++ {
		if i < len(dir) && (dir[i] != filepath.Separator || i == 0) {
			continue
		}
		p := dir[:i]
		fi, err := os.Stat(p)
		if errors.Is(err, syscall.ELOOP) {
			return p, err
		}
		if err != nil {
			return "", nil
		}
		if !fi.IsDir() {
			return p, nil
		}
	}
	return "", nil
}

// danglingLink says what dir is when it is a link to a directory that does not exist ("DIR
// is a link to TARGET, which does not exist"), and what to do (danglingLinkHint).
func danglingLink(dir string) (what, todo string, ok bool) {
	target, hops, ok := missingLinkTarget(dir)
	if !ok {
		return "", "", false
	}
	leads := "a link to"
	if hops > 1 {
		leads = "a link that leads to"
	}
	what = fmt.Sprintf("%s is %s %s, which does not exist", dir, leads, target)
	// The service's user, who cannot make the target where it goes (under root's /srv or
	// /var/lib): made by root as "make TARGET first" said, it was root's, and init or restore
	// through the link then failed "chmod LINK: operation not permitted", with no hint. The
	// directory is made for that user, as unmadeDirHint says.
	if euid := os.Geteuid(); euid != 0 {
		if parent := existingParent(target); parent != "" && unwritableDir(parent) {
			me := currentUser()
			return what, fmt.Sprintf("the user running chancery (%s, uid %d) cannot make it in %s: make it for that user with 'sudo install -d -m 700 -o %s %s', or pass --data a directory it can write",
				me, euid, parent, me, shellArg(target)), true
		}
	}
	return what, fmt.Sprintf("make %s first, or give --data %s", target, shellArg(target)), true
}

// existingParent is the nearest directory above path that is there, named by its absolute
// path when it is the working directory or one above it (as unmadeDirHint names it); "" if
// none can be looked at.
func existingParent(path string) string {
	for p := filepath.Dir(path); ; p = filepath.Dir(p) {
		if fi, err := os.Stat(p); err == nil {
			if !fi.IsDir() {
				return ""
			}
			if strings.Trim(p, "."+string(filepath.Separator)) == "" {
				if abs, err := filepath.Abs(p); err == nil {
					p = abs
				}
			}
			return p
		} else if !errors.Is(err, fs.ErrNotExist) {
			return ""
		}
		if p == filepath.Dir(p) {
			return ""
		}
	}
}

// missingLinkTarget follows dir, a link, and the links it leads to, to the path that does
// not exist where a directory was looked for, and says how many links led there. Not ok when
// dir is no link, leads to something, or to nowhere it can tell (a loop, a path through a
// file, a directory this user cannot enter).
func missingLinkTarget(dir string) (target string, hops int, ok bool) {
	if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
		return "", 0, false
	}
	p := dir
	for hops = 0; hops <= 40; hops++ { // Linux follows at most 40 links in a path
		fi, err := os.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) && hops > 0 {
			return p, hops, true
		}
		if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			return "", 0, false
		}
		to, err := os.Readlink(p)
		if err != nil {
			return "", 0, false
		}
		if !filepath.IsAbs(to) {
			// Relative to the directory holding the link, itself maybe reached by links
			// (where a lexical "../" would be wrong).
			at, err := filepath.EvalSymlinks(filepath.Dir(p))
			if err != nil {
				return "", 0, false
			}
			to = at + string(filepath.Separator) + to
		}
		// The target's own directories, as the kernel takes them: a ".." after a link in
		// them (LINK -> sub/../office, sub a link elsewhere) leads above where sub leads,
		// not back here, as filepath.Join would have it.
		if d, f := filepath.Split(to); f != "" && f != "." && f != ".." {
			if real, err := filepath.EvalSymlinks(d); err == nil {
				to = filepath.Join(real, f)
			}
		}
		p = filepath.Clean(to)
	}
	return "", 0, false
}

// ownedFileHint is the hint for err, the refusal (EACCES) to open the file at path, whose
// stat is fi, when the file is another user's and this one cannot open it as it asked
// (usable false: write it, in a directory this user can write, or read it): it names the
// file and its owner, and how to give it back to me, the user running chancery (euid). Nil
// in any other case.
func ownedFileHint(err error, path string, fi fs.FileInfo, usable bool, euid int, me string) error {
	return ownedHint(err, path, fi, usable, euid, me, false)
}

// ownedDataDirHint is ownedFileHint for a data directory, the directory at path: its files
// are all the service's, and the files in it another user's command left there are that
// user's too, so the chown it names gives back the directory and everything in it (-R)
// rather than one file at a time.
func ownedDataDirHint(err error, path string, fi fs.FileInfo, usable bool, euid int, me string) error {
	return ownedHint(err, path, fi, usable, euid, me, true)
}

func ownedHint(err error, path string, fi fs.FileInfo, usable bool, euid int, me string, whole bool) error {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !errors.Is(err, syscall.EACCES) || usable || !ok || int(st.Uid) == euid {
		return nil
	}
	owner := ownerName(st.Uid)
	if whole {
		return withHint(err, "%s belongs to %s, not to the user running chancery (%s, uid %d), who cannot open it (a command run as that user left it there): give it back, with the files in it, which are all the service's, with 'sudo chown -R %s %s'",
			path, owner, me, euid, me, shellArg(path))
	}
	return withHint(err, "%s belongs to %s, not to the user running chancery (%s, uid %d), who cannot open it (a command run as that user left it there): give it back with 'sudo chown %s %s'",
		path, owner, me, euid, me, shellArg(path))
}

// shellArg is s as one word of the command a hint prints, which the operator pastes into a
// shell: as it is when it holds nothing a shell splits or expands, else in single quotes
// (shellQuote). Unquoted, a path with a space ("/srv/Office Data/chancery.json") made
// 'sudo chown' give the service two other paths, "/srv/Office" among them.
func shellArg(s string) string {
	if strings.HasPrefix(s, "-") {
		s = "./" + s // not an option
	}
	if s != "" && !strings.ContainsFunc(s, func(r rune) bool {
		return r < 0x80 && !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || strings.ContainsRune("_-./:@%+,", r))
	}) {
		return s
	}
	return shellQuote(s)
}

// sqliteShellArg is shellArg for the path of a database the sqlite3 shell is to open, in a
// command a hint prints: a relative path begins with ./, since the shell reads a name that
// begins with "file:" as a URI ("file:office/chancery.db" opens office/chancery.db, a
// directory named file:office being the office's) and one that begins with - as an option.
func sqliteShellArg(path string) string {
	if !filepath.IsAbs(path) && !strings.HasPrefix(path, "./") && !strings.HasPrefix(path, "../") {
		path = "./" + path
	}
	return shellArg(path)
}

// otherUsersSecretFile is readableFileHint for err, the refusal of a secret file that others
// can read: one of the data directory's (smallfile.ReadableError) or a token's PIN file
// (hsm.ReadablePINFileError, root's when an operator wrote it with sudo). Nil for any other
// error.
func otherUsersSecretFile(err error) error {
	path, hint := "", readableFileHint
	var re *smallfile.ReadableError
	var pe *hsm.ReadablePINFileError
	switch {
	case errors.As(err, &re):
		path = re.Path
	case errors.As(err, &pe):
		path, hint = pe.Path, readablePINFileHint
	default:
		return nil
	}
	fi, serr := os.Stat(path)
	if serr != nil {
		return nil
	}
	return hint(err, path, fi, os.Geteuid(), currentUser())
}

// readableFileHint is the hint for err, the refusal of the secret file at path, whose stat
// is fi, that others can read, when the file is another user's (root's, copied in by hand):
// me, the user running chancery (euid), cannot chmod it, and root's chmod alone would leave
// it unreadable to me. It names the file and its owner, the chown that gives it back, then
// the chmod, as ownedFileHint does. Nil when the file is mine or I am root, who may chmod it.
func readableFileHint(err error, path string, fi fs.FileInfo, euid int, me string) error {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || euid == 0 || int(st.Uid) == euid {
		return nil
	}
	return withHint(err, "%s belongs to %s, not to the user running chancery (%s, uid %d), who cannot make it private (a command run as that user left it there): give it back with 'sudo chown %s %s', then 'chmod 600 %s'",
		path, ownerName(st.Uid), me, euid, me, shellArg(path), shellArg(path))
}

// readablePINFileHint is readableFileHint for a token's PIN file that others can read,
// another user's (root's, written with sudo): chmod 600 by its owner alone would leave it
// unreadable to me, the service's user, so the hint says both steps at once, the chown to me
// first. Nil when the file is mine or I am root: keyHint's chmod hint is then all it takes.
func readablePINFileHint(err error, path string, fi fs.FileInfo, euid int, me string) error {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || euid == 0 || int(st.Uid) == euid {
		return nil
	}
	return withHint(err, "the PIN file %s belongs to %s, not to the user running chancery (%s, uid %d), who cannot make it private: give it to that user with 'sudo chown %s %s', then 'chmod 600 %s' (whoever reads the PIN signs with the token's keys; made private while it is another user's, the file would be unreadable to %s)",
		path, ownerName(st.Uid), me, euid, me, shellArg(path), shellArg(path), me)
}

// ownerName names the user uid for a hint: "root (uid 0)", or "uid N" if it has no name.
func ownerName(uid uint32) string {
	if u, err := user.LookupId(strconv.FormatUint(uint64(uid), 10)); err == nil {
		return fmt.Sprintf("%s (uid %d)", u.Username, uid)
	}
	return fmt.Sprintf("uid %d", uid)
}

// currentUser names the user running chancery, as chown takes it: the user name, else the uid.
func currentUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return strconv.Itoa(os.Geteuid())
}

// unwritableDir reports whether this user is refused making files in dir: by its mode, a
// read-only mount or an immutable flag (access(2), which root's rights pass only for the
// mode).
func unwritableDir(dir string) bool {
	err := syscall.Access(dir, 0x2) // W_OK
	return errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS)
}

// failed marks an error as a check that ran and failed (exit status 1).
type failed struct{ err error }

func (f *failed) Error() string { return f.err.Error() }
func (f *failed) Unwrap() error { return f.err }

// Main runs the command line with args (without the program name) and returns the exit status.
func Main(args []string, stdout, stderr io.Writer) int {
	if isVerify(args) {
		defer verify.RoomierCollector()()
	}
	return run(rootFor(args), args, stdout, stderr)
}

// run executes args in the command tree root.
func run(root *cobra.Command, args []string, stdout, stderr io.Writer) int {
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	held := &heldWarnings{}
	root.SetContext(context.WithValue(context.Background(), heldWarningsKey{}, held))
	c, err := root.ExecuteC()
	if err == nil && c != nil {
		if name := strayCommand(c); name != "" {
			err = unknownCommand(c, name)
		}
	}
	err = oneLineUnknownCommand(c, err)
	if err == nil {
		held.flush(stderr)
		return ExitOK
	}
	if pc := registry.Proposed(err); pc != nil {
		held.flush(stderr)
		return proposedExit(c, pc, err, stdout, stderr)
	}
	code, hint := ExitError, ""
	var ve *verifyExit
	var vx *verify.Exit
	var f *failed
	var h *hinted
	var vh *verify.Hinted
	switch {
	case errors.As(err, &ve):
		code = ve.code
	case errors.As(err, &vx):
		code = vx.Code
	case errors.As(err, &f):
		code = ExitFailed
	}
	switch {
	case errors.As(err, &h):
		hint = h.hint
	case errors.As(err, &vh):
		hint = vh.HintText()
	case errors.Is(err, datadir.ErrZone):
		// chancery.json's zone, edited by hand or from a newer zone database: every command
		// that writes the settings, and the server's start, refuse it.
		hint = "set the office's time zone with 'chancery time-zone Europe/Paris' (an IANA name, or UTC), then run this again"
	case errors.Is(err, datadir.ErrNotOwner):
		hint = "run chancery as the user the data directory belongs to (for a service's: sudo -u USER chancery …), or as root"
	case duplicateHint(err) != "":
		hint = duplicateHint(err)
	default:
		hint = usageHint(c, err)
	}
	switch msg := err.Error(); {
	case msg == "": // verify printed its answers; the status says the rest
		held.flush(stderr)
	case c != nil && (wantsJSON(c) || askedJSON(c, args)):
		writeJSON(stderr, jsonError{Error: msg, Hint: hint, Warnings: held.lines})
	default:
		// Messages and hints may quote a registry's answer (its "error"): escaped like the
		// output of the commands that ask it (escaper), line breaks kept.
		verify.ErrorLines(stderr, err, printableLines(msg), printableLines(hint))
	}
	return code
}

// globals are the flags every command shares.
type globals struct {
	data string
}

func newRoot() *cobra.Command {
	root, g, rm := newBareRoot()
	clientCmds := []*cobra.Command{
		newMember(rm), newKey(rm), newLetter(rm), newApprove(rm, false), newApprove(rm, true),
		newSign(rm), newRelease(rm), newDraft(rm), newWithdraw(rm, false), newWithdraw(rm, true),
		newVerify(rm), newIdentify(rm), newTrust(rm), newAudit(rm), newPolicy(rm), newSealCmd(rm),
		newRecipient(rm), newDispatch(rm), newWebhook(rm), newChange(rm),
		newLogin(rm),
	}
	for _, c := range clientCmds {
		addRemoteFlags(c, rm)
	}
	root.AddCommand(newInit(g), newServe(g), newLog(g), newVersion())
	root.AddCommand(newLogout()) // ends the token of 'chancery login', at the registry it names
	root.AddCommand(newBackup(g), newRestore(g))
	root.AddCommand(newStoreCmd(g))
	root.AddCommand(newStampLanguages(g))
	root.AddCommand(newTimeZone(g))
	root.AddCommand(newMonitor()) // follows logs by URL, not this data directory's
	root.AddCommand(clientCmds...)
	addKeyRotate(root, g, rm)
	addMemberRecover(root, g)
	// Chancery as a witness of other logs (serve, add-log, key), and the office's own
	// witnesses (add, list, remove, quorum: through the server).
	witnessCmd := newWitness(g)
	witnessCmd.AddCommand(witnessAdminCommands(rm)...)
	root.AddCommand(witnessCmd)
	addCompletions(root, rm)
	addExamples(root)
	strictHelp(root)
	return root
}

// newBareRoot returns the root command with its global flags and no subcommand, and the
// state its subcommands share.
func newBareRoot() (*cobra.Command, *globals, *remote) {
	g := &globals{}
	root := &cobra.Command{
		Use:   "chancery",
		Short: "Chancery: a registry for official letters, with a public transparency log",
		Long: `Chancery keeps an office's official letters: drafts with versions, releases under policy,
and a public append-only transparency log of every release, retraction and correction,
so that anyone can tell a released letter from a draft, a forgery or a retracted letter.

Start with:
  chancery serve --demo                      a demo registry at http://127.0.0.1:8080
  chancery init --office NAME --prefix PFX   create a registry in ./chancery-data
  chancery serve                             serve it

Every command but init, serve and log is a client of the server: it reads CHANCERY_URL
(default http://127.0.0.1:8080) and the member's token from CHANCERY_TOKEN.`,
		SilenceErrors: true,
		SilenceUsage:  true,
		Version:       version(),
	}
	root.SetVersionTemplate("chancery {{.Version}}\n")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return withHint(err, "see '%s --help'", c.CommandPath())
	})
	help := root.HelpFunc()
	root.SetHelpFunc(func(c *cobra.Command, args []string) {
		if strayCommand(c) != "" {
			return // run reports the unknown command, with exit status 2
		}
		help(c, args)
	})
	def := os.Getenv("CHANCERY_DATA")
	if def == "" {
		def = datadir.Default
	}
	root.PersistentFlags().StringVar(&g.data, "data", def, "data directory (env CHANCERY_DATA)")
	return root, g, &remote{}
}

// openDir opens the data directory, with a hint when it is not initialized.
// stoppedDir opens the data directory path for a command that works on it with its server
// stopped (it takes no --url), and takes the directory's lock; serverHint is the hint when a
// server holds it, and openErr, if set, gives a failure to open the directory its own hint.
// done releases the lock and closes the directory.
func stoppedDir(c *cobra.Command, path, serverHint string, openErr func(error) error) (d *datadir.Dir, done func(), err error) {
	if err := localOnly(c); err != nil {
		return nil, nil, err
	}
	if d, err = openDir(path); err != nil {
		if openErr != nil {
			err = openErr(err)
		}
		return nil, nil, err
	}
	unlock, err := d.Lock()
	if err != nil {
		d.Close()
		return nil, nil, lockHint(err, d.Path, "%s", serverHint)
	}
	return d, func() { unlock(); d.Close() }, nil
}

func openDir(path string) (*datadir.Dir, error) {
	d, err := datadir.Open(path)
	if errors.Is(err, datadir.ErrNotInitialized) {
		return nil, withHint(err, "run 'chancery init --data %s' first, or pass --data", shellArg(path))
	}
	if h := notDirHint(err, path); h != nil {
		return nil, h
	}
	if h := otherUsersReadFile(err, path); h != nil {
		return nil, h
	}
	return d, keyHint(err)
}

package cli

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/chancery/chancery/internal/hsm"
	"github.com/chancery/chancery/internal/smallfile"
)

// ownedBy is the stat of a file as if uid owned it: the file's own, its owner changed.
type ownedBy struct {
	fs.FileInfo
	uid uint32
}

func (o ownedBy) Sys() any {
	st := *o.FileInfo.Sys().(*syscall.Stat_t)
	st.Uid = o.uid
	return &st
}

// TestOwnedLockFileHintNamesItsOwner: a lock file left owned by another user (root) in a
// directory this user can write fails its opening with EACCES, and the hint said the
// directory was not writable. It now names the file, its owner and the chown that gives it
// back; in any other case (the file writable, this user's own, another error) it has none.
// (Fifty-seventh session's not-fixed list, the lead's decision.) The hint is tested with the
// error and the file's stat given, as the tests run as root, whom no mode refuses;
// TestLockFileOfAnotherUserHintsAtItsOwner runs it live where it can.
func TestOwnedLockFileHintNamesItsOwner(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "serve.lock")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	refused := fmt.Errorf("lock %s: %w", dir, &fs.PathError{Op: "open", Path: path, Err: syscall.EACCES})
	const me, euid = "ada", 4242421
	for uid, owner := range map[uint32]string{0: "root (uid 0)", 4242420: "uid 4242420"} {
		h := ownedFileHint(refused, path, ownedBy{fi, uid}, false, euid, me)
		var hi *hinted
		if h == nil || !strings.Contains(h.Error(), "permission denied") || !asHinted(h, &hi) ||
			!strings.HasPrefix(hi.hint, path+" belongs to "+owner+", not to the user running chancery (ada, uid 4242421)") ||
			!strings.HasSuffix(hi.hint, "'sudo chown ada "+path+"'") {
			t.Errorf("a lock file of uid %d: %v, want a hint naming the file, %s and the chown", uid, h, owner)
		}
	}
	// A data directory's hint gives it back with the files in it (the lead's decision on item
	// 965, fifty-ninth session).
	dfi, err := os.Lstat(dir)
	if err != nil {
		t.Fatal(err)
	}
	h := ownedDataDirHint(&fs.PathError{Op: "open", Path: dir, Err: syscall.EACCES}, dir, ownedBy{dfi, 0}, false, euid, me)
	var hi *hinted
	if h == nil || !asHinted(h, &hi) || !strings.HasPrefix(hi.hint, dir+" belongs to root (uid 0)") || !strings.HasSuffix(hi.hint, "'sudo chown -R ada "+dir+"'") {
		t.Errorf("a data directory of root's: %v, want a hint naming it and 'sudo chown -R ada %s'", h, dir)
	}
	for name, h := range map[string]error{
		"writable":      ownedFileHint(refused, path, ownedBy{fi, 0}, true, euid, me),
		"its own":       ownedFileHint(refused, path, ownedBy{fi, euid}, false, euid, me),
		"EPERM":         ownedFileHint(fmt.Errorf("lock %s: %w", dir, &fs.PathError{Op: "open", Path: path, Err: syscall.EPERM}), path, ownedBy{fi, 0}, false, euid, me),
		"not a refusal": ownedFileHint(fmt.Errorf("lock %s: %w", dir, &fs.PathError{Op: "open", Path: path, Err: syscall.EIO}), path, ownedBy{fi, 0}, false, euid, me),
	} {
		if h != nil {
			t.Errorf("%s: %v, want no hint of the file's owner", name, h)
		}
	}
}

// asHinted reports whether err is a *hinted, set in h.
func asHinted(err error, h **hinted) bool {
	v, ok := err.(*hinted)
	*h = v
	return ok
}

// TestOtherUsersReadFileHintsOnlyRefusals: the owned-file hint of a key or settings file that
// could not be read (otherUsersReadFile) is for a refusal of an existing file only: another
// error, or a file that is not there, gets none. The refusal itself is tested live
// (TestLockFileOfAnotherUserHintsAtItsOwner), as no mode refuses root, who runs the tests.
func TestOtherUsersReadFileHintsOnlyRefusals(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "log.key")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for name, err := range map[string]error{
		"not a refusal": fmt.Errorf("read log key: %w", &fs.PathError{Op: "open", Path: path, Err: syscall.EIO}),
		"no such file":  fmt.Errorf("read log key: %w", &fs.PathError{Op: "open", Path: filepath.Join(dir, "office.key"), Err: syscall.EACCES}),
		"no file named": fmt.Errorf("read log key: %w", syscall.EACCES),
		"its own, mine": fmt.Errorf("read log key: %w", &fs.PathError{Op: "open", Path: path, Err: syscall.EPERM}),
	} {
		if h := otherUsersReadFile(err, dir); h != nil {
			t.Errorf("%s: %v, want no hint of the file's owner", name, h)
		}
	}
}

// TestReadableFileHintNamesItsOwner: a key file that others can read, another user's, gets
// the owned file's hint (its owner, the chown, then the chmod), as this user cannot chmod
// it; the file of the user running chancery, or any file when root runs it (who may chmod
// it), gets none: the chmod the error says is all it takes. The refusal is tested live by
// TestKeyFileOfRootReadableByOthersHintsAtItsOwner, where the tests run as root.
func TestReadableFileHintNamesItsOwner(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "log.key")
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	refused := fmt.Errorf("open: %w", &smallfile.ReadableError{What: "log key", Path: path, Mode: 0o644})
	const me, euid = "ada", 4242421
	var hi *hinted
	h := readableFileHint(refused, path, ownedBy{fi, 0}, euid, me)
	if h == nil || !strings.Contains(h.Error(), "is readable by others") || !asHinted(h, &hi) ||
		!strings.HasPrefix(hi.hint, path+" belongs to root (uid 0), not to the user running chancery (ada, uid 4242421)") ||
		!strings.HasSuffix(hi.hint, "'sudo chown ada "+path+"', then 'chmod 600 "+path+"'") {
		t.Errorf("a key file of root's readable by others: %v, want the owner, the chown, then the chmod", h)
	}
	// A token's PIN file of root's: the chown to the service's user, then the chmod, at once.
	pinRefused := fmt.Errorf("office key: %w", &hsm.ReadablePINFileError{Path: path, Err: fmt.Errorf("can be read or changed by others (mode -rw-r--r--): chmod 600 it")})
	h = readablePINFileHint(pinRefused, path, ownedBy{fi, 0}, euid, me)
	if h == nil || !strings.Contains(h.Error(), "the PIN file "+path+" can be read or changed by others") || !asHinted(h, &hi) ||
		!strings.HasPrefix(hi.hint, "the PIN file "+path+" belongs to root (uid 0), not to the user running chancery (ada, uid 4242421)") ||
		!strings.Contains(hi.hint, "'sudo chown ada "+path+"', then 'chmod 600 "+path+"'") {
		t.Errorf("a PIN file of root's readable by others: %v, want the owner, the chown, then the chmod", h)
	}
	for name, h := range map[string]error{
		"PIN file its own": readablePINFileHint(pinRefused, path, ownedBy{fi, euid}, euid, me),
		"PIN file as root": readablePINFileHint(pinRefused, path, ownedBy{fi, euid}, 0, "root"),
		"its own":          readableFileHint(refused, path, ownedBy{fi, euid}, euid, me),
		"as root":          readableFileHint(refused, path, ownedBy{fi, euid}, 0, "root"),
		"no error":         otherUsersSecretFile(fmt.Errorf("read log key: %w", syscall.EACCES)),
	} {
		if h != nil {
			t.Errorf("%s: %v, want no hint of the file's owner", name, h)
		}
	}
}

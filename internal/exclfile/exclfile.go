// Package exclfile creates files that must not exist yet — keys, certificates, released
// letters — durably (and replaces files whole, Replace): created with O_EXCL (never overwriting, never following a planted file),
// written, fsynced, and removed again if any step fails, so that a failure leaves nothing
// half-written behind.
package exclfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Write creates path with mode, failing if it exists, writes data and syncs the file. It
// does not sync the directory: call SyncDir once the files that belong together exist.
func Write(path string, data []byte, mode os.FileMode) error {
	return write(path, data, mode, -1, -1)
}

// write is Write, giving the file the owner uid and group gid first unless they are -1.
func write(path string, data []byte, mode os.FileMode, uid, gid int) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	if uid != -1 || gid != -1 {
		err = f.Chown(uid, gid)
	}
	if err == nil {
		_, err = f.Write(data)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return errors.Join(err, os.Remove(path))
	}
	return nil
}

// SyncDir syncs a directory so that the names of files just created in it survive a crash.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// Create creates path with mode and data whole, failing if it exists: data is written to a
// new temporary file beside it (Write), linked to path (which fails if path exists) and the
// directory synced, so that a crash or a power loss leaves no file at path or the whole
// one, never an empty or torn one that a later Create would find in its way. The temporary
// file is removed whatever happens, but for a crash; one a crash left (a key never used,
// perhaps) is removed by the next Create of path, once path exists.
func Create(path string, data []byte, mode os.FileMode) error {
	return create(path, data, mode, -1, -1)
}

// CreateForDirOwner is Create for a file of a directory that a service's user owns (a data
// directory): run as root, it gives the new file the directory's owner and group, so that the
// service can read what root's command wrote there (a rotated key, a renewed certificate);
// run as root in a directory of root's, or as any other user, it is Create.
func CreateForDirOwner(path string, data []byte, mode os.FileMode) error {
	uid, gid, err := dirOwner(filepath.Dir(path))
	if err != nil {
		return err
	}
	return create(path, data, mode, uid, gid)
}

func create(path string, data []byte, mode os.FileMode, uid, gid int) error {
	tmp := path + "." + strconv.FormatInt(time.Now().UnixNano(), 36) + createSuffix
	if err := write(tmp, data, mode, uid, gid); err != nil {
		return err
	}
	err := link(tmp, path)
	if rerr := os.Remove(tmp); err == nil {
		err = rerr
	}
	if err == nil || errors.Is(err, fs.ErrExist) {
		err = errors.Join(err, removeStale(path))
	}
	if err != nil {
		return err
	}
	return SyncDir(filepath.Dir(path))
}

// link makes tmp, a Create's temporary file, path too. Another Create of path that linked its
// own first removes the temporary files it finds (removeStale), tmp among them if it did so
// before this link: the link then fails for want of tmp, and is answered as the link that
// found path would be, with fs.ErrExist (a second server's lock file, refused as held).
func link(tmp, path string) error {
	err := os.Link(tmp, path)
	if errors.Is(err, fs.ErrNotExist) {
		if _, serr := os.Lstat(path); serr == nil {
			return &os.LinkError{Op: "link", Old: tmp, New: path, Err: fs.ErrExist}
		}
	}
	return err
}

// CreateAnywhere is Create where the file system has hard links, and Write with the
// directory synced where it has none (FAT on a USB stick, some network shares): a letter is
// saved there too, and a crash while writing it can then leave it torn, as any program's.
func CreateAnywhere(path string, data []byte, mode os.FileMode) error {
	err := Create(path, data, mode)
	if !noHardLinks(err) {
		return err
	}
	if err := Write(path, data, mode); err != nil {
		return err
	}
	return SyncDir(filepath.Dir(path))
}

// hardLink is os.Link and renameNoReplace renames without replacing (rename_linux.go); tests
// of LinkOrCopy's other ways set them to refuse as a file system without them does.
var (
	hardLink        = os.Link
	renameNoReplace = renameNoReplaceAt
)

// LinkOrCopy makes src, a finished file staged in dst's directory (or another directory of
// its file system), dst too, never replacing a file there: by a hard link where the file
// system has them; where it has none (FAT or exFAT on a USB disk, some network shares) by
// moving src to dst with a rename that refuses to replace (renameat2's RENAME_NOREPLACE,
// atomic: a crash leaves src or dst whole), and where that is not supported either, by a copy
// into a new file made with O_EXCL and the mode of src, synced, and removed if the copy fails.
// Only that last way can leave a partial file under dst, after a crash during the copy. The
// caller syncs dst's directory, and removes src if it is still there.
func LinkOrCopy(src, dst string) error {
	err := hardLink(src, dst)
	if !noHardLinks(err) {
		return err
	}
	switch err := renameNoReplace(src, dst); {
	case err == nil:
		return nil
	case errors.Is(err, fs.ErrExist):
		return &os.LinkError{Op: "rename", Old: src, New: dst, Err: err}
	case !errors.Is(err, errors.ErrUnsupported) && !errors.Is(err, syscall.EINVAL) && !errors.Is(err, syscall.ENOSYS) &&
		!errors.Is(err, syscall.ENOTSUP):
		return &os.LinkError{Op: "rename", Old: src, New: dst, Err: err}
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	fi, err := in.Stat()
	if err != nil {
		return err
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, fi.Mode().Perm())
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(dst)
		return fmt.Errorf("copy %s to %s: %w", src, dst, err)
	}
	return nil
}

// noHardLinks reports whether err is a file system's refusal of hard links.
func noHardLinks(err error) bool {
	var le *os.LinkError
	return errors.As(err, &le) && (errors.Is(err, syscall.EPERM) || errors.Is(err, syscall.ENOTSUP) ||
		errors.Is(err, syscall.EOPNOTSUPP) || errors.Is(err, syscall.EMLINK) || errors.Is(err, syscall.ENOSYS))
}

// createSuffix ends the names of Create's temporary files: path, a dot, a time in base 36,
// then this.
const createSuffix = ".create.tmp"

// removeStale removes the temporary files of Creates of path that a crash left. It is called
// once path exists: every Create of path fails from then on, so none of their temporary files
// is of any use, even one of a Create still running.
func removeStale(path string) error {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	var errs []error
	for _, e := range ents {
		rest, ours := strings.CutPrefix(e.Name(), base+".")
		stamp, tmp := strings.CutSuffix(rest, createSuffix)
		if !ours || !tmp || !e.Type().IsRegular() {
			continue
		}
		if _, err := strconv.ParseUint(stamp, 36, 64); err != nil {
			continue
		}
		if err := os.Remove(filepath.Join(dir, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Replace writes data to path whole, in place of any file there: to a new temporary file
// beside it (Write), renamed over it, with the directory synced, so that a crash or a power
// loss leaves the old file or the new one, never an empty or torn one. The temporary file is
// removed if any step fails.
func Replace(path string, data []byte, mode os.FileMode) error {
	return replace(path, data, mode, -1, -1)
}

// ReplaceKeepingOwner is Replace for a file of a directory that a service's user owns (a data
// directory's settings): run as root, it keeps the owner and group of the file it replaces
// when that file is its directory owner's (replaceOwner).
func ReplaceKeepingOwner(path string, data []byte, mode os.FileMode) error {
	uid, gid, err := replaceOwner(path)
	if err != nil {
		return err
	}
	return replace(path, data, mode, uid, gid)
}

func replace(path string, data []byte, mode os.FileMode, uid, gid int) error {
	tmp := path + "." + strconv.FormatInt(time.Now().UnixNano(), 36) + ".tmp"
	if err := write(tmp, data, mode, uid, gid); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return errors.Join(err, os.Remove(tmp))
	}
	return SyncDir(filepath.Dir(path))
}

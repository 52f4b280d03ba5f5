// Package exclfile creates files that must not exist yet — keys, certificates, released
// letters — durably (and replaces files whole, Replace): created with O_EXCL (never overwriting, never following a planted file),
// written, fsynced, and removed again if any step fails, so that a failure leaves nothing
// half-written behind.
package exclfile

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// Write creates path with mode, failing if it exists, writes data and syncs the file. It
// does not sync the directory: call SyncDir once the files that belong together exist.
func Write(path string, data []byte, mode os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
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
// file is removed whatever happens, but for a crash.
func Create(path string, data []byte, mode os.FileMode) error {
	tmp := path + "." + strconv.FormatInt(time.Now().UnixNano(), 36) + ".tmp"
	if err := Write(tmp, data, mode); err != nil {
		return err
	}
	err := os.Link(tmp, path)
	if rerr := os.Remove(tmp); err == nil {
		err = rerr
	}
	if err != nil {
		return err
	}
	return SyncDir(filepath.Dir(path))
}

// Replace writes data to path whole, in place of any file there: to a new temporary file
// beside it (Write), renamed over it, with the directory synced, so that a crash or a power
// loss leaves the old file or the new one, never an empty or torn one. The temporary file is
// removed if any step fails.
func Replace(path string, data []byte, mode os.FileMode) error {
	tmp := path + "." + strconv.FormatInt(time.Now().UnixNano(), 36) + ".tmp"
	if err := Write(tmp, data, mode); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return errors.Join(err, os.Remove(tmp))
	}
	return SyncDir(filepath.Dir(path))
}

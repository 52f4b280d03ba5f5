//go:build unix

package exclfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// replaceOwner returns the owner and group the new file at path takes, or -1, -1 for the
// process's own. Root changing a file that a service's user owns, in that user's directory
// (chancery.json in a data directory systemd handed to the service's user), would otherwise
// leave a file of root's, mode 0600, that the service cannot read at its next start. Only a
// regular file whose owner is its directory's keeps its owner: whoever owns the directory
// could have put any file there already.
func replaceOwner(path string) (uid, gid int, err error) {
	if os.Geteuid() != 0 {
		return -1, -1, nil
	}
	fi, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return -1, -1, nil
	}
	if err != nil {
		return 0, 0, err
	}
	di, err := os.Stat(filepath.Dir(path))
	if err != nil {
		return 0, 0, err
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	dst, dok := di.Sys().(*syscall.Stat_t)
	if !ok || !dok || !fi.Mode().IsRegular() || st.Uid != dst.Uid || st.Uid == 0 {
		return -1, -1, nil
	}
	return int(st.Uid), int(st.Gid), nil
}

// dirOwner returns the owner and group new files of dir take (CreateForDirOwner): the
// directory's when the process is root and the directory is not root's, else -1, -1.
func dirOwner(dir string) (uid, gid int, err error) {
	if os.Geteuid() != 0 {
		return -1, -1, nil
	}
	di, err := os.Stat(dir)
	if err != nil {
		return 0, 0, err
	}
	st, ok := di.Sys().(*syscall.Stat_t)
	if !ok || !di.IsDir() || st.Uid == 0 {
		return -1, -1, nil
	}
	return int(st.Uid), int(st.Gid), nil
}

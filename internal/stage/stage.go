// Package stage makes the working directories of a run (a restore's or a backup's staging
// copy, a conversion's files) so that the next run removes those a killed one left: each is
// locked (flock) by its run for as long as the run lasts, and a directory no run holds is
// left from one that ended without removing it (kill -9, a power loss). The lock goes with
// the process, however it ends.
package stage

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// tries bounds New's attempts: another process's RemoveStale may take a directory just
// made, before its lock, for a killed run's.
const tries = 10

// New makes a working directory inside dir whose name is prefix followed by a number (as
// os.MkdirTemp names it), locked until release removes it.
func New(dir, prefix string) (path string, release func(), err error) {
	for range tries {
		p, err := os.MkdirTemp(dir, prefix)
		if err != nil {
			return "", nil, err
		}
		f, err := os.Open(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue // taken by another process's RemoveStale
		}
		if err != nil {
			return "", nil, errors.Join(err, os.RemoveAll(p))
		}
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if errors.Is(err, syscall.EWOULDBLOCK) {
			f.Close() // held by another process's RemoveStale, which removes it
			continue
		}
		if err != nil {
			f.Close()
			return "", nil, errors.Join(fmt.Errorf("lock %s: %w", p, err), os.RemoveAll(p))
		}
		// Another process's RemoveStale may have taken the directory, not yet locked, for one a
		// killed run left, and removed it.
		fi, err := f.Stat()
		if err != nil {
			f.Close()
			return "", nil, errors.Join(err, os.RemoveAll(p))
		}
		if now, err := os.Lstat(p); err != nil || !os.SameFile(fi, now) {
			f.Close()
			continue
		}
		return p, func() {
			os.RemoveAll(p)
			f.Close()
		}, nil
	}
	return "", nil, fmt.Errorf("make a directory %s… in %s: other processes removed it as it was made, %d times", prefix, dir, tries)
}

// Named reports whether name is that of a working directory of prefix (New's names).
func Named(name, prefix string) bool {
	n, ok := strings.CutPrefix(name, prefix)
	_, err := strconv.ParseUint(n, 10, 32)
	return ok && err == nil
}

// RemoveStale removes from dir the working directories of prefix (Named) that no run holds
// and that belong to this process's user. Those it cannot open (another user's, in a shared
// /tmp) and those a run holds are left alone.
func RemoveStale(dir, prefix string) error {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, e := range ents {
		if !e.IsDir() || !Named(e.Name(), prefix) {
			continue
		}
		if err := removeUnheld(filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	return nil
}

// removeUnheld removes the working directory p if it is this user's and no run holds it.
func removeUnheld(p string) error {
	f, err := os.OpenFile(p, os.O_RDONLY|syscall.O_DIRECTORY|syscall.O_NOFOLLOW, 0)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.ELOOP) || errors.Is(err, syscall.ENOTDIR) {
		return nil // gone, another user's, or not a directory of ours
	}
	if err != nil {
		return err
	}
	defer f.Close()
	var st syscall.Stat_t
	if err := syscall.Fstat(int(f.Fd()), &st); err != nil {
		return err
	}
	if int(st.Uid) != os.Getuid() {
		return nil
	}
	err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return nil // a run holds it now
	}
	if err != nil {
		return err
	}
	return os.RemoveAll(p)
}

package datadir

import (
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// fileID is a file's device and inode: which file a name holds. The zero fileID is none.
type fileID struct{ dev, ino uint64 }

// idOf is the fileID of the file path names, the zero one if there is none.
func idOf(path string) fileID {
	var st syscall.Stat_t
	if err := syscall.Stat(path, &st); err != nil {
		return fileID{}
	}
	return fileID{uint64(st.Dev), uint64(st.Ino)}
}

// KeepLock checks every interval, until stop is called, that the server lock's files
// (LockFile, KeptLockFile) are still the ones locked when it was called, and locks again, as
// Lock does, one removed or replaced under the server: a server of an older build, which locks
// serve.lock alone, is refused again, as is a second server once both files were removed. It
// calls report for each file it found changed, with the error of locking it again (nil:
// locked; ErrLocked: another process holds the new file), and tries again at each check
// after a failure, reporting only once it locked the file. stop releases the locks it took
// again; those of Lock are Lock's.
func (d *Dir) KeepLock(interval time.Duration, report func(name string, err error)) (stop func()) {
	var (
		ids   [len(lockFiles)]fileID
		retry [len(lockFiles)]bool // the file changed, and locking it again failed
	)
	for i, name := range lockFiles {
		ids[i] = idOf(filepath.Join(d.Path, name))
	}
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		var held []*os.File
		defer func() {
			for _, f := range held {
				f.Close()
			}
		}()
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
			}
			for i, name := range lockFiles {
				path := filepath.Join(d.Path, name)
				changed := idOf(path) != ids[i]
				if !changed && !retry[i] {
					continue
				}
				f, err := lockFile(d.Path, name)
				if err == nil {
					held = append(held, f)
				}
				ids[i], retry[i] = idOf(path), err != nil
				if changed || err == nil {
					report(name, err)
				}
			}
		}
	}()
	return func() {
		close(done)
		<-finished
	}
}

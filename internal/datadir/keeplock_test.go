package datadir

import (
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// TestKeepLockLocksRemovedFilesAgain: with both lock files removed under a server, a second
// Lock made new ones and took them. KeepLock, which a server runs beside its lock, makes and
// locks them again, and the second Lock is refused; the files made meanwhile by another
// process are reported, and locked once that process lets them go.
func TestKeepLockLocksRemovedFilesAgain(t *testing.T) {
	d := initDir(t)
	unlock, err := d.Lock()
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	var (
		mu       sync.Mutex
		reported = map[string][]error{}
	)
	stop := d.KeepLock(10*time.Millisecond, func(name string, err error) {
		mu.Lock()
		defer mu.Unlock()
		reported[name] = append(reported[name], err)
	})
	defer stop()
	reports := func(name string) []error {
		mu.Lock()
		defer mu.Unlock()
		return append([]error(nil), reported[name]...)
	}
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); !ok(); time.Sleep(5 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("%s: reported %v", what, reported)
			}
		}
	}
	for _, name := range lockFiles {
		if err := os.Remove(filepath.Join(d.Path, name)); err != nil {
			t.Fatal(err)
		}
	}
	waitFor("both files locked again", func() bool {
		return len(reports(LockFile)) == 1 && reports(LockFile)[0] == nil && len(reports(KeptLockFile)) == 1 && reports(KeptLockFile)[0] == nil
	})
	if second, err := d.Lock(); !errors.Is(err, ErrLocked) {
		if err == nil {
			second()
		}
		t.Fatalf("a second lock with both files removed under the first: %v, want %v", err, ErrLocked)
	}

	// Another process's lock, on a serve.lock put in place of the server's: reported, then
	// taken once it is let go.
	other, err := lockFile(d.Path, "other.lock")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(d.Path, "other.lock"), filepath.Join(d.Path, LockFile)); err != nil {
		t.Fatal(err)
	}
	waitFor("another's lock reported", func() bool {
		r := reports(LockFile)
		return len(r) == 2 && errors.Is(r[1], ErrLocked)
	})
	other.Close()
	waitFor("serve.lock locked again once let go", func() bool {
		r := reports(LockFile)
		return len(r) == 3 && r[2] == nil
	})
	if again, err := lockFile(d.Path, LockFile); !errors.Is(err, ErrLocked) {
		if err == nil {
			again.Close()
		}
		t.Fatalf("serve.lock after KeepLock took it again: %v, want %v", err, ErrLocked)
	}
}

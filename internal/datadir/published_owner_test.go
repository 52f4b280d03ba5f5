package datadir

import (
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestRecordAndLockMadeByRootStayTheServicesOwn: under the shipped unit the data directory is
// the service's user's, and an operator runs 'chancery log accept-restore' or 'chancery
// restore' as root. The published checkpoint record they wrote, and the lock files they
// created, were root's, mode 0600: the service then refused to start ("read published
// checkpoint: permission denied", "lock: permission denied"). Both are the directory owner's.
// (Run as root only.)
func TestRecordAndLockMadeByRootStayTheServicesOwn(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("changes owners: run as root")
	}
	dir := filepath.Join(t.TempDir(), "d")
	d, err := Init(dir, Settings{Office: "X", Prefix: "X", Origin: "x.example/log"})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	const service = 65534 // nobody, as systemd's dynamic user would be
	err = filepath.WalkDir(dir, func(p string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, service, service)
	})
	if err != nil {
		t.Fatal(err)
	}
	owned := func(name string) {
		t.Helper()
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if st := fi.Sys().(*syscall.Stat_t); st.Uid != service || st.Gid != service || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s is %d:%d, mode %v; want the service's %d:%d, 0600", name, st.Uid, st.Gid, fi.Mode().Perm(), service, service)
		}
	}
	for range 2 { // a new record, then one replaced
		if err := d.SetPublished([]byte("a checkpoint\n")); err != nil {
			t.Fatal(err)
		}
		owned(PublishedFile)
	}
	unlock, err := d.Lock()
	if err != nil {
		t.Fatal(err)
	}
	unlock()
	owned(LockFile)
	owned(KeptLockFile)
}

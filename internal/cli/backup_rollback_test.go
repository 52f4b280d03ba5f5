package cli_test

import (
	"archive/tar"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/chancery/chancery/internal/datadir"
	officepkg "github.com/chancery/chancery/internal/office"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/store/storetest"
)

// journalHeader returns bytes 18 and 19 of a SQLite database's header, its file format write
// and read versions: 1 for a rollback journal, 2 for WAL.
func journalHeader(t *testing.T, r io.Reader) [2]byte {
	t.Helper()
	var h [20]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		t.Fatal(err)
	}
	return [2]byte{h[18], h[19]}
}

// backupDatabaseHeader returns journalHeader of the database a backup file holds.
func backupDatabaseHeader(t *testing.T, file string) [2]byte {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tr := tar.NewReader(f)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			t.Fatalf("%s holds no %s", file, store.SQLiteFile)
		}
		if err != nil {
			t.Fatal(err)
		}
		if h.Name == store.SQLiteFile {
			return journalHeader(t, tr)
		}
	}
}

// A backup's database is in rollback-journal mode, written and checked so beside its file, so
// that the file can be on a file system without shared memory maps (see
// TestBackupOntoAFileSystemWithoutSharedMaps); a restore switches it back to WAL, and the
// restored office verifies and takes writes.
func TestBackupDatabaseIsInRollbackJournalMode(t *testing.T) {
	ctx := context.Background()
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "office")
	o := openReleasingOffice(t, dir, "")
	rel, err := o.release()
	if err != nil {
		t.Fatal(err)
	}
	o.st.Close()
	out := filepath.Join(tmp, "office.tar")
	if code, stdout, stderr := run("backup", "--data", dir, "--out", out); code != 0 {
		t.Fatalf("backup: status %d\n%s%s", code, stdout, stderr)
	}
	if h := backupDatabaseHeader(t, out); h != [2]byte{1, 1} {
		t.Errorf("the backup's database has file format versions %v, want [1 1] (a rollback journal, not WAL)", h)
	}
	restored := filepath.Join(tmp, "restored")
	if code, stdout, stderr := run("restore", out, "--data", restored); code != 0 {
		t.Fatalf("restore: status %d\n%s%s", code, stdout, stderr)
	}
	if code, stdout, stderr := run("log", "verify", "--data", restored); code != 0 {
		t.Fatalf("log verify of the restored office: status %d\n%s%s", code, stdout, stderr)
	}
	d, err := datadir.Open(restored)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	st, err := officepkg.Open(ctx, d, officepkg.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.DB.View(ctx, func(tx *store.Tx) error {
		_, err := tx.LetterByRef(ctx, rel.Reference)
		return err
	}); err != nil {
		t.Errorf("the restored office does not hold %s: %v", rel.Reference, err)
	}
	if err := st.DB.Update(ctx, func(tx *store.Tx) error {
		return tx.PutBlob(ctx, storetest.Digest("after the restore"), []byte("a file"))
	}); err != nil {
		t.Errorf("the restored office takes no write: %v", err)
	}
	f, err := os.Open(filepath.Join(restored, store.SQLiteFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if h := journalHeader(t, f); h != [2]byte{2, 2} {
		t.Errorf("the restored database has file format versions %v, want [2 2] (WAL)", h)
	}
}

// TestBackupOntoAFileSystemWithoutSharedMaps: 'chancery backup --out' onto a FUSE file system
// without shared memory maps (fusefat; network shares alike) failed "backup: the copy of the
// log does not verify: … disk I/O error": the staged copy beside FILE was opened in WAL mode,
// whose index SQLite keeps in a shared map (the fifty-seventh session's not-fixed list). The
// backup restores.
func TestBackupOntoAFileSystemWithoutSharedMaps(t *testing.T) {
	mnt := mountFAT(t)
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "office")
	o := openReleasingOffice(t, dir, "")
	if _, err := o.release(); err != nil {
		t.Fatal(err)
	}
	o.st.Close()
	out := filepath.Join(mnt, "office.tar")
	if code, stdout, stderr := run("backup", "--data", dir, "--out", out); code != 0 {
		t.Fatalf("backup onto fusefat: status %d\n%s%s", code, stdout, stderr)
	}
	if code, stdout, stderr := run("restore", out, "--data", filepath.Join(tmp, "restored")); code != 0 {
		t.Fatalf("restore of the backup written onto fusefat: status %d\n%s%s", code, stdout, stderr)
	}
}

// mountFAT mounts a new FAT file system with fusefat, as exclfile.TestLinkOrCopyOnFAT does, and
// returns where; it skips the test where it cannot (not root, no dosfstools or fusefat).
func mountFAT(t *testing.T) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("mounts a FAT file system: run as root")
	}
	mkfs, err := exec.LookPath("mkfs.vfat")
	if err != nil {
		t.Skip("no mkfs.vfat (dosfstools) to make a FAT file system")
	}
	fusefat, err := exec.LookPath("fusefat")
	if err != nil {
		t.Skip("no fusefat to mount a FAT file system")
	}
	tmp := t.TempDir()
	img, mnt := filepath.Join(tmp, "fat.img"), filepath.Join(tmp, "mnt")
	if err := os.WriteFile(img, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(img, 32<<20); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(mnt, 0o700); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(mkfs, img).CombinedOutput(); err != nil {
		t.Fatalf("mkfs.vfat: %v\n%s", err, out)
	}
	if out, err := exec.Command(fusefat, "-o", "rw+", img, mnt).CombinedOutput(); err != nil {
		t.Skipf("fusefat cannot mount here: %v\n%s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", mnt).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v\n%s", mnt, err, out)
		}
	})
	return mnt
}

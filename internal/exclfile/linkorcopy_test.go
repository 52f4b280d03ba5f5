package exclfile

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
)

// TestLinkOrCopyWithoutHardLinks: `chancery backup --out` on a file system without hard
// links failed every time, its staged file put in place with os.Link alone. LinkOrCopy now
// moves the staged file there with a rename that does not replace, atomic, or, where that is
// not supported either, copies it into a new file. The refusals are injected (hardLink,
// renameNoReplace): a test on a real FAT is TestLinkOrCopyOnFAT, which needs root, fusefat and
// mkfs.vfat.
func TestLinkOrCopyWithoutHardLinks(t *testing.T) {
	refused := 0
	hardLink = func(oldname, newname string) error {
		refused++
		return &os.LinkError{Op: "link", Old: oldname, New: newname, Err: syscall.EPERM}
	}
	t.Cleanup(func() { hardLink, renameNoReplace = os.Link, renameNoReplaceAt })
	t.Run("rename", func(t *testing.T) {
		moved := 0
		renameNoReplace = func(oldpath, newpath string) error {
			err := renameNoReplaceAt(oldpath, newpath)
			if err == nil {
				moved++
			}
			return err
		}
		linkOrCopy(t, t.TempDir())
		if moved != 1 {
			t.Errorf("the staged file was moved %d times, want once (this file system refuses renameat2's RENAME_NOREPLACE?)", moved)
		}
	})
	t.Run("copy", func(t *testing.T) {
		renamed := 0
		renameNoReplace = func(oldpath, newpath string) error {
			renamed++
			return syscall.EINVAL
		}
		linkOrCopy(t, t.TempDir())
		if renamed == 0 {
			t.Fatal("the rename was never tried")
		}
	})
	if refused == 0 {
		t.Fatal("the link was never tried")
	}
}

// TestLinkOrCopyOnFAT is TestLinkOrCopyWithoutHardLinks on a FAT file system mounted with
// fusefat, whose link(2) answers EPERM, where root can mount one.
func TestLinkOrCopyOnFAT(t *testing.T) {
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
	if err := os.Truncate(img, 16<<20); err != nil {
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
	probe := filepath.Join(mnt, "probe")
	if err := os.WriteFile(probe, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(probe, probe+"2"); !noHardLinks(err) {
		t.Fatalf("link on the FAT file system: %v, want a refusal of hard links", err)
	}
	linkOrCopy(t, mnt)
}

// linkOrCopy checks LinkOrCopy in dir, where hard links are refused: the staged file is
// put whole under the new name (moved or copied), and a file already under it is neither
// replaced nor removed.
func linkOrCopy(t *testing.T, dir string) {
	t.Helper()
	data := bytes.Repeat([]byte("a staged backup\n"), 70000)
	part, out := filepath.Join(dir, "part"), filepath.Join(dir, "backup.tar")
	if err := os.WriteFile(part, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := LinkOrCopy(part, out); err != nil {
		t.Fatalf("LinkOrCopy without hard links: %v", err)
	}
	if got, err := os.ReadFile(out); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("the copy holds %d bytes (%v), want the staged file's %d", len(got), err, len(data))
	}
	// Another staged file, onto the same name.
	if err := os.WriteFile(part, []byte("another backup\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := LinkOrCopy(part, out); !errors.Is(err, fs.ErrExist) {
		t.Errorf("LinkOrCopy onto an existing file: %v, want it refused as existing", err)
	}
	if got, err := os.ReadFile(out); err != nil || !bytes.Equal(got, data) {
		t.Errorf("the existing file was changed: %d bytes (%v)", len(got), err)
	}
}

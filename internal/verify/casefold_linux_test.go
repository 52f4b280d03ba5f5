package verify

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"unsafe"
)

// caseInsensitiveDir returns a directory of a case-insensitive file system: a tmpfs mounted
// with casefold (Linux 6.13 and later, as root), its directory marked casefolded (chattr +F)
// where the kernel needs it; or, where the kernel has no casefolding (CONFIG_UNICODE), a
// fresh directory in CHANCERY_TEST_CASE_INSENSITIVE_DIR, a case-insensitive file system
// mounted there by other means (a FUSE one). The test is skipped, with the reason, where
// neither can be had.
func caseInsensitiveDir(t *testing.T) string {
	t.Helper()
	if d := os.Getenv("CHANCERY_TEST_CASE_INSENSITIVE_DIR"); d != "" {
		dir, err := os.MkdirTemp(d, "verify-")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.RemoveAll(dir) })
		return probeCase(t, dir)
	}
	mnt := t.TempDir()
	if err := syscall.Mount("none", mnt, "tmpfs", 0, "casefold"); err != nil {
		t.Skipf("no case-insensitive file system to test on: mount -t tmpfs -o casefold: %v (needs root and a kernel built with CONFIG_UNICODE, Linux 6.13 or later)", err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(mnt, 0); err != nil {
			t.Errorf("umount %s: %v", mnt, err)
		}
	})
	dir := filepath.Join(mnt, "ci")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	// chattr +F: FS_IOC_SETFLAGS with FS_CASEFOLD_FL, on the directory while it is empty.
	if f, err := os.Open(dir); err == nil {
		const fsIocGetflags, fsIocSetflags, fsCasefoldFl = 0x80086601, 0x40086602, 0x40000000
		var flags int
		syscall.Syscall(syscall.SYS_IOCTL, f.Fd(), fsIocGetflags, uintptr(unsafe.Pointer(&flags)))
		flags |= fsCasefoldFl
		syscall.Syscall(syscall.SYS_IOCTL, f.Fd(), fsIocSetflags, uintptr(unsafe.Pointer(&flags)))
		f.Close()
	}
	return probeCase(t, dir)
}

// probeCase returns dir once a file made in it is found by a name of another case, and skips
// the test otherwise.
func probeCase(t *testing.T, dir string) string {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, "Probe"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(filepath.Join(dir, "pROBE")); err != nil {
		t.Skipf("%s is not case-insensitive: %v", dir, err)
	}
	if err := os.Remove(filepath.Join(dir, "Probe")); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestSealOfALetterUnderAnotherCase: on a case-insensitive file system (macOS's default,
// Windows), Letter.txt beside letter.txt.seal verifies valid, its seal opened by the other
// case, yet the seal was also warned of and listed in seals_without_letter, the listing's
// names being matched byte for byte (review of 77b0f2a, sixty-first session; the lead's
// decision, sixty-second session). One lstat of such a seal's letter settles it: the seal is
// the letter's, neither warned of nor listed; a seal without any letter still is.
func TestSealOfALetterUnderAnotherCase(t *testing.T) {
	dir := caseInsensitiveDir(t)
	v := sealVectors(t)
	for name, vec := range map[string]string{
		"trust.json": "trust.json", "letters/Letter.txt": "letter.txt", "letters/letter.txt.seal": "seals/valid.json",
		"letters/moved.txt.seal": "seals/valid.json",
		// A seal whose letter's name leads, in another case, to the seal letter.txt.seal: a
		// seal is no letter, as letter.txt.seal.seal beside it is not (found by review of
		// 42c226b, sixty-second session: it was neither warned of nor listed).
		"letters/Letter.txt.SEAL.seal": "seals/valid.json",
	} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, v[vec], 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, out, errs := runIn(t, dir, "--offline", "--lang", "en", "--trust", "trust.json", "letters")
	if code != ExitOK || !strings.HasPrefix(out, "valid: ") {
		t.Errorf("Letter.txt beside letter.txt.seal: exit %d %q %q, want valid", code, out, errs)
	}
	if want := "chancery: warning: letters/Letter.txt.SEAL.seal: no letter named Letter.txt.SEAL beside it (renamed or moved?)\n" +
		"chancery: warning: letters/moved.txt.seal: no letter named moved.txt beside it (renamed or moved?)\n"; errs != want {
		t.Errorf("stderr %q, want only the seals without any letter warned of: %q", errs, want)
	}
	code, out, errs = runIn(t, dir, "--offline", "--json", "--trust", "trust.json", "letters")
	var r Result
	if err := json.Unmarshal([]byte(out), &r); err != nil || code != ExitOK || errs != "" ||
		!slices.Equal(r.SealsWithoutLetter, []string{"letters/Letter.txt.SEAL.seal", "letters/moved.txt.seal"}) {
		t.Errorf("--json: exit %d %q %q (%v), want seals_without_letter [letters/Letter.txt.SEAL.seal letters/moved.txt.seal]", code, out, errs, err)
	}
}

// TestSealBesideADirectoryOrASealIsWithoutItsLetter: the lstat that finds a letter under
// another case finds, on any file system, a directory or a seal of that very name, neither of
// which is a letter: b.txt.seal beside a directory b.txt, and good.txt.seal.seal beside the
// seal good.txt.seal (which the review of 77b0f2a kept warned of), are still seals without
// their letter.
func TestSealBesideADirectoryOrASealIsWithoutItsLetter(t *testing.T) {
	dir := vectorFolder(t, map[string]string{
		"good.txt": "letter.txt", "good.txt.seal": "seals/valid.json",
		"b.txt.seal": "seals/valid.json", "good.txt.seal.seal": "seals/valid.json",
	})
	if err := os.Mkdir(filepath.Join(dir, "letters", "b.txt"), 0o755); err != nil {
		t.Fatal(err)
	}
	_, _, errs := runIn(t, dir, "--offline", "--lang", "en", "--trust", "trust.json", "letters")
	want := "chancery: warning: letters/b.txt.seal: no letter named b.txt beside it (renamed or moved?)\n" +
		"chancery: warning: letters/good.txt.seal.seal: no letter named good.txt.seal beside it (renamed or moved?)\n"
	if errs != want {
		t.Errorf("stderr %q, want %q", errs, want)
	}
}

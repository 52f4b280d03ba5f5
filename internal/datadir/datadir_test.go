package datadir

import (
	"crypto/ed25519"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestInitOpen creates many data directories: key encodings vary (base64 may hold '+'), and
// every one must open again with the same keys.
func TestInitOpen(t *testing.T) {
	for i := range 40 {
		dir := filepath.Join(t.TempDir(), "d")
		d, err := Init(dir, Settings{Office: "Test Office", Prefix: "TST", Origin: "test.example/log", URL: "https://test.example"})
		if err != nil {
			t.Fatalf("init %d: %v", i, err)
		}
		d2, err := Open(dir)
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		if d2.VerifierKey() != d.VerifierKey() || !d2.OfficeKey().Public().(ed25519.PublicKey).Equal(d.OfficeKey().Public()) {
			t.Fatalf("reopened keys differ")
		}
		for _, f := range []string{logKeyFile, officeKeyFile, dispatchFile, settingsFile} {
			fi, err := os.Stat(filepath.Join(dir, f))
			if err != nil || fi.Mode().Perm() != 0o600 {
				t.Fatalf("%s: %v %v", f, fi.Mode(), err)
			}
		}
		if _, err := Init(dir, d.Settings); err == nil {
			t.Fatal("init twice")
		}
	}
}

func TestOpenRefuses(t *testing.T) {
	if _, err := Open(t.TempDir()); err == nil {
		t.Fatal("opened an empty directory")
	}
	dir := t.TempDir()
	if _, err := Init(dir, Settings{Office: "X", Prefix: "bad prefix", Origin: "x.example/log"}); err == nil {
		t.Fatal("accepted a bad prefix")
	}
	if _, err := Init(dir, Settings{Office: "X", Prefix: "X", Origin: "https://x.example/log"}); err == nil {
		t.Fatal("accepted an origin with a scheme")
	}
	d, err := Init(filepath.Join(dir, "ok"), Settings{Office: "X", Prefix: "X", Origin: "x.example/log"})
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(filepath.Join(d.Path, officeKeyFile), 0o644)
	if _, err := Open(d.Path); err == nil {
		t.Fatal("opened a world-readable office key")
	}
}

func TestLock(t *testing.T) {
	d := initDir(t)
	unlock, err := d.Lock()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Lock(); err == nil {
		t.Fatal("a second lock on the same directory succeeded")
	}
	unlock()
	again, err := d.Lock()
	if err != nil {
		t.Fatalf("lock after unlock: %v", err)
	}
	again()
}

// TestOpenRefusesDispatchSecretReadableByOthers: dispatch.key keys the receipt tokens of
// the mail links; one others can read lets them confirm receipts, as office.key and log.key
// would let them sign.
func TestOpenRefusesDispatchSecretReadableByOthers(t *testing.T) {
	d := initDir(t)
	if err := os.Chmod(filepath.Join(d.Path, dispatchFile), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(d.Path); err == nil || !strings.Contains(err.Error(), "readable by others") {
		t.Fatalf("opened with a world-readable dispatch secret: %v", err)
	}
}

// TestOpenRefusesWhatOthersCanChange: a data directory its group or others can write lets
// them put their own office.key in place of the office's (a file they made, mode 0600, that
// the server then signs with), and chancery.json they can write lets them name a PKCS#11
// module of theirs, which the server loads: both are refused, at init and at every open, as
// ssh refuses a key in a directory others can write.
func TestOpenRefusesWhatOthersCanChange(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "d")
	d, err := Init(dir, Settings{Office: "X", Prefix: "X", Origin: "x.example/log"})
	if err != nil {
		t.Fatal(err)
	}
	d.Close()
	for _, mode := range []os.FileMode{0o777, 0o770, os.ModeSticky | 0o777} {
		if err := os.Chmod(dir, mode); err != nil {
			t.Fatal(err)
		}
		if _, err := Open(dir); err == nil || !strings.Contains(err.Error(), "chmod 700") {
			t.Errorf("opened a data directory of mode %v: %v", mode, err)
		}
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if d, err := Open(dir); err != nil {
		t.Fatalf("a directory others can only read: %v", err)
	} else {
		d.Close()
	}
	if err := os.Chmod(filepath.Join(dir, settingsFile), 0o666); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("opened with settings others can write: %v", err)
	}

	shared := filepath.Join(t.TempDir(), "shared")
	if err := os.Mkdir(shared, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(shared, 0o777); err != nil {
		t.Fatal(err)
	}
	if _, err := Init(shared, Settings{Office: "X", Prefix: "X", Origin: "x.example/log"}); err == nil || !strings.Contains(err.Error(), "chmod 700") {
		t.Errorf("init in a directory others can write: %v", err)
	}
	if ents, _ := os.ReadDir(shared); len(ents) != 0 {
		t.Errorf("the refused init left %d files", len(ents))
	}
}

// TestLockHoldsWithServeLockRemoved: the server's lock was an advisory lock on serve.lock
// alone, so that once the file was removed by hand under a running server, a second Lock
// made a new serve.lock, locked it, and a second server sequenced the same log. The lock
// now also holds .serve.lock, which removing serve.lock leaves held.
func TestLockHoldsWithServeLockRemoved(t *testing.T) {
	d := initDir(t)
	unlock, err := d.Lock()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(d.Path, "serve.lock")); err != nil {
		t.Fatal(err)
	}
	if second, err := d.Lock(); !errors.Is(err, ErrLocked) {
		if err == nil {
			second()
		}
		t.Fatalf("a second lock with serve.lock removed: %v, want %v", err, ErrLocked)
	}
	unlock()
	again, err := d.Lock()
	if err != nil {
		t.Fatalf("lock after unlock: %v", err)
	}
	again()
}

// initDir is a new data directory of office X.
func initDir(t *testing.T) *Dir {
	t.Helper()
	d, err := Init(filepath.Join(t.TempDir(), "d"), Settings{Office: "X", Prefix: "X", Origin: "x.example/log"})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

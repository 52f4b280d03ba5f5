package datadir

import (
	"crypto/ed25519"
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
	d, err := Init(filepath.Join(t.TempDir(), "d"), Settings{Office: "X", Prefix: "X", Origin: "x.example/log"})
	if err != nil {
		t.Fatal(err)
	}
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
	d, err := Init(filepath.Join(t.TempDir(), "d"), Settings{Office: "X", Prefix: "X", Origin: "x.example/log"})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(d.Path, dispatchFile), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(d.Path); err == nil || !strings.Contains(err.Error(), "readable by others") {
		t.Fatalf("opened with a world-readable dispatch secret: %v", err)
	}
}

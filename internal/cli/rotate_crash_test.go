package cli_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/datadir"
	"github.com/chancery/chancery/internal/hsm"
	"github.com/chancery/chancery/internal/hsm/hsmtest"
	officepkg "github.com/chancery/chancery/internal/office"
)

// TestRotationToATokenKilledAfterItsCommitStarts: 'key rotate office --to pkcs11:…' SIGKILLed
// after its commit, before it updated chancery.json, left a store whose current key is in a
// token whose module the data directory did not name: every later start refused it as an
// untrusted module, until the operator set CHANCERY_HSM_MODULES. The directory now records
// the module before the commit, and the office starts with the token's key; the same
// command again names it in chancery.json.
func TestRotationToATokenKilledAfterItsCommitStarts(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a child process")
	}
	t.Setenv("CHANCERY_STATE_DIR", t.TempDir())
	t.Setenv(datadir.HSMModulesEnv, "")
	pin := hsmtest.Token(t, "chancery", "office-2")
	uri := hsmtest.URI("chancery", "office-2", pin)
	dir := filepath.Join(t.TempDir(), "office")
	if code, _, errs := run("init", "--data", dir, "--office", "Rotate Office", "--prefix", "ROT", "--url", "https://rotate.example", "--no-pdf-ca"); code != 0 {
		t.Fatalf("init: status %d\n%s", code, errs)
	}

	killedAt(t, "rotate", "committed", "key", "rotate", "office", "--data", dir, "--to", uri)

	k, err := hsm.Open(uri)
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	opens := func(when string) {
		t.Helper()
		d, err := datadir.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		st, err := officepkg.Open(context.Background(), d)
		if err != nil {
			t.Fatalf("opening the office %s: %v", when, err)
		}
		defer st.Close()
		keys := st.Registry.TrustRoot().OfficeKeys
		if cur := keys[len(keys)-1]; !bytes.Equal(cur.PublicKey, k.Public().(ed25519.PublicKey)) {
			t.Errorf("the office's current key %s is %x, want the token's", when, cur.PublicKey)
		}
	}
	opens("after the kill")

	// The same command again finishes the rotation: chancery.json names the key.
	code, stdout, errs := run("key", "rotate", "office", "--data", dir, "--to", uri, "--json")
	if code != 0 || !strings.Contains(stdout, `"key":"pkcs11:token=chancery;object=office-2`) {
		t.Fatalf("the rotation again: status %d\n%s%s", code, stdout, errs)
	}
	d, err := datadir.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if d.Settings.OfficeKeyNext != "" || !strings.HasPrefix(d.Settings.OfficeKey, "pkcs11:token=chancery;object=office-2") {
		t.Errorf("chancery.json after the rotation again: office_key %q, office_key_next %q", d.Settings.OfficeKey, d.Settings.OfficeKeyNext)
	}
	d.Close()
	opens("after the rotation again")
}

// TestRotationKilledBeforeItsCommitLeavesNoKey: 'key rotate office' SIGKILLed after it wrote
// the new key file, before the rotation was logged, left that private key (office-<id>.key,
// never used) in the data directory for good. The next rotation removes it: the store's
// key history, read under the directory's lock, names every key file in use.
func TestRotationKilledBeforeItsCommitLeavesNoKey(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a child process")
	}
	t.Setenv("CHANCERY_STATE_DIR", t.TempDir())
	dir := filepath.Join(t.TempDir(), "office")
	if code, _, errs := run("init", "--data", dir, "--office", "Rotate Office", "--prefix", "ROT", "--url", "https://rotate.example", "--no-pdf-ca"); code != 0 {
		t.Fatalf("init: status %d\n%s", code, errs)
	}
	keyFiles := func() []string {
		t.Helper()
		names, err := filepath.Glob(filepath.Join(dir, "office-*.key"))
		if err != nil {
			t.Fatal(err)
		}
		for i, n := range names {
			names[i] = filepath.Base(n)
		}
		return names
	}

	killedAt(t, "rotate", "key written", "key", "rotate", "office", "--data", dir)
	if left := keyFiles(); len(left) != 1 {
		t.Fatalf("after the kill: key files %v, want the unused one", left)
	}

	code, stdout, errs := run("key", "rotate", "office", "--data", dir, "--json")
	if code != 0 {
		t.Fatalf("the rotation again: status %d\n%s%s", code, stdout, errs)
	}
	d, err := datadir.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if left := keyFiles(); len(left) != 1 || left[0] != d.Settings.OfficeKey {
		t.Fatalf("after the rotation again: key files %v, want only the office's key %s", left, d.Settings.OfficeKey)
	}

	// A second rotation keeps the retired key the history names.
	if code, stdout, errs := run("key", "rotate", "office", "--data", dir); code != 0 {
		t.Fatalf("a second rotation: status %d\n%s%s", code, stdout, errs)
	}
	if left := keyFiles(); len(left) != 2 {
		t.Fatalf("after a second rotation: key files %v, want the retired and the current", left)
	}
}

// TestLostOfficeKeyIsNotRotated: docs/keys.md said a lost office key was recoverable by
// rotation, and 'key rotate office' with the key gone from the token hinted to fix object= or
// id= (found by audit, forty-ninth session). A rotation is signed by the key it retires: the
// hint says that a lost office key cannot be rotated, and where to turn.
func TestLostOfficeKeyIsNotRotated(t *testing.T) {
	t.Setenv("CHANCERY_STATE_DIR", t.TempDir())
	t.Setenv(datadir.HSMModulesEnv, "")
	pin := hsmtest.Token(t, "chancery", "office")
	dir := filepath.Join(t.TempDir(), "office")
	if code, _, errs := run("init", "--data", dir, "--office", "Lost Office", "--prefix", "LOS", "--url", "https://lost.example", "--no-pdf-ca",
		"--office-key", hsmtest.URI("chancery", "office", pin)); code != 0 {
		t.Fatalf("init: status %d\n%s", code, errs)
	}
	for _, typ := range []string{"privkey", "pubkey"} {
		if out, err := exec.Command("pkcs11-tool", "--module", hsmtest.Module, "--token-label", "chancery", "--login", "--pin", hsmtest.PIN,
			"--delete-object", "--type", typ, "--label", "office").CombinedOutput(); err != nil {
			t.Fatalf("delete the office key: %v\n%s", err, out)
		}
	}
	code, _, errs := run("key", "rotate", "office", "--data", dir, "--reason", "office key lost")
	if code != 2 || !strings.Contains(errs, "chancery: hint: a rotation is signed by the key it retires: if the token lost the office key, it cannot be rotated") {
		t.Errorf("rotating a lost office key: status %d\n%s", code, errs)
	}
}

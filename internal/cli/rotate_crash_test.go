package cli_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
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

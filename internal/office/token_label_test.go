package office_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/datadir"
	"github.com/chancery/chancery/internal/hsm/hsmtest"
	"github.com/chancery/chancery/internal/office"
)

// tokenSerials maps the slot (in hexadecimal, as pkcs11-tool takes it) of each initialised
// token of the module to the token's serial number.
func tokenSerials(t *testing.T) map[string]string {
	t.Helper()
	out, err := exec.Command("pkcs11-tool", "--module", hsmtest.Module, "--list-token-slots").CombinedOutput()
	if err != nil {
		t.Fatalf("list slots: %v\n%s", err, out)
	}
	serials := map[string]string{}
	var slot string
	for _, l := range strings.Split(string(out), "\n") {
		if f := strings.Fields(l); len(f) >= 3 && f[0] == "Slot" {
			slot = strings.Trim(f[2], "():")
		} else if name, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(name) == "serial num" && slot != "" {
			serials[slot] = strings.TrimSpace(v)
		}
	}
	return serials
}

// TestOfficeOpensNoOtherTokensKey: before its first rotation an office has no key history,
// and nothing ties the key its URI opens to the office key its log and trust roots name. A
// second token with the office token's label, holding a key labelled "office", made
// hsm.Open take either token's key by slot order, and the office then signed log entries
// with that key and served it as its trust root's office key, with no rotation entry (found
// by audit, forty-ninth session). Now the office does not open while two tokens carry its
// label: every command stops with the hint to add serial= to the URI, and with serial= the
// office opens its own key.
func TestOfficeOpensNoOtherTokensKey(t *testing.T) {
	t.Setenv("CHANCERY_STATE_DIR", t.TempDir())
	pin := hsmtest.Token(t, "chancery", "office")
	dir := filepath.Join(t.TempDir(), "reg")
	initOffice(t, dir, "--office-key", hsmtest.URI("chancery", "office", pin))
	st, closeOffice := open(t, dir)
	want := st.Registry.TrustRoot().OfficeKeys[0].KeyID
	closeOffice()
	before := tokenSerials(t)
	if len(before) != 1 {
		t.Fatalf("tokens: %v", before)
	}

	if out, err := exec.Command("softhsm2-util", "--init-token", "--free", "--label", "chancery", "--pin", hsmtest.PIN, "--so-pin", "654321").CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var serial string
	for slot, s := range tokenSerials(t) {
		if _, ok := before[slot]; ok {
			serial = s
			continue
		}
		if out, err := exec.Command("pkcs11-tool", "--module", hsmtest.Module, "--slot", slot, "--login", "--pin", hsmtest.PIN,
			"--keypairgen", "--key-type", "EC:edwards25519", "--label", "office", "--id", "01").CombinedOutput(); err != nil {
			t.Fatalf("slot %s: %v\n%s", slot, err, out)
		}
	}

	d, err := datadir.Open(dir)
	if err == nil {
		var st *office.Stack
		if st, err = office.Open(context.Background(), d); err == nil {
			got := st.Registry.TrustRoot().OfficeKeys
			st.Close()
			t.Errorf("the office opened with two tokens labelled chancery without a word (office keys %+v, was %s)", got, want)
		}
		d.Close()
	}
	if err != nil && !strings.Contains(err.Error(), `more than one token is labelled "chancery"`) {
		t.Errorf("the office with two tokens labelled chancery: %v", err)
	}
	code, _, errs := chancery(t, "log", "verify", "--data", dir)
	if code != 2 || !strings.Contains(errs, "more than one token") || !strings.Contains(errs, "chancery: hint: ") || !strings.Contains(errs, "serial=") {
		t.Errorf("log verify with two tokens labelled chancery: exit %d\n%s", code, errs)
	}

	// serial= in the recorded URI names the office's own token.
	settings := filepath.Join(dir, "chancery.json")
	b, err := os.ReadFile(settings)
	if err != nil {
		t.Fatal(err)
	}
	withSerial := bytes.Replace(b, []byte("pkcs11:token=chancery;object=office"), []byte("pkcs11:token=chancery;serial="+serial+";object=office"), 1)
	if bytes.Equal(withSerial, b) {
		t.Fatalf("chancery.json does not record the office key's URI:\n%s", b)
	}
	if err := os.WriteFile(settings, withSerial, 0o600); err != nil {
		t.Fatal(err)
	}
	st, closeOffice = open(t, dir)
	defer closeOffice()
	if got := st.Registry.TrustRoot().OfficeKeys; len(got) != 1 || got[0].KeyID != want {
		t.Errorf("with serial= of the office's token, office keys %+v, want %s", got, want)
	}
}

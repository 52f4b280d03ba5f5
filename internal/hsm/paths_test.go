package hsm

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestSecretPaths: the PIN file a key's URI uses (its pin-source, else CHANCERY_HSM_PIN_FILE
// unless CHANCERY_HSM_PIN gives the PIN) and SoftHSM's token directory, as its configuration
// names it, are what the server hides from the programs that read uploads.
func TestSecretPaths(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "softhsm2.conf")
	if err := os.WriteFile(conf, []byte("# tokens\ndirectories.tokendir = "+dir+"/tokens\nobjectstore.backend = file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SOFTHSM2_CONF", conf)
	t.Setenv("CHANCERY_HSM_PIN", "")
	t.Setenv("CHANCERY_HSM_PIN_FILE", "/etc/chancery/env.pin")
	const module = "module-path=/usr/lib/softhsm/libsofthsm2.so"
	for _, c := range []struct {
		uri  string
		want []string
	}{
		{"pkcs11:token=chancery;object=office?" + module + "&pin-source=/etc/chancery/hsm.pin", []string{"/etc/chancery/hsm.pin", dir + "/tokens"}},
		{"pkcs11:token=chancery;object=office?" + module + "&pin-source=file:/etc/chancery/hsm.pin", []string{"/etc/chancery/hsm.pin", dir + "/tokens"}},
		{"pkcs11:token=chancery;object=office?" + module, []string{"/etc/chancery/env.pin", dir + "/tokens"}},
		{"pkcs11:token=chancery;object=office?module-path=/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so&pin-source=/etc/chancery/hsm.pin", []string{"/etc/chancery/hsm.pin"}},
		{"office.key", nil},
		{"", nil},
	} {
		if got := SecretPaths(c.uri); !slices.Equal(got, c.want) {
			t.Errorf("%s: %q, want %q", c.uri, got, c.want)
		}
	}
	t.Setenv("CHANCERY_HSM_PIN", "123456")
	if got := SecretPaths("pkcs11:token=chancery;object=office?module-path=/opt/other.so"); len(got) != 0 {
		t.Errorf("with the PIN in the environment: %q, want nothing", got)
	}
}

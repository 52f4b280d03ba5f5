// Package hsmtest creates SoftHSM2 tokens for tests: a real PKCS#11 module, with Ed25519 keys
// made by OpenSC's pkcs11-tool, as an office would make them in its HSM.
package hsmtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Module is SoftHSM2's PKCS#11 module as Debian installs it.
const Module = "/usr/lib/softhsm/libsofthsm2.so"

// PIN is the user PIN of the tokens Token creates.
const PIN = "123456"

// Token creates a SoftHSM2 token labelled label (user PIN PIN) in a temporary directory that
// SOFTHSM2_CONF names for the rest of the test, with an Ed25519 key pair for each of keys,
// labelled so and with IDs 01, 02, …. It returns the path of a file holding the PIN. It
// skips without SoftHSM2 and OpenSC, and fails instead when CHANCERY_REQUIRE_TOOLS=1.
func Token(t testing.TB, label string, keys ...string) (pinFile string) {
	t.Helper()
	Require(t)
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "tokens"), 0o700); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(dir, "softhsm2.conf")
	if err := os.WriteFile(conf, []byte("directories.tokendir = "+filepath.Join(dir, "tokens")+"\nobjectstore.backend = file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SOFTHSM2_CONF", conf)
	run(t, "softhsm2-util", "--init-token", "--free", "--label", label, "--pin", PIN, "--so-pin", "654321")
	for i, k := range keys {
		AddKey(t, label, k, i+1)
	}
	pinFile = filepath.Join(dir, "pin")
	if err := os.WriteFile(pinFile, []byte(PIN+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return pinFile
}

// AddKey makes an Ed25519 key pair labelled name with the one-byte ID id in the token label.
func AddKey(t testing.TB, label, name string, id int) {
	t.Helper()
	run(t, "pkcs11-tool", "--module", Module, "--token-label", label, "--login", "--pin", PIN,
		"--keypairgen", "--key-type", "EC:edwards25519", "--label", name, "--id", hex2(id))
}

// URI is the pkcs11: URI of key name in token label, with the module and pin-source=pinFile.
func URI(label, name, pinFile string) string {
	return "pkcs11:token=" + label + ";object=" + name + "?module-path=" + Module + "&pin-source=" + pinFile
}

// Require skips the test without SoftHSM2 and OpenSC, or fails it when
// CHANCERY_REQUIRE_TOOLS=1.
func Require(t testing.TB) {
	t.Helper()
	for _, tool := range []string{Module, "/usr/bin/softhsm2-util", "/usr/bin/pkcs11-tool"} {
		if _, err := os.Stat(tool); err != nil {
			if os.Getenv("CHANCERY_REQUIRE_TOOLS") == "1" {
				t.Fatalf("%s is required (apt-get install softhsm2 opensc): %v", tool, err)
			}
			t.Skipf("no %s: skipping the PKCS#11 test", tool)
		}
	}
}

func hex2(id int) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[id>>4&0xf], digits[id&0xf]})
}

func run(t testing.TB, args ...string) {
	t.Helper()
	if out, err := exec.Command(args[0], args[1:]...).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

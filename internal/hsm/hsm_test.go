package hsm

import (
	"crypto"
	"crypto/ed25519"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"
)

const softhsm = "/usr/lib/softhsm/libsofthsm2.so"

// token creates a SoftHSM2 token labelled chancery (user PIN 123456) in a temporary
// directory, with an Ed25519 key pair "office" (ID 01) made by pkcs11-tool. It skips without
// SoftHSM2 and OpenSC, unless CHANCERY_REQUIRE_TOOLS=1.
func token(t testing.TB) string {
	t.Helper()
	for _, tool := range []string{softhsm, "/usr/bin/softhsm2-util", "/usr/bin/pkcs11-tool"} {
		if _, err := os.Stat(tool); err != nil {
			if os.Getenv("CHANCERY_REQUIRE_TOOLS") == "1" {
				t.Fatalf("%s is required (apt-get install softhsm2 opensc): %v", tool, err)
			}
			t.Skipf("no %s: skipping the PKCS#11 test", tool)
		}
	}
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "tokens"), 0o700)
	conf := filepath.Join(dir, "softhsm2.conf")
	os.WriteFile(conf, []byte("directories.tokendir = "+filepath.Join(dir, "tokens")+"\nobjectstore.backend = file\n"), 0o600)
	t.Setenv("SOFTHSM2_CONF", conf)
	for _, args := range [][]string{
		{"softhsm2-util", "--init-token", "--free", "--label", "chancery", "--pin", "123456", "--so-pin", "654321"},
		{"pkcs11-tool", "--module", softhsm, "--token-label", "chancery", "--login", "--pin", "123456",
			"--keypairgen", "--key-type", "EC:edwards25519", "--label", "office", "--id", "01"},
		{"pkcs11-tool", "--module", softhsm, "--token-label", "chancery", "--login", "--pin", "123456",
			"--keypairgen", "--key-type", "EC:edwards25519", "--label", "log", "--id", "02"},
	} {
		if out, err := exec.Command(args[0], args[1:]...).CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	pin := filepath.Join(dir, "pin")
	os.WriteFile(pin, []byte("123456\n"), 0o600)
	return pin
}

func TestSoftHSM(t *testing.T) {
	requireCgo(t)
	pin := token(t)
	k, err := Open("pkcs11:token=chancery;object=office;id=%01?module-path=" + softhsm + "&pin-source=file:" + pin)
	if err != nil {
		t.Fatal(err)
	}
	// The log key, in the same token, at the same time.
	t.Setenv("CHANCERY_HSM_PIN_FILE", pin)
	lk, err := Open("pkcs11:token=chancery;object=log?module-path=" + softhsm)
	if err != nil {
		t.Fatal(err)
	}
	if lk.Public().(ed25519.PublicKey).Equal(k.Public()) {
		t.Error("the office and log keys are the same key")
	}
	msg := []byte("DSSEv1 28 application/vnd.chancery+json 2 {}")
	sig, err := k.Sign(nil, msg, crypto.Hash(0))
	if err != nil {
		t.Fatal(err)
	}
	if !ed25519.Verify(k.Public().(ed25519.PublicKey), msg, sig) {
		t.Error("the token's signature does not verify")
	}
	if _, err := k.Sign(nil, msg, crypto.SHA256); err == nil {
		t.Error("signed a digest")
	}
	if sig, err := lk.Sign(nil, msg, crypto.Hash(0)); err != nil || !ed25519.Verify(lk.Public().(ed25519.PublicKey), msg, sig) {
		t.Errorf("the log key: %v", err)
	}
	// The log key signs checkpoints that the log's ordinary verifier key checks.
	ns, err := NoteSigner("tfn.example/log", lk)
	if err != nil {
		t.Fatal(err)
	}
	vkey, _ := note.NewEd25519VerifierKey("tfn.example/log", lk.Public().(ed25519.PublicKey))
	v, _ := note.NewVerifier(vkey)
	signed, err := note.Sign(&note.Note{Text: "tfn.example/log\n1\nAAAA\n"}, ns)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := note.Open(signed, note.VerifierList(v)); err != nil {
		t.Errorf("a checkpoint signed in the token: %v", err)
	}
	// With both closed the module is unloaded; the next Open logs in afresh.
	k.Close()
	lk.Close()

	for uri, want := range map[string]string{
		"pkcs11:token=chancery;object=office?module-path=" + softhsm + "&pin-value=000000":          "the PIN is wrong",
		"pkcs11:token=missing;object=office?module-path=" + softhsm + "&pin-value=123456":           "no such token",
		"pkcs11:token=chancery;object=archive?module-path=" + softhsm + "&pin-value=123456":         "no Ed25519 private key",
		"pkcs11:token=chancery;object=office?module-path=/nonexistent/libp11.so&pin-value=123456":   "module",
		"pkcs11:token=chancery;object=office?module-path=" + softhsm + "&pin-source=/nonexistent/x": "read the PIN",
	} {
		k, err := Open(uri)
		if err == nil {
			k.Close()
			t.Errorf("%s: opened", uri)
			continue
		}
		if !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "123456") || strings.Contains(err.Error(), "000000") {
			t.Errorf("%s: %v (want %q, and no PIN in the message)", uri, err, want)
		}
	}
}

func TestParseURI(t *testing.T) {
	u, err := ParseURI("pkcs11:token=Office%20HSM;object=office;id=%01%02?module-path=/usr/lib/p11.so&pin-source=file:/etc/pin")
	if err != nil {
		t.Fatal(err)
	}
	if u.Token != "Office HSM" || u.Object != "office" || u.ID != "\x01\x02" || u.ModulePath != "/usr/lib/p11.so" || u.PinSource != "file:/etc/pin" {
		t.Errorf("parsed %+v", u)
	}
	if s := u.String(); strings.Contains(s, "pin") || !strings.Contains(s, "token=Office%20HSM") {
		t.Errorf("String() = %s", s)
	}
	for _, bad := range []string{"", "file:/x", "pkcs11:", "pkcs11:token=a", "pkcs11:object=a", "pkcs11:token=a;object=b;colour=red",
		"pkcs11:token=a;token=b;object=c", "pkcs11:token=a;object=b?pin-value=1&pin-source=/p", "pkcs11:token=%zz;object=b", "pkcs11:token;object=b"} {
		if _, err := ParseURI(bad); err == nil {
			t.Errorf("ParseURI(%q) accepted", bad)
		}
	}
}

// FuzzParseURI: a URI from configuration either parses into one that names a token and a
// key, or is refused; it never panics.
func FuzzParseURI(f *testing.F) {
	f.Add("pkcs11:token=chancery;object=office;id=%01?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=file:/p")
	f.Add("pkcs11:serial=1234;id=%00?pin-value=1")
	f.Add("pkcs11:token=a;object=b?")
	f.Fuzz(func(t *testing.T, s string) {
		u, err := ParseURI(s)
		if err != nil {
			return
		}
		if (u.Token == "" && u.Serial == "") || (u.Object == "" && u.ID == "") {
			t.Errorf("ParseURI(%q) = %+v", s, u)
		}
		if _, err := ParseURI(u.String()); err != nil {
			t.Errorf("String() of %q does not parse back: %s: %v", s, u.String(), err)
		}
	})
}

// BenchmarkSign compares an office signature in SoftHSM2 with one by a key file's
// ed25519.PrivateKey; a release makes one office signature (its release statement).
func BenchmarkSign(b *testing.B) {
	msg := make([]byte, 600) // about a release statement's PAE
	b.Run("file", func(b *testing.B) {
		_, priv, _ := ed25519.GenerateKey(nil)
		for b.Loop() {
			if _, err := priv.Sign(nil, msg, crypto.Hash(0)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("softhsm", func(b *testing.B) {
		k := benchKey(b)
		defer k.Close()
		for b.Loop() {
			if _, err := k.Sign(nil, msg, crypto.Hash(0)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func benchKey(b *testing.B) *Key {
	pin := token(b)
	k, err := Open("pkcs11:token=chancery;object=office?module-path=" + softhsm + "&pin-source=" + pin)
	if err != nil {
		b.Fatal(err)
	}
	return k
}

// TestParseURIErrorsNeverShowThePIN: a URI refused for its form says why without its
// pin-value, which would otherwise reach the terminal and the server's log.
func TestParseURIErrorsNeverShowThePIN(t *testing.T) {
	const pin = "S3cretPIN"
	for _, bad := range []string{
		"PKCS11:token=a;object=b?pin-value=" + pin + "&colour=red",
		// A mistyped or missing scheme: the pin-value is in what would be the path.
		"pkcs12:token=a;object=b;pin-value=" + pin + "?module-path=/m.so",
		"pkcs11;token=a;object=b;pin-value=" + pin,
		"token=a;object=b;pin-value=" + pin,
		" pkcs11:token=a;object=b?pin-value=" + pin,
		"pkcs11:token=a;object=b?pin-value=" + pin + "%zz",
		"pkcs11:token=a;object=b?pin-value:" + pin,
		"pkcs11:token=a;object=b?pin-value=" + pin + "&pin-value=" + pin,
		"pkcs11:token=a;object=b?pin-value=" + pin + "&pin-source=/p",
		"pkcs11:token=a;object=b;pin-value=" + pin,
		"pkcs11:token=a?pin-value=" + pin,
		"pkcs11:token=a;object=b?pin-value:" + pin + "=1",
	} {
		_, err := ParseURI(bad)
		if err == nil {
			t.Errorf("ParseURI(%q) accepted", bad)
			continue
		}
		if strings.Contains(err.Error(), pin) {
			t.Errorf("ParseURI(%q): %v", bad, err)
		}
	}
}

// TestOpenRefusesAPINFileOthersCanRead: whoever reads the PIN signs in the token as the office
// (or the log) does, so a PIN file its group or others can read is refused, through
// pin-source and through CHANCERY_HSM_PIN_FILE, as the data directory refuses such key files;
// once chmod 600, the key opens.
func TestOpenRefusesAPINFileOthersCanRead(t *testing.T) {
	requireCgo(t)
	pin := token(t)
	uri := "pkcs11:token=chancery;object=office?module-path=" + softhsm
	for _, mode := range []os.FileMode{0o644, 0o640, 0o604} {
		if err := os.Chmod(pin, mode); err != nil {
			t.Fatal(err)
		}
		t.Setenv("CHANCERY_HSM_PIN_FILE", pin)
		for _, u := range []string{uri + "&pin-source=" + pin, uri} {
			k, err := Open(u)
			if err == nil {
				k.Close()
				t.Errorf("%s with a PIN file of mode %v: opened", u, mode)
				continue
			}
			var re *ReadablePINFileError
			if !strings.Contains(err.Error(), "chmod 600") || strings.Contains(err.Error(), "123456") || !errors.As(err, &re) || re.Path != pin {
				t.Errorf("%s with a PIN file of mode %v: %v, want a ReadablePINFileError naming it", u, mode, err)
			}
		}
	}
	if err := os.Chmod(pin, 0o600); err != nil {
		t.Fatal(err)
	}
	k, err := Open(uri + "&pin-source=" + pin)
	if err != nil {
		t.Fatal(err)
	}
	k.Close()
}

// TestOpenRefusesAModuleOthersCouldPlace: a PKCS#11 module runs its code in the server, beside
// the office's keys, so one that another account owns or can change (it, or a directory above
// it) is refused before it is loaded: settings restored from someone's backup, or a URI typed
// with a path in a shared directory, cannot make the server load a file another user made.
func TestOpenRefusesAModuleOthersCouldPlace(t *testing.T) {
	requireCgo(t)
	pin := token(t)
	lib, err := os.ReadFile(softhsm)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "modules")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	mod := filepath.Join(dir, "libsofthsm2.so")
	if err := os.WriteFile(mod, lib, 0o755); err != nil {
		t.Fatal(err)
	}
	open := func(module string) error {
		k, err := Open("pkcs11:token=chancery;object=office?module-path=" + module + "&pin-source=" + pin)
		if err == nil {
			k.Close()
		}
		return err
	}
	if err := open(mod); err != nil {
		t.Fatalf("a module only its owner can change: %v", err)
	}
	refused := func(what, module, want string) {
		t.Helper()
		if err := open(module); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want an error saying %q", what, err, want)
		}
	}
	os.Chmod(mod, 0o777)
	refused("a module others can write", mod, "can be changed by others")
	os.Chmod(mod, 0o755)
	os.Chmod(dir, 0o777)
	refused("a module in a directory others can write", mod, "can be changed by others")
	link := filepath.Join(dir, "link.so")
	if err := os.Symlink(mod, link); err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o755)
	outside := filepath.Join(t.TempDir(), "shared")
	os.Mkdir(outside, 0o777)
	os.Chmod(outside, 0o777)
	if err := os.Symlink(mod, filepath.Join(outside, "link.so")); err != nil {
		t.Fatal(err)
	}
	refused("a link to a module, in a directory others can write", filepath.Join(outside, "link.so"), "can be changed by others")
	if err := open(link); err != nil {
		t.Errorf("a link to a module, both only their owner can change: %v", err)
	}
	refused("a relative module path", "modules/libsofthsm2.so", "not an absolute path")
	if os.Getuid() == 0 {
		if err := os.Chown(mod, 65534, 65534); err != nil {
			t.Fatal(err)
		}
		refused("a module another user owns", mod, "belongs to another user")
	}
}

// TestSignAfterCloseFails: a key closed (the data directory closes its keys as the server
// stops) refuses to sign with an error. Sign used the closed key's module, nil: the
// process crashed with a nil pointer dereference, in whichever goroutine signed.
func TestSignAfterCloseFails(t *testing.T) {
	requireCgo(t)
	pin := token(t)
	k, err := Open("pkcs11:token=chancery;object=office;id=%01?module-path=" + softhsm + "&pin-source=file:" + pin)
	if err != nil {
		t.Fatal(err)
	}
	if err := k.Close(); err != nil {
		t.Fatal(err)
	}
	if sig, err := k.Sign(nil, []byte("checkpoint"), crypto.Hash(0)); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Errorf("Sign after Close = %x, %v; want an error saying the key is closed", sig, err)
	}
	if err := k.Close(); err != nil {
		t.Errorf("a second Close: %v", err)
	}
}

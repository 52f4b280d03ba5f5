package office_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/jpeg"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/hsm/hsmtest"
	"github.com/chancery/chancery/internal/nonet"
	"github.com/chancery/chancery/internal/ocr"
)

// TestConfinedChildrenCannotReadTheTokenPIN: the programs that read untrusted uploads
// (Tesseract, pdftoppm, LibreOffice) run with the data directory hidden, so that one taken
// over cannot read the office's keys. With the office key in a token, the key is the token's
// PIN file (pin-source, outside the data directory, as docs/keys.md shows it) and, for
// SoftHSM, the token's store: neither was hidden, and a child read the PIN and signed with
// the office key through pkcs11-tool (found by audit, forty-ninth session). Both are hidden.
func TestConfinedChildrenCannotReadTheTokenPIN(t *testing.T) {
	hsmtest.Require(t)
	if !nonet.Confined() {
		t.Skip("this system refuses children a mount namespace of their own")
	}
	t.Setenv("CHANCERY_STATE_DIR", t.TempDir())
	// The token's store and the PIN file where an office keeps them: outside /tmp and the
	// data directory (/var/lib/softhsm/tokens, /etc/chancery/hsm.pin).
	base, err := os.MkdirTemp("/var/tmp", "token-hidden-")
	if err != nil {
		t.Skip(err)
	}
	t.Cleanup(func() { os.RemoveAll(base) })
	tokens := filepath.Join(base, "tokens")
	if err := os.Mkdir(tokens, 0o700); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(base, "softhsm2.conf")
	os.WriteFile(conf, []byte("directories.tokendir = "+tokens+"\nobjectstore.backend = file\n"), 0o600)
	t.Setenv("SOFTHSM2_CONF", conf)
	for _, args := range [][]string{
		{"softhsm2-util", "--init-token", "--free", "--label", "chancery", "--pin", hsmtest.PIN, "--so-pin", "654321"},
	} {
		if out, err := exec.Command(args[0], args[1:]...).CombinedOutput(); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
	}
	hsmtest.AddKey(t, "chancery", "office", 1)
	pin := filepath.Join(base, "hsm.pin")
	if err := os.WriteFile(pin, []byte(hsmtest.PIN+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	dir := filepath.Join(t.TempDir(), "data")
	initOffice(t, dir, "--office-key", hsmtest.URI("chancery", "office", pin))
	_, closeOffice := open(t, dir) // hides the data directory from the OCR programs
	defer closeOffice()

	// A "tesseract" taken over by a hostile scan: it prints what it can read, then fails.
	prog := filepath.Join(t.TempDir(), "tesseract")
	script := "#!/bin/sh\nif [ \"$1\" = --list-langs ]; then echo eng; exit 0; fi\necho pin=$(cat " + pin + ") >&2; echo tokens=$(ls -A " + tokens + " | wc -l) >&2\n" +
		"printf msg > $TMPDIR/m 2>/dev/null || printf msg > ./m; SOFTHSM2_CONF=" + conf + " pkcs11-tool --module " + hsmtest.Module + " --token-label chancery --login --pin $(cat " + pin + ") --sign --mechanism EDDSA --label office -i ./m -o ./s >/dev/null 2>&1 && echo signed-bytes=$(wc -c < ./s) >&2\nexit 1\n"
	if err := os.WriteFile(prog, []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	r, err := ocr.Find(prog)
	if err != nil {
		t.Fatal(err)
	}
	var img bytes.Buffer
	jpeg.Encode(&img, image.NewGray(image.Rect(0, 0, 64, 64)), nil)
	_, err = r.Read(context.Background(), img.Bytes())
	var child *ocr.ChildError
	if !errors.As(err, &child) {
		t.Fatalf("the recognition: %v; want a ChildError", err)
	}
	t.Logf("the confined child printed: %q", child.Stderr)
	if strings.Contains(child.Stderr, "pin="+hsmtest.PIN) {
		t.Errorf("a confined OCR program read the token's PIN from %s", pin)
	}
	if strings.Contains(child.Stderr, "signed-bytes=64") {
		t.Errorf("a confined OCR program signed with the office key, through the token's PIN and store")
	}
	if !strings.Contains(child.Stderr, "tokens=0") {
		t.Errorf("a confined OCR program listed the token's store %s: %q", tokens, child.Stderr)
	}
}

package verify

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSealNamedAsTheLetter: a seal file named where its letter belongs ('chancery verify
// letter.txt.seal', a holder who took the seal for the letter) is said to be a seal, in the
// reader's language, rather than checked as a letter of its own: its digest is no letter's,
// offline it had no seal of its own, and online the registry answered that it knew no such
// file (it may be forged) of a genuine seal.
func TestSealNamedAsTheLetter(t *testing.T) {
	files := sealVectors(t)
	dir := t.TempDir()
	trust := filepath.Join(dir, "trust.json")
	letter := filepath.Join(dir, "letter.txt")
	for name, b := range map[string][]byte{trust: files["trust.json"], letter: files["letter.txt"], letter + ".seal": files["seals/valid.json"]} {
		if err := os.WriteFile(name, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct{ lang, says string }{
		{"en", "is a seal, not a letter"},
		{"fr", "est un sceau, pas une lettre"},
		{"ar", "ختم وليس رسالة"},
	} {
		var stdout, stderr bytes.Buffer
		code := Main([]string{"--offline", "--lang", c.lang, "--trust", trust, letter + ".seal"}, &stdout, &stderr)
		if code != ExitError || !strings.Contains(stdout.String(), c.says) {
			t.Errorf("%s: exit %d, printed:\n%s%s\nwant exit %d and %q", c.lang, code, stdout.String(), stderr.String(), ExitError, c.says)
		}
	}
	// The letter beside it is verified by its seal, as before.
	var stdout, stderr bytes.Buffer
	if code := Main([]string{"--offline", "--trust", trust, letter}, &stdout, &stderr); code != ExitOK || !strings.HasPrefix(stdout.String(), "valid: ") {
		t.Errorf("the letter: exit %d, printed:\n%s%s", code, stdout.String(), stderr.String())
	}
}

package verify

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// TestOutdatedTrustRootInLanguage: a seal signed by the office's key after a rotation, checked
// with a trust root from before it, is "could not verify: the trust root is out of date …",
// which names the remedy. That line was set in English whatever --lang said, though verify's
// help says its lines are printed in English, French or Arabic; --json keeps it English.
func TestOutdatedTrustRootInLanguage(t *testing.T) {
	data, err := os.ReadFile("../seal/testdata/rotation-vectors.txtar")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range txtar.Parse(data).Files {
		files[f.Name] = f.Data
	}
	dir := t.TempDir()
	trust := filepath.Join(dir, "trust-old.json")
	letter := filepath.Join(dir, "letter-b.txt")
	for name, b := range map[string][]byte{trust: files["trust-old.json"], letter: files["letter-b.txt"], letter + ".seal": files["seals/after.json"]} {
		if err := os.WriteFile(name, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	const english = "could not verify: the trust root is out of date"
	for lang, want := range map[string]string{
		"en": english,
		"fr": "vérification impossible : la racine de confiance est périmée",
		"ar": "تعذّر التحقق: جذر الثقة قديم",
	} {
		var stdout, stderr bytes.Buffer
		code := Main([]string{"--offline", "--lang", lang, "--trust", trust, letter}, &stdout, &stderr)
		if out := stdout.String(); code != ExitError || !strings.HasPrefix(out, want) || !strings.Contains(out, "chancery trust export --out FILE") {
			t.Errorf("%s: exit %d, printed %q; want exit %d and a line starting %q", lang, code, out, ExitError, want)
		}
		stdout.Reset()
		code = Main([]string{"--offline", "--json", "--lang", lang, "--trust", trust, letter}, &stdout, &stderr)
		if out := stdout.String(); code != ExitError || !strings.Contains(out, `"outcome":"error"`) || !strings.Contains(out, `"message":"`+english) || !strings.Contains(out, `"error":"`) {
			t.Errorf("%s --json: exit %d, printed %q; want the English message and the error", lang, code, out)
		}
	}
}

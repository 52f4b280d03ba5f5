package verify

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOfflineOnlyRefusalInLanguage: chancery-verify refuses to run without --offline. Its
// help says that the error and hint of a verification that cannot be done are printed in the
// reader's language; the refusal was printed in English under French and Arabic prefixes.
func TestOfflineOnlyRefusalInLanguage(t *testing.T) {
	files := sealVectors(t)
	dir := t.TempDir()
	trust := filepath.Join(dir, "trust.json")
	letter := filepath.Join(dir, "letter.txt")
	for name, b := range map[string][]byte{trust: files["trust.json"], letter: files["letter.txt"], letter + ".seal": files["seals/valid.json"]} {
		if err := os.WriteFile(name, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for lang, want := range map[string][]string{
		"en": {"chancery: error: chancery-verify checks seals offline only", "chancery: hint: add --offline"},
		"fr": {"ne vérifie les sceaux que hors ligne", "ajoutez --offline"},
		"ar": {"chancery-verify", "--offline"},
	} {
		var stdout, stderr bytes.Buffer
		code := Main([]string{"--lang", lang, "--trust", trust, letter}, &stdout, &stderr)
		out := stderr.String()
		if code != ExitError || stdout.Len() != 0 {
			t.Errorf("%s: exit %d, stdout %q; want exit %d and nothing on stdout", lang, code, stdout.String(), ExitError)
		}
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: printed %q, want %q in it", lang, out, w)
			}
		}
		if lang != "en" && (strings.Contains(out, "checks seals offline only") || strings.Contains(out, "add --offline to check")) {
			t.Errorf("%s: printed %q, the refusal in English", lang, out)
		}
	}
}

package verify

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// vectorFolder writes the trust roots of the seal vectors into a fresh directory and, in its
// folder "letters", each file of files (name to vector), and returns the directory.
func vectorFolder(t *testing.T, files map[string]string) string {
	t.Helper()
	v := sealVectors(t)
	dir := t.TempDir()
	for name, vec := range map[string]string{"trust.json": "trust.json", "trust-other.json": "trust-other.json"} {
		if err := os.WriteFile(filepath.Join(dir, name), v[vec], 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "letters"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, vec := range files {
		if err := os.WriteFile(filepath.Join(dir, "letters", name), v[vec], 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// runIn runs the small verifier in dir with args and returns its exit status and output.
func runIn(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	t.Chdir(dir)
	var stdout, stderr bytes.Buffer
	code := Main(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// TestSealOfAnotherLogSaysSo: a seal whose checkpoint the trust root's log key did not sign
// (a seal of another office's log, or verified with another office's trust root) was
// "invalid: verify seal: bad checkpoint: note has no verifiable signatures", which did not
// say what it likely is. The line now says so and to check --trust, with the same outcome
// and exit status, one file or a folder (the lead's decision, sixty-first session; listed
// not fixed in the sixtieth).
func TestSealOfAnotherLogSaysSo(t *testing.T) {
	v := sealVectors(t)
	dir := vectorFolder(t, map[string]string{"a.txt": "letter.txt", "a.txt.seal": "seals/valid.json", "b.txt": "letter.txt", "b.txt.seal": "seals/valid.json"})
	const want = "invalid: the seal's checkpoint is not signed by the log key of the trust root in use, so the seal is likely another office's (or forged), or the trust root is not this office's: check --trust trust-other.json ("
	code, out, errs := runIn(t, dir, "--offline", "--lang", "en", "--trust", "trust-other.json", "letters/a.txt")
	if code != ExitFailed || !strings.HasPrefix(out, want) || !strings.Contains(out, "note has no verifiable signatures") {
		t.Errorf("one file: exit %d, %q %q, want exit 1 and %q…", code, out, errs, want)
	}
	code, out, _ = runIn(t, dir, "--offline", "--lang", "en", "--trust", "trust-other.json", "letters")
	if code != ExitFailed || !strings.HasPrefix(out, "letters/a.txt: "+want) || !strings.Contains(out, "\nletters/b.txt: "+want) {
		t.Errorf("a folder: exit %d, %q", code, out)
	}
	code, out, _ = runIn(t, dir, "--offline", "--json", "--trust", "trust-other.json", "letters/a.txt")
	var r Result
	if err := json.Unmarshal([]byte(out), &r); err != nil || code != ExitFailed || r.Outcome != Invalid || !strings.HasPrefix(r.Message, want) {
		t.Errorf("--json: exit %d, %q (%v)", code, out, err)
	}
	for lang, w := range map[string]string{
		"fr": "invalide : le point de contrôle du sceau n'est pas signé par la clé du journal de la racine de confiance utilisée",
		"ar": "غير صالحة: نقطة تحقق الختم غير موقّعة بمفتاح السجل",
	} {
		if code, out, _ := runIn(t, dir, "--offline", "--lang", lang, "--trust", "trust-other.json", "letters/a.txt"); code != ExitFailed || !strings.HasPrefix(out, w) {
			t.Errorf("--lang %s: exit %d, %q", lang, code, out)
		}
	}
	// A checkpoint signed by another key of the log's name, which the trust root's witness
	// cosigned: not the log key's either.
	if err := os.WriteFile(filepath.Join(dir, "letters", "a.txt.seal"), v["seals/forged-checkpoint.json"], 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, _ := runIn(t, dir, "--offline", "--lang", "en", "--trust", "trust.json", "letters/a.txt"); code != ExitFailed || !strings.HasPrefix(out, strings.Replace(want, "trust-other.json", "trust.json", 1)) {
		t.Errorf("a forged checkpoint: exit %d, %q", code, out)
	}
}

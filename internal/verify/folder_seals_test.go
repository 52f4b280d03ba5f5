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

// TestSealBesideThatIsNoFileIsDamaged: a seal beside its letter that is there but is no file
// to read was taken as no seal (a link to nothing: "no seal FILE.seal", though a link of
// that name is there) or as a failure to verify (a directory or a named pipe named
// FILE.seal: "could not verify", exit 2). It is a damaged seal (the lead's decision,
// sixty-first session): offline invalid, exit 1, as a seal cut short, the line saying what
// the name beside the letter is; in French and Arabic too. (Listed not fixed in the
// sixtieth session.)
func TestSealBesideThatIsNoFileIsDamaged(t *testing.T) {
	dir := vectorFolder(t, map[string]string{
		"dangling.txt": "letter.txt", "loop.txt": "letter.txt", "folder.txt": "letter.txt",
		"pipe.txt": "letter.txt", "good.txt": "letter.txt", "good.txt.seal": "seals/valid.json",
	})
	l := filepath.Join(dir, "letters")
	if err := os.Symlink("nowhere.seal", filepath.Join(l, "dangling.txt.seal")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("loop.txt.seal", filepath.Join(l, "loop.txt.seal")); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(l, "folder.txt.seal"), 0o755); err != nil {
		t.Fatal(err)
	}
	pipe := true
	if err := mkfifo(filepath.Join(l, "pipe.txt.seal")); err != nil {
		pipe = false
		os.Remove(filepath.Join(l, "pipe.txt"))
	}
	want := map[string]string{
		"letters/dangling.txt": "invalid: the seal is damaged: letters/dangling.txt.seal is a link to nothing; ask the office for the letter's seal again",
		"letters/loop.txt":     "invalid: the seal is damaged: letters/loop.txt.seal is a link to nothing; ask the office for the letter's seal again",
		"letters/folder.txt":   "invalid: the seal is damaged: letters/folder.txt.seal is a directory, not a seal; ask the office for the letter's seal again",
		"letters/pipe.txt":     "invalid: the seal is damaged: letters/pipe.txt.seal is a named pipe, not a seal; ask the office for the letter's seal again",
	}
	if !pipe {
		delete(want, "letters/pipe.txt")
	}
	code, out, errs := runIn(t, dir, "--offline", "--lang", "en", "--trust", "trust.json", "letters")
	if code != ExitFailed {
		t.Errorf("exit %d, want %d (invalid, as a damaged seal): %s%s", code, ExitFailed, out, errs)
	}
	lines := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		file, msg, _ := strings.Cut(line, ": ")
		lines[file] = msg
	}
	for file, w := range want {
		if lines[file] != w {
			t.Errorf("%s: %q, want %q", file, lines[file], w)
		}
	}
	if !strings.HasPrefix(lines["letters/good.txt"], "valid: ") {
		t.Errorf("good.txt: %q, want valid", lines["letters/good.txt"])
	}
	// One file alone, --json and the other languages.
	code, out, _ = runIn(t, dir, "--offline", "--json", "--trust", "trust.json", "letters/folder.txt")
	var r Result
	if err := json.Unmarshal([]byte(out), &r); err != nil || code != ExitFailed || r.Outcome != Invalid || r.Message != want["letters/folder.txt"] {
		t.Errorf("--json, one file: exit %d, %q (%v)", code, out, err)
	}
	for lang, w := range map[string]string{
		"fr": "invalide : le sceau est endommagé : letters/dangling.txt.seal est un lien qui ne mène à rien ; demandez de nouveau au service le sceau de la lettre",
		"ar": "غير صالحة: الختم تالف: letters/dangling.txt.seal رابط لا يشير إلى شيء؛ اطلب من الجهة ختم الرسالة مجددًا",
	} {
		code, out, errs := runIn(t, dir, "--offline", "--lang", lang, "--trust", "trust.json", "letters/dangling.txt")
		if code != ExitFailed || strings.TrimSpace(out) != w {
			t.Errorf("--lang %s: exit %d, %q %q, want %q", lang, code, out, errs, w)
		}
	}
	// A seal the user may not read: root reads it all the same.
	if os.Geteuid() != 0 {
		unreadable := filepath.Join(l, "good.txt.seal")
		if err := os.Chmod(unreadable, 0); err != nil {
			t.Fatal(err)
		}
		code, out, _ := runIn(t, dir, "--offline", "--lang", "en", "--trust", "trust.json", "letters/good.txt")
		if w := "invalid: the seal is damaged: letters/good.txt.seal cannot be read: permission denied; ask the office for the letter's seal again"; code != ExitFailed || strings.TrimSpace(out) != w {
			t.Errorf("a seal that cannot be read: exit %d, %q, want %q", code, out, w)
		}
	}
	// No seal at all is still no seal.
	os.Remove(filepath.Join(l, "dangling.txt.seal"))
	code, out, _ = runIn(t, dir, "--offline", "--lang", "en", "--trust", "trust.json", "letters/dangling.txt")
	if code != ExitError || !strings.HasPrefix(out, "could not verify: no seal letters/dangling.txt.seal") {
		t.Errorf("no seal: exit %d, %q", code, out)
	}
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

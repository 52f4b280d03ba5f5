//go:build unix

package verify

import (
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSealBesideThatIsASocketIsDamaged: a socket named FILE.seal beside a letter, as a
// folder of leaked files copied with its special files can hold, made the letter "could not
// verify: open FILE.seal: no such device or address" (exit 2): open(2) refuses a socket with
// ENXIO before the fstat that tells a directory, pipe or device (item 1085) could run. It is
// a damaged seal as they are, "FILE.seal is not a file, so not a seal" (found by review of
// 72ce280, sixty-first session).
func TestSealBesideThatIsASocketIsDamaged(t *testing.T) {
	dir := vectorFolder(t, map[string]string{"s.txt": "letter.txt", "good.txt": "letter.txt", "good.txt.seal": "seals/valid.json"})
	t.Chdir(dir)
	l, err := net.Listen("unix", filepath.Join("letters", "s.txt.seal"))
	if err != nil {
		t.Skipf("no unix socket here: %v", err)
	}
	defer l.Close()
	const want = "invalid: the seal is damaged: letters/s.txt.seal is not a file, so not a seal; ask the office for the letter's seal again"
	code, out, errs := runIn(t, dir, "--offline", "--lang", "en", "--trust", "trust.json", "letters")
	if code != ExitFailed || !strings.Contains(out, "letters/s.txt: "+want+"\n") || !strings.Contains(out, "letters/good.txt: valid: ") {
		t.Errorf("a folder: exit %d, stdout:\n%s\nstderr: %s\nwant exit %d and %q", code, out, errs, ExitFailed, want)
	}
	code, out, _ = runIn(t, dir, "--offline", "--json", "--trust", "trust.json", "letters/s.txt")
	var r Result
	if err := json.Unmarshal([]byte(out), &r); err != nil || code != ExitFailed || r.Outcome != Invalid || r.Message != want {
		t.Errorf("--json: exit %d, %q (%v)", code, out, err)
	}
	for lang, w := range map[string]string{
		"fr": "invalide : le sceau est endommagé : letters/s.txt.seal n'est pas un fichier, donc pas un sceau ; demandez de nouveau au service le sceau de la lettre",
		"ar": "غير صالحة: الختم تالف: letters/s.txt.seal ليس ملفًا، فليس ختمًا؛ اطلب من الجهة ختم الرسالة مجددًا",
	} {
		if code, out, errs := runIn(t, dir, "--offline", "--lang", lang, "--trust", "trust.json", "letters/s.txt"); code != ExitFailed || strings.TrimSpace(out) != w {
			t.Errorf("--lang %s: exit %d, %q %q, want %q", lang, code, out, errs, w)
		}
	}
}

// TestSealBesideThatLinksThroughAFileIsDamaged: a link named FILE.seal whose path goes through
// a file as if it were a folder (FILE.seal -> letter.pdf/seal) leads to nothing, as a link to
// a file that is not there does (item 1085), but open(2) says ENOTDIR, not ENOENT, and the
// letter was "could not verify: open FILE.seal: not a directory" (exit 2) rather than a
// damaged seal (found by review of 72ce280, sixty-first session).
func TestSealBesideThatLinksThroughAFileIsDamaged(t *testing.T) {
	dir := vectorFolder(t, map[string]string{"x.txt": "letter.txt"})
	if err := os.Symlink("x.txt/seal", filepath.Join(dir, "letters", "x.txt.seal")); err != nil {
		t.Fatal(err)
	}
	const want = "invalid: the seal is damaged: letters/x.txt.seal is a link to nothing; ask the office for the letter's seal again"
	if code, out, errs := runIn(t, dir, "--offline", "--lang", "en", "--trust", "trust.json", "letters/x.txt"); code != ExitFailed || strings.TrimSpace(out) != want {
		t.Errorf("exit %d, %q %q, want exit %d and %q", code, out, errs, ExitFailed, want)
	}
}

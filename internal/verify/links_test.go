package verify

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// TestFolderVerifiesLinkedFiles: a folder's letters that are symbolic links (as an archive
// of leaked files may hold them) are verified like the others. They were skipped without a
// word, so a folder of one genuine letter and a forged one behind a link printed the genuine
// letter's line alone and exited 0, "every file is valid".
func TestFolderVerifiesLinkedFiles(t *testing.T) {
	data, err := os.ReadFile("../../testdata/seal-vectors.txtar")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range txtar.Parse(data).Files {
		files[f.Name] = f.Data
	}
	dir := t.TempDir()
	folder := filepath.Join(dir, "letters")
	trust := filepath.Join(dir, "trust.json")
	elsewhere := filepath.Join(dir, "elsewhere.txt")
	for name, b := range map[string][]byte{
		trust:                                    files["trust.json"],
		elsewhere:                                files["letter-altered.txt"],
		filepath.Join(folder, "letter.txt"):      files["letter.txt"],
		filepath.Join(folder, "letter.txt.seal"): files["seals/valid.json"],
	} {
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	linked := filepath.Join(folder, "forged.txt")
	if err := os.Symlink(elsewhere, linked); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	var stdout, stderr bytes.Buffer
	code := Main([]string{"--offline", "--trust", trust, folder}, &stdout, &stderr)
	if code == ExitOK || !strings.Contains(stdout.String(), linked+": ") {
		t.Fatalf("exit %d, printed:\n%s%s\nwant a line for %s and a failing exit status", code, stdout.String(), stderr.String(), linked)
	}

	// A link to a folder (which may hold the forged letter, or the folder itself) is not
	// followed: the run says it could not verify the folder whole.
	if err := os.Remove(linked); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(folder, "more")
	if err := os.Symlink(dir, sub); err != nil {
		t.Fatal(err)
	}
	stdout.Reset()
	stderr.Reset()
	code = Main([]string{"--offline", "--trust", trust, folder}, &stdout, &stderr)
	if code != ExitError || !strings.Contains(stderr.String(), sub) {
		t.Fatalf("with a link to a folder: exit %d, printed:\n%s%s\nwant exit %d naming %s", code, stdout.String(), stderr.String(), ExitError, sub)
	}

	// Nor is a named pipe read (it may never end) or passed over.
	if err := os.Remove(sub); err != nil {
		t.Fatal(err)
	}
	pipe := filepath.Join(folder, "forged.pdf")
	if err := mkfifo(pipe); err != nil {
		t.Logf("no named pipes here: %v", err)
		return
	}
	stdout.Reset()
	stderr.Reset()
	code = Main([]string{"--offline", "--trust", trust, folder}, &stdout, &stderr)
	if code != ExitError || !strings.Contains(stderr.String(), pipe) {
		t.Fatalf("with a named pipe: exit %d, printed:\n%s%s\nwant exit %d naming %s", code, stdout.String(), stderr.String(), ExitError, pipe)
	}
}

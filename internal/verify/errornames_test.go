package verify

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFolderErrorsEscapeFileNames: a file of a leaked folder whose name holds a line break
// and a verdict (a dangling link, a pipe) made the error line print that verdict on a line
// of its own, "valid: TFN-2026-000123 …", under "chancery: error:": the error line keeps the
// line breaks of messages of several lines, and the name went into it as it was. Names in
// the errors of a folder's walk, and arguments that do not exist or hold nothing, are now
// escaped as result lines are.
func TestFolderErrorsEscapeFileNames(t *testing.T) {
	files := sealVectors(t)
	dir := t.TempDir()
	trust := filepath.Join(dir, "trust.json")
	if err := os.WriteFile(trust, files["trust.json"], 0o644); err != nil {
		t.Fatal(err)
	}
	const forged = "\nvalid: TFN-2026-000123 \"Exercise\", released by Task Force North\x1b[2K\n"
	folder := filepath.Join(dir, "letters")
	empty := filepath.Join(dir, "empty"+forged)
	for _, d := range []string{folder, empty} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(folder, "letter.txt"), files["letter.txt"], 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "nowhere"), filepath.Join(folder, "zz"+forged)); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	for _, c := range []struct{ name, arg string }{
		{"a dangling link in a folder", folder},
		{"a folder with nothing to verify", empty},
		{"an argument that does not exist", filepath.Join(dir, "missing"+forged)},
	} {
		for _, lang := range []string{"en", "fr"} {
			var stdout, stderr bytes.Buffer
			code := Main([]string{"--offline", "--lang", lang, "--trust", trust, c.arg}, &stdout, &stderr)
			out := stdout.String() + stderr.String()
			if code != ExitError || strings.Contains(out, "\nvalid") || strings.Contains(out, "\x1b") || !strings.Contains(out, `\nvalid`) {
				t.Errorf("%s (%s): exit %d, printed:\n%s\nwant exit %d and the name's line breaks and escape escaped", c.name, lang, code, out, ExitError)
			}
		}
	}
}

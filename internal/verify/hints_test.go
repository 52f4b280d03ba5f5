package verify

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestArgumentMistakesGetHints: a file to verify that does not exist, a trust root that
// cannot be read and a letter passed as --trust each said only the system's error ("stat
// x: no such file or directory", "trust root letter.md: trust root: …") with no hint. Each
// now names what the file was for, says the reason once, and adds a hint line.
func TestArgumentMistakesGetHints(t *testing.T) {
	files := sealVectors(t)
	dir := t.TempDir()
	trust := filepath.Join(dir, "trust.json")
	letter := filepath.Join(dir, "letter.txt")
	if err := os.WriteFile(trust, files["trust.json"], 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(letter, files["letter.txt"], 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.pdf")
	for _, c := range []struct {
		name  string
		args  []string
		wants []string
	}{
		{"a file to verify that does not exist", []string{"--offline", "--trust", trust, missing},
			[]string{"cannot read the file to verify " + missing + ": no such file or directory", "hint: check the path"}},
		{"a trust root that does not exist", []string{"--offline", "--trust", missing, letter},
			[]string{"cannot read the trust root " + missing + ": no such file or directory", "hint: --trust (or CHANCERY_TRUST) names the trust root"}},
		{"a letter passed as the trust root", []string{"--offline", "--trust", letter, letter},
			[]string{letter + " is not a valid trust root: ", "hint: --trust takes the trust root the office publishes"}},
	} {
		var stdout, stderr bytes.Buffer
		code := Main(c.args, &stdout, &stderr)
		out := stderr.String()
		if code != ExitError {
			t.Errorf("%s: exit %d, want %d", c.name, code, ExitError)
		}
		for _, w := range c.wants {
			if !strings.Contains(out, w) {
				t.Errorf("%s: printed\n%s\nwant it to contain %q", c.name, out, w)
			}
		}
		if strings.Contains(out, "trust root: trust root") || strings.Count(out, missing) > 1 {
			t.Errorf("%s: printed\n%s\nwant the reason and the name once", c.name, out)
		}
	}
}

package verify

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestShellWord: the paths a suggested command names (chancery seal refresh FILE.seal --trust
// ROOT) are each one word of it, as a shell reads it: a folder named with spaces or an
// apostrophe, as holders' are, was split there (found by review of 3b60d07, fifty-ninth
// session). A shell given each word prints the path back, byte for byte.
func TestShellWord(t *testing.T) {
	for _, name := range []string{
		"letters/TFN-2026-000123.pdf.seal", "Courrier 2026/Lettre d'excuses.pdf.seal", "trust roots/tfn trust.json",
		`a "quoted" $HOME and ` + "`cmd`" + ` name`, `back\slash`, `ends with \`, `\$x`, "~/x", "#1", "*.seal", "élève.pdf", "",
	} {
		w := shellWord(name)
		out, err := exec.Command("sh", "-c", "printf '%s' "+w).Output()
		if err != nil || string(out) != name {
			t.Errorf("shellWord(%q) = %s, which a shell reads as %q (%v)", name, w, out, err)
		}
	}
	if w := shellWord("letters/TFN-2026-000123.pdf.seal"); w != "letters/TFN-2026-000123.pdf.seal" {
		t.Errorf("a path with nothing a shell splits or expands is quoted: %s", w)
	}
}

// TestShellWordInAnInteractiveShell: the reader pastes the suggested command into an
// interactive bash, which expands a ! from its history inside double quotes: a folder named
// "Urgent!! letters" printed as "Urgent!! letters/…" took in the command run before (found
// by review of 4045b4e, fifty-ninth session). Each word reads back as the path, byte for
// byte, after another command is in the history.
func TestShellWordInAnInteractiveShell(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	for _, name := range []string{"Urgent!! letters/x.seal", "a!b c", "x !$ y", "it's !done", `!"q"`} {
		out := filepath.Join(t.TempDir(), "out")
		sh := exec.Command("bash", "--norc", "--noprofile", "-i")
		sh.Stdin = strings.NewReader("set -H\necho first >/dev/null\nprintf '%s' " + shellWord(name) + " >" + out + "\n")
		sh.Env = append(os.Environ(), "HISTFILE=/dev/null")
		if b, err := sh.CombinedOutput(); err != nil {
			t.Fatalf("bash: %v\n%s", err, b)
		}
		got, err := os.ReadFile(out)
		if err != nil || string(got) != name {
			t.Errorf("shellWord(%q) = %s, which an interactive bash reads as %q (%v)", name, shellWord(name), got, err)
		}
	}
}

// TestShellWordOfAPathLikeAnOption: verify given the folder "." names its files without a
// folder, and a seal "-x.pdf.seal" was printed as the argument of chancery seal refresh, which
// read it as its options and refused it (found by review of 4045b4e, fifty-ninth session). The
// word is the file's path, which a command given it reads as a file, not an option.
func TestShellWordOfAPathLikeAnOption(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"-x.pdf.seal", "--trust=a.pdf.seal", "- b.seal"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(name), 0o644); err != nil {
			t.Fatal(err)
		}
		sh := exec.Command("sh", "-c", "cat "+shellWord(name))
		sh.Dir = dir
		out, err := sh.CombinedOutput()
		if err != nil || string(out) != name {
			t.Errorf("shellWord(%q) = %s, which cat reads as %q (%v)", name, shellWord(name), out, err)
		}
	}
}

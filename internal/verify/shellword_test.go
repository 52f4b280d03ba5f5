package verify

import (
	"os/exec"
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

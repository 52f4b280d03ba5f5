package verify

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestFileNamedOnlySealNamesNoLetter: a file named exactly ".seal" in a folder was warned of
// as "DIR/.seal: no letter named  beside it (renamed or moved?)", an empty name in the line
// (review of 77b0f2a, sixty-first session). It is a seal file with no letter name (the lead's
// decision, sixty-second session), in each language; --json lists it among the seals without
// their letter, as before.
func TestFileNamedOnlySealNamesNoLetter(t *testing.T) {
	dir := vectorFolder(t, map[string]string{
		"a.txt": "letter.txt", "a.txt.seal": "seals/valid.json", ".seal": "seals/valid.json",
	})
	for lang, want := range map[string]string{
		"en": "chancery: warning: letters/.seal: a seal file with no letter name\n",
		"fr": "chancery: avertissement : letters/.seal : un fichier de sceau sans nom de lettre\n",
		"ar": "chancery: تحذير: letters/.seal: ملف ختم بلا اسم رسالة\n",
	} {
		code, out, errs := runIn(t, dir, "--offline", "--lang", lang, "--trust", "trust.json", "letters")
		if code != ExitOK || errs != want {
			t.Errorf("--lang %s: exit %d %q %q, want the warning %q", lang, code, out, errs, want)
		}
	}
	code, out, errs := runIn(t, dir, "--offline", "--json", "--trust", "trust.json", "letters")
	var r Result
	if err := json.Unmarshal([]byte(strings.TrimSpace(out)), &r); err != nil || code != ExitOK || errs != "" ||
		len(r.SealsWithoutLetter) != 1 || r.SealsWithoutLetter[0] != "letters/.seal" {
		t.Errorf("--json: exit %d %q %q (%v), want seals_without_letter [letters/.seal]", code, out, errs, err)
	}
}

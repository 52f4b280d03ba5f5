package cli_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
)

// TestVerifyUnreachableInTheReadersLanguage: `chancery verify --lang fr|ar` said "registry
// unreachable: …" in English inside its translated "could not verify" line. The client's
// transport failure is now a message of the catalogue; the transport's own reason after it
// stays as Go gives it, and --json and English are unchanged.
func TestVerifyUnreachableInTheReadersLanguage(t *testing.T) {
	o := newOffice(t)
	dir := t.TempDir()
	t.Setenv("CHANCERY_STATE_DIR", filepath.Join(dir, "state"))
	tb, err := o.reg.TrustRoot().Marshal()
	if err != nil {
		t.Fatal(err)
	}
	trust := filepath.Join(dir, "trust.json")
	write(t, trust, tb)
	file := filepath.Join(dir, "note.txt")
	write(t, file, []byte("A note this office never wrote, asked about while its registry is down.\n"))
	down := closedURL(t)
	for _, tc := range []struct{ lang, line string }{
		{"en", "could not verify: registry unreachable: "},
		{"fr", "vérification impossible : registre injoignable : "},
		{"ar", "تعذّر التحقق: تعذّر الوصول إلى السجل: "},
	} {
		code, out, errs := verifyAt(t, down, "--trust", trust, "--lang", tc.lang, file)
		if code != cli.ExitError || !strings.HasPrefix(out, tc.line) || (tc.lang != "en" && strings.Contains(out, "registry unreachable")) {
			t.Errorf("--lang %s, registry unreachable: %d %q %q; want the line to start %q", tc.lang, code, out, errs, tc.line)
		}
	}
	code, out, errs := verifyAt(t, down, "--trust", trust, "--lang", "fr", "--json", file)
	if code != cli.ExitError || !strings.Contains(out, `"error":"registry unreachable: `) {
		t.Errorf("--json --lang fr, registry unreachable: %d %q %q; want the English error", code, out, errs)
	}
}

package cli_test

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
)

// groupedSHA256 is the SHA-256 of b as docs/seal-format.md's "Fingerprint" writes it:
// lowercase hexadecimal in groups of four digits separated by spaces.
func groupedSHA256(b []byte) string {
	sum := sha256.Sum256(b)
	h := hex.EncodeToString(sum[:])
	var groups []string
	for i := 0; i < len(h); i += 4 {
		groups = append(groups, h[i:i+4])
	}
	return strings.Join(groups, " ")
}

// TestTrustExportPrintsFingerprint: chancery trust export printed nothing a person could
// compare by hand with what the office publishes (fifty-sixth session's not-fixed list; the
// lead's decision). It prints the trust root's fingerprint on stderr, the SHA-256 of the
// file's exact bytes, standard output staying the file with --out -; verify --verbose prints
// the fingerprint of the trust root it reads, in the reader's language.
func TestTrustExportPrintsFingerprint(t *testing.T) {
	o := newOffice(t)
	dir := t.TempDir()
	trust := filepath.Join(dir, "trust.json")
	code, out, errs := o.run("rita", "trust", "export", "--out", trust)
	if code != cli.ExitOK {
		t.Fatalf("trust export: %d %q %q", code, out, errs)
	}
	b, err := os.ReadFile(trust)
	if err != nil {
		t.Fatal(err)
	}
	fp := groupedSHA256(b)
	if want := "trust root fingerprint (SHA-256 of the file): " + fp + "\n"; errs != want || out != "wrote "+trust+"\n" {
		t.Errorf("trust export --out FILE: stdout %q, stderr %q; want the fingerprint %q on stderr", out, errs, want)
	}
	code, out, errs = o.run("rita", "trust", "export", "--out", "-")
	if code != cli.ExitOK || out != string(b) || !strings.Contains(errs, fp) || strings.Contains(out, fp) {
		t.Errorf("trust export --out -: %d, stdout %q, stderr %q; want the file on stdout, its fingerprint on stderr", code, out, errs)
	}

	// verify --verbose, offline: the fingerprint of the file it reads, on stderr.
	ref := o.letter("Coordination of force movements", "foreign-government", "# Coordination\n\nSir, ...\n")
	o.ready(ref)
	if code, _, errs := o.run("otto", "release", ref, "--out", dir); code != cli.ExitOK {
		t.Fatalf("release: %s", errs)
	}
	t.Setenv("CHANCERY_STATE_DIR", filepath.Join(dir, "state"))
	file := filepath.Join(dir, ref+".pdf")
	for _, tc := range []struct{ lang, compare string }{
		{"en", "compare it with the one the office publishes"},
		{"fr", "comparez-la avec celle que publie le service"},
		{"ar", "قارنها بالبصمة التي تنشرها الجهة"},
	} {
		code, out, errs := verifyAt(t, o.url, "--offline", "--verbose", "--lang", tc.lang, "--trust", trust, file)
		if code != cli.ExitOK || !strings.Contains(errs, fp) || !strings.Contains(errs, tc.compare) || strings.Contains(out, fp) {
			t.Errorf("verify --verbose --lang %s: %d, stdout %q, stderr %q; want the fingerprint %s on stderr", tc.lang, code, out, errs, fp)
		}
	}
	if _, _, errs := verifyAt(t, o.url, "--offline", "--trust", trust, file); strings.Contains(errs, fp) {
		t.Errorf("verify without --verbose printed the fingerprint: %q", errs)
	}
}

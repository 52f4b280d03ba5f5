package cli_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
)

// TestVerifyRootSameAsFullTree: `chancery verify` runs in a command tree of the root and
// verify alone (a shorter process start); its help, usage errors, answers and exit statuses
// must be those of the whole tree.
func TestVerifyRootSameAsFullTree(t *testing.T) {
	o := newOffice(t)
	out := t.TempDir()
	t.Setenv("CHANCERY_STATE_DIR", filepath.Join(out, "state"))
	ref := o.letter("Coordination of force movements", "foreign-government", "# Coordination\n\nSir, the exercise goes ahead as planned.\n")
	o.ready(ref)
	if code, _, errs := o.run("otto", "release", ref, "--out", out); code != cli.ExitOK {
		t.Fatalf("release: %s", errs)
	}
	tb, err := o.reg.TrustRoot().Marshal()
	if err != nil {
		t.Fatal(err)
	}
	trust := filepath.Join(out, "trust.json")
	write(t, trust, tb)
	letter := filepath.Join(out, ref+".pdf")
	other := filepath.Join(out, "other.bin")
	write(t, other, []byte("not a letter"))
	seal, err := os.ReadFile(letter + ".seal")
	if err != nil {
		t.Fatal(err)
	}
	write(t, other+".seal", seal)

	for _, args := range [][]string{
		{"verify", "--help"},
		{"verify", "-h"},
		{"verify"},
		{"verify", "--no-such-flag", letter},
		{"verify", "--max-age", "soon", letter},
		{"verify", "--offline", letter}, // no trust root
		{"verify", "--offline", "--trust", filepath.Join(out, "missing.json"), letter},
		{"verify", "--offline", "--trust", trust, letter},
		{"verify", "--offline", "--trust", trust, "--json", letter, other},
		{"verify", "--offline", "--trust", trust, "--lang", "fr", letter, other},
		{"verify", "--offline", "--trust", trust, "--seal", letter + ".seal", letter, other},
		{"verify", "--trust", trust, "--url", o.url, letter},
		{"verify", "--trust", trust, filepath.Join(out, "missing.pdf")},
		{"verify", "--offline", "--trust", trust, out},
	} {
		if !cli.UsesVerifyTree(args) {
			t.Fatalf("%q does not run in verify's own tree", args)
		}
		var so1, se1, so2, se2 bytes.Buffer
		code1 := cli.Main(args, &so1, &se1)
		code2 := cli.RunInFullTree(args, &so2, &se2)
		if code1 != code2 || so1.String() != so2.String() || se1.String() != se2.String() {
			t.Errorf("%q: verify's tree gave %d\n%s%s\nthe whole tree %d\n%s%s", args, code1, so1.String(), se1.String(), code2, so2.String(), se2.String())
		}
		if so1.Len()+se1.Len() == 0 {
			t.Errorf("%q printed nothing", args)
		}
	}
	// Anything else, including a flag before the command, runs in the whole tree.
	for _, args := range [][]string{{"--data", out, "verify", letter}, {"version"}, {"help", "verify"}, {"__complete", "verify", ""}, {}} {
		if cli.UsesVerifyTree(args) {
			t.Errorf("%q runs in verify's own tree", args)
		}
	}
	// The help of verify names the global flags as the whole tree's does.
	var help bytes.Buffer
	cli.Main([]string{"verify", "--help"}, &help, &help)
	if !strings.Contains(help.String(), "--data") || !strings.Contains(help.String(), "--url") {
		t.Errorf("verify --help lacks the global or remote flags:\n%s", help.String())
	}
}

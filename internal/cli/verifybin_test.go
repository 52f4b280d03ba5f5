package cli_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
	"github.com/chancery/chancery/internal/testbin"
)

// TestSmallVerifierSameAsVerify builds cmd/chancery-verify, the small verifier, and runs it
// as a user would on a released letter (a PDF and its seal), the letter altered, a draft's
// bytes without a seal and a folder of them, in the text and JSON outputs and in French and
// Arabic, and on command lines that cannot be run: what it prints and its exit status must be
// those of `chancery verify --offline` (cli.Main, what cmd/chancery runs) with the same
// arguments. Only the usage hints name the program, and only a run without --offline, which
// the small verifier refuses, differs.
func TestSmallVerifierSameAsVerify(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the chancery-verify binary")
	}
	small := testbin.Shared(t, "./cmd/chancery-verify")
	o := newOffice(t)
	out := t.TempDir()
	t.Setenv("CHANCERY_STATE_DIR", filepath.Join(out, "state"))
	for _, v := range []string{"CHANCERY_TRUST", "CHANCERY_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "NO_COLOR"} {
		t.Setenv(v, "")
	}
	ref := o.letter("Coordination of force movements", "foreign-government", "# Coordination\n\nSir, the exercise goes ahead as planned.\n")
	o.ready(ref)
	if code, _, errs := o.run("otto", "release", ref, "--out", out); code != cli.ExitOK {
		t.Fatalf("release: %s", errs)
	}
	draftBody := "# Withdrawal\n\nSir, the troop withdrawal is postponed.\n"
	o.letter("Postponed withdrawal", "foreign-government", draftBody)
	tb, err := o.reg.TrustRoot().Marshal()
	if err != nil {
		t.Fatal(err)
	}
	trust := filepath.Join(out, "trust.json")
	write(t, trust, tb)

	dir := filepath.Join(out, "folder")
	letter := filepath.Join(dir, ref+".pdf")
	pdf, _ := os.ReadFile(filepath.Join(out, ref+".pdf"))
	sb, _ := os.ReadFile(filepath.Join(out, ref+".pdf.seal"))
	write(t, letter, pdf)
	write(t, letter+".seal", sb)
	altered := filepath.Join(dir, "altered.pdf")
	changed := bytes.Clone(pdf)
	changed[len(changed)/2] ^= 1
	write(t, altered, changed)
	write(t, altered+".seal", sb)
	draft := filepath.Join(dir, "draft.md")
	write(t, draft, []byte(draftBody))
	empty := filepath.Join(out, "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}

	off := []string{"--offline", "--trust", trust}
	cases := []struct {
		args []string
		code int // the exit status both must give
	}{
		{append(off, letter), cli.ExitOK},
		{append(off, "--json", letter), cli.ExitOK},
		{append(off, "--lang", "fr", letter), cli.ExitOK},
		{append(off, "--seal", letter+".seal", letter), cli.ExitOK},
		{append(off, altered), cli.ExitFailed},
		{append(off, "--json", altered), cli.ExitFailed},
		{append(off, draft), cli.ExitError},
		{append(off, dir), cli.ExitError},
		{append(off, "--json", dir), cli.ExitError},
		{append(off, "--lang", "ar", dir), cli.ExitError},
		{[]string{"--offline", letter}, cli.ExitError},                                        // no trust root
		{append(off, "--json", empty), cli.ExitError},                                         // a folder with nothing to verify
		{append(off, "--lang", "fr", "--seal", letter+".seal", letter, draft), cli.ExitError}, // --seal with two files
		{append(off, "--max-age", "1h", letter), cli.ExitError},                               // no witnesses to bound
		{append(off, "--lang", "xx", letter), cli.ExitError},
		{append(off, filepath.Join(out, "missing.pdf")), cli.ExitError},
		{[]string{"--offline"}, cli.ExitError},         // no file
		{append(off, "--nope", letter), cli.ExitError}, // an unknown flag
	}
	for _, tc := range cases {
		var stdout, stderr bytes.Buffer
		code := cli.Main(append([]string{"verify"}, tc.args...), &stdout, &stderr)
		sCode, sOut, sErr := runSmall(t, small, tc.args...)
		// The usage hints name the command to ask for help.
		wantErr := strings.ReplaceAll(stderr.String(), "'chancery verify --help'", "'chancery-verify --help'")
		if code != tc.code || sCode != code || sOut != stdout.String() || sErr != wantErr {
			t.Errorf("%q:\nchancery verify: %d\n%s%s\nchancery-verify: %d\n%s%s", tc.args, code, stdout.String(), stderr.String(), sCode, sOut, sErr)
		}
	}

	// The outputs compared above are the real ones: the letter valid, the altered copy invalid.
	_, js, _ := runSmall(t, small, append(off, "--json", letter, altered)...)
	var outcomes []string
	for line := range strings.Lines(js) {
		var r cli.VerifyResult
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatal(err)
		}
		outcomes = append(outcomes, r.Outcome+" "+r.Reference)
	}
	if strings.Join(outcomes, ", ") != "valid "+ref+", invalid " {
		t.Errorf("chancery-verify --json: outcomes %q, want valid %s, invalid", outcomes, ref)
	}

	// Without --offline the small verifier refuses rather than leave out the registry's answers.
	code, stdout, stderr := runSmall(t, small, "--trust", trust, letter)
	if code != cli.ExitError || stdout != "" || !strings.Contains(stderr, "chancery: error: chancery-verify checks seals offline only") ||
		!strings.Contains(stderr, "chancery: hint: add --offline") {
		t.Errorf("chancery-verify without --offline: %d\n%s%s", code, stdout, stderr)
	}
}

// runSmall runs the small verifier with args and returns its exit status and outputs.
func runSmall(t *testing.T, bin string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		return exit.ExitCode(), stdout.String(), stderr.String()
	case err != nil:
		t.Fatalf("chancery-verify: %v", err)
	}
	return 0, stdout.String(), stderr.String()
}

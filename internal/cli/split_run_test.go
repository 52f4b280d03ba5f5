package cli_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/checkpoint"
	"github.com/chancery/chancery/internal/cli"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/verify"
	"golang.org/x/mod/sumdb/note"
)

// splitFolder releases a letter in o and another in a fork of o's log (newForkOf), the two
// seals' checkpoints of one tree size with different roots, into two folders of letters/,
// and returns letters/, the two files (the first walked first), the trust root and the size.
func splitFolder(t *testing.T, o *office) (letters, first, second, trust string, size int64) {
	t.Helper()
	f := newForkOf(t, o)
	dir := t.TempDir()
	t.Setenv("CHANCERY_STATE_DIR", filepath.Join(dir, "state"))
	letters = filepath.Join(dir, "letters")
	var files []string
	for i, x := range []*office{o, f} {
		ref := x.letter("Coordination of force movements "+strconv.Itoa(i), "foreign-government", "# Coordination\n\nSir, "+strconv.Itoa(i)+"\n")
		x.ready(ref)
		out := filepath.Join(letters, string(rune('a'+i)))
		if err := os.MkdirAll(out, 0o755); err != nil {
			t.Fatal(err)
		}
		if code, _, errs := x.run("otto", "release", ref, "--out", out); code != cli.ExitOK {
			t.Fatalf("release: %s", errs)
		}
		files = append(files, filepath.Join(out, ref+".pdf"))
	}
	v, err := note.NewVerifier(o.reg.TrustRoot().LogKey)
	if err != nil {
		t.Fatal(err)
	}
	var cps []checkpoint.Checkpoint
	for _, file := range files {
		sb, err := os.ReadFile(file + ".seal")
		if err != nil {
			t.Fatal(err)
		}
		s, err := seal.Parse(sb)
		if err != nil {
			t.Fatal(err)
		}
		c, _, err := checkpoint.Open(s.Checkpoint, v)
		if err != nil {
			t.Fatal(err)
		}
		cps = append(cps, c)
	}
	if cps[0].Size != cps[1].Size || cps[0].Root == cps[1].Root {
		t.Fatalf("the two seals' checkpoints: size %d root %s, size %d root %s; want one size, two roots", cps[0].Size, cps[0].Root, cps[1].Size, cps[1].Root)
	}
	trust = filepath.Join(dir, "trust.json")
	tb, err := o.reg.TrustRoot().Marshal()
	if err == nil {
		err = os.WriteFile(trust, tb, 0o644)
	}
	if err != nil {
		t.Fatal(err)
	}
	return letters, files[0], files[1], trust, cps[0].Size
}

// lastOutcomes returns the last outcome printed for each file of verify's lines ("FILE: outcome: …").
func lastOutcomes(out string) map[string]string {
	m := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		file, rest, _ := strings.Cut(l, ": ")
		outcome, _, _ := strings.Cut(rest, ":")
		m[file] = outcome
	}
	return m
}

// TestOneRunComparesItsSeals: a folder holding two seals of one log whose checkpoints have one
// tree size and different roots, both signed by the log key, is a split view proved by the
// holder's own files: offline and online, chancery verify and the small verifier, both files
// are invalid with the split-view line naming the other, a file printed valid before the
// second root was met is printed again, and the run exits 1. (Fifty-seventh session's
// not-fixed list, the lead's decision: offline, both were valid.)
func TestOneRunComparesItsSeals(t *testing.T) {
	o := newOffice(t)
	letters, first, second, trust, size := splitFolder(t, o)
	want := "invalid: two checkpoints of size " + strconv.FormatInt(size, 10) + " signed by the log key have different roots"
	check := func(name string, code int, out, errs string) {
		t.Helper()
		lines := strings.Split(strings.TrimSpace(out), "\n")
		got := lastOutcomes(out)
		if code != cli.ExitFailed || len(lines) != 3 || got[first] != "invalid" || got[second] != "invalid" {
			t.Fatalf("%s: %d %q %q, want exit 1 and both files invalid", name, code, out, errs)
		}
		if !strings.HasPrefix(lines[0], first+": valid: ") ||
			!strings.HasPrefix(lines[1], second+": "+want) || !strings.Contains(lines[1], "the seal of "+first) ||
			!strings.HasPrefix(lines[2], first+": "+want) || !strings.Contains(lines[2], "the seal of "+second) ||
			!strings.Contains(lines[2], "this replaces the line printed above") {
			t.Errorf("%s: %q, want the first valid, then the second and the first again with the split view", name, out)
		}
	}
	code, out, errs := verifyAt(t, o.url, "--offline", "--trust", trust, letters)
	check("chancery verify --offline", code, out, errs)
	var stdout, stderr bytes.Buffer
	code = verify.Main([]string{"--offline", "--trust", trust, letters}, &stdout, &stderr)
	check("chancery-verify --offline", code, stdout.String(), stderr.String())

	// --json: the same objects, and the first file's again, marked revised.
	code, out, _ = verifyAt(t, o.url, "--offline", "--json", "--trust", trust, letters)
	var rs []cli.VerifyResult
	dec := json.NewDecoder(strings.NewReader(out))
	for dec.More() {
		var r cli.VerifyResult
		if err := dec.Decode(&r); err != nil {
			t.Fatal(err)
		}
		rs = append(rs, r)
	}
	if code != cli.ExitFailed || len(rs) != 3 || rs[0].Outcome != "valid" || rs[0].Revised ||
		rs[1].File != second || rs[1].Outcome != "invalid" || !strings.HasPrefix(rs[1].Message, want) || rs[1].Revised ||
		rs[2].File != first || rs[2].Outcome != "invalid" || !strings.HasPrefix(rs[2].Message, want) || !rs[2].Revised {
		t.Errorf("--json: %d %q", code, out)
	}
	// The object printed again replaces the first: it says which letter the file is, as that
	// one did.
	if len(rs) == 3 && (rs[2].Digest != rs[0].Digest || rs[2].Reference != rs[0].Reference || rs[2].Reference == "" ||
		rs[2].Office != rs[0].Office || rs[2].LogIndex == nil || *rs[2].LogIndex != *rs[0].LogIndex) {
		t.Errorf("--json: the revised object %+v lacks the first's fields %+v", rs[2], rs[0])
	}

	// In French, the line is translated.
	code, out, _ = verifyAt(t, o.url, "--offline", "--lang", "fr", "--trust", trust, letters)
	if code != cli.ExitFailed || !strings.Contains(out, "le journal a bifurqué") || !strings.Contains(out, "le sceau de "+first) {
		t.Errorf("--lang fr: %d %q", code, out)
	}

	// Online: the second letter is not the registry's, and the first's answer is valid; the
	// first is still printed again, invalid.
	code, out, errs = verifyAt(t, o.url, "--trust", trust, letters)
	if got := lastOutcomes(out); code != cli.ExitFailed || got[first] != "invalid" || got[second] != "invalid" ||
		!strings.Contains(out, second+": "+want) || !strings.Contains(out, first+": "+want) {
		t.Errorf("online: %d %q %q, want both files invalid with the split-view line", code, out, errs)
	}

	// The small verifier keeps nothing between runs: each file alone is valid.
	for _, f := range []string{first, second} {
		stdout.Reset()
		stderr.Reset()
		if code := verify.Main([]string{"--offline", "--trust", trust, f}, &stdout, &stderr); code != verify.ExitOK {
			t.Errorf("chancery-verify %s alone: %d %q %q", f, code, stdout.String(), stderr.String())
		}
	}
}

// TestOneRunComparesASealOfAnotherFile: a seal sound in every respect but the file beside it
// (the file edited after it was sealed) still carries a checkpoint the log key signed: the run
// enters its tree into the comparison, and a fork between it and another file's seal is said,
// offline and online, in both verifiers. (Fifty-eighth session's not-fixed list, the lead's
// decision: the edited file's seal was left out, and the first file stayed valid.)
func TestOneRunComparesASealOfAnotherFile(t *testing.T) {
	o := newOffice(t)
	letters, first, second, trust, size := splitFolder(t, o)
	// The second file edited: its seal now seals another file.
	f, err := os.OpenFile(second, os.O_APPEND|os.O_WRONLY, 0)
	if err == nil {
		_, err = f.WriteString("\n% edited\n")
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	want := "invalid: two checkpoints of size " + strconv.FormatInt(size, 10) + " signed by the log key have different roots"
	check := func(name string, code int, out, errs string) {
		t.Helper()
		got := lastOutcomes(out)
		if code != cli.ExitFailed || got[first] != "invalid" || got[second] != "invalid" ||
			!strings.Contains(out, first+": "+want) || !strings.Contains(out, "the seal of "+second) {
			t.Errorf("%s: %d %q %q, want the first file's seal said on one side of a fork, the second's seal the other", name, code, out, errs)
		}
	}
	code, out, errs := verifyAt(t, o.url, "--offline", "--trust", trust, letters)
	check("chancery verify --offline", code, out, errs)
	var stdout, stderr bytes.Buffer
	code = verify.Main([]string{"--offline", "--trust", trust, letters}, &stdout, &stderr)
	check("chancery-verify --offline", code, stdout.String(), stderr.String())
	code, out, errs = verifyAt(t, o.url, "--trust", trust, letters)
	check("chancery verify", code, out, errs)

	// Alone, the edited file is what it was: invalid offline, its seal another file's.
	stdout.Reset()
	stderr.Reset()
	if code := verify.Main([]string{"--offline", "--trust", trust, second}, &stdout, &stderr); code != verify.ExitFailed ||
		!strings.Contains(stdout.String(), "this file is not the sealed letter") {
		t.Errorf("chancery-verify %s alone: %d %q %q", second, code, stdout.String(), stderr.String())
	}
}

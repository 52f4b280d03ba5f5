package cli_test

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
	"github.com/chancery/chancery/internal/seal"
)

// TestVerifyFolderSameAsOneByOne is issue 19 item 2's guard: a folder of files with every
// outcome, verified by one run through the parallel path (workers with reused buffers), must
// give each file the same result, field for field and line for line, as verifying that file
// alone, online and offline.
func TestVerifyFolderSameAsOneByOne(t *testing.T) {
	o := newOffice(t)
	out := t.TempDir()
	t.Setenv("CHANCERY_STATE_DIR", filepath.Join(out, "state"))
	release := func(subject, body string) string {
		t.Helper()
		ref := o.letter(subject, "foreign-government", body)
		o.ready(ref)
		if code, _, errs := o.run("otto", "release", ref, "--out", out); code != cli.ExitOK {
			t.Fatalf("release: %s", errs)
		}
		return filepath.Join(out, ref+".pdf")
	}
	valid := release("Coordination of force movements", "# Coordination\n\nSir, the exercise goes ahead as planned.\n")
	retracted := release("Press release on exercises", "# Exercises\n\nThe exercises start on Monday.\n")
	altered := release("Fisheries agreement", "# Fisheries\n\nThe quota for next year is unchanged.\n")
	damaged := release("Visit of the delegation", "# Visit\n\nThe delegation arrives on Tuesday.\n")
	o.retract(filepath.Base(strings.TrimSuffix(retracted, ".pdf")), "sent in error")
	draftBody := "# Withdrawal\n\nSir, the troop withdrawal is postponed.\n"
	o.letter("Postponed withdrawal", "foreign-government", draftBody)

	tb, err := o.reg.TrustRoot().Marshal()
	if err != nil {
		t.Fatal(err)
	}
	trust := filepath.Join(out, "trust.json")
	write(t, trust, tb)

	dir := filepath.Join(out, "folder")
	copyFile := func(from, to string) {
		t.Helper()
		data, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		write(t, filepath.Join(dir, to), data)
	}
	for _, f := range []string{valid, retracted} {
		copyFile(f, filepath.Base(f))
		copyFile(f+".seal", filepath.Base(f)+".seal")
	}
	// A valid letter without its seal: the registry's seal is checked.
	copyFile(valid, "bare/"+filepath.Base(valid))
	// The letter with one byte changed, beside its seal.
	data, _ := os.ReadFile(altered)
	data[len(data)/2] ^= 1
	write(t, filepath.Join(dir, "altered.pdf"), data)
	copyFile(altered+".seal", "altered.pdf.seal")
	// A seal cut short.
	copyFile(damaged, filepath.Base(damaged))
	sb, _ := os.ReadFile(damaged + ".seal")
	write(t, filepath.Join(dir, filepath.Base(damaged)+".seal"), sb[:len(sb)/2])
	// A seal beside another letter.
	copyFile(valid, "swapped.pdf")
	copyFile(retracted+".seal", "swapped.pdf.seal")
	// The draft's bytes, random bytes, an empty file and a file too large for one read.
	write(t, filepath.Join(dir, "draft.md"), []byte(draftBody))
	random := make([]byte, 3<<20+17)
	rand.Read(random)
	write(t, filepath.Join(dir, "unknown.bin"), random)
	write(t, filepath.Join(dir, "empty.txt"), nil)

	// More workers than files would share: the parallel path at its busiest.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	for _, mode := range [][]string{nil, {"--offline"}} {
		args := append([]string{"--trust", trust}, mode...)
		code, all, errs := verifyAt(t, o.url, append(args, "--json", dir)...)
		if code == cli.ExitOK || errs != "" && !strings.Contains(errs, "could not be verified") {
			t.Fatalf("verify %v folder: %d %q", mode, code, errs)
		}
		lines := strings.Split(strings.TrimSuffix(all, "\n"), "\n")
		_, text, _ := verifyAt(t, o.url, append(args, dir)...)
		textLines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
		if len(lines) != 9 || len(textLines) != len(lines) {
			t.Fatalf("verify %v folder: %d results, %d lines of text, want 9:\n%s", mode, len(lines), len(textLines), all)
		}
		var outcomes []string
		for i, line := range lines {
			var r cli.VerifyResult
			if err := json.Unmarshal([]byte(line), &r); err != nil {
				t.Fatal(err)
			}
			outcomes = append(outcomes, r.Outcome)
			_, one, _ := verifyAt(t, o.url, append(args, "--json", r.File)...)
			if one != line+"\n" {
				t.Errorf("verify %v %s alone:\n%s\nin the folder:\n%s", mode, r.File, one, line)
			}
			_, oneText, _ := verifyAt(t, o.url, append(args, r.File)...)
			if want := r.File + ": " + strings.TrimSuffix(oneText, "\n"); textLines[i] != want {
				t.Errorf("verify %v %s alone, as text:\n%s\nin the folder:\n%s", mode, r.File, want, textLines[i])
			}
		}
		slices.Sort(outcomes)
		outcomes = slices.Compact(outcomes)
		// Online, a file beside a seal that is sound but not its own, or damaged, is asked
		// about as one without a seal: the changed letter is altered, the swapped one and the
		// one beside its seal cut short valid.
		want := []string{"altered", "draft", "retracted", "unknown", "valid"}
		if mode != nil {
			want = []string{"error", "invalid", "valid"}
		}
		if !slices.Equal(outcomes, want) {
			t.Errorf("verify %v folder: outcomes %v, want %v:\n%s", mode, outcomes, want, all)
		}
	}
}

// TestParseKeepsNoSealBytes: a worker reads every seal into the same buffer, so a parsed seal
// must not point into the bytes it was parsed from.
func TestParseKeepsNoSealBytes(t *testing.T) {
	o := newOffice(t)
	out := t.TempDir()
	ref := o.letter("Coordination of force movements", "foreign-government", "# Coordination\n\nSir, ...\n")
	o.ready(ref)
	if code, _, errs := o.run("otto", "release", ref, "--out", out); code != cli.ExitOK {
		t.Fatalf("release: %s", errs)
	}
	file, _ := os.ReadFile(filepath.Join(out, ref+".pdf"))
	data, _ := os.ReadFile(filepath.Join(out, ref+".pdf.seal"))
	buf := bytes.Clone(data)
	s, err := seal.Parse(buf)
	if err != nil {
		t.Fatal(err)
	}
	for i := range buf {
		buf[i] = ' '
	}
	v, err := seal.NewVerifier(o.reg.TrustRoot())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.VerifyBytes(s, file); err != nil {
		t.Fatalf("the seal no longer verifies once its bytes are overwritten: %v", err)
	}
	fresh, err := seal.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(s.Marshal(), fresh.Marshal()) {
		t.Error("the seal changed with the bytes it was parsed from")
	}
}

func write(t *testing.T, name string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

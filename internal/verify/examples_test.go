package verify

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// TestSmallVerifierExamplesRun runs each example of 'chancery-verify --help' as written, in a
// folder that holds the files it names: a valid letter with its seal (a folder, for an
// example that names one) and the trust root. chancery-verify refuses to run without
// --offline, so an example without it taught a command that could not run (exit status 2);
// each must verify the letter (exit status 0).
func TestSmallVerifierExamplesRun(t *testing.T) {
	data, err := os.ReadFile("../../testdata/seal-vectors-v2.txtar")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range txtar.Parse(data).Files {
		files[f.Name] = f.Data
	}
	letter, sl, trust := files["letter.txt"], files["seals/valid.json"], files["trust.json"]
	if letter == nil || sl == nil || trust == nil {
		t.Fatal("the vectors lack letter.txt, seals/valid.json or trust.json")
	}
	var help bytes.Buffer
	if code := Main([]string{"--help"}, &help, &help); code != ExitOK {
		t.Fatalf("--help: exit status %d", code)
	}
	_, examples, ok := strings.Cut(help.String(), "\nExamples:\n")
	if !ok {
		t.Fatalf("no examples in:\n%s", help.String())
	}
	examples, _, _ = strings.Cut(examples, "\n\n")
	write := func(name string, b []byte) {
		if err := os.WriteFile(name, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	n := 0
	for line := range strings.SplitSeq(examples, "\n") {
		words := strings.Fields(line)
		if len(words) == 0 || words[0] != "chancery-verify" {
			continue
		}
		n++
		args := words[1:]
		dir := t.TempDir()
		for i, a := range args {
			switch {
			case strings.HasPrefix(a, "-"):
			case i > 0 && args[i-1] == "--trust":
				write(filepath.Join(dir, a), trust)
			case i > 0 && args[i-1] == "--lang", i > 0 && args[i-1] == "--max-age", i > 0 && args[i-1] == "--seal":
			case strings.HasSuffix(a, "/"):
				if err := os.MkdirAll(filepath.Join(dir, a), 0o755); err != nil {
					t.Fatal(err)
				}
				write(filepath.Join(dir, a, "letter.txt"), letter)
				write(filepath.Join(dir, a, "letter.txt.seal"), sl)
			default:
				write(filepath.Join(dir, a), letter)
				write(filepath.Join(dir, a+".seal"), sl)
			}
		}
		t.Chdir(dir)
		var stdout, stderr bytes.Buffer
		if code := Main(args, &stdout, &stderr); code != ExitOK {
			t.Errorf("%s: exit status %d, want %d\nstdout: %s\nstderr: %s", line, code, ExitOK, stdout.String(), stderr.String())
		}
	}
	if n == 0 {
		t.Fatal("no chancery-verify example found")
	}
}

package cli_test

import (
	"bufio"
	"crypto/rand"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/testbin"
	"golang.org/x/mod/sumdb/note"
)

// TestWitnessServeHintRunsAsPrinted: a witness serving no log yet prints the add-log command
// to run, which named its data directory bare: one named with a space ("/srv/wit ness") or a
// quote made the pasted command give add-log another directory, or none (found by review of
// 5336ec7, sixtieth session, running the witness's hints as printed). The directory is one
// shell word: the command, its placeholders filled, runs as printed and adds the log.
func TestWitnessServeHintRunsAsPrinted(t *testing.T) {
	bin := testbin.Shared(t, "./cmd/chancery")
	dir := filepath.Join(t.TempDir(), "wit ness's")
	cmd := exec.Command(bin, "witness", "serve", "--data", dir, "--name", "witness.hint.example", "--listen", "127.0.0.1:0")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var hinted, seen string
	for sc := bufio.NewScanner(stderr); sc.Scan(); {
		seen += sc.Text() + "\n"
		if rest, ok := strings.CutPrefix(sc.Text(), "chancery: hint: no logs yet: add one with '"); ok {
			hinted = strings.TrimSuffix(rest, "'")
			break
		}
	}
	cmd.Process.Kill()
	cmd.Wait()
	if hinted == "" {
		t.Fatalf("witness serve of a new witness printed no add-log command:\n%s", seen)
	}
	_, vkey, err := note.GenerateKey(rand.Reader, "log.hint.example")
	if err != nil {
		t.Fatal(err)
	}
	line := strings.NewReplacer("ORIGIN", "log.hint.example", "VKEY", vkey).Replace(strings.Replace(hinted, "chancery ", shellWord(bin)+" ", 1))
	if out, err := exec.Command("sh", "-c", line).CombinedOutput(); err != nil || !strings.Contains(string(out), "added log log.hint.example") {
		t.Errorf("%s (from the hint %q): %v\n%s\nwant the log added", line, hinted, err, out)
	}
}

// shellWord is s in single quotes, for a command line a test runs with sh -c.
func shellWord(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// TestNotInitializedHintNamesTheDirectoryAsOneWord: a command given a data directory that is
// not initialized hints "run 'chancery init --data DIR' first", which named the directory
// bare: one named with a space or a quote was another directory, or an unclosed quote, once
// pasted (found by review of 5336ec7, sixtieth session, with row 2604's hints).
func TestNotInitializedHintNamesTheDirectoryAsOneWord(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "no office's")
	code, _, stderr := run("log", "verify", "--data", dir)
	if want := "chancery: hint: run 'chancery init --data " + shellWord(dir) + "' first"; code != 2 || !strings.Contains(stderr, want) {
		t.Errorf("log verify of a directory not initialized: status %d, %s\nwant %q", code, stderr, want)
	}
}

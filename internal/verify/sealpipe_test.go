package verify

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/txtar"
)

// sealVectors returns the files of the seal test vectors by name.
func sealVectors(t *testing.T) map[string][]byte {
	t.Helper()
	data, err := os.ReadFile("../../testdata/seal-vectors.txtar")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range txtar.Parse(data).Files {
		files[f.Name] = f.Data
	}
	return files
}

// TestSealBesideALetterIsAFile: the seal read beside a letter (FILE.seal) must be a file. A
// folder (an archive of leaked files) whose letter.txt.seal was a named pipe, or a link to
// one, held verify in open(2) for ever: the run never ended, the folder's other letters were
// never reported. The seal is now refused as not a file, and the run goes on; a pipe named
// with --seal (a shell's <(…)) is still read. Since the sixty-first session such a seal is a
// damaged seal (invalid, exit 1), said to be a named pipe, rather than a failure to verify.
func TestSealBesideALetterIsAFile(t *testing.T) {
	files := sealVectors(t)
	dir := t.TempDir()
	folder := filepath.Join(dir, "letters")
	trust := filepath.Join(dir, "trust.json")
	for name, b := range map[string][]byte{
		trust:                                   files["trust.json"],
		filepath.Join(folder, "letter.txt"):     files["letter.txt"],
		filepath.Join(folder, "other.txt"):      files["letter.txt"],
		filepath.Join(folder, "other.txt.seal"): files["seals/valid.json"],
	} {
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	pipe := filepath.Join(dir, "pipe")
	if err := mkfifo(pipe); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	sealPath := filepath.Join(folder, "letter.txt.seal")
	for _, c := range []struct {
		name string
		make func() error
	}{
		{"a named pipe", func() error { return mkfifo(sealPath) }},
		{"a link to a named pipe", func() error { return os.Symlink(pipe, sealPath) }},
	} {
		os.Remove(sealPath)
		if err := c.make(); err != nil {
			t.Fatal(err)
		}
		var stdout, stderr bytes.Buffer
		done := make(chan int, 1)
		go func() { done <- Main([]string{"--offline", "--trust", trust, folder}, &stdout, &stderr) }()
		select {
		case code := <-done:
			if code != ExitFailed || !strings.Contains(stdout.String(), sealPath+" is a named pipe, not a seal") || !strings.Contains(stdout.String(), "other.txt: valid") {
				t.Errorf("%s: exit %d, printed:\n%s%s\nwant exit %d, the seal named, other.txt valid", c.name, code, stdout.String(), stderr.String(), ExitFailed)
			}
		case <-time.After(time.Minute):
			// Unblock the reader so that the test process can end.
			if w, err := os.OpenFile(sealPath, os.O_WRONLY, 0); err == nil {
				w.Close()
			}
			<-done
			t.Fatalf("%s as the seal beside a letter: verify was still reading it a minute later", c.name)
		}
	}

	// Named with --seal, a pipe is the user's choice, and is read.
	os.Remove(sealPath)
	if err := mkfifo(sealPath); err != nil {
		t.Fatal(err)
	}
	go func() {
		if w, err := os.OpenFile(sealPath, os.O_WRONLY, 0); err == nil {
			w.Write(files["seals/valid.json"])
			w.Close()
		}
	}()
	var stdout, stderr bytes.Buffer
	letter := filepath.Join(folder, "letter.txt")
	if code := Main([]string{"--offline", "--trust", trust, "--seal", sealPath, letter}, &stdout, &stderr); code != ExitOK {
		t.Fatalf("a pipe named with --seal: exit %d, printed:\n%s%s", code, stdout.String(), stderr.String())
	}
}

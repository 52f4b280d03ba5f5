//go:build unix

package verify

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/seal"
	"github.com/spf13/cobra"
)

// TestNamedLettersThatNeverEnd: files named on the command line, as a shell's glob over a
// folder of leaked files names them, were read whatever they were: a named pipe without a
// writer kept verify in open(2) for ever, and a link to /dev/zero was hashed for ever;
// either way not one line was printed, not even the genuine letter's before it. A pipe
// without a writer now reads as empty at once and a device is refused; a pipe with its
// writer (a shell's <(…)) is still read to its end.
func TestNamedLettersThatNeverEnd(t *testing.T) {
	files := sealVectors(t)
	dir := t.TempDir()
	trust := filepath.Join(dir, "trust.json")
	letter := filepath.Join(dir, "letter.txt")
	for name, b := range map[string][]byte{trust: files["trust.json"], letter: files["letter.txt"],
		letter + ".seal": files["seals/valid.json"]} {
		if err := os.WriteFile(name, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	pipe := filepath.Join(dir, "a.pdf")
	if err := mkfifo(pipe); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	zero := filepath.Join(dir, "b.pdf")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	run := func(args ...string) (int, string, bool) {
		var stdout, stderr bytes.Buffer
		done := make(chan int, 1)
		go func() { done <- Main(args, &stdout, &stderr) }()
		select {
		case code := <-done:
			return code, stdout.String() + stderr.String(), true
		case <-time.After(20 * time.Second):
			// Unblock a reader waiting for the pipe's writer; a reader of /dev/zero runs on
			// until the test process ends.
			if w, err := os.OpenFile(pipe, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
				w.Close()
			}
			t.Errorf("verify %q was still running 20 s later", args)
			return 0, "", false
		}
	}
	for _, f := range []string{pipe, zero} {
		code, out, ok := run("--offline", "--trust", trust, letter, f)
		if ok && (code != ExitError || !strings.Contains(out, letter+": valid") || !strings.Contains(out, f+": could not verify")) {
			t.Errorf("%s: exit %d, printed:\n%s\nwant exit %d, the letter valid and %s not verified", f, code, out, ExitError, f)
		}
	}

	// Online, the registry is not asked about the pipe either: asked, it answers "unknown"
	// for the empty file, and verify then reads the file again for its text, waiting for a
	// writer for ever.
	rec := &askRecorder{}
	cmd := Command("verify", func(*cobra.Command, *seal.TrustRoot, *Verifier) (Online, error) { return rec, nil })
	var out bytes.Buffer
	cmd.SetArgs([]string{"--trust", trust, letter, pipe})
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	cmd.Execute()
	if len(rec.files) != 1 || rec.files[0] != letter || !strings.Contains(out.String(), pipe+": could not verify: read "+pipe+": a named pipe that nothing was written to") {
		t.Errorf("online: the registry was asked about %q, and verify printed:\n%s\nwant only the letter asked about, and the pipe not verified", rec.files, out.String())
	}

	// A pipe that has its writer, as a shell's <(cat letter.txt) gives, is read.
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	fdPath := fmt.Sprintf("/dev/fd/%d", r.Fd())
	if _, err := os.Stat(fdPath); err != nil {
		w.Close()
		t.Skipf("no %s here: %v", fdPath, err)
	}
	go func() {
		w.Write(files["letter.txt"])
		w.Close()
	}()
	if code, out, ok := run("--offline", "--trust", trust, "--seal", letter+".seal", fdPath); ok && code != ExitOK {
		t.Errorf("a pipe with its writer: exit %d, printed:\n%s", code, out)
	}
}

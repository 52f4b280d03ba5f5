package convert_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/convert"
)

// convertChildEnv names, for TestConvertChild, the program the child's converter runs.
const convertChildEnv = "CHANCERY_CONVERT_CHILD"

// TestConvertChild is the child process of TestConversionKilledLeavesWhatTheNextServerRemoves:
// a server converting a letter, with a converter that takes its time.
func TestConvertChild(t *testing.T) {
	prog := os.Getenv(convertChildEnv)
	if prog == "" {
		t.Skip("run as a child process by TestConversionKilledLeavesWhatTheNextServerRemoves")
	}
	c, err := convert.Find(prog, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ToPDF(context.Background(), docxType, []byte("the letter"))
	t.Fatalf("the conversion ended (%v) before the child was killed", err)
}

// TestConversionKilledLeavesWhatTheNextServerRemoves: a server killed (kill -9) while it
// converted a letter left the conversion's directory, the letter and LibreOffice's
// temporary files in it, in the temporary directory for good. The next server's
// RemoveStale removes it, but not the directory of a conversion running now in another
// server.
func TestConversionKilledLeavesWhatTheNextServerRemoves(t *testing.T) {
	tmp := t.TempDir()
	prog := filepath.Join(t.TempDir(), "slow-soffice")
	if err := os.WriteFile(prog, []byte("#!/bin/sh\nsleep 5\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	// converting starts a child converting a letter and returns it and its conversion's
	// directory, once it is there.
	converting := func(known ...string) (*exec.Cmd, string) {
		t.Helper()
		cmd := exec.Command(os.Args[0], "-test.run=^TestConvertChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), convertChildEnv+"="+prog, "TMPDIR="+tmp)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		for range 500 {
			found, _ := filepath.Glob(filepath.Join(tmp, "chancery-convert-*", "letter.docx"))
		next:
			for _, f := range found {
				for _, k := range known {
					if filepath.Dir(f) == k {
						continue next
					}
				}
				return cmd, filepath.Dir(f)
			}
			time.Sleep(20 * time.Millisecond)
		}
		t.Fatal("the child's conversion made no directory")
		return nil, ""
	}
	killed, killedDir := converting()
	killed.Process.Signal(syscall.SIGKILL)
	killed.Wait()
	running, runningDir := converting(killedDir)
	defer running.Process.Kill()

	t.Setenv("TMPDIR", tmp)
	c, err := convert.Find(prog, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.RemoveStale(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(killedDir); !os.IsNotExist(err) {
		t.Errorf("the killed conversion's directory is still there: %v", err)
	}
	if _, err := os.Lstat(filepath.Join(runningDir, "letter.docx")); err != nil {
		t.Errorf("the running conversion's directory was removed: %v", err)
	}
}

// TestConversionFileSizeLimited: LibreOffice ran without a limit on what it writes, so an
// upload that unfolds into a huge PDF or temporary file filled the disk before the PDF's size
// was checked. It runs under RLIMIT_FSIZE: a converter writing past the limit is stopped
// there (SIGXFSZ), and the conversion fails.
func TestConversionFileSizeLimited(t *testing.T) {
	requireTool(t, "prlimit")
	defer convert.SetFileSizeLimit(1 << 20)()
	// The converter writes in its own directory (the only place it can, where conversions
	// are confined) and says how much it wrote, which the conversion's error shows.
	prog := filepath.Join(t.TempDir(), "greedy-soffice")
	if err := os.WriteFile(prog, []byte("#!/bin/sh\nhead -c 3000000 /dev/zero > big\necho \"wrote $(wc -c < big) bytes\"\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	c, err := convert.Find(prog, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Limited() {
		t.Fatal("the converter is not limited though prlimit is installed")
	}
	_, err = c.ToPDF(context.Background(), docxType, []byte("the letter"))
	if err == nil {
		t.Fatal("the conversion succeeded")
	}
	if want := fmt.Sprintf("wrote %d bytes", 1<<20); !strings.Contains(err.Error(), want) {
		t.Errorf("the conversion failed with %q, want the converter stopped at the limit (%q)", err, want)
	}
}

// TestConversionCannotReadTheDataDirectory: LibreOffice ran able to read whatever the server
// can, the office's data directory with its signing keys, tokens and database among it: a
// LibreOffice that a hostile letter takes over could write them into the PDF members are
// shown. A conversion now sees the paths given to Hide as empty, and an empty /tmp of its
// own (other conversions' letters are in the server's); it still reads the system's files.
func TestConversionCannotReadTheDataDirectory(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if err := os.Mkdir(data, 0o700); err != nil {
		t.Fatal(err)
	}
	key := filepath.Join(data, "office.key")
	other := filepath.Join(os.TempDir(), "chancery-convert-other-"+filepath.Base(dir))
	if err := os.Mkdir(other, 0o700); err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(other)
	letter := filepath.Join(other, "letter.docx")
	for _, f := range []string{key, letter} {
		if err := os.WriteFile(f, []byte("SECRET-"+filepath.Base(f)), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	prog := filepath.Join(dir, "prying-soffice")
	if err := os.WriteFile(prog, []byte("#!/bin/sh\ncat "+key+" "+letter+" /etc/hostname 2>/dev/null; echo; echo read-system=$(wc -c < /etc/passwd)\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	c, err := convert.Find(prog, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Confined() {
		t.Skip("this system refuses conversions a mount namespace of their own")
	}
	c.Hide(data)
	_, err = c.ToPDF(context.Background(), docxType, []byte("the letter"))
	if err == nil {
		t.Fatal("the conversion succeeded")
	}
	if strings.Contains(err.Error(), "SECRET") {
		t.Errorf("the converter read what it must not see: %v", err)
	}
	if !strings.Contains(err.Error(), "read-system=") || strings.Contains(err.Error(), "read-system=\n") || strings.Contains(err.Error(), "read-system=0") {
		t.Errorf("the converter could not read the system's files: %v", err)
	}
}

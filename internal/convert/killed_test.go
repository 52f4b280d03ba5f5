package convert_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
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
	big := filepath.Join(t.TempDir(), "big")
	prog := filepath.Join(t.TempDir(), "greedy-soffice")
	if err := os.WriteFile(prog, []byte("#!/bin/sh\nhead -c 3000000 /dev/zero > "+big+"\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	c, err := convert.Find(prog, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Limited() {
		t.Fatal("the converter is not limited though prlimit is installed")
	}
	if _, err := c.ToPDF(context.Background(), docxType, []byte("the letter")); err == nil {
		t.Error("the conversion succeeded")
	}
	st, err := os.Stat(big)
	if err != nil {
		t.Fatal(err)
	}
	if st.Size() > 1<<20 {
		t.Errorf("the converter wrote %d bytes, past the limit of %d", st.Size(), 1<<20)
	}
}

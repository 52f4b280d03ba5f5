package ocr_test

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/ocr"
)

// readChildEnv names, for TestReadChild, what the child reads: "scan" (a recognition, its
// Tesseract on the PATH) or "pdf" (pdftotext on a PDF, as identify's uploads are read).
const readChildEnv = "CHANCERY_OCR_READ_CHILD"

// slowPrograms writes into a new directory a tesseract that lists English and otherwise
// takes its time, and a pdftotext that takes its time, and returns the directory.
func slowPrograms(t *testing.T) string {
	t.Helper()
	bin := t.TempDir()
	progs := map[string]string{
		"tesseract": "#!/bin/sh\nif [ \"$1\" = --list-langs ]; then echo 'List of available languages (1):'; echo eng; exit 0; fi\nsleep 20\n",
		"pdftotext": "#!/bin/sh\nsleep 20\n",
	}
	for name, script := range progs {
		if err := os.WriteFile(filepath.Join(bin, name), []byte(script), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	return bin
}

// TestReadChild is the child process of TestReadingKilledLeavesWhatTheNextServerRemoves: a
// server reading a scan or a PDF, with programs that take their time.
func TestReadChild(t *testing.T) {
	switch os.Getenv(readChildEnv) {
	case "scan":
		r, err := ocr.Find("tesseract")
		if err != nil {
			t.Fatal(err)
		}
		img := image.NewGray(image.Rect(0, 0, 64, 64))
		for i := range img.Pix {
			img.Pix[i] = 0xff
		}
		var b bytes.Buffer
		if err := png.Encode(&b, img); err != nil {
			t.Fatal(err)
		}
		_, err = r.Read(context.Background(), b.Bytes())
		t.Fatalf("the reading ended (%v) before the child was killed", err)
	case "pdf":
		_, err := ocr.VisibleText(context.Background(), []byte("%PDF-1.4\nthe letter\n%%EOF\n"))
		t.Fatalf("the reading ended (%v) before the child was killed", err)
	default:
		t.Skip("run as a child process by TestReadingKilledLeavesWhatTheNextServerRemoves")
	}
}

// TestReadingKilledLeavesWhatTheNextServerRemoves: a server killed (kill -9, a crash) while
// it read a scan sent to identify, or a PDF's pages or text, left the reading's directory in
// the temporary directory for good, the scan or the PDF in it (found by audit, fifty-sixth
// session: a holder's letter, or a draft whose pages the letter page had read). The next
// server's ocr.RemoveStale removes such directories, but not those of a reading running now
// in another server.
func TestReadingKilledLeavesWhatTheNextServerRemoves(t *testing.T) {
	tmp := t.TempDir()
	bin := slowPrograms(t)
	reading := func(what, glob string, known ...string) (*exec.Cmd, string) {
		t.Helper()
		cmd := exec.Command(os.Args[0], "-test.run=^TestReadChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), readChildEnv+"="+what, "TMPDIR="+tmp, "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
			"CHANCERY_TESSERACT=", "CHANCERY_OCR_LANGS=eng")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		for range 1000 {
			found, _ := filepath.Glob(filepath.Join(tmp, glob))
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
		t.Fatalf("the child reading a %s made no directory", what)
		return nil, ""
	}
	scan, scanDir := reading("scan", "chancery-ocr-*/scan.png")
	pdf, pdfDir := reading("pdf", "chancery-pdftotext-*/released.pdf")
	for _, c := range []*exec.Cmd{scan, pdf} {
		c.Process.Signal(syscall.SIGKILL)
		c.Wait()
	}
	running, runningDir := reading("pdf", "chancery-pdftotext-*/released.pdf", pdfDir)
	defer running.Process.Kill()

	t.Setenv("TMPDIR", tmp)
	if err := ocr.RemoveStale(); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{scanDir, pdfDir} {
		if _, err := os.Lstat(d); !os.IsNotExist(err) {
			t.Errorf("the killed reading's directory %s is still there: %v", filepath.Base(d), err)
		}
	}
	if _, err := os.Lstat(filepath.Join(runningDir, "released.pdf")); err != nil {
		t.Errorf("the running reading's directory was removed: %v", err)
	}
}

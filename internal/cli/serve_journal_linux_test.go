package cli_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/cli"
	"github.com/chancery/chancery/internal/datadir"
)

// TestServeIntoTheJournalDoesNotInitialize: started by systemd (the shipped unit) on a data
// directory nobody initialized, serve made an office and printed its admin's token to stderr,
// which is the journal there: readable by the journal's readers and copied by log shippers.
// It now refuses, with the hint to run init (the data directory one shell word: found by review
// of f9f9591, sixtieth session), and leaves nothing behind. The journal is the
// stream whose device and inode systemd puts in JOURNAL_STREAM: a file stands for it here.
func TestServeIntoTheJournalDoesNotInitialize(t *testing.T) {
	journal, err := os.Create(filepath.Join(t.TempDir(), "journal"))
	if err != nil {
		t.Fatal(err)
	}
	defer journal.Close()
	fi, err := journal.Stat()
	if err != nil {
		t.Fatal(err)
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		t.Skip("no device and inode numbers here")
	}
	t.Setenv("JOURNAL_STREAM", fmt.Sprintf("%d:%d", st.Dev, st.Ino))
	// Named with a space and a quote: the hint's command names it as one shell word.
	data := t.TempDir() + "/reg dir's"
	var stdout bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- cli.Main([]string{"serve", "--data", data, "--listen", "127.0.0.1:0", "--url", "https://letters.example.org"}, &stdout, journal)
	}()
	var code int
	select {
	case code = <-done:
	case <-time.After(30 * time.Second):
		b, _ := os.ReadFile(journal.Name())
		t.Fatalf("serve initialized the directory and is serving:\n%s", b)
	}
	b, err := os.ReadFile(journal.Name())
	if err != nil {
		t.Fatal(err)
	}
	if code != cli.ExitError || !strings.Contains(string(b), "chancery init --data "+shellWord(data)+" --office") || strings.Contains(string(b), "shown once") {
		t.Errorf("exit %d, stderr:\n%s", code, b)
	}
	if _, err := os.Stat(data); !os.IsNotExist(err) {
		t.Errorf("serve left %s behind: %v", data, err)
	}
}

// TestServeIntoTheJournalDoesNotFinishAServeInit: a serve finishes the initialization an
// earlier serve began (TestServeFinishesTheInitAnEarlierServeBegan), which prints the admin's
// new token; writing to the journal, it refuses instead, with the hint to run it once on a
// terminal, and leaves the directory unfinished.
func TestServeIntoTheJournalDoesNotFinishAServeInit(t *testing.T) {
	data := filepath.Join(t.TempDir(), "reg dir's") // the hint's command names it as one shell word
	killedAt(t, "init", "printed", "serve", "--data", data, "--listen", "127.0.0.1:0")
	journal, err := os.Create(filepath.Join(t.TempDir(), "journal"))
	if err != nil {
		t.Fatal(err)
	}
	defer journal.Close()
	fi, err := journal.Stat()
	if err != nil {
		t.Fatal(err)
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		t.Skip("no device and inode numbers here")
	}
	t.Setenv("JOURNAL_STREAM", fmt.Sprintf("%d:%d", st.Dev, st.Ino))
	var stdout bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- cli.Main([]string{"serve", "--data", data, "--listen", "127.0.0.1:0"}, &stdout, journal)
	}()
	var code int
	select {
	case code = <-done:
	case <-time.After(30 * time.Second):
		b, _ := os.ReadFile(journal.Name())
		t.Fatalf("serve finished the directory and is serving:\n%s", b)
	}
	b, err := os.ReadFile(journal.Name())
	if err != nil {
		t.Fatal(err)
	}
	if code != cli.ExitError || !strings.Contains(string(b), "an earlier serve began it") || !strings.Contains(string(b), "run 'chancery serve --data "+shellWord(data)+"' once on a terminal") ||
		strings.Contains(string(b), "shown once") || strings.Contains(string(b), "finishing") {
		t.Errorf("exit %d, stderr:\n%s", code, b)
	}
	if s, err := datadir.ReadSettings(data); err != nil || !s.Unfinished {
		t.Errorf("the directory after serve refused to finish it: %+v %v, want it unfinished", s, err)
	}
}

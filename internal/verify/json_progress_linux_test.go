package verify

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestJSONRunWritesNoProgressLine: with --json, stderr is the run's one JSON error object (or
// nothing), as it is for the other commands (item 842); on a terminal, a run lasting over a
// second wrote its progress line there too ("\rverified 2 of 2 files\r\x1b[K"), escape
// sequences before the object for a script that reads stderr through a pseudo-terminal.
// (Found by review of cf0ebc3, sixtieth session.)
func TestJSONRunWritesNoProgressLine(t *testing.T) {
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
	master, slave := openPTY(t)
	defer master.Close()
	defer slave.Close()
	const end = "-- end of the run --"
	var mu sync.Mutex
	var shown bytes.Buffer
	ended := make(chan struct{})
	go func() {
		buf := make([]byte, 4096)
		saw := false
		for {
			n, err := master.Read(buf)
			mu.Lock()
			shown.Write(buf[:n])
			s := shown.String()
			mu.Unlock()
			if !saw && strings.Contains(s, end) {
				saw = true
				close(ended)
			}
			if err != nil {
				return
			}
		}
	}()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	go func() {
		// The second file's bytes come only after the second from which a progress line
		// shows: the run's length is in its data, not a wait of the test's.
		time.Sleep(1100 * time.Millisecond)
		w.Write(files["letter.txt"])
		w.Close()
	}()
	var stdout bytes.Buffer
	code := Main([]string{"--offline", "--json", "--trust", trust, letter, fmt.Sprintf("/dev/fd/%d", r.Fd())}, &stdout, slave)
	if _, err := slave.WriteString(end + "\n"); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ended:
	case <-time.After(30 * time.Second):
		t.Fatal("the terminal's output did not come to its end")
	}
	mu.Lock()
	stderr := shown.String()
	mu.Unlock()
	stderr = strings.ReplaceAll(stderr[:strings.Index(stderr, end)], "\r\n", "\n")
	if strings.Contains(stderr, "\x1b") || strings.Contains(stderr, "\r") || strings.Contains(stderr, "verified 2 of 2 files") {
		t.Errorf("--json (exit %d) wrote a progress line on stderr: %q", code, stderr)
	}
	if s := strings.TrimSpace(stderr); s != "" && !json.Valid([]byte(s)) {
		t.Errorf("--json (exit %d): stderr is not one JSON object: %q", code, stderr)
	}
	n := 0
	for _, l := range strings.Split(strings.TrimSpace(stdout.String()), "\n") {
		if !json.Valid([]byte(l)) {
			t.Errorf("--json: stdout's line %q is not JSON", l)
		}
		n++
	}
	if n != 2 {
		t.Errorf("--json: %d lines on stdout, want 2: %q", n, stdout.String())
	}
}

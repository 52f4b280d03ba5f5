package cli

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
)

// TestLetterListProgressEscaped: the line `letter list` prints on a terminal while it puts a
// partial search together wrote the registry's next_before to the terminal itself, past the
// escaper every other word of a registry goes through, so that a hostile registry, or whoever
// answers in its place over plain HTTP, could erase lines and print its own; the line telling
// how to list the next letters kept next_before's line breaks.
func TestLetterListProgressEscaped(t *testing.T) {
	hostile := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Query().Get("before") == "" {
			w.Write([]byte(`{"letters":[],"truncated":true,"partial":true,"next_before":"TFN-2026-000009\u001b[2K\rverified: no letter matches"}`))
			return
		}
		w.Write([]byte(`{"letters":[{"reference":"TFN-2026-000008","state":"draft","class":"internal","subject":"Note","addressees":[],"tags":[],` +
			`"created_at":"2026-12-07T10:00:00Z","updated_at":"2026-12-07T10:00:00Z","released_at":null,"log_index":null}],` +
			`"truncated":true,"next_before":"TFN-2026-000008\nchancery: every letter was listed"}`))
	}))
	t.Cleanup(hostile.Close)
	t.Setenv("CHANCERY_URL", hostile.URL)
	t.Setenv("CHANCERY_TOKEN", "chy_test")

	master, slave := openPTY(t)
	var stdout bytes.Buffer
	if code := Main([]string{"letter", "list", "--search", "note", "--limit", "1"}, &stdout, slave); code != ExitOK {
		t.Fatalf("letter list: exit %d", code)
	}
	slave.Close()
	shown, err := io.ReadAll(master)
	if err != nil && !errors.Is(err, syscall.EIO) { // EIO: the other end is closed
		t.Fatal(err)
	}
	if !strings.Contains(string(shown), "searched the letters down to TFN-2026-000009") {
		t.Fatalf("no line on the terminal while the search went on:\n%q", shown)
	}
	if bytes.ContainsRune(shown, 0x1b) || strings.Contains(string(shown), "\nchancery: every letter") {
		t.Errorf("the registry's next_before reached the terminal raw:\n%q", shown)
	}
}

package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/identify/synth"
	"github.com/chancery/chancery/internal/ocr"
)

// countMarked counts, until stop is closed, the distinct processes whose command line
// holds marker.
func countMarked(marker string, stop <-chan struct{}) <-chan int {
	out := make(chan int, 1)
	go func() {
		seen := map[string]bool{}
		for {
			dirs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
			for _, d := range dirs {
				if b, err := os.ReadFile(d); err == nil && strings.Contains(strings.ReplaceAll(string(b), "\x00", " "), marker) {
					seen[d] = true
				}
			}
			select {
			case <-stop:
				out <- len(seen)
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	return out
}

// TestReleasedFileLinksReadOnce: a ~1 KB JSON identification of a leaked letter's text marked
// "scan" with a link of its own ({"text": …, "scan": true, "links": ["https://example.org/a"]})
// ran pdfinfo -url on the released file at every request (found by audit, forty-ninth session)
// (registry.shownLinks is not kept, unlike shownText and shownCodes, which are kept so that a
// leaked letter checked by many costs no child per request): a child process, a temporary
// copy of the released file and one of the two shared pdf turns per request, no OCR
// needed. Live: 20 such requests cost the server 990 ms of CPU against 260 ms without the
// link. Bound checked: the released file's links are read once for any number of requests.
func TestReleasedFileLinksReadOnce(t *testing.T) {
	real, err := exec.LookPath("pdfinfo")
	if err != nil {
		t.Skip("no pdfinfo")
	}
	o := cfNewOffice(t)
	o.srv = o.newServer(t)
	l := o.create(t, "golf", ".txt", "text/plain", synth.Corpus{Seed: 31, FamilySize: 1}.Letter(0).Text()+"\n\nBODY\n")
	o.release(t, l)
	text, err := ocr.VisibleText(context.Background(), l.rel.File)
	if err != nil {
		t.Fatal(err)
	}
	// pdfinfo as found on the PATH, marked by a child that lives long enough to be counted.
	bin := t.TempDir()
	script := "#!/bin/sh\nsleep 0.77\nexec " + real + " \"$@\"\n"
	if err := os.WriteFile(filepath.Join(bin, "pdfinfo"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+":"+os.Getenv("PATH"))
	body, _ := json.Marshal(map[string]any{"text": text, "scan": true, "links": []string{"https://example.org/a"}})
	stop := make(chan struct{})
	count := countMarked("sleep 0.77", stop)
	const asks = 5
	for i := range asks {
		resp, err := http.Post(o.srv.URL+"/api/v1/identify", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		answer, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if i == 0 && (resp.StatusCode != http.StatusOK || !strings.Contains(string(answer), "example.org")) {
			t.Fatalf("%d %s", resp.StatusCode, answer)
		}
	}
	close(stop)
	if n := <-count; n > 1 {
		t.Errorf("%d JSON identifications of a %d-byte body started pdfinfo on the released file %d times; want it read once", asks, len(body), n)
	}
}

package cli_test

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/chancery/chancery/internal/cli"
)

// newTerminal opens a pseudo-terminal and returns its two ends: what a command writes to the
// terminal (slave), the test reads from master.
func newTerminal(t *testing.T) (master, slave *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { m.Close() })
	var unlock int32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, m.Fd(), syscall.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock))); e != 0 {
		t.Skipf("unlock the pseudo-terminal: %v", e)
	}
	var n uint32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, m.Fd(), syscall.TIOCGPTN, uintptr(unsafe.Pointer(&n))); e != 0 {
		t.Skipf("name the pseudo-terminal: %v", e)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("open the pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return m, s
}

// TestVerifyWarningClearsTheProgressLine: on a terminal, a warning verify printed during a
// run (here that the checkpoint of a seal of another file could not be compared with the
// kept one) was written to stderr straight after the progress line, which it did not clear:
// "verified 1 of 2 files" and "chancery: warning: …" shared a line. Every warning of the run
// now goes through the progress line's writer, which clears the line first. The run lasts
// over a second by its data (a registry slow to answer about the first file), and the
// consistency proof whose failure is warned of is answered only once the progress line is
// on the terminal. (Sixtieth session's not-fixed list, the lead's decision.)
func TestVerifyWarningClearsTheProgressLine(t *testing.T) {
	o := newOffice(t)
	dir, _, _, bare, trust := o.releasedForReplay(t)
	// This client holds the tree of the first letter's day.
	if code, out, errs := verifyAt(t, o.url, "--trust", trust, bare); code != cli.ExitOK {
		t.Fatalf("first letter: %d %q %q", code, out, errs)
	}
	old := o.letter("Coordination of force movements", "foreign-government", "# Coordination of force movements\n\nSir,\n\nThe task force will reposition several of its units between its bases in the northern province.\n")
	o.ready(old)
	if code, _, errs := o.run("otto", "release", old, "--out", dir); code != cli.ExitOK {
		t.Fatalf("release: %s", errs)
	}
	oldPDF := filepath.Join(dir, old+".pdf")
	sc := sealCheckpointOf(t, o, oldPDF)
	held := filepath.Join(dir, "held")
	// a.bin, bytes the registry does not know, is asked about first; b.pdf is an edited copy
	// of the letter beside its seal, whose checkpoint is newer than the kept one.
	slow := make([]byte, 4096)
	rand.Read(slow)
	write(t, filepath.Join(held, "a.bin"), slow)
	sum := sha256.Sum256(slow)
	slowDigest := hex.EncodeToString(sum[:])
	data, err := os.ReadFile(oldPDF)
	if err != nil {
		t.Fatal(err)
	}
	edited := filepath.Join(held, "b.pdf")
	write(t, edited, data)
	appendTo(t, edited)
	sb, err := os.ReadFile(oldPDF + ".seal")
	if err != nil {
		t.Fatal(err)
	}
	write(t, edited+".seal", sb)

	master, slave := newTerminal(t)
	const end = "-- end of the run --"
	var mu sync.Mutex
	var shown bytes.Buffer
	progressShown, ended := make(chan struct{}), make(chan struct{})
	go func() {
		buf := make([]byte, 4096)
		var sawProgress, sawEnd bool
		for {
			n, err := master.Read(buf)
			mu.Lock()
			shown.Write(buf[:n])
			s := shown.String()
			mu.Unlock()
			if !sawProgress && strings.Contains(s, "verified 1 of 2 files") {
				sawProgress = true
				close(progressShown)
			}
			if !sawEnd && strings.Contains(s, end) {
				sawEnd = true
				close(ended)
			}
			if err != nil {
				return
			}
		}
	}()

	u, err := url.Parse(o.url)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(u)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == "POST" && r.URL.Path == "/api/v1/verify":
			body, err := io.ReadAll(r.Body)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
			if bytes.Contains(body, []byte(slowDigest)) {
				// A slow registry: the run lasts over the second after which the
				// progress line shows.
				time.Sleep(1100 * time.Millisecond)
			}
		case r.URL.Path == "/log/proof/consistency" && r.URL.Query().Get("size") == strconv.FormatInt(sc.Size, 10):
			// The proof that cannot be had, answered once the progress line is shown.
			select {
			case <-progressShown:
			case <-time.After(30 * time.Second):
			}
			http.Error(w, "bad gateway", http.StatusBadGateway)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	defer srv.Close()

	t.Setenv("CHANCERY_URL", srv.URL)
	t.Setenv("CHANCERY_TOKEN", "")
	t.Setenv("NO_COLOR", "1")
	var stdout bytes.Buffer
	code := cli.Main([]string{"verify", "--trust", trust, held}, &stdout, slave)
	if _, err := slave.WriteString("\n" + end + "\n"); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ended:
	case <-time.After(30 * time.Second):
		t.Fatal("the terminal's output did not come to its end")
	}
	mu.Lock()
	terminal := shown.String()
	mu.Unlock()
	if code != cli.ExitFailed || !strings.Contains(stdout.String(), "b.pdf: altered: ") {
		t.Errorf("verify: exit %d, stdout %q, terminal %q", code, stdout.String(), terminal)
	}
	warning := "chancery: warning: " + edited + ": the checkpoint of the seal " + edited + ".seal, which is not this file's, could not be compared"
	i := strings.Index(terminal, warning)
	p := strings.Index(terminal, "verified 1 of 2 files")
	if i < 0 || p < 0 || p > i {
		t.Fatalf("the terminal does not show the progress line, then the warning %q:\n%q", warning, terminal)
	}
	if before := terminal[:i]; !strings.HasSuffix(before, "\r\x1b[K") && !strings.HasSuffix(before, "\n") {
		t.Errorf("the warning is written on the progress line, not cleared first:\n%q", terminal)
	}
}

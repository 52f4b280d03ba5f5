package cli_test

import (
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/cli"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/syncbuf"
)

// announcing is a writer that closes seen the first time what was written holds want.
type announcing struct {
	syncbuf.Buffer
	want string
	once sync.Once
	seen chan struct{}
}

func (a *announcing) Write(p []byte) (int, error) {
	n, err := a.Buffer.Write(p)
	if strings.Contains(a.String(), a.want) {
		a.once.Do(func() { close(a.seen) })
	}
	return n, err
}

// TestServeAnswersWhileItStarts: while serve opens the office (seconds for a large one: its
// identification index), its listener answers: /healthz as for a live process, /readyz 503
// saying it starts, the API and the pages 503 with Retry-After in their usual shapes (the
// page in the visitor's language); then the office's handler takes over. The connections were
// accepted and left unanswered (the fifty-seventh session's not-fixed list).
func TestServeAnswersWhileItStarts(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "reg")
	if code, _, stderr := run("init", "--data", dir, "--office", "Starting Office", "--prefix", "STA"); code != 0 {
		t.Fatalf("init: exit %d\n%s", code, stderr)
	}
	type opening struct {
		addr string
		stop func()
	}
	held := make(chan opening, 1)
	release := make(chan struct{})
	cli.SetServeOpening(func(addr string, stop func()) {
		held <- opening{addr, stop}
		<-release
	})
	defer cli.SetServeOpening(nil)
	stdout := &announcing{want: "chancery: serving ", seen: make(chan struct{})}
	var stderr syncbuf.Buffer
	done := make(chan int, 1)
	go func() { done <- cli.Main([]string{"serve", "--data", dir, "--listen", "127.0.0.1:0"}, stdout, &stderr) }()
	var o opening
	select {
	case o = <-held:
	case code := <-done:
		t.Fatalf("serve exited %d before opening the office:\n%s", code, stderr.String())
	}
	released := false
	defer func() {
		if !released {
			close(release)
		}
		o.stop()
		<-done
	}()
	base := "http://" + o.addr
	// Bounds a request the listener leaves unanswered, so that the test fails rather than hangs.
	client := &http.Client{Timeout: time.Minute}
	get := func(path, lang string) (*http.Response, string) {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, base+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		if lang != "" {
			req.Header.Set("Accept-Language", lang)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("GET %s while serve starts: %v", path, err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, string(b)
	}

	if resp, body := get("/healthz", ""); resp.StatusCode != http.StatusOK || body != "ok\n" {
		t.Errorf("/healthz while serve starts: %d %q, want 200 \"ok\\n\"", resp.StatusCode, body)
	}
	resp, body := get("/readyz", "")
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.HasPrefix(body, "not ready: starting") || strings.Count(body, "\n") != 1 || !strings.HasSuffix(body, "\n") {
		t.Errorf("/readyz while serve starts: %d %q, want 503 and one line saying it starts", resp.StatusCode, body)
	}
	resp, body = get("/api/v1/letters", "")
	var apiErr struct{ Error string }
	if err := json.Unmarshal([]byte(body), &apiErr); err != nil || resp.StatusCode != http.StatusServiceUnavailable ||
		resp.Header.Get("Retry-After") == "" || !strings.Contains(apiErr.Error, "starting") || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Errorf("the API while serve starts: %d, Retry-After %q, %q, want 503 with Retry-After and a JSON error saying it starts",
			resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
	for _, tc := range []struct{ lang, want string }{
		{"", "The registry is starting"},
		{"fr", "Le registre démarre"},
		{"ar", "السجل قيد التشغيل"},
	} {
		resp, body := get("/verify", tc.lang)
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" ||
			!strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") || !strings.Contains(body, tc.want) {
			t.Errorf("the verify page (%q) while serve starts: %d, Retry-After %q, %s; want 503 with Retry-After and a page saying %q",
				tc.lang, resp.StatusCode, resp.Header.Get("Retry-After"), resp.Header.Get("Content-Type"), tc.want)
		}
		if resp.Header.Get("Content-Security-Policy") == "" || resp.Header.Get("X-Frame-Options") != "DENY" {
			t.Errorf("the page while serve starts lacks the security headers: %v", resp.Header)
		}
	}
	if strings.Contains(stdout.String(), "chancery: serving") {
		t.Errorf("serve said it serves before it opened the office:\n%s", stdout.String())
	}

	released = true
	close(release)
	select {
	case <-stdout.seen:
	case code := <-done:
		t.Fatalf("serve exited %d:\n%s", code, stderr.String())
	}
	if resp, body := get("/readyz", ""); resp.StatusCode != http.StatusOK || !strings.HasPrefix(body, "ready") {
		t.Errorf("/readyz once serve serves: %d %q, want 200 ready", resp.StatusCode, body)
	}
	if resp, _ := get("/verify", ""); resp.StatusCode != http.StatusOK {
		t.Errorf("the verify page once serve serves: %d, want 200", resp.StatusCode)
	}
	o.stop()
	if code := <-done; code != 0 {
		t.Errorf("serve stopped with exit %d:\n%s", code, stderr.String())
	}
	done <- 0 // for the deferred wait
}

// TestServeStartingSendsHSTSOfAnHTTPSRegistry: a registry whose URL is https:// (behind a
// proxy that ends TLS) sends HSTS without --secure, and so do the answers given while it
// opens its office: they were sent without it for the seconds the office took to open, the
// secure default being decided only once the data directory was read (found by review of
// 78374ed, fifty-eighth session). The office's database is held at its connection: a
// listener that accepts and never answers.
func TestServeStartingSendsHSTSOfAnHTTPSRegistry(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "reg")
	if code, _, stderr := run("init", "--data", dir, "--office", "Secure Office", "--prefix", "SEC", "--url", "https://letters.example.org"); code != 0 {
		t.Fatalf("init: exit %d\n%s", code, stderr)
	}
	// Served from PostgreSQL, as a directory moved there is: without its SQLite database.
	for _, f := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(filepath.Join(dir, store.SQLiteFile+f)); err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
	}
	db, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	reached := make(chan net.Conn, 1)
	go func() {
		if conn, err := db.Accept(); err == nil {
			reached <- conn
		}
	}()
	type opening struct {
		addr string
		stop func()
	}
	held := make(chan opening, 1)
	cli.SetServeOpening(func(addr string, stop func()) { held <- opening{addr, stop} })
	defer cli.SetServeOpening(nil)
	var stdout, stderr syncbuf.Buffer
	done := make(chan int, 1)
	go func() {
		done <- cli.Main([]string{"serve", "--data", dir, "--listen", "127.0.0.1:0",
			"--database", "postgres://chancery@" + db.Addr().String() + "/held?sslmode=disable"}, &stdout, &stderr)
	}()
	var o opening
	select {
	case o = <-held:
	case code := <-done:
		t.Fatalf("serve exited %d before opening the office:\n%s", code, stderr.String())
	}
	var conn net.Conn
	select {
	case conn = <-reached:
	case code := <-done:
		t.Fatalf("serve exited %d before connecting to its database:\n%s%s", code, stdout.String(), stderr.String())
	}
	defer func() {
		o.stop()
		conn.Close()
		<-done
	}()
	client := &http.Client{Timeout: time.Minute}
	for _, path := range []string{"/readyz", "/verify", "/api/v1/letters"} {
		req, err := http.NewRequest(http.MethodGet, "http://"+o.addr+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Host = "letters.example.org"
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("GET %s while serve opens the office: %v", path, err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Strict-Transport-Security") == "" {
			t.Errorf("GET %s while serve opens an https:// registry's office: %d, Strict-Transport-Security %q; want 503 with HSTS",
				path, resp.StatusCode, resp.Header.Get("Strict-Transport-Security"))
		}
	}
}

package cli_test

import (
	"bufio"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/syncbuf"
	"github.com/chancery/chancery/internal/testbin"
)

// startServe runs the chancery binary's serve with args and returns the base URL it serves;
// the server is killed when the test ends.
func startServe(t *testing.T, bin string, args ...string) string {
	t.Helper()
	u, stderr := tryServe(t, bin, args...)
	if u == "" {
		t.Fatalf("serve %v exited before serving:\n%s", args, stderr)
	}
	return u
}

// tryServe is startServe, which returns "" and what serve wrote on its standard error if it
// exited before serving.
func tryServe(t *testing.T, bin string, args ...string) (string, string) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve"}, args...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr syncbuf.Buffer // written by exec's copying goroutine while the test reads it
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if rest, ok := strings.CutPrefix(sc.Text(), "chancery: serving "); ok {
				found <- strings.Fields(rest)[0]
				return
			}
		}
		close(found)
	}()
	select {
	case u, ok := <-found:
		if !ok {
			cmd.Wait() // all it wrote is copied
			return "", stderr.String()
		}
		return u, ""
	case <-time.After(60 * time.Second):
		t.Fatalf("serve %v did not start within 60s:\n%s", args, stderr.String())
	}
	return "", ""
}

// TestServeIsSecureWhenTheURLIsHTTPS: the shipped unit runs serve behind a TLS proxy
// without --secure, so a registry whose public URL is https:// set its session and language
// cookies without Secure and sent no HSTS: a browser led to an http:// address of the
// registry (a link, a redirect on the way) sent the session cookie of a signer or release
// officer in the clear. Such a registry is now secure unless --secure=false says otherwise.
func TestServeIsSecureWhenTheURLIsHTTPS(t *testing.T) {
	bin := testbin.Shared(t, "./cmd/chancery")
	dir := filepath.Join(t.TempDir(), "reg")
	if code, _, stderr := run("init", "--data", dir, "--office", "Secure Office", "--prefix", "SEC", "--url", "https://letters.example.org"); code != 0 {
		t.Fatalf("init: exit %d\n%s", code, stderr)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	check := func(base string, want bool) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, base+"/lang/fr", nil)
		req.Header.Set("Sec-Fetch-Site", "same-origin") // the site's own language switch
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		hsts := resp.Header.Get("Strict-Transport-Security") != ""
		cookies := resp.Cookies()
		if len(cookies) == 0 {
			t.Fatalf("GET /lang/fr set no cookie")
		}
		if hsts != want || cookies[0].Secure != want {
			t.Errorf("HSTS %v, cookie Secure %v: want both %v", hsts, cookies[0].Secure, want)
		}
	}
	base := startServe(t, bin, "--data", dir, "--listen", "127.0.0.1:0")
	check(base, true)
	// --secure=false keeps plain HTTP working where the operator says so.
	other := filepath.Join(t.TempDir(), "reg")
	if code, _, stderr := run("init", "--data", other, "--office", "Secure Office", "--prefix", "SEC", "--url", "https://letters.example.org"); code != 0 {
		t.Fatalf("init: exit %d\n%s", code, stderr)
	}
	check(startServe(t, bin, "--data", other, "--listen", "127.0.0.1:0", "--secure=false"), false)
	// A registry at an http:// URL is not made secure.
	plain := filepath.Join(t.TempDir(), "reg")
	if code, _, stderr := run("init", "--data", plain, "--office", "Plain Office", "--prefix", "PLN", "--url", "http://127.0.0.1:9"); code != 0 {
		t.Fatalf("init: exit %d\n%s", code, stderr)
	}
	check(startServe(t, bin, "--data", plain, "--listen", "127.0.0.1:0"), false)
}

// TestOperatorListenersBoundHeaders: the metrics and profiler listeners were served with
// net/http's defaults (the profiler with no timeout at all, metrics without an idle timeout):
// a client that reaches them could hold a connection for ever or make each request carry a
// megabyte of headers, taking file descriptors and memory from the registry in the same
// process. They now have the bounds of the public listener; a request with 64 KiB of headers
// is refused with 431.
func TestOperatorListenersBoundHeaders(t *testing.T) {
	bin := testbin.Shared(t, "./cmd/chancery")
	free := func() string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		return ln.Addr().String()
	}
	// A port found free may be taken by another process before serve binds it: tried again.
	var metricsAddr, debugAddr string
	data := filepath.Join(t.TempDir(), "reg")
	for try := 1; ; try++ {
		metricsAddr, debugAddr = free(), free()
		args := []string{"--data", data, "--listen", "127.0.0.1:0", "--metrics-listen", metricsAddr, "--debug-listen", debugAddr}
		u, stderr := tryServe(t, bin, args...)
		if u != "" {
			break
		}
		if try == 3 || !strings.Contains(stderr, "address already in use") {
			t.Fatalf("serve %v exited before serving:\n%s", args, stderr)
		}
	}
	for _, u := range []string{"http://" + metricsAddr + "/metrics", "http://" + debugAddr + "/debug/pprof/"} {
		req, err := http.NewRequest("GET", u, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", u, resp.StatusCode)
		}
		req.Header.Set("X-Padding", strings.Repeat("a", 64<<10))
		resp, err = http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
			t.Errorf("GET %s with 64 KiB of headers: %d, want 431", u, resp.StatusCode)
		}
	}
}

// TestProfilerRefusesRebindingNames: the profiler's listener, on loopback, was served
// whatever the request's Host: a page of any site the operator visited could point its own
// name at 127.0.0.1 (DNS rebinding) and read the server's stacks and heap, or take CPU
// profiles, through the operator's browser. A request naming it by such a name is now
// answered 421; its address and localhost are served.
func TestProfilerRefusesRebindingNames(t *testing.T) {
	bin := testbin.Shared(t, "./cmd/chancery")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	debugAddr := ln.Addr().String()
	ln.Close()
	startServe(t, bin, "--data", filepath.Join(t.TempDir(), "reg"), "--listen", "127.0.0.1:0", "--debug-listen", debugAddr)
	_, port, _ := net.SplitHostPort(debugAddr)
	wantStatusByHost(t, "http://"+debugAddr+"/debug/pprof/goroutine?debug=2", map[string]int{
		"rebind.attacker.example:" + port: http.StatusMisdirectedRequest,
		debugAddr:                         http.StatusOK,
		"localhost:" + port:               http.StatusOK,
	})
}

// wantStatusByHost asks url with each Host of want and checks the status it answers.
func wantStatusByHost(t *testing.T, url string, want map[string]int) {
	t.Helper()
	for host, status := range want {
		req, _ := http.NewRequest("GET", url, nil)
		req.Host = host
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != status {
			t.Errorf("%s with Host %s: %d, want %d", url, host, resp.StatusCode, status)
		}
	}
}

// TestMetricsRefusesRebindingNames: the metrics listener, on loopback, was served whatever
// the request's Host: a page of any site the operator visited could point its own name at
// 127.0.0.1 (DNS rebinding) and read the registry's activity through the operator's
// browser. It now answers as the profiler's does (TestProfilerRefusesRebindingNames), and
// also at the office's own name (the base URL's host), by which Prometheus often scrapes.
func TestMetricsRefusesRebindingNames(t *testing.T) {
	bin := testbin.Shared(t, "./cmd/chancery")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	metricsAddr := ln.Addr().String()
	ln.Close()
	startServe(t, bin, "--data", filepath.Join(t.TempDir(), "reg"), "--listen", "127.0.0.1:0",
		"--url", "https://letters.example.org", "--metrics-listen", metricsAddr)
	_, port, _ := net.SplitHostPort(metricsAddr)
	wantStatusByHost(t, "http://"+metricsAddr+"/metrics", map[string]int{
		"rebind.attacker.example:" + port: http.StatusMisdirectedRequest,
		metricsAddr:                       http.StatusOK,
		"localhost:" + port:               http.StatusOK,
		"letters.example.org:" + port:     http.StatusOK,
	})
}

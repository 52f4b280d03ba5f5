package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

type runConfig struct {
	dir, chancery        string
	ready                string
	duration             time.Duration
	connections, threads int
	// paces, when set, add a uniform run for each, whose connections each wait that long on
	// average after an answer before their next request: the latency at a given load rather
	// than at the server's saturation, where it is the queue of every connection's request.
	paces []time.Duration
}

const (
	chanceryAddr = "127.0.0.1:8181" // the address populate gave the registry
	nginxAddr    = "127.0.0.1:8182"
)

// result is one wrk run.
type result struct {
	name     string
	rps      float64
	p50, p99 time.Duration
	errors   string
	load     string // the 1-minute load average as the run ended: the machine may be shared
	requests int64
	// cpu is the server's CPU time (user and system) over the run, zero for nginx: per
	// request, it is steadier than the rate on a shared machine.
	cpu time.Duration
	// faults is the server's minor page faults over the run: pages it touched for the first
	// time, or again after giving them back, each a stall of the request that touched it.
	faults int64
}

func run(ctx context.Context, c runConfig) error {
	if c.duration == 0 {
		c.duration = 20 * time.Second
	}
	work, err := os.MkdirTemp("", "lookupbench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	digests := filepath.Join(c.dir, "digests.txt")
	n, err := countLines(digests)
	if err != nil || n == 0 {
		return fmt.Errorf("no released letters in %s (run populate first): %v", digests, err)
	}
	if st, err := os.Stat(digests); err != nil || st.Size() != int64(n*digestLine) {
		return fmt.Errorf("%s: want %d lines of a digest each (sha256: and 64 hex digits), as populate writes them", digests, n)
	}
	hot, err := firstLine(digests)
	if err != nil {
		return err
	}

	stopNginx, err := startNginx(ctx, work)
	if err != nil {
		return err
	}
	defer stopNginx()
	// serve writes a line per request: to a file, as a service's log would go, rather than
	// through this terminal.
	serveLog := filepath.Join(c.dir, "lookupbench-serve.log")
	logFile, err := os.Create(serveLog)
	if err != nil {
		return err
	}
	defer logFile.Close()
	srv := exec.CommandContext(ctx, c.chancery, "serve", "--data", c.dir, "--listen", chanceryAddr, "--rate-limit", "-1")
	srv.Stdout, srv.Stderr = logFile, logFile
	started := time.Now()
	if err := srv.Start(); err != nil {
		return err
	}
	exited := make(chan error, 1)
	go func() { exited <- srv.Wait() }()
	defer func() { srv.Process.Signal(os.Interrupt); <-exited }()
	if err := waitFor(ctx, chanceryAddr, exited); err != nil {
		return fmt.Errorf("chancery serve: %w (its log: %s)", err, serveLog)
	}
	if err := waitFor(ctx, nginxAddr, nil); err != nil {
		return fmt.Errorf("nginx: %w", err)
	}
	// The start includes the migrations a newer binary applies to the data directory.
	fmt.Fprintf(os.Stderr, "lookupbench: chancery answered %.1fs after it was started\n", time.Since(started).Seconds())
	if c.ready != "" {
		if err := waitForLog(ctx, serveLog, c.ready, exited); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "lookupbench: chancery logged %q %.1fs after it was started\n", c.ready, time.Since(started).Seconds())
	}

	unknown := "sha256:" + strings.Repeat("0", 64)
	scripts := map[string]string{
		"hot":     postScript(fmt.Sprintf(`'{"digest":"%s"}'`, hot)),
		"unknown": postScript(fmt.Sprintf(`'{"digest":"%s"}'`, unknown)),
		// The digests are read as one string and cut at a random line's offset: a Lua table
		// of a million strings made wrk's own collector stall for up to 100 ms at a time and
		// cost it 1.5 s more processor time per 10 s run than this (docs/benchmarks.md).
		"random": fmt.Sprintf(`local f = assert(io.open(%q, "rb"))
local all = f:read("*a")
f:close()
local width = %d
local n = math.floor(#all / width)
local headers = {["Content-Type"] = "application/json"}
function init(args) math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16)) end
function request()
  local at = (math.random(n) - 1) * width
  return wrk.format("POST", "/api/v1/verify", headers, '{"digest":"' .. all:sub(at + 1, at + width - 1) .. '"}')
end
`, digests, digestLine),
	}
	var results []result
	nginx, err := wrk(ctx, c, work, "nginx: static 300-byte file", "http://"+nginxAddr+"/letter.txt", "")
	if err != nil {
		return err
	}
	results = append(results, nginx)
	loads := []struct{ key, name string }{
		{"hot", "chancery: one released letter (the leak)"},
		{"random", fmt.Sprintf("chancery: uniform over %d released letters", n)},
		{"unknown", "chancery: unknown digest"},
	}
	for _, p := range c.paces {
		key := "paced " + p.String()
		scripts[key] = scripts["random"] + pacedDelay(p)
		loads = append(loads, struct{ key, name string }{key, fmt.Sprintf(
			"chancery: uniform, each connection pausing %s on average between requests (at most %.0f/s offered)",
			p, float64(c.connections)/p.Seconds())})
	}
	for _, k := range loads {
		cpu0, faults0 := processStat(srv.Process.Pid)
		r, err := wrk(ctx, c, work, k.name, "http://"+chanceryAddr+"/api/v1/verify", scripts[k.key])
		if err != nil {
			return err
		}
		cpu1, faults1 := processStat(srv.Process.Pid)
		r.cpu, r.faults = cpu1-cpu0, faults1-faults0
		results = append(results, r)
	}
	fmt.Printf("\nwrk -t%d -c%d -d%s --latency, %d released letters, GOMAXPROCS=%s, transparent huge pages: %s, server resident after the runs: %s\n\n",
		c.threads, c.connections, c.duration, n, os.Getenv("GOMAXPROCS"), hugePages(), resident(srv.Process.Pid))
	fmt.Println("| load | requests/s | p50 | p99 | vs nginx | server CPU per request | server page faults per 1,000 requests | errors | load average |")
	fmt.Println("|---|---:|---:|---:|---:|---:|---:|---|---:|")
	for _, r := range results {
		perRequest, faults := "—", "—"
		if r.cpu > 0 && r.requests > 0 {
			perRequest = fmt.Sprintf("%.0f µs", float64(r.cpu.Microseconds())/float64(r.requests))
			faults = fmt.Sprintf("%.1f", float64(r.faults)*1000/float64(r.requests))
		}
		fmt.Printf("| %s | %.0f | %s | %s | %.2f× | %s | %s | %s | %s |\n", r.name, r.rps, r.p50, r.p99, r.rps/nginx.rps, perRequest, faults, r.errors, r.load)
	}
	return nil
}

// pacedDelay is wrk's delay function for a mean pause p: a pause drawn afresh for each
// request, uniform over 1 to 2p-1 whole milliseconds. With the same pause everywhere, the
// connections fall into step and send in waves of all of them, each wave a queue.
func pacedDelay(p time.Duration) string {
	return fmt.Sprintf("function delay() return math.random(1, %d) end\n", 2*p.Milliseconds()-1)
}

func postScript(body string) string {
	return fmt.Sprintf("wrk.method = \"POST\"\nwrk.body = %s\nwrk.headers[\"Content-Type\"] = \"application/json\"\n", body)
}

var (
	rpsRE     = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	pctRE     = regexp.MustCompile(`(?m)^\s+(50|99)%\s+([0-9.]+)(us|ms|s)\s*$`)
	non2xxRE  = regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)`)
	socketsRE = regexp.MustCompile(`Socket errors: .*`)
	countRE   = regexp.MustCompile(`(\d+) requests in`)
)

// processStat returns the user and system time process pid has used (/proc/PID/stat, in
// clock ticks of 10 ms on Linux) and its minor page faults, or zeros where that file cannot
// be read.
func processStat(pid int) (cpu time.Duration, minorFaults int64) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, 0
	}
	return parseStat(b)
}

// parseStat reads the CPU time and minor faults out of a /proc/PID/stat line.
func parseStat(b []byte) (cpu time.Duration, minorFaults int64) {
	// The command name, field 2, may hold spaces: count fields after its closing parenthesis.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, 0
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0, 0
	}
	minflt, _ := strconv.ParseInt(f[7], 10, 64)
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * 10 * time.Millisecond, minflt
}

func wrk(ctx context.Context, c runConfig, work, name, url, script string) (result, error) {
	args := []string{"-t", strconv.Itoa(c.threads), "-c", strconv.Itoa(c.connections), "-d", c.duration.String(), "--latency"}
	if script != "" {
		path := filepath.Join(work, fmt.Sprintf("script-%d.lua", time.Now().UnixNano()))
		if err := os.WriteFile(path, []byte(script), 0o644); err != nil {
			return result{}, err
		}
		args = append(args, "-s", path)
	}
	fmt.Fprintf(os.Stderr, "lookupbench: %s: wrk %s %s\n", name, strings.Join(args, " "), url)
	out, err := exec.CommandContext(ctx, "wrk", append(args, url)...).CombinedOutput()
	if err != nil {
		return result{}, fmt.Errorf("wrk: %v\n%s", err, out)
	}
	r := result{name: name, load: "?"}
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		r.load = strings.Fields(string(b))[0]
	}
	m := rpsRE.FindSubmatch(out)
	if m == nil {
		return r, fmt.Errorf("wrk printed no rate:\n%s", out)
	}
	r.rps, _ = strconv.ParseFloat(string(m[1]), 64)
	if m := countRE.FindSubmatch(out); m != nil {
		r.requests, _ = strconv.ParseInt(string(m[1]), 10, 64)
	}
	for _, m := range pctRE.FindAllSubmatch(out, -1) {
		v, _ := strconv.ParseFloat(string(m[2]), 64)
		d := time.Duration(v * float64(map[string]time.Duration{"us": time.Microsecond, "ms": time.Millisecond, "s": time.Second}[string(m[3])]))
		d = d.Round(10 * time.Microsecond) // wrk prints two decimals: 2.01ms, not 2.009999ms
		if string(m[1]) == "50" {
			r.p50 = d
		} else {
			r.p99 = d
		}
	}
	var errs []string
	if m := non2xxRE.FindSubmatch(out); m != nil {
		errs = append(errs, string(m[1])+" non-2xx")
	}
	if m := socketsRE.Find(out); m != nil {
		errs = append(errs, string(m))
	}
	r.errors = strings.Join(errs, "; ")
	if r.errors == "" {
		r.errors = "none"
	}
	return r, nil
}

// startNginx serves a 300-byte file from work, with a configuration of its own.
func startNginx(ctx context.Context, work string) (stop func(), err error) {
	// nginx's workers run as an unprivileged user: they must be able to reach the file.
	if err := os.Chmod(work, 0o755); err != nil {
		return nil, err
	}
	www := filepath.Join(work, "www")
	if err := os.MkdirAll(www, 0o755); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(www, "letter.txt"), []byte(strings.Repeat("x", 299)+"\n"), 0o644); err != nil {
		return nil, err
	}
	conf := filepath.Join(work, "nginx.conf")
	err = os.WriteFile(conf, fmt.Appendf(nil, `daemon off;
worker_processes auto;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path %[1]s/body;
  proxy_temp_path %[1]s/proxy;
  fastcgi_temp_path %[1]s/fastcgi;
  uwsgi_temp_path %[1]s/uwsgi;
  scgi_temp_path %[1]s/scgi;
  server {
    listen %[2]s;
    root %[3]s;
    location / { }
  }
}
`, work, nginxAddr, www), 0o644)
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, "nginx", "-c", conf, "-p", work)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("nginx: %w", err)
	}
	return func() { cmd.Process.Signal(os.Interrupt); cmd.Wait() }, nil
}

// waitFor waits until addr answers HTTP other than 503, which a chancery server answers while
// it opens its office, or the server's process has exited (nil: not watched).
func waitFor(ctx context.Context, addr string, exited chan error) error {
	// A newer binary first migrates the data directory: over a million letters, minutes.
	deadline := time.Now().Add(time.Hour)
	for time.Now().Before(deadline) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			resp, err := http.Get("http://" + addr + "/")
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode != http.StatusServiceUnavailable {
					return nil
				}
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case err := <-exited:
			exited <- err // for the deferred stop
			return fmt.Errorf("exited before answering: %v", err)
		case <-time.After(100 * time.Millisecond):
		}
	}
	return errors.New("timed out waiting for " + addr)
}

// digestLine is the length of a line of digests.txt: "sha256:", 64 hex digits and a newline.
const digestLine = len("sha256:") + 64 + 1

func firstLine(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	if !sc.Scan() {
		return "", fmt.Errorf("%s is empty", path)
	}
	return sc.Text(), nil
}

// waitForLog waits until the server's log file holds text, for up to ten minutes.
func waitForLog(ctx context.Context, path, text string, exited <-chan error) error {
	deadline := time.Now().Add(10 * time.Minute)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(path); err == nil && bytes.Contains(b, []byte(text)) {
			return nil
		}
		select {
		case err := <-exited:
			return fmt.Errorf("chancery serve exited before it logged %q: %v (its log: %s)", text, err, path)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	return fmt.Errorf("chancery serve did not log %q within ten minutes (its log: %s)", text, path)
}

// hugePages is the kernel's transparent huge page setting, the word in brackets of
// /sys/kernel/mm/transparent_hugepage/enabled: it moves the lookups' tail (docs/operations.md).
func hugePages() string {
	b, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil {
		return "unknown"
	}
	if _, after, ok := strings.Cut(string(b), "["); ok {
		if mode, _, ok := strings.Cut(after, "]"); ok {
			return mode
		}
	}
	return strings.TrimSpace(string(b))
}

// resident returns process pid's resident memory as /proc/PID/status gives it (VmRSS), or
// "unknown".
func resident(pid int) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return "unknown"
	}
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

// Command writebench measures the write path of a busy office (issue 19 item 4): the full life
// of a letter (create, approve, sign, release) over HTTP, by concurrent clients, against a real
// `chancery serve` on a data directory on disk. It reports letters per second and the p50 and
// p99 of each step.
//
//	go build -o /var/tmp/chancery ./cmd/chancery
//	cd bench && go run ./cmd/writebench -chancery /var/tmp/chancery -dir /var/tmp/wb -n 10000 -clients 16
//
// The data directory must not exist: each run starts from a new office. -wrap runs the server
// under another command, e.g. perf stat counting the server's fsyncs:
//
//	-wrap 'perf stat -e syscalls:sys_enter_fsync,syscalls:sys_enter_fdatasync -o /var/tmp/wb.perf --'
//
// With -database and -servers N, N servers share the PostgreSQL database, each on its own copy
// of the data directory (DIR, DIR-2, …) and on consecutive ports from -listen; client k talks to
// server k mod N, and the server figures are summed over all of them.
package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/chancery/chancery/internal/client"
	"github.com/chancery/chancery/internal/datadir"
	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/office"
	"github.com/chancery/chancery/internal/seal"
)

type config struct {
	chancery, dir, listen, debug, wrap, profile string
	trace                                       string
	database, mediaType                         string
	n, clients, size, servers                   int
	profileAfter, profileFor                    time.Duration
}

func main() {
	var c config
	flag.StringVar(&c.chancery, "chancery", "", "the chancery binary to serve the office with")
	flag.StringVar(&c.dir, "dir", "", "data directory of the new office (must not exist; put it on the disk to measure)")
	flag.StringVar(&c.listen, "listen", "127.0.0.1:8383", "address the server listens on")
	flag.StringVar(&c.database, "database", "", "postgres://… URL of an empty database to keep the office in (default: SQLite in -dir)")
	flag.IntVar(&c.n, "n", 10000, "letters to take through their whole life")
	flag.IntVar(&c.clients, "clients", 16, "concurrent clients, each carrying one letter at a time")
	flag.IntVar(&c.servers, "servers", 1, "servers on the one database (more than one needs -database)")
	flag.IntVar(&c.size, "size", 300, "bytes of each letter's file")
	flag.StringVar(&c.mediaType, "type", "application/octet-stream", "media type of each letter's file: text/plain is laid out on the letterhead, any type the registry does not lay out is enclosed in a cover letter")
	flag.StringVar(&c.wrap, "wrap", "", "command (split on spaces) to run the server under, e.g. perf stat ... --")
	flag.StringVar(&c.profile, "cpuprofile", "", "write a CPU profile of the server, taken during the run, to this file")
	flag.StringVar(&c.trace, "trace", "", "write a runtime trace of the server, taken in the same window as the CPU profile, to this file, and print where its writer's time went (running, waiting for a processor, in which system calls, waiting on the network)")
	flag.DurationVar(&c.profileAfter, "profile-after", 2*time.Second, "when the server's CPU profile and trace start, after the first letter")
	flag.DurationVar(&c.profileFor, "profile-for", 10*time.Second, "how long the server's CPU profile and trace last")
	flag.Parse()
	if c.chancery == "" || c.dir == "" || c.n <= 0 || c.clients <= 0 {
		fmt.Fprintln(os.Stderr, "usage: writebench -chancery BIN -dir NEWDIR [-n 10000] [-clients 16] [-size 300]")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, c); err != nil {
		fmt.Fprintf(os.Stderr, "writebench: error: %v\n", err)
		os.Exit(1)
	}
}

// steps are the requests of a letter's life, in order.
var steps = []string{"create", "approve", "signing statement", "sign", "release", "whole letter"}

func run(ctx context.Context, c config) error {
	if _, err := os.Stat(c.dir); err == nil {
		return fmt.Errorf("%s exists: writebench starts a new office each run", c.dir)
	}
	if c.servers < 1 || c.servers > 1 && c.database == "" {
		return errors.New("-servers above 1 needs -database: SQLite serves one server per data directory")
	}
	host, port, err := net.SplitHostPort(c.listen)
	if err != nil {
		return fmt.Errorf("-listen: %w", err)
	}
	firstPort, err := strconv.Atoi(port)
	if err != nil {
		return fmt.Errorf("-listen: %w", err)
	}
	base := "http://" + c.listen
	d, admin, err := office.Init(ctx, c.dir, datadir.Settings{Office: "Write Benchmark Office", Prefix: "WRB",
		URL: base, Origin: c.listen + "/log"}, "admin", nil, office.Options{Database: c.database})
	if err != nil {
		return err
	}
	if err := d.Finish(); err != nil {
		return err
	}
	var bases, metricsAddrs []string
	for i := range c.servers {
		dir, listen := c.dir, c.listen
		if i > 0 {
			// Each server has its own copy of the office's data directory (settings and keys).
			dir, listen = fmt.Sprintf("%s-%d", c.dir, i+1), net.JoinHostPort(host, strconv.Itoa(firstPort+i))
			if err := exec.Command("cp", "-a", c.dir, dir).Run(); err != nil {
				return fmt.Errorf("copy the data directory: %w", err)
			}
		}
		metricsAddr := fmt.Sprintf("127.0.0.1:%d", 9393+i)
		args := []string{c.chancery, "serve", "--data", dir, "--listen", listen, "--rate-limit", "-1", "--metrics-listen", metricsAddr}
		if c.database != "" {
			args = append(args, "--database", c.database)
		}
		if (c.profile != "" || c.trace != "") && i == 0 {
			c.debug = "127.0.0.1:6363"
			args = append(args, "--debug-listen", c.debug)
		}
		if c.wrap != "" {
			args = append(strings.Fields(c.wrap), args...)
		}
		srv := exec.Command(args[0], args[1:]...)
		srv.Stdout, srv.Stderr = os.Stderr, os.Stderr
		// The server gets a process group of its own, so that SIGINT reaches both the server and
		// the command wrapping it, which then reports what it counted.
		srv.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		if err := srv.Start(); err != nil {
			return err
		}
		defer func() {
			syscall.Kill(-srv.Process.Pid, syscall.SIGINT)
			srv.Wait()
		}()
		if err := waitFor(ctx, listen); err != nil {
			return err
		}
		bases, metricsAddrs = append(bases, "http://"+listen), append(metricsAddrs, metricsAddr)
	}
	o, err := newOffice(ctx, base, admin)
	if err != nil {
		return err
	}
	offices := []*staff{o}
	for _, b := range bases[1:] {
		offices = append(offices, o.at(b))
	}
	before, err := scrapeAll(ctx, metricsAddrs)
	if err != nil {
		return err
	}
	data := make([]byte, c.size)
	if strings.HasPrefix(c.mediaType, "text/") {
		const line = "The arrangements of the meeting are confirmed.\n"
		for i := range data {
			data[i] = line[i%len(line)]
		}
	} else {
		rand.Read(data)
	}

	lat := make([][]time.Duration, len(steps))
	var (
		mu    sync.Mutex
		next  atomic.Int64
		done  atomic.Int64
		wg    sync.WaitGroup
		first = make(chan struct{})
		once  sync.Once
	)
	errs := make(chan error, c.clients)
	start := time.Now()
	for k := range c.clients {
		o := offices[k%len(offices)]
		wg.Go(func() {
			mine := make([][]time.Duration, len(steps))
			for {
				i := next.Add(1) - 1
				if i >= int64(c.n) || ctx.Err() != nil {
					break
				}
				d, err := o.letter(ctx, i, data, c.mediaType)
				if err != nil {
					errs <- fmt.Errorf("letter %d: %w", i, err)
					break
				}
				for s := range d {
					mine[s] = append(mine[s], d[s])
				}
				once.Do(func() { close(first) })
				if k := done.Add(1); k%1000 == 0 {
					fmt.Fprintf(os.Stderr, "writebench: %d letters, %.0f/s\n", k, float64(k)/time.Since(start).Seconds())
				}
			}
			mu.Lock()
			for s := range mine {
				lat[s] = append(lat[s], mine[s]...)
			}
			mu.Unlock()
		})
	}
	var prof, traced chan error
	var writer *stateTimes
	afterFirst := func() {
		select {
		case <-first:
		case <-ctx.Done():
		}
		time.Sleep(c.profileAfter)
	}
	if c.profile != "" {
		prof = make(chan error, 1)
		go func() {
			afterFirst()
			prof <- fetchProfile(ctx, c)
		}()
	}
	if c.trace != "" {
		traced = make(chan error, 1)
		go func() {
			afterFirst()
			var err error
			writer, err = fetchTrace(ctx, c)
			traced <- err
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(errs)
	if err := <-errs; err != nil {
		return err
	}
	for _, ch := range []chan error{prof, traced} {
		if ch == nil {
			continue
		}
		if err := <-ch; err != nil {
			return err
		}
	}
	after, err := scrapeAll(ctx, metricsAddrs)
	if err != nil {
		return err
	}
	n := done.Load()
	fmt.Printf("\n%d letters of %d bytes, %d clients, over HTTP to %d chancery serve on %s: %.1f s, %.0f letters/s\n\n",
		n, c.size, c.clients, c.servers, c.dir, elapsed.Seconds(), float64(n)/elapsed.Seconds())
	fmt.Println("| step | requests | p50 | p99 |")
	fmt.Println("|---|---:|---:|---:|")
	for s, name := range steps {
		d := lat[s]
		slices.Sort(d)
		fmt.Printf("| %s | %d | %s | %s |\n", name, len(d), pct(d, 0.50), pct(d, 0.99))
	}
	fmt.Println()
	per := func(name string) float64 { return (after[name] - before[name]) / float64(n) }
	if _, ok := after["chancery_database_commits_total"]; ok {
		fmt.Printf("per letter: %.2f write transactions (store Update calls), %.2f commits (group commit)\n",
			per("chancery_database_updates_total"), per("chancery_database_commits_total"))
	} else {
		fmt.Println("per letter: the server does not count its write transactions (a build before group commit)")
	}
	if _, ok := after["process_cpu_seconds_total"]; ok {
		fmt.Printf("server CPU per letter (user + system, whole process, all servers): %.2f ms\n", 1000*per("process_cpu_seconds_total"))
	}
	if _, ok := after["chancery_database_writer_busy_seconds_total"]; ok {
		busy := after["chancery_database_writer_busy_seconds_total"] - before["chancery_database_writer_busy_seconds_total"]
		fmt.Printf("writer busy: %.0f%% of the run (each server's writer, summed; on PostgreSQL with its waits for the writer lock)\n", 100*busy/elapsed.Seconds())
	}
	if b := after["chancery_log_batch_entries_count"] - before["chancery_log_batch_entries_count"]; b > 0 {
		fmt.Printf("log: %.0f sequencer batches, %.1f entries each\n", b,
			(after["chancery_log_batch_entries_sum"]-before["chancery_log_batch_entries_sum"])/b)
	}
	if writer != nil {
		writer.print(os.Stdout, "Where the writer's time went (the goroutine that runs every write transaction)")
	}
	return nil
}

// scrapeAll sums the unlabelled metrics of every server.
func scrapeAll(ctx context.Context, addrs []string) (map[string]float64, error) {
	sum := map[string]float64{}
	for _, a := range addrs {
		m, err := scrape(ctx, a)
		if err != nil {
			return nil, err
		}
		for k, v := range m {
			sum[k] += v
		}
	}
	return sum, nil
}

// scrape reads the server's unlabelled metrics (counters, and histograms' _sum and _count).
func scrape(ctx context.Context, addr string) (map[string]float64, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", "http://"+addr+"/metrics", nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("metrics: %w", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("metrics: %w", err)
	}
	out := map[string]float64{}
	for line := range strings.Lines(string(b)) {
		name, value, ok := strings.Cut(strings.TrimSpace(line), " ")
		if !ok || strings.HasPrefix(name, "#") || strings.Contains(name, "{") {
			continue
		}
		if v, err := strconv.ParseFloat(value, 64); err == nil {
			out[name] = v
		}
	}
	return out, nil
}

func pct(d []time.Duration, p float64) string {
	if len(d) == 0 {
		return "-"
	}
	return d[min(len(d)-1, int(p*float64(len(d))))].Round(10 * time.Microsecond).String()
}

// fetchProfile saves a CPU profile of the server, taken while the clients run.
func fetchProfile(ctx context.Context, c config) error {
	return saveDebug(ctx, c, "profile", c.profile)
}

// saveDebug saves to file what the first server's debug listener serves at
// /debug/pprof/NAME over the profile's window.
func saveDebug(ctx context.Context, c config, name, file string) error {
	u := fmt.Sprintf("http://%s/debug/pprof/%s?seconds=%d", c.debug, name, int(c.profileFor.Seconds()))
	req, err := http.NewRequestWithContext(ctx, "GET", u, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s", name, resp.Status)
	}
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	if _, err := f.ReadFrom(resp.Body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// staff are the members who carry a letter through the default policy's gate, each with a
// client of their own.
type staff struct {
	drafter, reviewer, signer, officer *client.Client
	key                                ed25519.PrivateKey
	keyID                              string
}

func newOffice(ctx context.Context, base, admin string) (*staff, error) {
	ac, err := client.New(base, admin)
	if err != nil {
		return nil, err
	}
	// One transport for all: 16 clients keep their connections alive.
	tr := &http.Transport{MaxIdleConnsPerHost: 256}
	o := &staff{}
	for _, m := range []struct {
		role string
		to   **client.Client
	}{{"drafter", &o.drafter}, {"reviewer", &o.reviewer}, {"signer", &o.signer}, {"release", &o.officer}} {
		tok, err := ac.AddMember(ctx, "bench-"+m.role, []string{m.role})
		if err != nil {
			return nil, fmt.Errorf("add %s: %w", m.role, err)
		}
		if *m.to, err = client.New(base, tok); err != nil {
			return nil, err
		}
		(*m.to).HTTP = &http.Client{Transport: tr, Timeout: 5 * time.Minute}
	}
	pub, key, _ := ed25519.GenerateKey(rand.Reader)
	o.key = key
	if o.keyID, _, err = o.signer.RegisterKey(ctx, pub); err != nil {
		return nil, fmt.Errorf("register key: %w", err)
	}
	return o, nil
}

// at returns the same members, talking to the server at base.
func (o *staff) at(base string) *staff {
	to := func(c *client.Client) *client.Client {
		n, _ := client.New(base, c.Token) // base is a URL writebench made, known good
		n.HTTP = c.HTTP
		return n
	}
	return &staff{drafter: to(o.drafter), reviewer: to(o.reviewer), signer: to(o.signer), officer: to(o.officer), key: o.key, keyID: o.keyID}
}

// letter takes letter i from creation to release and returns the time of each step.
func (o *staff) letter(ctx context.Context, i int64, data []byte, mediaType string) ([]time.Duration, error) {
	d := make([]time.Duration, len(steps))
	t0 := time.Now()
	mark := func(s int, t *time.Time) {
		now := time.Now()
		d[s] = now.Sub(*t)
		*t = now
	}
	t := t0
	// Each letter's file differs, so that no two releases share bytes.
	file := append([]byte(fmt.Sprintf("letter %d\n", i)), data...)
	cr, err := o.drafter.CreateLetter(ctx, fmt.Sprintf("Arrangements %d", i), "routine", nil,
		[]string{"Ministry of Logistics"}, client.File{Name: fmt.Sprintf("letter-%d%s", i, extension(mediaType)), MediaType: mediaType, Data: file})
	if err != nil {
		return nil, fmt.Errorf("create: %w", err)
	}
	mark(0, &t)
	if err := o.reviewer.Approve(ctx, cr.Reference, "", "reviewed", false); err != nil {
		return nil, fmt.Errorf("approve: %w", err)
	}
	mark(1, &t)
	st, err := o.signer.SigningStatement(ctx, cr.Reference)
	if err != nil {
		return nil, fmt.Errorf("signing statement: %w", err)
	}
	mark(2, &t)
	sig := ed25519.Sign(o.key, dsse.PAE(seal.SigningPayloadType, st.Statement))
	if err := o.signer.Sign(ctx, cr.Reference, o.keyID, st.Statement, sig); err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	mark(3, &t)
	rel, err := o.officer.Release(ctx, cr.Reference)
	if err != nil {
		return nil, fmt.Errorf("release: %w", err)
	}
	if len(rel.Seal) == 0 || string(rel.Seal) == "null" {
		return nil, fmt.Errorf("release of %s came without its seal: %s", cr.Reference, rel.SealPending)
	}
	mark(4, &t)
	d[5] = time.Since(t0)
	return d, nil
}

// extension is a file name's extension for a media type writebench sends.
func extension(mediaType string) string {
	switch mediaType {
	case "text/plain":
		return ".txt"
	case "text/markdown":
		return ".md"
	case "application/pdf":
		return ".pdf"
	}
	return ".bin"
}

// waitFor waits until the server at addr is ready: /readyz answers 200. A server answers
// /healthz, and every other request with 503, while it opens its office.
func waitFor(ctx context.Context, addr string) error {
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			if resp, err := http.Get("http://" + addr + "/readyz"); err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					return nil
				}
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	return errors.New("timed out waiting for " + addr)
}

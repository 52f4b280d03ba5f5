// Command appendbench measures durable appends per second and
// append-to-published-checkpoint latency for Chancery's transparency log and
// for Tessera's POSIX driver.
//
// Every writer is a goroutine that appends one random entry, waits until that
// entry is durable and then appends the next one. Throughput counts durable
// appends only. The wait for a published checkpoint runs in a separate
// goroutine per writer (see publishQueue) so that it never slows the writer.
package main

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	mrand "math/rand/v2"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/sync/errgroup"
)

// origin is the log origin and the checkpoint signer name.
const origin = "bench.example/log"

// maxEntrySize is the largest entry both implementations accept.
const maxEntrySize = 1<<16 - 1

// logUnderTest is one transparency log implementation being measured.
type logUnderTest interface {
	// Append adds data to the log and returns once the entry is durable.
	// The returned function blocks until a published checkpoint covers the
	// entry and returns the time at which that was first observed.
	Append(ctx context.Context, data []byte) (published func(context.Context) (time.Time, error), err error)
	// Close shuts the log down and releases its resources.
	Close(ctx context.Context) error
}

// implementation names a logUnderTest and knows how to open a fresh one in
// dir, signing checkpoints with signer.
type implementation struct {
	name string
	open func(ctx context.Context, dir string, signer note.Signer) (logUnderTest, error)
}

type config struct {
	impls        []implementation
	writers      []int
	duration     time.Duration
	minAppends   uint64
	entrySize    int
	entrySource  string
	drainTimeout time.Duration
	dir          string
	keepDir      bool
	json         bool
	runs         int
	cpuProfile   string
}

// result is the outcome of one (implementation, writers) cell.
type result struct {
	Run            int     `json:"run"`
	Impl           string  `json:"impl"`
	Writers        int     `json:"writers"`
	ElapsedSeconds float64 `json:"elapsed_seconds"`
	Appends        uint64  `json:"appends"`
	AppendsPerSec  float64 `json:"appends_per_sec"`
	P50Millis      float64 `json:"p50_ms"`
	P99Millis      float64 `json:"p99_ms"`
	// Unpublished counts durable appends for which no covering checkpoint
	// was observed before the drain timeout; they have no latency sample.
	Unpublished int `json:"unpublished"`
}

func main() {
	cfg, err := parseFlags()
	if err != nil {
		fmt.Fprintf(os.Stderr, "appendbench: %v\n", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, cfg); err != nil {
		fmt.Fprintf(os.Stderr, "appendbench: %v\n", err)
		os.Exit(1)
	}
}

func parseFlags() (config, error) {
	var (
		cfg     config
		impl    string
		writers string
		poll    time.Duration
	)
	flag.StringVar(&impl, "impl", "all", "implementations, comma-separated: chancery, chancery-postgres, chancery-postgres-3, tessera-default, tessera-tuned, or all (the PostgreSQL ones with -postgres)")
	flag.StringVar(&postgresURL, "postgres", "", "PostgreSQL cluster URL for the chancery-postgres cells, whose role may create databases")
	flag.StringVar(&writers, "writers", "1,16,256", "comma-separated numbers of concurrent writers, one cell each")
	flag.DurationVar(&cfg.duration, "duration", 10*time.Second, "how long each cell appends")
	flag.Uint64Var(&cfg.minAppends, "min-appends", 0, "keep appending past -duration until at least this many appends are durable")
	flag.IntVar(&cfg.entrySize, "entry-size", 512, "size in bytes of each random entry")
	flag.StringVar(&cfg.entrySource, "entry-source", "pcg", "what makes the writers' random entries: pcg (math/rand/v2, one generator per writer) or crypto (crypto/rand, the only source before 2026-12-01; at 256 writers it took about 9% of the run's processor time, shared with the log under test)")
	flag.DurationVar(&cfg.drainTimeout, "drain-timeout", time.Minute, "how long to wait, after writers stop, for the last appends to be published")
	flag.StringVar(&cfg.dir, "dir", "", "scratch directory for the logs, one fresh subdirectory per cell (default: a temporary directory, removed afterwards)")
	flag.DurationVar(&poll, "tessera-poll", 10*time.Millisecond, "how often Tessera's publication awaiter reads the checkpoint file")
	flag.IntVar(&cfg.runs, "runs", 1, "how many times to measure every cell, alternating: each run measures every implementation in turn")
	flag.StringVar(&cfg.cpuProfile, "cpuprofile", "", "write a CPU profile of the whole run (every cell) to this file")
	flag.BoolVar(&cfg.json, "json", false, "print one JSON object per cell instead of a markdown table")
	flag.Parse()
	if flag.NArg() > 0 {
		return config{}, fmt.Errorf("unexpected arguments: %q", flag.Args())
	}

	all := []implementation{
		{name: "chancery", open: openChancery},
		{name: "chancery-postgres", open: openChanceryPostgres(1)},
		{name: "chancery-postgres-3", open: openChanceryPostgres(3)},
		{name: "tessera-default", open: openTessera(tesseraDefault, poll)},
		{name: "tessera-tuned", open: openTessera(tesseraTuned, poll)},
	}
	if impl == "all" {
		cfg.impls = all
		if postgresURL == "" {
			cfg.impls = slices.DeleteFunc(slices.Clone(all), func(im implementation) bool { return strings.HasPrefix(im.name, "chancery-postgres") })
		}
	} else {
		for _, name := range strings.Split(impl, ",") {
			i := slices.IndexFunc(all, func(im implementation) bool { return im.name == strings.TrimSpace(name) })
			if i < 0 {
				return config{}, fmt.Errorf("unknown -impl %q", name)
			}
			cfg.impls = append(cfg.impls, all[i])
		}
	}
	for _, w := range strings.Split(writers, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(w))
		if err != nil || n < 1 {
			return config{}, fmt.Errorf("invalid -writers entry %q", w)
		}
		cfg.writers = append(cfg.writers, n)
	}
	if cfg.runs < 1 {
		return config{}, errors.New("-runs must be at least 1")
	}
	if cfg.duration <= 0 {
		return config{}, errors.New("-duration must be positive")
	}
	if cfg.entrySize < 1 || cfg.entrySize > maxEntrySize {
		return config{}, fmt.Errorf("-entry-size must be between 1 and %d", maxEntrySize)
	}
	if cfg.entrySource != "pcg" && cfg.entrySource != "crypto" {
		return config{}, fmt.Errorf("-entry-source must be pcg or crypto, not %q", cfg.entrySource)
	}
	if poll <= 0 {
		return config{}, errors.New("-tessera-poll must be positive")
	}
	if cfg.dir == "" {
		dir, err := os.MkdirTemp("", "appendbench-")
		if err != nil {
			return config{}, fmt.Errorf("create scratch directory: %w", err)
		}
		cfg.dir = dir
	} else {
		cfg.keepDir = true
	}
	return cfg, nil
}

func run(ctx context.Context, cfg config) (err error) {
	if !cfg.keepDir {
		defer func() {
			if rmErr := os.RemoveAll(cfg.dir); rmErr != nil && err == nil {
				err = fmt.Errorf("remove scratch directory: %w", rmErr)
			}
		}()
	}
	fmt.Fprintf(os.Stderr, "appendbench: scratch directory %s\n", cfg.dir)
	if cfg.cpuProfile != "" {
		f, err := os.Create(cfg.cpuProfile)
		if err != nil {
			return fmt.Errorf("cpu profile: %w", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fmt.Errorf("cpu profile: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	if !cfg.json {
		if cfg.runs > 1 {
			fmt.Print("| run ")
		}
		fmt.Println("| impl | writers | appends | appends/s | p50 checkpoint latency | p99 checkpoint latency | unpublished |")
		if cfg.runs > 1 {
			fmt.Print("|---:")
		}
		fmt.Println("|---|---:|---:|---:|---:|---:|---:|")
	}
	for run := 1; run <= cfg.runs; run++ {
		for _, impl := range cfg.impls {
			for _, w := range cfg.writers {
				fmt.Fprintf(os.Stderr, "appendbench: run %d: %s with %d writers for %v\n", run, impl.name, w, cfg.duration)
				res, err := runCell(ctx, cfg, impl, w, run)
				if err != nil {
					return fmt.Errorf("%s with %d writers: %w", impl.name, w, err)
				}
				res.Run = run
				if err := printResult(cfg, res); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func printResult(cfg config, r result) error {
	if cfg.json {
		b, err := json.Marshal(r)
		if err != nil {
			return fmt.Errorf("marshal result: %w", err)
		}
		fmt.Println(string(b))
		return nil
	}
	if cfg.runs > 1 {
		fmt.Printf("| %d ", r.Run)
	}
	fmt.Printf("| %s | %d | %d | %.1f | %.1f ms | %.1f ms | %d |\n",
		r.Impl, r.Writers, r.Appends, r.AppendsPerSec, r.P50Millis, r.P99Millis, r.Unpublished)
	return nil
}

// runCell measures one implementation with a fixed number of writers in a
// fresh directory.
func runCell(ctx context.Context, cfg config, impl implementation, writers, run int) (res result, err error) {
	dir := filepath.Join(cfg.dir, fmt.Sprintf("%s-w%d-r%d", impl.name, writers, run))
	if err := os.Mkdir(dir, 0o755); err != nil {
		return result{}, fmt.Errorf("create cell directory: %w", err)
	}
	skey, _, err := note.GenerateKey(rand.Reader, origin)
	if err != nil {
		return result{}, fmt.Errorf("generate signing key: %w", err)
	}
	signer, err := note.NewSigner(skey)
	if err != nil {
		return result{}, fmt.Errorf("create signer: %w", err)
	}
	l, err := impl.open(ctx, dir, signer)
	if err != nil {
		return result{}, fmt.Errorf("open log: %w", err)
	}
	defer func() {
		if cErr := l.Close(ctx); cErr != nil && err == nil {
			err = fmt.Errorf("close log: %w", cErr)
		}
	}()

	// Latency waiters get their own context: it must outlive the writers by
	// up to cfg.drainTimeout so that the last appends can be published.
	waitCtx, cancelWait := context.WithCancel(ctx)
	defer cancelWait()
	queues := make([]*publishQueue, writers)
	latencies := make([][]time.Duration, writers)
	unpublished := make([]int, writers)
	var waiters sync.WaitGroup
	for i := range queues {
		queues[i] = newPublishQueue()
		waiters.Go(func() {
			queues[i].drain(func(p pendingAppend) {
				at, err := p.published(waitCtx)
				if err != nil {
					unpublished[i]++
					return
				}
				latencies[i] = append(latencies[i], at.Sub(p.start))
			})
		})
	}

	var appends atomic.Uint64
	start := time.Now()
	deadline := start.Add(cfg.duration)
	g, gctx := errgroup.WithContext(ctx)
	for i := range writers {
		g.Go(func() error {
			defer queues[i].close()
			fill := entryFiller(cfg.entrySource, i)
			for time.Now().Before(deadline) || appends.Load() < cfg.minAppends {
				if err := gctx.Err(); err != nil {
					return err
				}
				data := make([]byte, cfg.entrySize)
				fill(data)
				begin := time.Now()
				published, err := l.Append(gctx, data)
				if err != nil {
					return fmt.Errorf("writer %d: append: %w", i, err)
				}
				appends.Add(1)
				queues[i].push(pendingAppend{start: begin, published: published})
			}
			return nil
		})
	}
	werr := g.Wait()
	elapsed := time.Since(start)
	if werr != nil {
		cancelWait()
	} else {
		time.AfterFunc(cfg.drainTimeout, cancelWait)
	}
	waiters.Wait()
	if werr != nil {
		return result{}, werr
	}

	all := slices.Concat(latencies...)
	slices.Sort(all)
	res = result{
		Impl:           impl.name,
		Writers:        writers,
		ElapsedSeconds: elapsed.Seconds(),
		Appends:        appends.Load(),
		AppendsPerSec:  float64(appends.Load()) / elapsed.Seconds(),
		P50Millis:      millis(percentile(all, 0.50)),
		P99Millis:      millis(percentile(all, 0.99)),
	}
	for _, u := range unpublished {
		res.Unpublished += u
	}
	return res, nil
}

// percentile returns the nearest-rank p-quantile of sorted, or 0 if sorted is
// empty.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p * float64(len(sorted))))
	return sorted[max(rank, 1)-1]
}

func millis(d time.Duration) float64 {
	return float64(d) / float64(time.Millisecond)
}

// pendingAppend is a durable append whose publication is still to be awaited.
type pendingAppend struct {
	start     time.Time
	published func(context.Context) (time.Time, error)
}

// publishQueue hands one writer's durable appends, in append order, to that
// writer's latency goroutine. Pushing never blocks, so a slow checkpoint
// never slows the writer down.
//
// One waiter per writer (rather than one goroutine per append) keeps the
// number of goroutines blocked on a checkpoint at most the number of writers;
// with Tessera's default 10 s checkpoint interval there would otherwise be
// tens of thousands, all woken on every poll. The measurements are the same:
// a writer's entries are durable one after another, so they get increasing
// indices and are covered by checkpoints in order, and an entry that was
// covered while the waiter was still blocked on an earlier one is reported
// as soon as the earlier wait returns, which is when the covering checkpoint
// was first observed.
type publishQueue struct {
	mu     sync.Mutex
	items  []pendingAppend
	closed bool
	ready  chan struct{}
}

func newPublishQueue() *publishQueue {
	return &publishQueue{ready: make(chan struct{}, 1)}
}

func (q *publishQueue) push(p pendingAppend) {
	q.mu.Lock()
	q.items = append(q.items, p)
	q.mu.Unlock()
	q.signal()
}

func (q *publishQueue) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.signal()
}

func (q *publishQueue) signal() {
	select {
	case q.ready <- struct{}{}:
	default:
	}
}

// drain calls f for every pushed item, in order, until the queue is closed
// and empty.
func (q *publishQueue) drain(f func(pendingAppend)) {
	for {
		q.mu.Lock()
		items, closed := q.items, q.closed
		q.items = nil
		q.mu.Unlock()
		for _, p := range items {
			f(p)
		}
		if closed {
			return
		}
		if len(items) == 0 {
			<-q.ready
		}
	}
}

// entryFiller returns what fills writer i's entries with random bytes. Both sources give
// entries that differ from each other; pcg costs the harness far less processor time, which
// the log under test would otherwise share with it on a small machine.
func entryFiller(source string, i int) func([]byte) {
	if source == "crypto" {
		return func(b []byte) { rand.Read(b) } // never fails since Go 1.24
	}
	r := mrand.New(mrand.NewPCG(uint64(i), uint64(time.Now().UnixNano())))
	return func(b []byte) {
		for len(b) >= 8 {
			binary.LittleEndian.PutUint64(b, r.Uint64())
			b = b[8:]
		}
		for j := range b {
			b[j] = byte(r.Uint32())
		}
	}
}

// Command lookupbench measures the public verify lookup, POST /api/v1/verify with a digest,
// against a registry of many released letters, with nginx serving a static 300-byte file on
// the same machine as the ceiling. Load comes from wrk on loopback.
//
//	lookupbench populate -data DIR -n 1000000   # once: release N letters through the registry
//	lookupbench run -data DIR -chancery BIN      # serve DIR and nginx, load both with wrk
//	lookupbench run -data DIR -chancery BIN -pace 2ms,3ms   # and the uniform load paced, at most connections÷pace a second
//
// populate is resumable: it appends each released file's digest to DIR/digests.txt and
// continues from there.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var err error
	switch os.Args[1] {
	case "populate":
		fs := flag.NewFlagSet("populate", flag.ExitOnError)
		dir := fs.String("data", "", "data directory to fill (created if missing)")
		n := fs.Int("n", 1000000, "released letters wanted in total")
		workers := fs.Int("workers", 2*runtime.GOMAXPROCS(0), "concurrent letters in flight")
		profile := fs.String("cpuprofile", "", "write a CPU profile of the run to this file")
		fs.Parse(os.Args[2:])
		if *dir == "" {
			usage()
		}
		if *profile != "" {
			f, err := os.Create(*profile)
			if err != nil {
				fmt.Fprintf(os.Stderr, "lookupbench: error: %v\n", err)
				os.Exit(1)
			}
			pprof.StartCPUProfile(f)
			defer pprof.StopCPUProfile()
		}
		err = populate(ctx, *dir, *n, *workers)
	case "run":
		var c runConfig
		fs := flag.NewFlagSet("run", flag.ExitOnError)
		fs.StringVar(&c.dir, "data", "", "data directory made by populate")
		fs.StringVar(&c.chancery, "chancery", "", "chancery binary to serve the data directory with")
		fs.DurationVar(&c.duration, "duration", 0, "length of each wrk run (default 20s)")
		fs.IntVar(&c.connections, "connections", 64, "wrk connections")
		fs.IntVar(&c.threads, "threads", 1, "wrk threads")
		pace := fs.String("pace", "", "also run the uniform load with each connection pausing this long on average after each answer (drawn from 1 to twice it, less 1, milliseconds), once per comma-separated value in whole milliseconds (e.g. 2ms,3ms): the latency at no more than connections÷pace requests/s instead of at saturation")
		fs.StringVar(&c.ready, "ready", "", "before loading the server, wait until its log has a line containing this text (e.g. \"kept answers held in memory\": a binary that reads its answers into memory at start)")
		fs.Parse(os.Args[2:])
		if c.dir == "" || c.chancery == "" {
			usage()
		}
		if c.paces, err = parsePaces(*pace); err != nil {
			fmt.Fprintf(os.Stderr, "lookupbench: error: %v\n", err)
			os.Exit(2)
		}
		err = run(ctx, c)
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "lookupbench: error: %v\n", err)
		os.Exit(1)
	}
}

// parsePaces reads -pace: comma-separated durations of whole milliseconds, wrk's unit.
func parsePaces(s string) ([]time.Duration, error) {
	var paces []time.Duration
	for _, v := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' }) {
		p, err := time.ParseDuration(strings.TrimSpace(v))
		if err != nil || p <= 0 || p%time.Millisecond != 0 {
			return nil, fmt.Errorf("-pace %s: want whole milliseconds such as 3ms (wrk waits in milliseconds)", v)
		}
		paces = append(paces, p)
	}
	return paces, nil
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: lookupbench populate -data DIR [-n N] [-workers W]\n       lookupbench run -data DIR -chancery BIN [-duration D] [-connections C] [-threads T] [-pace D[,D...]] [-ready TEXT]")
	os.Exit(2)
}

// Command identifybench measures text identification (internal/identify) on synthetic letters
// (internal/identify/synth): how fast letters are fingerprinted and indexed on one core and
// on all, how much memory the index takes per letter, how long a query takes against a
// brute-force scan of every letter's MinHash signature, and how well queries of every kind
// (edits, OCR noise, excerpts, unrelated texts) find their letter.
//
// Letters are generated on the fly and not kept: the index's Source, which in the registry
// reads stored fingerprints from the database, here regenerates the candidate letters and
// fingerprints them again. That costs more than reading 32 rows, so query latencies are
// reported with and without it. Results are markdown tables on stdout; progress goes to
// stderr.
package main

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chancery/chancery/internal/identify"
	"github.com/chancery/chancery/internal/identify/eval"
	"github.com/chancery/chancery/internal/identify/synth"
)

func main() {
	n := flag.Int("n", 100000, "letters to index (rounded down to whole families)")
	perKind := flag.Int("queries", 100, "queries of every kind")
	seed := flag.Uint64("seed", 1, "generator seed")
	family := flag.Int("family", 6, "letters per family")
	rateN := flag.Int("rate-letters", 20000, "letters for the indexing-rate runs")
	bruteN := flag.Int("brute-queries", 200, "queries also answered by the brute-force scan")
	flag.Parse()
	if *family < 1 || *n < *family {
		fmt.Fprintln(os.Stderr, "identifybench: -n must be at least -family, and -family at least 1")
		os.Exit(2)
	}
	*n -= *n % *family
	c := synth.Corpus{Seed: *seed, FamilySize: *family}

	fmt.Printf("# identifybench -n %d -queries %d -seed %d -family %d\n\n", *n, *perKind, *seed, *family)
	fmt.Printf("GOMAXPROCS %d, %s\n\n", runtime.GOMAXPROCS(0), time.Now().UTC().Format(time.DateOnly))
	indexingRates(c, min(*rateN, *n))

	logf("building the index of %d letters on all cores", *n)
	sigs := make([][identify.SignatureSize]uint32, *n) // for the brute-force baseline, allocated before measuring
	before := heapInuse()
	start := time.Now()
	ix := build(c, *n, sigs)
	buildTime := time.Since(start)
	after := heapInuse()
	fmt.Println("## Index memory")
	fmt.Println()
	fmt.Println("| letters | build wall time (incl. generating text) | HeapInuse before | after | per letter |")
	fmt.Println("|---:|---:|---:|---:|---:|")
	fmt.Printf("| %d | %s | %.1f MB | %.1f MB | %.0f B |\n\n", *n, buildTime.Round(time.Millisecond),
		float64(before)/1e6, float64(after)/1e6, float64(after-before)/float64(*n))

	qs, redrawn := eval.Queries(c, *n, *perKind, *seed+1)
	logf("%d queries (%d ambiguous excerpts drawn again)", len(qs), redrawn)
	src := &regenSource{c: c}
	var tally eval.Tally
	var total, indexOnly []time.Duration
	ctx := context.Background()
	for _, q := range qs {
		src.spent = 0
		t0 := time.Now()
		res, err := ix.QueryText(ctx, q.Text, 10, src)
		d := time.Since(t0)
		if err != nil {
			fmt.Fprintln(os.Stderr, "identifybench:", err)
			os.Exit(1)
		}
		total = append(total, d)
		indexOnly = append(indexOnly, d-src.spent)
		class, m := identify.Classify(res)
		tally.Add(q, class, m)
	}

	logf("brute force over %d signatures for %d queries", *n, min(*bruteN, len(qs)))
	rng := rand.New(rand.NewPCG(*seed, 0x6272757465))
	sample := slices.Clone(qs)
	rng.Shuffle(len(sample), func(i, j int) { sample[i], sample[j] = sample[j], sample[i] })
	sample = sample[:min(*bruteN, len(sample))]
	var brute, sampleIndex []time.Duration
	bruteRight, bruteRelated := 0, 0
	for _, q := range sample {
		t0 := time.Now()
		fp := identify.Compute(q.Text)
		best := bruteForce(sigs, fp)
		brute = append(brute, time.Since(t0))
		if q.Want != 0 {
			bruteRelated++
			if eval.ID(best) == q.Want {
				bruteRight++
			}
		}
		src.spent = 0
		t0 = time.Now()
		if _, err := ix.QueryText(ctx, q.Text, 10, src); err != nil {
			fmt.Fprintln(os.Stderr, "identifybench:", err)
			os.Exit(1)
		}
		sampleIndex = append(sampleIndex, time.Since(t0)-src.spent)
	}

	fmt.Println("## Query latency (one query at a time)")
	fmt.Println()
	fmt.Println("| method | queries | p50 | p99 | max |")
	fmt.Println("|---|---:|---:|---:|---:|")
	row := func(name string, ds []time.Duration) {
		slices.Sort(ds)
		fmt.Printf("| %s | %d | %s | %s | %s |\n", name, len(ds), pct(ds, 0.5), pct(ds, 0.99), ds[len(ds)-1].Round(time.Microsecond))
	}
	row("index: fingerprint + candidates + scoring, store reads excluded", indexOnly)
	row("index, with the simulated store (regenerating 32 letters)", total)
	row("index, store excluded, on the brute-force sample", sampleIndex)
	row("brute force: MinHash Jaccard with every letter", brute)
	fmt.Printf("\nbrute force / index (store excluded), same queries: p50 ×%.0f, p99 ×%.0f\n",
		float64(pct(brute, 0.5))/float64(pct(sampleIndex, 0.5)), float64(pct(brute, 0.99))/float64(pct(sampleIndex, 0.99)))
	fmt.Printf("brute force best = the query's letter for %d of %d related queries (no thresholds, no excerpt path)\n\n", bruteRight, bruteRelated)

	fmt.Println("## Identification")
	fmt.Println()
	eval.WriteTable(os.Stdout, tally.Rows())
	fmt.Printf("\n%d ambiguous excerpts (also, word for word, in a sibling) drawn again\n", redrawn)
	runtime.KeepAlive(ix)
}

// indexingRates times fingerprint + Add of m pre-generated letters on one core and on all.
func indexingRates(c synth.Corpus, m int) {
	texts := make([]string, m)
	for i := range texts {
		texts[i] = c.Letter(i).Text()
	}
	fmt.Println("## Indexing rate (fingerprint + Add, texts generated beforehand)")
	fmt.Println()
	fmt.Println("| cores | letters | time | letters/s |")
	fmt.Println("|---:|---:|---:|---:|")
	procs := runtime.GOMAXPROCS(0)
	for _, p := range []int{1, procs} {
		runtime.GOMAXPROCS(p)
		runtime.GC()
		ix := identify.NewIndex()
		var next atomic.Int64
		var wg sync.WaitGroup
		start := time.Now()
		for range p {
			wg.Go(func() {
				for i := int(next.Add(1) - 1); i < m; i = int(next.Add(1) - 1) {
					if err := ix.Add(eval.ID(i), identify.Compute(texts[i])); err != nil {
						panic(err)
					}
				}
			})
		}
		wg.Wait()
		d := time.Since(start)
		fmt.Printf("| %d | %d | %s | %.0f |\n", p, m, d.Round(time.Millisecond), float64(m)/d.Seconds())
	}
	runtime.GOMAXPROCS(procs)
	fmt.Println()
}

// build indexes letters 0..n-1 of c, generating and fingerprinting them on all cores, and
// keeps their signatures in sigs.
func build(c synth.Corpus, n int, sigs [][identify.SignatureSize]uint32) *identify.Index {
	ix := identify.NewIndex()
	var next atomic.Int64
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				fp := identify.Compute(c.Letter(i).Text())
				sigs[i] = fp.Signature
				if err := ix.Add(eval.ID(i), fp); err != nil {
					panic(err)
				}
				if i%100000 == 0 && i > 0 {
					logf("  %d letters", i)
				}
			}
		})
	}
	wg.Wait()
	return ix
}

// bruteForce returns the letter whose signature agrees with fp's in the most positions (the
// MinHash estimate of Jaccard similarity).
func bruteForce(sigs [][identify.SignatureSize]uint32, fp *identify.Fingerprint) int {
	best, bestN := -1, -1
	for i := range sigs {
		s := &sigs[i]
		k := 0
		for j, v := range fp.Signature {
			if s[j] == v {
				k++
			}
		}
		if k > bestN {
			best, bestN = i, k
		}
	}
	return best
}

// regenSource stands for the registry's store: it regenerates the letters and fingerprints
// them, and counts the time it spends.
type regenSource struct {
	c     synth.Corpus
	spent time.Duration
}

func (s *regenSource) Fingerprints(_ context.Context, ids []uint64) ([]*identify.Fingerprint, error) {
	t0 := time.Now()
	out := make([]*identify.Fingerprint, len(ids))
	for i, id := range ids {
		out[i] = identify.Compute(s.c.Letter(int(id - 1)).Text())
	}
	s.spent += time.Since(t0)
	return out, nil
}

func heapInuse() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

func pct(sorted []time.Duration, p float64) time.Duration {
	s := slices.Sorted(slices.Values(sorted))
	return s[min(len(s)-1, int(p*float64(len(s))))].Round(time.Microsecond)
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "identifybench: "+format+"\n", args...)
}

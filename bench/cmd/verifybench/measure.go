package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/chancery/chancery/internal/cli"
	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/edkey"
	"github.com/chancery/chancery/internal/entry"
	"github.com/chancery/chancery/internal/seal"
	"golang.org/x/mod/sumdb/note"
)

// result is one row of the table.
type result struct {
	tool    string
	command string
	files   int
	runs    []time.Duration // timed runs, sorted
	// cpu is the processor time of each timed run (user and system, the process's and its
	// children's), sorted: on a machine shared with other work it varies far less than the
	// wall time, which waits for the processor as well.
	cpu []time.Duration
	// faults are the page faults of each timed run (minor and major, counted as cpu is),
	// sorted: in a fresh process every page touched for the first time is one, and on a
	// virtual machine each costs tens of microseconds.
	faults []int64
}

// medianCPU is the median processor time of a run.
func (r result) medianCPU() time.Duration { return r.cpu[len(r.cpu)/2] }

// medianFaults is the median number of page faults of a run.
func (r result) medianFaults() int64 { return r.faults[len(r.faults)/2] }

func (r result) best() float64   { return float64(r.files) / r.runs[0].Seconds() }
func (r result) median() float64 { return float64(r.files) / r.runs[len(r.runs)/2].Seconds() }

// row is a measured tool: its result so far and one run of it.
type row struct {
	result
	once func() error
	// inProcess is set for the rows that run in this process (chancery-lib, floor), whose
	// allocations are counted.
	inProcess bool
	// allocBytes and allocObjects are what each timed run of an in-process row allocated
	// (runtime.MemStats: TotalAlloc, Mallocs), the garbage its files make: unlike the time,
	// these do not depend on the machine's load.
	allocBytes, allocObjects []uint64
}

// prepare returns the row of one tool.
func prepare(ctx context.Context, cfg *config, si *setupInfo, tool string) (*row, error) {
	r := &row{result: result{tool: tool, files: len(si.Files)}}
	switch tool {
	case "chancery", "chancery-verify", "gpg", "gpgv", "minisign":
		r.command = map[string]string{"chancery": chanceryScript, "chancery-verify": chanceryVerifyScript, "gpg": gpgScript, "gpgv": gpgvScript, "minisign": minisignScript}[tool]
		r.once = func() error { return shell(ctx, cfg.dir, r.command) }
	case "chancery-lib":
		r.command = "in-process, the command line without the process start: cli.Main(verify --offline --trust trust.json letters), output discarded"
		r.once = func() error { return verifyInProcess(cfg.dir) }
		r.inProcess = true
	case "floor", "floor-edkey":
		w, err := loadFloor(cfg.dir, si.Files, tool == "floor-edkey")
		if err != nil {
			return nil, err
		}
		how := "crypto/ed25519"
		if w.keys != nil {
			how = "internal/edkey, each key decoded and expanded once for the run"
		}
		r.command = fmt.Sprintf("in-process (GOMAXPROCS workers): read file and seal, SHA-256 of the file, %d Ed25519 verifications per seal (%s), %d checkpoint signature(s)", w.perSeal, how, len(w.checkpoints))
		r.once = w.run
		r.inProcess = true
	default:
		return nil, fmt.Errorf("unknown tool %q", tool)
	}
	return r, nil
}

// measure runs every tool once untimed, to warm the page cache (and, for the in-process
// rows, the allocator), then times cfg.runs rounds in which every tool runs once, so that
// a passing disturbance on the machine touches every row alike rather than one.
func measure(ctx context.Context, cfg *config, si *setupInfo) ([]result, error) {
	var rows []*row
	for _, t := range cfg.tools {
		r, err := prepare(ctx, cfg, si, t)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", t, err)
		}
		rows = append(rows, r)
	}
	logf("warm-up run of every row")
	for _, r := range rows {
		if err := r.once(); err != nil {
			return nil, fmt.Errorf("%s: %w", r.tool, err)
		}
	}
	stopProfiles, err := startProfiles(cfg)
	if err != nil {
		return nil, err
	}
	for i := range cfg.runs {
		logf("timed round %d of %d", i+1, cfg.runs)
		for _, r := range rows {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			var m0, m1 runtime.MemStats
			if r.inProcess {
				runtime.ReadMemStats(&m0)
			}
			t, c, f := time.Now(), cpuTime(), pageFaults()
			if err := r.once(); err != nil {
				return nil, fmt.Errorf("%s: %w", r.tool, err)
			}
			r.runs = append(r.runs, time.Since(t))
			r.cpu = append(r.cpu, cpuTime()-c)
			r.faults = append(r.faults, pageFaults()-f)
			if r.inProcess {
				runtime.ReadMemStats(&m1)
				r.allocBytes = append(r.allocBytes, m1.TotalAlloc-m0.TotalAlloc)
				r.allocObjects = append(r.allocObjects, m1.Mallocs-m0.Mallocs)
			}
		}
	}
	if err := stopProfiles(); err != nil {
		return nil, err
	}
	var out []result
	for _, r := range rows {
		slices.Sort(r.runs)
		slices.Sort(r.cpu)
		slices.Sort(r.faults)
		logf("%s: best %.0f files/s, median %.0f files/s", r.tool, r.best(), r.median())
		if r.inProcess {
			slices.Sort(r.allocBytes)
			slices.Sort(r.allocObjects)
			b, o := r.allocBytes[len(r.allocBytes)/2], r.allocObjects[len(r.allocObjects)/2]
			logf("%s: allocated %d bytes in %d objects a run (median), %.0f bytes and %.1f objects a file", r.tool, b, o, float64(b)/float64(r.files), float64(o)/float64(r.files))
		}
		out = append(out, r.result)
	}
	return out, nil
}

// startProfiles starts the CPU profile and the sampling of allocations that cfg asks for, and
// returns what stops them and writes the profiles.
func startProfiles(cfg *config) (func() error, error) {
	var cpu *os.File
	if cfg.cpuProfile != "" {
		var err error
		if cpu, err = os.Create(cfg.cpuProfile); err != nil {
			return nil, err
		}
		if err := pprof.StartCPUProfile(cpu); err != nil {
			return nil, errors.Join(err, cpu.Close())
		}
	}
	if cfg.memProfile != "" {
		// One sample per 4 KiB from here, to see the small per-file objects; what was
		// allocated before (setup, warm-up) is in the profile only at the default rate of one
		// per 512 KiB, next to nothing.
		runtime.MemProfileRate = 4096
	}
	return func() error {
		var err error
		if cpu != nil {
			pprof.StopCPUProfile()
			err = cpu.Close()
		}
		if cfg.memProfile != "" {
			runtime.GC() // the profile is as of the last collection
			b := new(bytes.Buffer)
			err = errors.Join(err, pprof.Lookup("allocs").WriteTo(b, 0), os.WriteFile(cfg.memProfile, b.Bytes(), 0o644))
		}
		return err
	}, nil
}

// eachFile runs f for every file of letters/ with GOMAXPROCS workers, as `chancery verify`
// does, each worker with its own scratch buffer.
func eachFile(files []string, f func(name string, buf []byte) error) error {
	var (
		wg       sync.WaitGroup
		next     atomic.Int64
		mu       sync.Mutex
		firstErr error
	)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 256<<10)
			for {
				i := int(next.Add(1)) - 1
				if i >= len(files) {
					return
				}
				if err := f(files[i], buf); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = fmt.Errorf("%s: %w", files[i], err)
					}
					mu.Unlock()
					return
				}
			}
		}()
	}
	wg.Wait()
	return firstErr
}

// hashFile returns the SHA-256 of a file, read through buf.
func hashFile(path string, buf []byte) ([sha256.Size]byte, error) {
	var sum [sha256.Size]byte
	f, err := os.Open(path)
	if err != nil {
		return sum, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.CopyBuffer(h, onlyReader{f}, buf); err != nil {
		return sum, err
	}
	h.Sum(sum[:0])
	return sum, nil
}

// onlyReader hides a file's WriteTo, so that io.CopyBuffer uses the given buffer.
type onlyReader struct{ io.Reader }

// verifyInProcess runs `chancery verify --offline` over the folder in this process: the
// command line's own code path (internal/cli), without the process start.
func verifyInProcess(dir string) error {
	var stderr bytes.Buffer
	args := []string{"verify", "--offline", "--trust", filepath.Join(dir, "trust.json"), filepath.Join(dir, "letters")}
	if code := cli.Main(args, io.Discard, &stderr); code != cli.ExitOK {
		return fmt.Errorf("chancery verify exited %d: %s", code, strings.TrimSpace(stderr.String()))
	}
	return nil
}

// sigCheck is one Ed25519 verification.
type sigCheck struct {
	pub      ed25519.PublicKey
	msg, sig []byte
}

// floorWork is the least work that verifying the folder takes: read each file and its seal,
// hash the file, and check the signatures a seal carries beyond what a verifier checks once for
// the whole folder (the checkpoint, once per distinct checkpoint, and the signer's key entry):
// the office's signature on the release entry and each signer's signature on the statement.
// Inclusion proofs (a dozen SHA-256 compressions) and JSON parsing are left out.
//
// The floor row checks each signature with crypto/ed25519, as issue 19 defines the floor; the
// floor-edkey row with internal/edkey, the keys decoded and their multiples computed once for
// the run, as chancery verify does since the sixty-first session: the least work with the
// verification chancery uses.
type floorWork struct {
	letters     string
	files       []string
	digests     map[string][sha256.Size]byte
	checks      map[string][]sigCheck
	perSeal     int
	checkpoints [][]byte
	notes       note.Verifiers
	// keys holds each public key's edkey.Key for the floor-edkey row, nil for floor.
	keys map[string]*edkey.Key
}

// loadFloor takes the signatures, messages and keys out of the seals, untimed.
func loadFloor(dir string, files []string, useEdkey bool) (*floorWork, error) {
	tb, err := os.ReadFile(filepath.Join(dir, "trust.json"))
	if err != nil {
		return nil, err
	}
	root, err := seal.ParseTrustRoot(tb)
	if err != nil {
		return nil, err
	}
	logKey, err := note.NewVerifier(root.LogKey)
	if err != nil {
		return nil, err
	}
	w := &floorWork{letters: filepath.Join(dir, "letters"), files: files, digests: map[string][sha256.Size]byte{},
		checks: map[string][]sigCheck{}, notes: note.VerifierList(logKey)}
	if useEdkey {
		w.keys = map[string]*edkey.Key{}
	}
	seen := map[string]bool{}
	for _, name := range files {
		sb, err := os.ReadFile(filepath.Join(w.letters, name+".seal"))
		if err != nil {
			return nil, err
		}
		s, err := seal.Parse(sb)
		if err != nil {
			return nil, err
		}
		if !seen[string(s.Checkpoint)] {
			seen[string(s.Checkpoint)] = true
			w.checkpoints = append(w.checkpoints, s.Checkpoint)
		}
		e, err := entry.Decode(s.Release.Entry)
		if err != nil {
			return nil, err
		}
		if len(e.Envelope.Signatures) != 1 || len(root.OfficeKeys) != 1 {
			return nil, errors.New("expected one office signature and one office key")
		}
		checks := []sigCheck{{pub: root.OfficeKeys[0].PublicKey, msg: dsse.PAE(e.Envelope.PayloadType, e.Envelope.Payload), sig: e.Envelope.Signatures[0].Sig}}
		opened, err := seal.Open(e, s.Release.Opening)
		if err != nil {
			return nil, err
		}
		st := opened.(*seal.ReleaseStatement)
		keys := map[string]ed25519.PublicKey{}
		for _, le := range s.Keys {
			ke, err := entry.Decode(le.Entry)
			if err != nil {
				return nil, err
			}
			kopened, err := seal.Open(ke, le.Opening)
			if err != nil {
				return nil, err
			}
			ks := kopened.(*seal.KeyStatement)
			keys[ks.KeyID] = ks.PublicKey
		}
		msg := seal.SigningMessage(st.Signing())
		for _, sg := range st.Signatures {
			checks = append(checks, sigCheck{pub: keys[sg.KeyID], msg: msg, sig: sg.Sig})
		}
		for _, c := range checks {
			if len(c.pub) != ed25519.PublicKeySize || !ed25519.Verify(c.pub, c.msg, c.sig) {
				return nil, fmt.Errorf("%s: a seal signature does not verify", name)
			}
			if w.keys != nil && w.keys[string(c.pub)] == nil {
				if w.keys[string(c.pub)], err = edkey.New(c.pub); err != nil {
					return nil, err
				}
			}
		}
		d, err := seal.ParseDigest(string(st.FileDigest))
		if err != nil {
			return nil, err
		}
		var sum [sha256.Size]byte
		if _, err := hex.Decode(sum[:], []byte(strings.TrimPrefix(string(d), "sha256:"))); err != nil {
			return nil, err
		}
		w.digests[name], w.checks[name] = sum, checks
		w.perSeal = max(w.perSeal, len(checks))
	}
	return w, nil
}

func (w *floorWork) run() error {
	// The checkpoints are checked first, as a verifier must before it trusts a proof.
	for _, cp := range w.checkpoints {
		if _, err := note.Open(cp, w.notes); err != nil {
			return err
		}
	}
	return eachFile(w.files, func(name string, buf []byte) error {
		sum, err := hashFile(filepath.Join(w.letters, name), buf)
		if err != nil {
			return err
		}
		if sum != w.digests[name] {
			return errors.New("digest mismatch")
		}
		if _, err := os.ReadFile(filepath.Join(w.letters, name+".seal")); err != nil {
			return err
		}
		for _, c := range w.checks[name] {
			ok := false
			if w.keys != nil {
				ok = w.keys[string(c.pub)].Verify(c.msg, c.sig)
			} else {
				ok = ed25519.Verify(c.pub, c.msg, c.sig)
			}
			if !ok {
				return errors.New("signature does not verify")
			}
		}
		return nil
	})
}

// cpuTime is the processor time used so far by this process and by its children that have
// ended: an in-process row's time, and a command's (with whatever it started) once waited for.
func cpuTime() time.Duration {
	var self, children syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &self)
	syscall.Getrusage(syscall.RUSAGE_CHILDREN, &children)
	d := func(t syscall.Timeval) time.Duration { return time.Duration(t.Nano()) }
	return d(self.Utime) + d(self.Stime) + d(children.Utime) + d(children.Stime)
}

// pageFaults is the number of page faults so far of this process and of its children that
// have ended, as cpuTime counts processor time.
func pageFaults() int64 {
	var self, children syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &self)
	syscall.Getrusage(syscall.RUSAGE_CHILDREN, &children)
	return self.Minflt + self.Majflt + children.Minflt + children.Majflt
}

// printReport prints the markdown table and the machine it ran on.
func printReport(cfg *config, si *setupInfo, results []result) {
	var chancery *result
	for i := range results {
		if results[i].tool == "chancery" {
			chancery = &results[i]
		}
	}
	fmt.Printf("%d letters of %d bytes, seals: %s (%d distinct checkpoint(s)); one warm-up run per row, then %d timed rounds of every row; files/s = letters ÷ wall time of the whole command.\n\n",
		len(si.Files), si.Size, si.Seals, si.Checkpoints, cfg.runs)
	fmt.Println("| tool | files/s (best) | files/s (median) | chancery ÷ tool (best) | CPU ms per 1,000 files (median) | tool's CPU ÷ chancery's | page faults per run (median) | tool's faults ÷ chancery's | command |")
	fmt.Println("|---|---:|---:|---:|---:|---:|---:|---:|---|")
	for _, r := range results {
		ratio := "–"
		if chancery != nil {
			ratio = fmt.Sprintf("%.2f×", chancery.best()/r.best())
		}
		cmd := r.command
		if !strings.HasPrefix(cmd, "in-process") {
			cmd = "`" + strings.ReplaceAll(cmd, "|", `\|`) + "`"
		}
		cpu, cpuRatio := 1000*r.medianCPU().Seconds()*1000/float64(r.files), "–"
		if chancery != nil {
			cpuRatio = fmt.Sprintf("%.2f", r.medianCPU().Seconds()/chancery.medianCPU().Seconds())
		}
		faultRatio := "–"
		if chancery != nil && chancery.medianFaults() > 0 {
			faultRatio = fmt.Sprintf("%.2f", float64(r.medianFaults())/float64(chancery.medianFaults()))
		}
		fmt.Printf("| %s | %.0f | %.0f | %s | %.0f | %s | %d | %s | %s |\n", r.tool, r.best(), r.median(), ratio, cpu, cpuRatio, r.medianFaults(), faultRatio, cmd)
	}
	fmt.Println()
	var fastest *result
	for i := range results {
		if t := results[i].tool; t == "gpg" || t == "gpgv" || t == "minisign" {
			if fastest == nil || results[i].best() > fastest.best() {
				fastest = &results[i]
			}
		}
	}
	if chancery != nil && fastest != nil {
		verdict := "met"
		if chancery.best() < 10*fastest.best() {
			verdict = "missed"
		}
		fmt.Printf("Target (chancery ≥ 10× the fastest peer, %s at %.0f files/s, so ≥ %.0f files/s): %s, chancery %.0f files/s = %.1f×.\n\n",
			fastest.tool, fastest.best(), 10*fastest.best(), verdict, chancery.best(), chancery.best()/fastest.best())
	}
	fmt.Printf("Machine: %d CPUs (GOMAXPROCS %d), %s; %s; Linux %s; load average %s at the start, %s at the end; %s; %s; %s; %s.\n",
		runtime.NumCPU(), runtime.GOMAXPROCS(0), cpuModel(), time.Now().UTC().Format("2006-01-02 15:04 MST"),
		strings.TrimSpace(readFirstLine("/proc/sys/kernel/osrelease")), loadStart, loadAvg(), runtime.Version(),
		version("gpg", "--version"), version("gpgv", "--version"), version("minisign", "-v"))
}

// loadStart is the 1-minute load average when the program started.
var loadStart = loadAvg()

// loadAvg returns the 1-minute load average: other work on the machine skews the numbers.
func loadAvg() string {
	f := strings.Fields(readFirstLine("/proc/loadavg"))
	if len(f) == 0 {
		return "?"
	}
	return f[0]
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}

func readFirstLine(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "?"
	}
	line, _, _ := strings.Cut(string(b), "\n")
	return line
}

// version returns the first line a program prints about its version.
func version(argv ...string) string {
	out, err := exec.Command(argv[0], argv[1:]...).CombinedOutput()
	if err != nil && len(out) == 0 {
		return argv[0] + " (not installed)"
	}
	line, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	return line
}

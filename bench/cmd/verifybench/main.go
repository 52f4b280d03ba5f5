// Command verifybench compares `chancery verify --offline` over a folder of released letters
// with loops of `gpg --verify`, `gpgv` and `minisign -V` over the same files, and with the
// physical floor of the work: reading the bytes, hashing them with SHA-256 and checking the
// Ed25519 signatures a seal carries.
//
// In a scratch directory it builds the chancery binary from the checkout, creates a registry
// in-process, releases -n letters of -size random bytes, writes each released file with its
// seal and the trust root, makes a gpg key and a minisign key and signs every file with each.
// Then it runs every tool once untimed, to warm the page cache, times -runs rounds in which
// every tool runs once, and prints a markdown table on stdout; progress goes to stderr.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"
)

// tools are the rows the benchmark can measure, in table order.
var tools = []string{"chancery", "chancery-verify", "chancery-lib", "floor", "floor-edkey", "gpg", "gpgv", "minisign"}

type config struct {
	n       int
	size    int
	runs    int
	seals   string // "latest" or "release"
	dir     string
	keep    bool
	reuse   bool // dir holds a complete setup with the same parameters
	workers int
	tools   []string
	repo    string // the Chancery checkout (its go.mod's directory)
	// cpuProfile and memProfile, if set, receive the CPU and allocation profiles of this
	// process over the timed rounds: the in-process rows' work (chancery-lib, floor).
	cpuProfile, memProfile string
}

func main() {
	cfg, err := parseFlags()
	if err != nil {
		fmt.Fprintf(os.Stderr, "verifybench: %v\n", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, cfg); err != nil {
		fmt.Fprintf(os.Stderr, "verifybench: %v\n", err)
		os.Exit(1)
	}
}

func parseFlags() (*config, error) {
	cfg := &config{}
	var toolList string
	flag.IntVar(&cfg.n, "n", 1000, "number of letters")
	flag.IntVar(&cfg.size, "size", 100<<10, "bytes per letter (random)")
	flag.IntVar(&cfg.runs, "runs", 3, "timed rounds (each tool once per round), after one untimed warm-up run of each")
	flag.StringVar(&cfg.seals, "seals", "latest", "which seals to write: latest (every seal against the checkpoint after the last release, as GET /api/v1/letters/{ref}/seal serves them) or release (the seal each release returned, against the checkpoint of its own commit)")
	flag.StringVar(&cfg.dir, "dir", "", "scratch directory (default: a new directory under $TMPDIR or /tmp, removed afterwards); a given -dir is kept, and reused if it holds a setup with the same -n, -size and -seals")
	flag.BoolVar(&cfg.keep, "keep", false, "keep the default scratch directory")
	flag.IntVar(&cfg.workers, "setup-workers", 2*runtime.NumCPU(), "concurrent releases and signing processes during setup")
	flag.StringVar(&toolList, "tools", "all", "comma-separated rows to measure: "+strings.Join(tools, ",")+" or all")
	flag.StringVar(&cfg.repo, "repo", "", "the Chancery checkout to build (default: the nearest directory at or above the working directory whose go.mod is module github.com/chancery/chancery)")
	flag.StringVar(&cfg.cpuProfile, "cpuprofile", "", "write the CPU profile of the timed rounds to this file (with -tools chancery-lib, of the command line's verify in-process)")
	flag.StringVar(&cfg.memProfile, "memprofile", "", "write the allocation profile of the timed rounds to this file (with -tools chancery-lib, as -cpuprofile)")
	flag.Parse()
	if flag.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments: %q", flag.Args())
	}
	if cfg.n < 1 || cfg.size < 1 || cfg.runs < 1 || cfg.workers < 1 {
		return nil, errors.New("-n, -size, -runs and -setup-workers must be positive")
	}
	if cfg.seals != "latest" && cfg.seals != "release" {
		return nil, fmt.Errorf("-seals must be latest or release, not %q", cfg.seals)
	}
	if toolList == "all" {
		cfg.tools = tools
	} else {
		for _, t := range strings.Split(toolList, ",") {
			t = strings.TrimSpace(t)
			if !slices.Contains(tools, t) {
				return nil, fmt.Errorf("unknown tool %q in -tools (known: %s)", t, strings.Join(tools, ", "))
			}
			cfg.tools = append(cfg.tools, t)
		}
	}
	if err := checkPrograms(cfg.tools); err != nil {
		return nil, err
	}
	if cfg.repo == "" {
		var err error
		if cfg.repo, err = findRepo(); err != nil {
			return nil, err
		}
	}
	if _, err := os.Stat(filepath.Join(cfg.repo, "cmd", "chancery")); err != nil {
		return nil, fmt.Errorf("-repo %s is not a Chancery checkout: %w", cfg.repo, err)
	}
	if cfg.dir == "" {
		dir, err := os.MkdirTemp("", "verifybench-")
		if err != nil {
			return nil, fmt.Errorf("create scratch directory: %w", err)
		}
		cfg.dir = dir
	} else {
		abs, err := filepath.Abs(cfg.dir)
		if err != nil {
			return nil, err
		}
		cfg.dir, cfg.keep = abs, true
		if cfg.reuse, err = reusable(cfg); err != nil {
			return nil, err
		}
	}
	return cfg, nil
}

// findRepo finds the Chancery checkout: the nearest directory, from the working directory up,
// whose go.mod is the module github.com/chancery/chancery (bench/.. when run from bench/).
func findRepo() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil {
			if line, _, _ := strings.Cut(string(b), "\n"); strings.TrimSpace(line) == "module github.com/chancery/chancery" {
				return dir, nil
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no Chancery checkout (go.mod of module github.com/chancery/chancery) in the working directory or above; pass -repo")
		}
		dir = parent
	}
}

// checkPrograms checks that the programs the chosen rows run are installed.
func checkPrograms(rows []string) error {
	need := []string{"go", "bash"}
	if slices.Contains(rows, "gpg") || slices.Contains(rows, "gpgv") {
		need = append(need, "gpg", "gpgv", "gpgconf")
	}
	if slices.Contains(rows, "minisign") {
		need = append(need, "minisign")
	}
	var missing []string
	for _, p := range need {
		if _, err := exec.LookPath(p); err != nil {
			missing = append(missing, p)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("not installed: %s; on Debian: apt-get update && apt-get install -y gnupg gpgv minisign (or leave those rows out with -tools)", strings.Join(missing, ", "))
	}
	return nil
}

// setupInfo is stored in the scratch directory once its setup is complete, so that a kept
// directory can be measured again without releasing and signing everything anew.
type setupInfo struct {
	N     int    `json:"n"`
	Size  int    `json:"size"`
	Seals string `json:"seals"`
	// Files are the released letters' file names in letters/.
	Files []string `json:"files"`
	// Checkpoints is the number of distinct checkpoints among the seals.
	Checkpoints int `json:"checkpoints"`
	// GPG and Minisign say whether the directory holds that tool's key and signatures.
	GPG      bool `json:"gpg"`
	Minisign bool `json:"minisign"`
}

const setupFile = "setup.json"

// reusable reports whether cfg.dir holds a complete setup for cfg, and refuses a directory
// that holds something else.
func reusable(cfg *config) (bool, error) {
	b, err := os.ReadFile(filepath.Join(cfg.dir, setupFile))
	if errors.Is(err, os.ErrNotExist) {
		ents, err := os.ReadDir(cfg.dir)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return false, err
		}
		if len(ents) > 0 {
			return false, fmt.Errorf("-dir %s is not empty and holds no verifybench setup (%s)", cfg.dir, setupFile)
		}
		return false, nil
	}
	if err != nil {
		return false, err
	}
	var si setupInfo
	if err := json.Unmarshal(b, &si); err != nil {
		return false, fmt.Errorf("%s: %w", filepath.Join(cfg.dir, setupFile), err)
	}
	if si.N != cfg.n || si.Size != cfg.size || si.Seals != cfg.seals {
		return false, fmt.Errorf("-dir %s holds a setup of -n %d -size %d -seals %s; use another directory", cfg.dir, si.N, si.Size, si.Seals)
	}
	return true, nil
}

func run(ctx context.Context, cfg *config) (err error) {
	if !cfg.keep {
		defer func() {
			if rmErr := os.RemoveAll(cfg.dir); rmErr != nil && err == nil {
				err = fmt.Errorf("remove scratch directory: %w", rmErr)
			}
		}()
	}
	logf("scratch directory %s", cfg.dir)
	// The gpg agent that key generation and signing start is stopped at the end.
	defer stopGPGAgent(cfg.dir)

	logf("building chancery from %s", cfg.repo)
	if err := buildChancery(ctx, cfg.repo, filepath.Join(cfg.dir, "chancery")); err != nil {
		return err
	}
	if slices.Contains(cfg.tools, "chancery-verify") {
		logf("building chancery-verify from %s", cfg.repo)
		// Without cgo, as the README builds it: one static file that runs on any Linux.
		if err := buildCommand(ctx, cfg.repo, "./cmd/chancery-verify", filepath.Join(cfg.dir, "chancery-verify"), "CGO_ENABLED=0"); err != nil {
			return err
		}
	}
	si := new(setupInfo)
	if cfg.reuse {
		logf("reusing the letters and seals in %s", cfg.dir)
		b, err := os.ReadFile(filepath.Join(cfg.dir, setupFile))
		if err != nil {
			return err
		}
		if err := json.Unmarshal(b, si); err != nil {
			return err
		}
	} else {
		start := time.Now()
		logf("releasing %d letters of %d bytes", cfg.n, cfg.size)
		if si, err = releaseLetters(ctx, cfg); err != nil {
			return fmt.Errorf("release letters: %w", err)
		}
		logf("released %d letters in %v; %d distinct checkpoint(s) among the seals", len(si.Files), time.Since(start).Round(time.Millisecond), si.Checkpoints)
		if err := saveSetup(cfg.dir, si); err != nil {
			return err
		}
	}
	if needGPG(cfg.tools) && !si.GPG {
		t := time.Now()
		if err := setupGPG(ctx, cfg, si.Files); err != nil {
			return fmt.Errorf("gpg: %w", err)
		}
		si.GPG = true
		logf("gpg key and %d signatures in %v", len(si.Files), time.Since(t).Round(time.Millisecond))
		if err := saveSetup(cfg.dir, si); err != nil {
			return err
		}
	}
	if slices.Contains(cfg.tools, "minisign") && !si.Minisign {
		t := time.Now()
		if err := setupMinisign(ctx, cfg, si.Files); err != nil {
			return fmt.Errorf("minisign: %w", err)
		}
		si.Minisign = true
		logf("minisign key and %d signatures in %v", len(si.Files), time.Since(t).Round(time.Millisecond))
		if err := saveSetup(cfg.dir, si); err != nil {
			return err
		}
	}
	if err := sanityChecks(ctx, cfg, si); err != nil {
		return fmt.Errorf("sanity checks: %w", err)
	}

	results, err := measure(ctx, cfg, si)
	if err != nil {
		return err
	}
	printReport(cfg, si, results)
	return nil
}

// saveSetup records what the scratch directory holds.
func saveSetup(dir string, si *setupInfo) error {
	b, err := json.MarshalIndent(si, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, setupFile), append(b, '\n'), 0o644)
}

func needGPG(rows []string) bool {
	return slices.Contains(rows, "gpg") || slices.Contains(rows, "gpgv")
}

// buildChancery builds the binary in the checkout's own module, so that it uses the
// dependency versions of Chancery's go.mod, as `go install ./cmd/chancery` would.
func buildChancery(ctx context.Context, repo, out string) error {
	return buildCommand(ctx, repo, "./cmd/chancery", out)
}

// buildCommand builds the command pkg of the checkout (./cmd/chancery-verify, the small
// verifier, exists from issue 19 item 2's seventh pass on) into out, with env added to the
// environment.
func buildCommand(ctx context.Context, repo, pkg, out string, env ...string) error {
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, pkg)
	cmd.Dir = repo
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build %s in %s: %w", pkg, repo, err)
	}
	return nil
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "verifybench: "+format+"\n", args...)
}

package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
)

// Paths in the scratch directory, relative to it: every command runs there, so the command
// lines the report prints can be pasted into a shell in a kept directory.
const (
	gnupgHome      = "gnupg"
	gpgvKeyring    = "keys/gpgv.gpg"
	gpgSigs        = "sigs/gpg"
	minisignPub    = "keys/minisign.pub"
	minisignSec    = "keys/minisign.key"
	minisignSigs   = "sigs/minisign"
	gpgUserID      = "Chancery verifybench <verifybench@example.invalid>"
	tamperDir      = "tamper"
	maxStderrBytes = 4 << 10
)

// The measured commands, as bash scripts run in the scratch directory. The loops stop at the
// first file that does not verify (set -e), so a timed run that exits 0 verified every file.
const (
	chanceryScript = `./chancery verify --offline --trust trust.json letters`
	// chanceryVerifyScript is the small verifier, cmd/chancery-verify: the same code as
	// chanceryScript's without the server linked in.
	chanceryVerifyScript = `./chancery-verify --offline --trust trust.json letters`
	gpgScript            = `set -e; export GNUPGHOME="$PWD/gnupg"; for f in letters/*.pdf; do gpg --batch --quiet --verify "sigs/gpg/${f#letters/}.sig" "$f"; done`
	gpgvScript           = `set -e; for f in letters/*.pdf; do gpgv --quiet --keyring ./keys/gpgv.gpg "sigs/gpg/${f#letters/}.sig" "$f"; done`
	minisignScript       = `set -e; for f in letters/*.pdf; do minisign -V -q -p keys/minisign.pub -m "$f" -x "sigs/minisign/${f#letters/}.minisig"; done`
)

// shell runs a bash script in dir with stdout discarded and returns an error quoting the end
// of its stderr if it fails.
func shell(ctx context.Context, dir, script string) error {
	cmd := exec.CommandContext(ctx, "bash", "-c", script)
	cmd.Dir = dir
	var stderr tail
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w: %s", script, err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

// command runs one program in dir, like shell.
func command(ctx context.Context, dir string, env []string, argv ...string) error {
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stderr tail
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w: %s", strings.Join(argv, " "), err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

// tail keeps the last maxStderrBytes written to it.
type tail struct {
	mu sync.Mutex
	b  []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > maxStderrBytes {
		t.b = append(t.b[:0], t.b[len(t.b)-maxStderrBytes:]...)
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.b)
}

// parallel runs f for every file with at most workers at a time and returns the first error.
func parallel(workers int, files []string, f func(name string) error) error {
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
	)
	next := make(chan string)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for name := range next {
				if err := f(name); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
				}
			}
		}()
	}
	for _, name := range files {
		next <- name
	}
	close(next)
	wg.Wait()
	return firstErr
}

// setupGPG makes an Ed25519 signing key without a passphrase in a private GNUPGHOME, exports
// it as gpgv's keyring and makes a detached signature of every file.
func setupGPG(ctx context.Context, cfg *config, files []string) error {
	home := filepath.Join(cfg.dir, gnupgHome)
	// Start afresh if an earlier setup stopped half-way.
	stopGPGAgent(cfg.dir)
	for _, p := range []string{home, filepath.Join(cfg.dir, gpgSigs), filepath.Join(cfg.dir, gpgvKeyring)} {
		if err := os.RemoveAll(p); err != nil {
			return err
		}
	}
	for _, p := range []string{filepath.Join(cfg.dir, gpgSigs), filepath.Join(cfg.dir, "keys")} {
		if err := os.MkdirAll(p, 0o755); err != nil {
			return err
		}
	}
	if err := os.Mkdir(home, 0o700); err != nil {
		return err
	}
	env := []string{"GNUPGHOME=" + home}
	if err := command(ctx, cfg.dir, env, "gpg", "--batch", "--quiet", "--passphrase", "",
		"--quick-generate-key", gpgUserID, "ed25519", "sign", "never"); err != nil {
		return err
	}
	if err := command(ctx, cfg.dir, env, "gpg", "--batch", "--quiet", "--output", gpgvKeyring, "--export", gpgUserID); err != nil {
		return err
	}
	return parallel(cfg.workers, files, func(name string) error {
		return command(ctx, cfg.dir, env, "gpg", "--batch", "--quiet", "--yes", "--local-user", gpgUserID,
			"--output", filepath.Join(gpgSigs, name+".sig"), "--detach-sign", filepath.Join("letters", name))
	})
}

// stopGPGAgent stops the gpg-agent that key generation and signing started for the scratch
// directory's GNUPGHOME, if any.
func stopGPGAgent(dir string) {
	home := filepath.Join(dir, gnupgHome)
	if _, err := os.Stat(home); err != nil {
		return
	}
	cmd := exec.Command("gpgconf", "--kill", "all")
	cmd.Env = append(os.Environ(), "GNUPGHOME="+home)
	cmd.Run()
}

// setupMinisign makes a minisign key pair without a password and signs every file with it.
func setupMinisign(ctx context.Context, cfg *config, files []string) error {
	for _, p := range []string{filepath.Join(cfg.dir, minisignSigs), filepath.Join(cfg.dir, minisignPub), filepath.Join(cfg.dir, minisignSec)} {
		if err := os.RemoveAll(p); err != nil {
			return err
		}
	}
	for _, p := range []string{filepath.Join(cfg.dir, minisignSigs), filepath.Join(cfg.dir, "keys")} {
		if err := os.MkdirAll(p, 0o755); err != nil {
			return err
		}
	}
	if err := command(ctx, cfg.dir, nil, "minisign", "-G", "-W", "-p", minisignPub, "-s", minisignSec); err != nil {
		return err
	}
	return parallel(cfg.workers, files, func(name string) error {
		return command(ctx, cfg.dir, nil, "minisign", "-S", "-s", minisignSec,
			"-m", filepath.Join("letters", name), "-x", filepath.Join(minisignSigs, name+".minisig"))
	})
}

// sanityChecks makes sure the measured commands check what they claim to: chancery finds every
// letter valid, and every tool refuses a letter with one byte changed.
func sanityChecks(ctx context.Context, cfg *config, si *setupInfo) error {
	cmd := exec.CommandContext(ctx, "./chancery", "verify", "--offline", "--trust", "trust.json", "--json", "letters")
	cmd.Dir = cfg.dir
	var stderr tail
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("chancery verify --json: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	if valid := bytes.Count(out, []byte(`"outcome":"valid"`)); valid != len(si.Files) {
		return fmt.Errorf("chancery verify found %d valid letters, want %d", valid, len(si.Files))
	}

	// A tampered copy of the first letter, with its seal, under tamper/.
	name := si.Files[0]
	data, err := os.ReadFile(filepath.Join(cfg.dir, "letters", name))
	if err != nil {
		return err
	}
	data[len(data)/2] ^= 1
	if err := os.MkdirAll(filepath.Join(cfg.dir, tamperDir), 0o755); err != nil {
		return err
	}
	bad := filepath.Join(tamperDir, name)
	if err := os.WriteFile(filepath.Join(cfg.dir, bad), data, 0o644); err != nil {
		return err
	}
	sl, err := os.ReadFile(filepath.Join(cfg.dir, "letters", name+".seal"))
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(cfg.dir, bad+".seal"), sl, 0o644); err != nil {
		return err
	}
	refuses := map[string][]string{
		"chancery": {"./chancery", "verify", "--offline", "--trust", "trust.json", bad},
		"gpg":      {"gpg", "--batch", "--quiet", "--verify", filepath.Join(gpgSigs, name+".sig"), bad},
		"gpgv":     {"gpgv", "--quiet", "--keyring", "./" + gpgvKeyring, filepath.Join(gpgSigs, name+".sig"), bad},
		"minisign": {"minisign", "-V", "-q", "-p", minisignPub, "-m", bad, "-x", filepath.Join(minisignSigs, name+".minisig")},
	}
	for _, tool := range []string{"chancery", "gpg", "gpgv", "minisign"} {
		if tool == "chancery" || (tool == "minisign" && si.Minisign) || (tool != "minisign" && si.GPG) {
			argv := refuses[tool]
			if err := command(ctx, cfg.dir, []string{"GNUPGHOME=" + filepath.Join(cfg.dir, gnupgHome)}, argv...); err == nil {
				return fmt.Errorf("%s accepted a tampered file: %s", tool, strings.Join(argv, " "))
			}
		}
	}
	return nil
}

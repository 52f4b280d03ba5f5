package main

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chancery/chancery/internal/datadir"
	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/office"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/seal"
)

// populate fills the registry in dir with released letters until it holds n, through the
// registry's own lifecycle: each letter is created, approved, signed and released, so the
// database and the log have exactly the shape a real office's would. The released files'
// digests are appended to dir/digests.txt, which also makes the run resumable.
func populate(ctx context.Context, dir string, n, workers int) error {
	tokPath := filepath.Join(dir, "bench-admin.token")
	d, err := datadir.Open(dir)
	if errors.Is(err, datadir.ErrNotInitialized) {
		var tok string
		d, tok, err = office.Init(ctx, dir, datadir.Settings{Office: "Benchmark Office", Prefix: "BEN",
			URL: "http://127.0.0.1:8181", Origin: "127.0.0.1:8181/log"}, "admin", nil)
		if err == nil {
			err = os.WriteFile(tokPath, []byte(tok), 0o600)
		}
		if err == nil {
			err = d.Finish()
		}
	}
	if err != nil {
		return err
	}
	admin, err := os.ReadFile(tokPath)
	if err != nil {
		return err
	}
	st, err := office.Open(ctx, d)
	if err != nil {
		return err
	}
	defer st.Close()
	o, err := newStaff(ctx, st.Registry, string(admin))
	if err != nil {
		return err
	}
	path := filepath.Join(dir, "digests.txt")
	have, err := countLines(path)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	var (
		mu   sync.Mutex
		out  = bufio.NewWriter(f)
		next atomic.Int64
		done atomic.Int64
		errs = make(chan error, workers)
		wg   sync.WaitGroup
	)
	next.Store(int64(have))
	// The first letter to fail stops the run (it can be resumed); an interrupt stops it quietly.
	interrupted := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	start := time.Now()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1) - 1
				if i >= int64(n) || ctx.Err() != nil {
					return
				}
				digest, err := o.releaseOne(ctx, i)
				if err != nil {
					if ctx.Err() == nil || interrupted.Err() == nil {
						errs <- fmt.Errorf("letter %d: %w", i, err)
					}
					cancel()
					return
				}
				mu.Lock()
				fmt.Fprintln(out, digest)
				mu.Unlock()
				if c := done.Add(1); c%1000 == 0 {
					el := time.Since(start)
					fmt.Fprintf(os.Stderr, "populate: %d released (%d total), %.0f letters/s\n", c, int64(have)+c, float64(c)/el.Seconds())
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	mu.Lock()
	defer mu.Unlock()
	if err := out.Flush(); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	return <-errs
}

// staff are the members who carry a letter through the default policy's gate.
type staff struct {
	reg                                *registry.Registry
	drafter, reviewer, signer, officer registry.Actor
	key                                ed25519.PrivateKey
	keyID                              string
	// run tells this run's letters from an interrupted run's: a letter in flight when that run
	// stopped may have been released without its digest being recorded, and the same bytes
	// cannot be released twice.
	run string
}

func newStaff(ctx context.Context, reg *registry.Registry, admin string) (*staff, error) {
	// The staff is new on every run, so that a resumed run needs no other saved secret.
	suffix := fmt.Sprintf("%d", time.Now().UnixNano())
	o := &staff{reg: reg, run: suffix}
	adminActor, err := actor(ctx, reg, admin)
	if err != nil {
		return nil, err
	}
	for _, m := range []struct {
		role string
		to   *registry.Actor
	}{{registry.RoleDrafter, &o.drafter}, {registry.RoleReviewer, &o.reviewer}, {registry.RoleSigner, &o.signer}, {registry.RoleRelease, &o.officer}} {
		tok, err := reg.AddMember(ctx, adminActor, m.role+"-"+suffix, []string{m.role})
		if err != nil {
			return nil, err
		}
		if *m.to, err = actor(ctx, reg, tok); err != nil {
			return nil, err
		}
	}
	_, o.key, _ = ed25519.GenerateKey(rand.Reader)
	o.keyID, _, err = reg.RegisterKey(ctx, o.signer, o.key.Public().(ed25519.PublicKey))
	return o, err
}

func actor(ctx context.Context, reg *registry.Registry, tok string) (registry.Actor, error) {
	m, err := reg.Authenticate(ctx, tok)
	return registry.Actor{Member: m, Remote: "lookupbench"}, err
}

// releaseOne takes letter i from creation to release and returns the released file's digest.
// Letters are short files of no known type, released as a one-page cover letter with the file
// attached (every release is a stamped PDF); the lookups measured are of the released digests,
// so the stamping slows the population only.
func (o *staff) releaseOne(ctx context.Context, i int64) (string, error) {
	body := fmt.Sprintf("Benchmark letter %d (run %s).\nThe office confirms the arrangements discussed on the %d of the month, "+
		"and asks the addressee to acknowledge receipt through the usual channel.\n", i, o.run, i%28+1)
	ref, err := o.reg.CreateLetter(ctx, o.drafter, registry.NewLetter{Subject: fmt.Sprintf("Arrangements %d", i),
		Class: "routine", Addressees: []string{"Ministry of Logistics"},
		File: registry.Upload{Name: fmt.Sprintf("letter-%d.bin", i), MediaType: "application/octet-stream", Data: []byte(body)}})
	if err != nil {
		return "", err
	}
	if err := o.reg.Approve(ctx, o.reviewer, ref, "", "reviewed"); err != nil {
		return "", err
	}
	stmt, err := o.reg.SigningStatement(ctx, o.signer, ref)
	if err != nil {
		return "", err
	}
	sig := ed25519.Sign(o.key, dsse.PAE(seal.SigningPayloadType, stmt))
	if err := o.reg.Sign(ctx, o.signer, ref, o.keyID, stmt, sig); err != nil {
		return "", err
	}
	rel, err := o.reg.Release(ctx, o.officer, ref)
	if err != nil {
		return "", err
	}
	return string(seal.DigestOf(rel.File)), nil
}

func countLines(path string) (int, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		n++
	}
	return n, sc.Err()
}

package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"

	"github.com/chancery/chancery/internal/datadir"
	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/translog"
)

// The bench office. Its letters, random bytes of no known type, are released as NAME.pdf
// (each attached to a cover letter, as every release is a stamped PDF), so that the peers'
// loops can glob letters/*.pdf.
const (
	benchOffice = "Verify Bench Office"
	benchPrefix = "VB"
	benchURL    = "http://127.0.0.1:8080"
)

// openRegistry opens the store, the log and the registry of a data directory, as
// `chancery serve` does (internal/cli's openStack, which is not importable from here).
func openRegistry(ctx context.Context, d *datadir.Dir) (*registry.Registry, func() error, error) {
	db, err := store.OpenSQLite(ctx, d.Path)
	if err != nil {
		return nil, nil, err
	}
	lg, err := translog.Open(ctx, db, translog.Config{Origin: d.Settings.Origin, Signer: d.Signer(), Create: true})
	if err != nil {
		return nil, nil, errors.Join(err, db.Close())
	}
	reg := registry.New(registry.Config{DB: db, Log: lg,
		Office:    registry.Office{Name: d.Settings.Office, Prefix: d.Settings.Prefix, URL: d.Settings.URL},
		OfficeKey: d.OfficeKey(), LogKey: d.VerifierKey(), LogOrigin: d.Settings.Origin})
	return reg, func() error { return errors.Join(lg.Close(), db.Close()) }, nil
}

// letterPrefix begins every letter.
const letterPrefix = "Chancery verifybench letter\n"

// releaseLetters creates a registry in DIR/registry, releases cfg.n letters of cfg.size random
// bytes through the whole gate (drafted, approved by a reviewer, signed by a signer, released),
// and writes each released file and its seal to DIR/letters and the trust root to
// DIR/trust.json.
func releaseLetters(ctx context.Context, cfg *config) (_ *setupInfo, err error) {
	origin, err := datadir.OriginFor(benchURL)
	if err != nil {
		return nil, err
	}
	d, err := datadir.Init(filepath.Join(cfg.dir, "registry"),
		datadir.Settings{Office: benchOffice, Prefix: benchPrefix, URL: benchURL, Origin: origin})
	if err != nil {
		return nil, err
	}
	reg, closeReg, err := openRegistry(ctx, d)
	if err != nil {
		return nil, err
	}
	defer func() { err = errors.Join(err, closeReg()) }()

	actor := func(tok string) (registry.Actor, error) {
		m, err := reg.Authenticate(ctx, tok)
		return registry.Actor{Member: m, Remote: "verifybench"}, err
	}
	adminTok, err := reg.Bootstrap(ctx, "admin")
	if err != nil {
		return nil, err
	}
	admin, err := actor(adminTok)
	if err != nil {
		return nil, err
	}
	members := map[string]registry.Actor{}
	for _, role := range []string{registry.RoleDrafter, registry.RoleReviewer, registry.RoleSigner, registry.RoleRelease} {
		tok, err := reg.AddMember(ctx, admin, role+"-1", []string{role})
		if err != nil {
			return nil, err
		}
		if members[role], err = actor(tok); err != nil {
			return nil, err
		}
	}
	drafter, reviewer, signer, officer := members[registry.RoleDrafter], members[registry.RoleReviewer],
		members[registry.RoleSigner], members[registry.RoleRelease]
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	keyID, _, err := reg.RegisterKey(ctx, signer, key.Public().(ed25519.PublicKey))
	if err != nil {
		return nil, err
	}

	letters := filepath.Join(cfg.dir, "letters")
	if err := os.MkdirAll(letters, 0o755); err != nil {
		return nil, err
	}
	releaseOne := func(i int) (*registry.Released, error) {
		// Random bytes after a line of text: bytes that began with an image's or a PDF's
		// signature by chance ("BM", one letter in 65,536) would be classified as one, and
		// refused or converted, as the registry does any upload.
		data := make([]byte, cfg.size)
		rand.Read(data[copy(data, letterPrefix):])
		ref, err := reg.CreateLetter(ctx, drafter, registry.NewLetter{
			Subject: fmt.Sprintf("Benchmark letter %d", i+1), Class: "benchmark",
			Addressees: []string{"Verifiers"},
			File:       registry.Upload{Name: "letter.bin", MediaType: "application/octet-stream", Data: data}})
		if err != nil {
			return nil, err
		}
		if err := reg.Approve(ctx, reviewer, ref, "", "reviewed"); err != nil {
			return nil, err
		}
		st, err := reg.SigningStatement(ctx, signer, ref)
		if err != nil {
			return nil, err
		}
		if err := reg.Sign(ctx, signer, ref, keyID, st, ed25519.Sign(key, dsse.PAE(seal.SigningPayloadType, st))); err != nil {
			return nil, err
		}
		return reg.Release(ctx, officer, ref)
	}

	// Releases run concurrently, so that the log's group commit batches them. Each released
	// file is written as soon as it is released, and only its name and reference are kept:
	// 100,000 released files held until the end took the machine's 24 GB.
	type done struct {
		reference, name string
		seal            *seal.Seal
	}
	released := make([]done, cfg.n)
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
	)
	next := make(chan int)
	for range cfg.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				err := func() error {
					rel, err := releaseOne(i)
					if err != nil {
						return err
					}
					name := rel.Reference + filepath.Ext(rel.FileName)
					if err := os.WriteFile(filepath.Join(letters, name), rel.File, 0o644); err != nil {
						return err
					}
					released[i] = done{reference: rel.Reference, name: name, seal: rel.Seal}
					return nil
				}()
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = fmt.Errorf("letter %d: %w", i+1, err)
					}
					mu.Unlock()
				}
			}
		}()
	}
	for i := range cfg.n {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}

	si := &setupInfo{N: cfg.n, Size: cfg.size, Seals: cfg.seals}
	checkpoints := map[string]bool{}
	for _, rel := range released {
		s := rel.seal
		if cfg.seals == "latest" {
			// A fresh seal against the latest checkpoint, as GET /api/v1/letters/{ref}/seal gives.
			if s, err = reg.Seal(ctx, officer, rel.reference, ""); err != nil {
				return nil, err
			}
		}
		checkpoints[string(s.Checkpoint)] = true
		if err := os.WriteFile(filepath.Join(letters, rel.name+".seal"), s.Marshal(), 0o644); err != nil {
			return nil, err
		}
		si.Files = append(si.Files, rel.name)
	}
	slices.Sort(si.Files)
	si.Checkpoints = len(checkpoints)
	trust, err := reg.TrustRoot().Marshal()
	if err != nil {
		return nil, err
	}
	return si, os.WriteFile(filepath.Join(cfg.dir, "trust.json"), trust, 0o644)
}

// Package office opens a data directory as a running registry: its store, transparency log
// and letters' lifecycle, wired the way `chancery serve` runs them. The CLI and the
// benchmark tools share it so that what they measure is what the server runs.
package office

import (
	"context"
	"errors"
	"fmt"

	"github.com/chancery/chancery/internal/datadir"
	"github.com/chancery/chancery/internal/officeca"
	"github.com/chancery/chancery/internal/policy"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/translog"
)

// Stack is an open registry. Close it to stop the log's sequencer and close the store.
type Stack struct {
	Dir      *datadir.Dir
	DB       *store.DB
	Log      *translog.Log
	Registry *registry.Registry
}

// Open opens the registry in an initialized data directory. It does not take the data
// directory's lock: a server must hold it (datadir.Dir.Lock) while it runs.
func Open(ctx context.Context, d *datadir.Dir) (*Stack, error) {
	db, err := store.OpenSQLite(ctx, d.Path)
	if err != nil {
		return nil, err
	}
	lg, err := translog.Open(ctx, db, translog.Config{Origin: d.Settings.Origin, Signer: d.Signer()})
	if err != nil {
		db.Close()
		return nil, err
	}
	// The embedded PDF signature is optional: without a certificate, released PDFs carry the
	// footer, the QR code and the seal, but no X.509 signature.
	signer, err := officeca.Load(d.Path)
	if err != nil && !errors.Is(err, officeca.ErrNoCertificate) {
		lg.Close()
		db.Close()
		return nil, err
	}
	reg := registry.New(registry.Config{DB: db, Log: lg,
		Office:    registry.Office{Name: d.Settings.Office, Prefix: d.Settings.Prefix, URL: d.Settings.URL},
		OfficeKey: d.OfficeKey(), LogKey: d.VerifierKey(), LogOrigin: d.Settings.Origin, PDFSigner: signer})
	if err := reg.LoadPolicy(ctx, policy.Parse); err != nil {
		lg.Close()
		db.Close()
		return nil, err
	}
	if err := reg.LoadIdentification(ctx); err != nil {
		lg.Close()
		db.Close()
		return nil, err
	}
	return &Stack{Dir: d, DB: db, Log: lg, Registry: reg}, nil
}

// Init creates the data directory at path with its empty log, and the first admin member,
// whose bearer token it returns (shown once: the registry keeps only its hash).
// s.Origin must be set (datadir.OriginFor derives it from the base URL). pdfCert, if not nil,
// sets up the office's X.509 material for embedded PDF signatures before the registry opens.
func Init(ctx context.Context, path string, s datadir.Settings, admin string, pdfCert func(dir string) error) (*datadir.Dir, string, error) {
	d, err := datadir.Init(path, s)
	if err != nil {
		return nil, "", fmt.Errorf("init: %w", err)
	}
	if pdfCert != nil {
		if err := pdfCert(d.Path); err != nil {
			return nil, "", fmt.Errorf("init: pdf certificate: %w", err)
		}
	}
	st, err := Open(ctx, d)
	if err != nil {
		return nil, "", err
	}
	defer st.Close()
	tok, err := st.Registry.Bootstrap(ctx, admin)
	if err != nil {
		return nil, "", fmt.Errorf("init: %w", err)
	}
	return d, tok, nil
}

// Close stops the log and closes the store.
func (s *Stack) Close() error {
	return errors.Join(s.Log.Close(), s.DB.Close())
}

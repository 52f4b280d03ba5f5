// Package office opens a data directory as a running registry: its store, transparency log
// and letters' lifecycle, wired the way `chancery serve` runs them. The CLI and the
// benchmark tools share it so that what they measure is what the server runs.
package office

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/chancery/chancery/internal/convert"
	"github.com/chancery/chancery/internal/cosigned"
	"github.com/chancery/chancery/internal/datadir"
	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/hsm"
	"github.com/chancery/chancery/internal/ocr"
	"github.com/chancery/chancery/internal/officeca"
	"github.com/chancery/chancery/internal/policy"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/translog"
)

// Stack is an open registry. Close it to stop the log's sequencer and close the store.
type Stack struct {
	Dir *datadir.Dir
	DB  *store.DB
	Log *translog.Log
	// Heads holds the office's witnesses and the newest checkpoint their quorum cosigned;
	// a server runs its witness client (Heads.Run).
	Heads    *cosigned.Heads
	Registry *registry.Registry
	// Converter converts Word and OpenDocument letters; nil without LibreOffice.
	Converter *convert.Converter
	// stopFollowing stops following the policies other servers adopt (PostgreSQL).
	stopFollowing func()
	// stopAnswers stops building the kept answers migration 20 left pending.
	stopAnswers func()
	// closeOnce makes Close idempotent: the stop functions close channels.
	closeOnce sync.Once
	closeErr  error
}

// Options are the settings of an opened registry beyond its data directory.
type Options struct {
	// SealWait bounds how long a seal waits for the witness quorum (registry.Config.SealWait).
	SealWait time.Duration
	// Database is the store's URL: a postgres:// URL, or empty for SQLite in the data
	// directory (store.Open).
	Database string
	// Logger receives what the stack logs while it runs (kept answers built and held, the
	// followers' failures); nil means slog.Default(). A server passes its --log-format's.
	Logger *slog.Logger
	// Migrated, when set, is called with the schema version an older build left the store at
	// as soon as the store's opening migrated it (store.DB.MigratedFrom), before anything
	// else of the opening can fail: a command whose opening then fails (a converter the
	// settings name and this machine lacks) has still closed the way back to that build.
	Migrated func(from int)
	// AnswerMemory is how many bytes of kept answers a SQLite store holds in memory
	// (store.DB.HoldAnswers, about 1.3–1.7 KB per released letter); 0 holds none. Only a
	// server under the data directory's lock may set it: the copy is kept in step by this
	// process's writes alone.
	AnswerMemory int64
	// create opens a new office's store (store.Create): set by Init.
	create bool
	// resume opens the store of an office whose init stopped, with or without its log: set
	// by Init with create.
	resume bool
}

// Open opens the registry in an initialized data directory. It does not take the data
// directory's lock: a server must hold it (datadir.Dir.Lock) while it runs.
func Open(ctx context.Context, d *datadir.Dir, opts ...Options) (*Stack, error) {
	var opt Options
	if len(opts) > 0 {
		opt = opts[0]
	}
	logger := opt.Logger
	if logger == nil {
		logger = slog.Default()
	}
	open := store.Open
	switch {
	case opt.resume:
		open = openOrCreate
	case opt.create:
		open = store.Create
	}
	// A server's log says what its first start after an upgrade does before it serves: the
	// migrations, minutes on a large office.
	openCtx := ctx
	if opt.Logger != nil {
		openCtx = store.WithMigrationLogger(ctx, opt.Logger)
	}
	db, err := open(openCtx, opt.Database, d.Path)
	// A store's opening may fail after the migration it committed (store.MigratedError).
	if v := store.MigratedBy(db, err); v > 0 && opt.Migrated != nil {
		opt.Migrated(v)
	}
	if err != nil {
		return nil, err
	}
	lg, err := translog.Open(ctx, db, translog.Config{Origin: d.Settings.Origin, Signer: d.Signer(), Create: opt.create, Logger: logger})
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
	// Word letters are converted by LibreOffice when one is installed; without it they can be
	// drafted and reviewed but not released. A configured program must exist.
	conv, err := convert.Find(d.Settings.Converter, 0)
	if err != nil && d.Settings.Converter != "" {
		lg.Close()
		db.Close()
		return nil, err
	}
	// A LibreOffice taken over by a hostile letter must not read the office's keys, tokens
	// and database, and write them into the PDF members are shown; nor, where a key is in a
	// token, the token's PIN file and store, through which it signs.
	hidden := append([]string{d.Path}, hsm.SecretPaths(d.OfficeKeyRef())...)
	hidden = append(hidden, hsm.SecretPaths(d.Settings.LogKey)...)
	if conv != nil {
		conv.Hide(hidden...)
	}
	// So must the OCR programs that read scans sent to identify.
	ocr.Hide(hidden...)
	heads, err := cosigned.Open(ctx, db, lg)
	if err != nil {
		lg.Close()
		db.Close()
		return nil, err
	}
	key, history, err := officeKey(ctx, d, db)
	if err != nil {
		lg.Close()
		db.Close()
		return nil, err
	}
	zone, err := d.Settings.Zone()
	if err != nil {
		lg.Close()
		db.Close()
		return nil, err
	}
	reg := registry.New(registry.Config{DB: db, Log: lg, Converter: conv,
		Office: registry.Office{Name: d.Settings.Office, Prefix: d.Settings.Prefix, URL: d.Settings.URL,
			StampLanguages: d.Settings.StampLanguages, Zone: zone},
		OfficeKey: key, OfficeKeys: history, DispatchSecret: d.DispatchSecret(),
		LogKey: d.VerifierKey(), LogOrigin: d.Settings.Origin, PDFSigner: signer,
		Heads: heads, SealWait: opt.SealWait, IdentifyFloor: registry.DefaultIdentifyFloor})
	if err := reg.LoadPolicy(ctx, policy.Parse); err != nil {
		lg.Close()
		db.Close()
		return nil, err
	}
	// The identification index is read whole before anything is served: at 100,000 letters
	// it took 8–11 s, which a server's log must account for (a command's log does not).
	identStart := time.Now()
	if opt.Logger != nil {
		opt.Logger.Info("reading the identification index of released letters and drafts, before the server starts")
	}
	if err := reg.LoadIdentification(ctx); err != nil {
		lg.Close()
		db.Close()
		return nil, err
	}
	if opt.Logger != nil {
		opt.Logger.Info("identification index read", "took", time.Since(identStart).Round(time.Millisecond))
	}
	st := &Stack{Dir: d, DB: db, Log: lg, Heads: heads, Registry: reg, Converter: conv, stopFollowing: func() {}}
	st.stopAnswers = buildAnswers(reg, logger)
	if opt.AnswerMemory > 0 {
		stopBuild, stopHold := st.stopAnswers, holdAnswers(db, opt.AnswerMemory, logger)
		st.stopAnswers = func() { stopBuild(); stopHold() }
	}
	if db.Dialect() == store.Postgres {
		stopPolicy, stopIdent, stopWitnesses := followPolicy(lg, reg), followIdentification(reg, logger), followWitnesses(heads, logger)
		stopSchema := followSchema(db, logger)
		st.stopFollowing = func() { stopPolicy(); stopIdent(); stopWitnesses(); stopSchema() }
	}
	return st, nil
}

// officeKey returns the office's current release key and its key history (nil before the
// first rotation). The store's history decides which key is current: a data directory that
// names another (a rotation that stopped before it updated chancery.json, or a second server's
// copy) opens the store's.
func officeKey(ctx context.Context, d *datadir.Dir, db *store.DB) (crypto.Signer, []seal.OfficeKey, error) {
	h, err := registry.OfficeKeyHistory(ctx, db)
	if err != nil {
		return nil, nil, err
	}
	if h == nil {
		key := d.OfficeKey()
		if err := registry.PinOfficeKey(ctx, db, dsse.KeyID(key.Public().(ed25519.PublicKey))); err != nil {
			return nil, nil, err
		}
		return key, nil, nil
	}
	cur := h[len(h)-1]
	key := d.OfficeKey()
	if dsse.KeyID(key.Public().(ed25519.PublicKey)) != cur.KeyID {
		if key, err = d.OpenRecordedKey(cur.Ref); err != nil {
			return nil, nil, fmt.Errorf("the office's current key (since log entry %d): %w", cur.FromIndex, err)
		}
		if dsse.KeyID(key.Public().(ed25519.PublicKey)) != cur.KeyID {
			return nil, nil, fmt.Errorf("office key %s is not the office's current key %s", cur.Ref, cur.KeyID)
		}
	}
	return key, registry.OfficeKeysOf(h), nil
}

// Init creates the data directory at path with its empty log, and the first admin member,
// whose bearer token it returns (shown once: the registry keeps only its hash).
// s.Origin must be set (datadir.OriginFor derives it from the base URL). pdfCert, if not nil,
// sets up the office's X.509 material for embedded PDF signatures before the registry opens.
// opts, if given, name the store (Options.Database).
//
// Init writes the directory, then the log, then the admin, each durably, and leaves the
// directory marked unfinished: the caller calls Finish on it once the token has reached the
// operator. An init stopped before (killed, or its database unreachable) leaves a directory
// that says it is initialized and an office nobody can act for. Run again with the same
// settings, Init finishes such an office: one whose store holds no member yet, or whose only
// member is the admin it names, who then gets a new token in place of the lost one
// (registry.Registry.ReissueBootstrap). It refuses any other. It holds the data directory's
// lock (datadir.Dir.Lock) while it makes the log and the admin, and refuses, with
// datadir.ErrLocked, a directory a server or another init holds.
func Init(ctx context.Context, path string, s datadir.Settings, admin string, pdfCert func(dir string) error, opts ...Options) (*datadir.Dir, string, error) {
	if err := registry.CheckMemberName(admin); err != nil {
		return nil, "", fmt.Errorf("init: %w", err)
	}
	name, err := registry.CheckOfficeName(s.Office, s.Prefix)
	if err != nil {
		return nil, "", fmt.Errorf("init: %w", err)
	}
	s.Office = name
	var opt Options
	if len(opts) > 0 {
		opt = opts[0]
	}
	d, err := datadir.Init(path, s)
	resumed := errors.Is(err, datadir.ErrInitialized)
	var hasAdmin bool
	unlock := func() {}
	switch {
	case resumed:
		d, hasAdmin, unlock, err = unfinished(ctx, path, s, opt, err)
	case err == nil:
		if unlock, err = d.Lock(); err != nil {
			d.Close()
		}
	}
	if err != nil {
		return nil, "", fmt.Errorf("init: %w", err)
	}
	defer unlock()
	initStep("directory")
	if pdfCert != nil {
		// An unfinished init may have set the certificate up already, or have been killed
		// while it did, leaving files without the signing certificate.
		if _, err := officeca.Load(d.Path); !resumed || errors.Is(err, officeca.ErrNoCertificate) {
			if resumed {
				if err := officeca.Discard(d.Path); err != nil {
					d.Close()
					return nil, "", fmt.Errorf("init: %w", err)
				}
			}
			if err := pdfCert(d.Path); err != nil {
				d.Close()
				return nil, "", fmt.Errorf("init: pdf certificate: %w", err)
			}
		}
	}
	opt.create, opt.resume = true, resumed
	st, err := Open(ctx, d, opt)
	if err != nil {
		d.Close()
		return nil, "", err
	}
	defer st.Close()
	initStep("log")
	bootstrap := st.Registry.Bootstrap
	if hasAdmin {
		bootstrap = st.Registry.ReissueBootstrap
	}
	tok, err := bootstrap(ctx, admin)
	if err != nil {
		d.Close()
		return nil, "", fmt.Errorf("init: %w", err)
	}
	initStep("admin")
	return d, tok, nil
}

// initStep, set only by tests, is called with the name of each step of Init once it is done:
// crash tests kill the process there.
var initStep = func(string) {}

// unfinished reopens the data directory at path for Init to finish, if an init with s
// stopped before its admin's token was delivered (datadir.Reopen), and reports whether its
// office has a member already; otherwise it returns initialized, the error of datadir.Init
// that found the directory. An office with more than one member was finished (its admin's
// token arrived, the mark was left): its mark is cleared. It holds the data directory's lock
// from before it opens the store, and returns the function that releases it: a server
// started on the unfinished directory may be running its log there, and an init beside it
// would give the admin a token, or make the log, under it.
func unfinished(ctx context.Context, path string, s datadir.Settings, opt Options, initialized error) (_ *datadir.Dir, hasAdmin bool, unlock func(), err error) {
	d, err := datadir.Reopen(path, s)
	if err != nil {
		return nil, false, nil, err
	}
	release, err := d.Lock()
	if err != nil {
		d.Close()
		return nil, false, nil, err
	}
	// release, not unlock: a failed return sets unlock to nil before this runs.
	defer func() {
		if err != nil {
			release()
			d.Close()
		}
	}()
	db, err := openOrCreate(ctx, opt.Database, d.Path)
	if err != nil {
		return nil, false, nil, err
	}
	defer db.Close()
	var members int
	err = db.View(ctx, func(tx *store.Tx) error {
		ms, err := tx.Members(ctx)
		members = len(ms)
		return err
	})
	switch {
	case err != nil:
		return nil, false, nil, err
	case members > 1:
		return nil, false, nil, errors.Join(initialized, d.Finish())
	}
	return d, members == 1, release, nil
}

// openOrCreate opens the store of an office whose init stopped: with its log, or before the
// log was made.
func openOrCreate(ctx context.Context, database, dir string) (*store.DB, error) {
	db, err := store.Open(ctx, database, dir)
	if errors.Is(err, store.ErrNoSQLite) || errors.Is(err, store.ErrNoLog) {
		return store.Create(ctx, database, dir)
	}
	return db, err
}

// Close stops the log and closes the store. Calling it again returns the first call's error.
func (s *Stack) Close() error {
	s.closeOnce.Do(func() {
		s.stopAnswers()
		s.stopFollowing()
		s.closeErr = errors.Join(s.Log.Close(), s.DB.Close())
	})
	return s.closeErr
}

// buildAnswers builds, in the background, the kept public answers of the letters released
// before migration 20 (registry.BuildAnswers). At a million letters that takes minutes, which
// neither a server's start nor a command's should wait for: until a letter's row is built,
// its lookup takes the general path, with the same answer. A build stopped by Close, or
// failed, resumes at the next start. It returns a function that stops it.
func buildAnswers(reg *registry.Registry, logger *slog.Logger) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		start := time.Now()
		n, err := reg.BuildAnswers(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			logger.Error("kept answers: build failed; lookups of the letters left take the general path", "built", n, "err", err)
		case n > 0:
			logger.Info("kept answers built", "letters", n, "took", time.Since(start).Round(time.Millisecond))
		}
	}()
	return func() {
		cancel()
		<-done
	}
}

// holdAnswers holds the kept answers in memory, read in the background (store.DB.HoldAnswers),
// and logs how many it holds once it has read them. It returns a function that stops the
// reading.
func holdAnswers(db *store.DB, limit int64, logger *slog.Logger) (stop func()) {
	start := time.Now()
	return db.HoldAnswers(limit, func(rows int, bytes int64, err error) {
		if err != nil {
			logger.Error("kept answers: reading them into memory failed; lookups of the letters left read the store", "held", rows, "err", err)
			return
		}
		logger.Info("kept answers held in memory", "letters", rows, "bytes", bytes, "limit", limit, "took", time.Since(start).Round(time.Millisecond))
	})
}

// followPolicy puts in force, within a second, a policy that another server on the same
// database adopted: a release checks in its transaction that the policy it was decided under
// is the one in force, so a server that kept an older one would refuse every release. It
// also reads the office key history again, for the trust root, after a rotation made through
// another data directory. It reloads after the log grew, as an adoption and a rotation are
// log entries, and once at its first tick: what another server adopted or rotated after Open
// read the policy and the key history, but before this started, is in a log this server may
// have read already. It returns a function that stops it.
func followPolicy(lg *translog.Log, reg *registry.Registry) (stop func()) {
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(time.Second)
		defer t.Stop()
		seen := int64(-1)
		for {
			select {
			case <-done:
				return
			case <-t.C:
			}
			if size := lg.Head().Size; size != seen {
				// A failed reload is retried at the next growth; the release path refuses
				// meanwhile rather than use the wrong policy.
				ctx := context.Background()
				if reg.LoadPolicy(ctx, policy.Parse) == nil && reg.LoadOfficeKeys(ctx) == nil {
					seen = size
				}
			}
		}
	}()
	return func() { close(done); <-stopped }
}

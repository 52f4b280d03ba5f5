package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/chancery/chancery/internal/accesslog"
	"github.com/chancery/chancery/internal/checkpoint"
	"github.com/chancery/chancery/internal/cosigned"
	"github.com/chancery/chancery/internal/datadir"
	"github.com/chancery/chancery/internal/metrics"
	"github.com/chancery/chancery/internal/office"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/server"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/translog"
	"github.com/spf13/cobra"
)

// serveOps are serve's settings for operators: logs and metrics.
type serveOps struct {
	metricsListen string
	metricsLn     net.Listener // bound by bindMetrics, served by serveMetrics
	debugListen   string
	debugLn       net.Listener // bound by bindDebug, served by serveDebug
	logFormat     string
	answerMemory  int64
	// reachable are the warnings of bindMetrics and bindDebug about a listener other machines
	// may reach: bound before the logger exists, they are logged through it once it does,
	// so that with --log-format json they are JSON lines too.
	reachable []string
}

func addServeOpsFlags(c *cobra.Command, o *serveOps) {
	c.Flags().StringVar(&o.metricsListen, "metrics-listen", "", "serve Prometheus metrics at /metrics on this address, e.g. 127.0.0.1:9090; keep it off public interfaces")
	c.Flags().StringVar(&o.debugListen, "debug-listen", "", "serve Go's profiler (net/http/pprof) on this address, e.g. 127.0.0.1:6060; keep it off public interfaces")
	c.Flags().StringVar(&o.logFormat, "log-format", "text", "log format on stderr: text (key=value lines) or json (one object per line)")
	c.Flags().Int64Var(&o.answerMemory, "answer-memory", defaultAnswerMemory(readMemory()), "bytes of kept public verify answers held in memory on SQLite (about 1.6-1.8 KB per released letter; letters past it are read from the database; default an eighth of the machine's or the container's memory); 0 holds none")
}

// defaultAnswerMemory is --answer-memory's default for a machine of mem bytes (0: unknown): an
// eighth of it, which Go's collector may make a quarter in resident memory (docs/operations.md).
// A fixed default was either too small for a large registry (1 GiB holds about 600,000 letters
// of 1.6-1.8 KB) or too large for a small server; unknown, it is 1 GiB.
func defaultAnswerMemory(mem int64) int64 {
	if mem <= 0 {
		return 1 << 30
	}
	return mem / 8
}

// readMemory returns the memory this process may use: the machine's (/proc/meminfo), or its
// cgroup's limit when that is smaller (a container); 0 when neither can be read (not Linux).
func readMemory() int64 {
	var mem int64
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for line := range strings.Lines(string(b)) {
			if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
				if kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64); err == nil {
					mem = kb << 10
				}
			}
		}
	}
	for _, path := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		b, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		// "max" (no limit) does not parse; cgroup v1 says no limit with a huge number.
		if limit, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64); err == nil && limit > 0 && (mem == 0 || limit < mem) {
			mem = limit
		}
	}
	return mem
}

// logger returns the server's logger on w, in the chosen format.
func (o serveOps) logger(w io.Writer) (*slog.Logger, error) {
	l, err := accesslog.NewLogger(w, o.logFormat)
	if err != nil {
		return nil, withHint(err, "pass --log-format text or --log-format json")
	}
	return l, nil
}

// bindMetrics binds the metrics listener at once, so that a busy port fails before the
// server starts; serveMetrics serves it once the office's name is known.
func (o *serveOps) bindMetrics() error {
	if o.metricsListen == "" {
		return nil
	}
	ln, err := net.Listen("tcp", o.metricsListen)
	if err != nil {
		return withHint(err, "pass another --metrics-listen address")
	}
	o.reachable = appendReachable(o.reachable, ln, "the metrics listener", "anyone who reaches it reads the registry's activity (releases, verifications, errors)")
	o.metricsLn = ln
	return nil
}

// serveMetrics serves the metrics on their own listener, apart from the public handler, so
// that a firewall or a bind address keeps them private. Like the profiler's, the listener
// answers only names no rebinding page can have (server.LocalNames), and the names the
// office gives its scrapers: the base URL's host and the name --metrics-listen binds to.
func (o serveOps) serveMetrics(base string, logger *slog.Logger) {
	if o.metricsLn == nil {
		return
	}
	var names []string
	if u, err := url.Parse(base); err == nil {
		names = append(names, u.Hostname())
	}
	if host, _, err := net.SplitHostPort(o.metricsListen); err == nil {
		names = append(names, host)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", metrics.Handler())
	go opsServer(server.LocalNames(mux, names...), 30*time.Second, logger).Serve(o.metricsLn)
}

// bindDebug binds the profiler's listener at once, as bindMetrics does; serveDebug serves it.
func (o *serveOps) bindDebug() error {
	if o.debugListen == "" {
		return nil
	}
	ln, err := net.Listen("tcp", o.debugListen)
	if err != nil {
		return withHint(err, "pass another --debug-listen address")
	}
	o.reachable = appendReachable(o.reachable, ln, "the profiler", "anyone who reaches it can take CPU profiles and traces of the server, and read its stacks")
	o.debugLn = ln
	return nil
}

// serveDebug serves the Go profiler on its own listener, apart from the public handler.
func (o serveOps) serveDebug(logger *slog.Logger) {
	if o.debugLn == nil {
		return
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	go opsServer(server.LocalNames(mux), 5*time.Minute, logger).Serve(o.debugLn)
}

// opsServer is the HTTP server of an operator's listener (metrics, the profiler), with the
// bounds of the public one: such a listener shares the process's file descriptors and memory
// with it, so connections that never finish their headers, or idle forever, or carry a
// megabyte of headers each, would take them from the registry. write bounds each answer (a
// CPU profile takes its seconds to write). What net/http logs goes to logger (errorLog).
func opsServer(h http.Handler, write time.Duration, logger *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ErrorLog:          errorLog(logger),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      write,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    16 << 10,
	}
}

// checkPublished refuses a stored log that does not extend the checkpoint this data
// directory's server last published (datadir.PublishedFile): a database restored from an
// older backup would otherwise be served, and sequenced on, as if nothing had been lost.
// Without a record (a new directory, or one from before the record existed) it passes. A
// SQLite database in a directory whose office moved to PostgreSQL (datadir.MovedFile) is
// refused whatever its log: the servers on PostgreSQL have carried the log on.
func checkPublished(ctx context.Context, d *datadir.Dir, db *store.DB) error {
	if db.Dialect() == store.SQLite {
		if err := checkNotMoved(d); err != nil {
			return err
		}
	}
	cp, err := d.Published()
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case errors.Is(err, datadir.ErrNotWritten):
		// Damaged (a FIFO, a link to a large file): unreadable, as a record that is not a
		// checkpoint is, so that accept-restore can set it aside.
	case err != nil:
		return withHint(err, "the server's user must be able to read and replace %s: is it another account's (root's)? Give it to the owner of %s", datadir.PublishedFile, d.Path)
	default:
		_, _, err = checkpoint.Open(cp, d.Verifier())
	}
	if err != nil {
		return withHint(&unreadableRecord{fmt.Errorf("refusing to serve: %s in %s is not a checkpoint of this log: %w", datadir.PublishedFile, d.Path, err)},
			"it is damaged, or another log's: what this server published cannot be read from it. Compare the database's log with the newest checkpoint its witnesses or monitors hold; if it extends it, run 'chancery log accept-restore --data %s', which keeps the record aside and records the database's checkpoint (docs/operations.md, \"Backups and restore\")", shellArg(d.Path))
	}
	return checkAgainst(ctx, d, d.Path, db, cp)
}

// checkNotMoved refuses the SQLite office of a data directory that store migrate moved to
// PostgreSQL (datadir.MovedFile).
func checkNotMoved(d *datadir.Dir) error {
	m, err := d.Moved()
	if err != nil {
		return withHint(err, "the server's user must be able to read %s in %s", datadir.MovedFile, d.Path)
	}
	if m == nil {
		return nil
	}
	at := "(unknown time)"
	if !m.At.IsZero() {
		at = m.At.UTC().Format(time.DateTime + " UTC")
	}
	if m.Pending {
		return withHint(fmt.Errorf("refusing the SQLite database of %s: a 'chancery store migrate' to %s began on %s, at a log of %d entries, and did not finish: its copy may have been committed", d.Path, m.To, at, m.Size),
			"if no migrate is still running, drop the database it was copying into (it is empty, or holds a copy that was not verified), remove %s and migrate again (docs/operations.md, \"Moving from SQLite\")",
			filepath.Join(d.Path, datadir.MovedFile))
	}
	return withHint(fmt.Errorf("refusing the SQLite database of %s: 'chancery store migrate' moved this office to %s on %s, at a log of %d entries; the servers there carry the log on, and appending here would fork it", d.Path, m.To, at, m.Size),
		"serve the office with --database (or CHANCERY_DATABASE) from a copy of this directory, and back it up with pg_dump (docs/operations.md, \"Moving from SQLite\"). To go back to SQLite before anything was logged on PostgreSQL, remove %s, and copy %s and %s of a PostgreSQL server's data directory here first, so that the letters erased there are erased again; once something was logged, this database lacks it",
		filepath.Join(d.Path, datadir.MovedFile), datadir.ErasedFile, datadir.ErasedLettersFile)
}

// unreadableRecord is checkPublished's refusal of a published checkpoint record that is not a
// checkpoint of the directory's log.
type unreadableRecord struct{ err error }

func (u *unreadableRecord) Error() string { return u.err.Error() }
func (u *unreadableRecord) Unwrap() error { return u.err }

// isUnreadableRecord reports whether err is, or wraps, an unreadableRecord.
func isUnreadableRecord(err error) bool {
	var u *unreadableRecord
	return errors.As(err, &u)
}

// checkAgainst is checkPublished against cp, a checkpoint of d's log already handed out. Its
// hints name the data directory as dir, where the operator will decide: a restore checks the
// backup in a staging directory (d), which is renamed or moved into dir, and whose name
// 'chancery log accept-restore --data' cannot take.
func checkAgainst(ctx context.Context, d *datadir.Dir, dir string, db *store.DB, cp []byte) error {
	err := translog.CheckPublished(ctx, db, d.Verifier(), cp)
	var rb *translog.RollbackError
	if !errors.As(err, &rb) {
		return err
	}
	if rb.Forked {
		return withHint(fmt.Errorf("refusing to serve: %w", err),
			"is this the office's database? If it is, and you accept that the log now contradicts checkpoints already handed out, run 'chancery log accept-restore --data %s' (docs/operations.md, \"Backups and restore\")", shellArg(dir))
	}
	return withHint(fmt.Errorf("refusing to serve: %w", err),
		"was the database restored from an older backup? Restore a newer one if you have it (%s records the published checkpoint); if not, and you accept losing entries %d to %d, run 'chancery log accept-restore --data %s' (docs/operations.md, \"Backups and restore\")",
		datadir.PublishedFile, rb.Stored, rb.Published-1, shellArg(dir))
}

// checkWitnesses asks the office's witnesses where they stand before the server appends
// anything (cosigned.Heads.CheckWitnesses): with several servers on one PostgreSQL database,
// one stopped while the others published more passes its own record's check on a database
// restored between the two, and would sign checkpoints of sizes the others already published,
// with other roots. A witness that holds a larger tree, or one the log does not extend, halts
// the log's appends; the server serves what the log holds, and says why in its log, in
// /readyz and in every release's answer.
func checkWitnesses(ctx context.Context, st *office.Stack, logger *slog.Logger) {
	if err := st.Heads.CheckWitnesses(ctx, cosigned.DefaultCheckWait, logger.With("component", "witness-client")); err != nil {
		logger.Error("a witness holds a tree of this log that the database does not extend: this server appends nothing until the witness cosigns the log again or is removed. "+
			"Was the database restored from a backup older than what the office's servers published? Restore a newer one if you have it; if not, and you accept losing the entries the witness cosigned, "+
			"run 'chancery log accept-restore' on every server's data directory and 'chancery witness remove NAME' (docs/operations.md, \"Backups and restore\")", "err", err)
	}
}

// lockCheckInterval is how often a server of a SQLite office checks that its lock files are
// the ones it locked (keepLock): the longest a second server may start beside it once both
// were removed by hand.
const lockCheckInterval = time.Second

// keepLock locks the data directory's lock files again when they are removed or replaced
// under the server (datadir.Dir.KeepLock), and logs it; stop ends it.
func keepLock(d *datadir.Dir, logger *slog.Logger) (stop func()) {
	return d.KeepLock(lockCheckInterval, func(name string, err error) {
		file := filepath.Join(d.Path, name)
		switch {
		case errors.Is(err, datadir.ErrLocked):
			logger.Error("the server's lock file was removed or replaced, and another process holds the new one: a second server may be using this data directory; stop it", "file", file)
		case err != nil:
			logger.Error("the server's lock file was removed or replaced, and cannot be locked again: nothing keeps a second server from this data directory", "file", file, "err", err)
		default:
			logger.Warn("the server's lock file was removed or replaced: locked again; leave it in place", "file", file)
		}
	})
}

// publishedInterval is the shortest time between two writes of the published record. The
// record is a lower bound of what was handed out, kept to detect a restore long after; writing
// it after every batch would add a rename and two fsyncs per batch to the disk's work, and a
// record a second behind still catches any backup older than a second.
const publishedInterval = time.Second

// keepPublished records the log's head in the data directory when it is published: now, after
// batches (at most once per publishedInterval), and once more when stop is called, after the
// server has stopped appending.
func keepPublished(d *datadir.Dir, lg *translog.Log, logger *slog.Logger) (stop func()) {
	last := int64(-1)
	write := func() {
		h := lg.Head()
		if h.Size == last {
			return
		}
		if err := d.SetPublished(h.Checkpoint); err != nil {
			logger.Error("record published checkpoint", "size", h.Size, "err", err)
			return
		}
		last = h.Size
	}
	write()
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			ch := lg.Published()
			if lg.Head().Size == last {
				select {
				case <-ch:
				case <-done:
					return
				}
			}
			write()
			select {
			case <-time.After(publishedInterval):
			case <-done:
				return
			}
		}
	}()
	return func() {
		close(done)
		wg.Wait()
		write()
	}
}

// errorLog is the logger a net/http server writes its own errors to (a panic in a handler,
// an accept failure, a TLS handshake refused) through logger, as warnings: without it they
// went to the standard logger, plain text lines among --log-format json's objects.
func errorLog(logger *slog.Logger) *log.Logger {
	return slog.NewLogLogger(logger.Handler(), slog.LevelWarn)
}

// erasedInterval is how often a server records the database's erasures in its data directory:
// one made through another server of a PostgreSQL database is recorded by each.
const erasedInterval = 5 * time.Second

// keepErased erases again, before the server serves, the releases and the letters its data
// directory records as erased that the database holds with their content (a database restored
// from a backup taken before their erasure, the letter a draft in it or not), then records the
// database's erasures in the data directory now, every erasedInterval, before a member's
// erasure is answered, and once more when stop is called (datadir.ErasedFile,
// datadir.ErasedLettersFile).
func keepErased(ctx context.Context, d *datadir.Dir, reg *registry.Registry, logger *slog.Logger) (stop func(), err error) {
	rec, err := d.Erased()
	if err != nil {
		return nil, withHint(err, "the server's user must be able to read %s; if it is damaged, move it aside: the erasures the database holds are recorded again", filepath.Join(d.Path, datadir.ErasedFile))
	}
	for _, e := range rec {
		ref, err := reg.EraseAgain(ctx, registry.ErasedRelease{Index: e.Index, Leaf: e.Leaf})
		if err != nil {
			return nil, withHint(fmt.Errorf("refusing to serve: %w", err), "the data directory records this release as erased; the database holds its content (restored from an older backup?) and it could not be erased again")
		}
		if ref != "" {
			logger.Warn("erased again: the database held the content of a letter erased before (restored from a backup taken before the erasure)", "reference", ref, "log_index", e.Index)
		}
	}
	letters, err := d.ErasedLetters()
	if err != nil {
		return nil, withHint(err, "the server's user must be able to read %s; if it is damaged, move it aside: the erasures the database holds are recorded again", filepath.Join(d.Path, datadir.ErasedLettersFile))
	}
	// Those whose release the database holds erased are passed over: each erasure again is a
	// write transaction of its own.
	have, err := reg.ErasedLetters(ctx)
	if err != nil {
		return nil, fmt.Errorf("refusing to serve: %w", err)
	}
	key := func(ref string, created time.Time, digest string) string {
		return ref + " " + created.UTC().Format(time.RFC3339Nano) + " " + digest
	}
	erased := make(map[string]bool, len(have))
	for _, e := range have {
		erased[key(e.Reference, e.Created, e.Digest)] = true
	}
	for _, e := range letters {
		if erased[key(e.Reference, e.Created, e.Digest)] {
			continue
		}
		ref, err := reg.EraseLetterAgain(ctx, registry.ErasedLetter{Reference: e.Reference, Created: e.Created, Digest: e.Digest})
		if err != nil {
			return nil, withHint(fmt.Errorf("refusing to serve: %w", err), "the data directory records this letter as erased; the database holds its content (restored from an older backup?) and it could not be erased again")
		}
		if ref != "" {
			logger.Warn("erased again: the database held the content of a letter erased before (restored from a backup taken before the erasure)", "reference", ref)
		}
	}
	// The last record is made once the server is told to stop, ctx ended by then. Records
	// made at once after an erasure and by the ticker are made one at a time: each reads
	// the database's erasures after the one before has written its own.
	bg := context.WithoutCancel(ctx)
	var recording sync.Mutex
	// record logs what it could not record, and returns it for the erasure being answered.
	record := func() error {
		recording.Lock()
		defer recording.Unlock()
		var failed []error
		es, err := reg.ErasedReleases(bg)
		if err == nil {
			out := make([]datadir.Erasure, len(es))
			for i, e := range es {
				out[i] = datadir.Erasure{Index: e.Index, Leaf: e.Leaf}
			}
			_, err = d.AddErased(out)
		}
		if err != nil {
			logger.Error("record erased releases", "err", err)
			failed = append(failed, err)
		}
		ls, err := reg.ErasedLetters(bg)
		if err == nil {
			byLetter := make([]datadir.ErasedLetter, len(ls))
			for i, e := range ls {
				byLetter[i] = datadir.ErasedLetter{Reference: e.Reference, Created: e.Created, Digest: e.Digest}
			}
			_, err = d.AddErasedLetters(byLetter)
		}
		if err != nil {
			logger.Error("record erased letters", "err", err)
			failed = append(failed, err)
		}
		return errors.Join(failed...)
	}
	_ = record()
	// An erasure is recorded before its answer: a server killed within the interval, and
	// its database then lost or put back from an older backup, would otherwise forget it.
	reg.SetOnErased(record)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(erasedInterval)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				_ = record()
			case <-done:
				return
			}
		}
	}()
	return func() {
		reg.SetOnErased(nil)
		close(done)
		wg.Wait()
		_ = record()
	}, nil
}

// rereadInterval is how often rereadFingerprints logs its progress.
const rereadInterval = 10 * time.Second

// rereadFingerprints computes again, beside the server, the fingerprints that older builds
// stored from text read otherwise (registry.RereadFingerprints), logging
// its progress; it returns a function that stops it and waits for it to end, which serve
// calls however it returns (the next start goes on from there). It also ends when ctx ends.
func rereadFingerprints(ctx context.Context, reg *registry.Registry, logger *slog.Logger) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		start := time.Now()
		last, worked := start, false
		n, err := reg.RereadFingerprints(ctx, func(letter, through int64) {
			worked = true
			if time.Since(last) >= rereadInterval {
				logger.Info("reading again the text of letters fingerprinted by an earlier build", "letter", letter, "through", through)
				last = time.Now()
			}
		})
		switch {
		case err != nil && ctx.Err() != nil:
		case err != nil:
			logger.Error("fingerprints of letters stored by an earlier build not computed again: some may not be found by their text", "err", err)
		case worked:
			logger.Info("read again the text of letters fingerprinted by an earlier build: those whose text it read otherwise are found by it now",
				"replaced", n, "took", time.Since(start).Round(time.Millisecond))
		}
	}()
	return func() { cancel(); <-done }
}

// Package monitor follows Chancery transparency logs as an outsider does, from what they
// serve per C2SP tlog-tiles, so that nobody has to take an office's word for its own log.
//
// For each log, a pass fetches the latest checkpoint and checks its signature with the log
// key; checks, from the log's tiles, that its tree extends the tree of the last checkpoint
// the monitor checked (a consistency proof recomputed with golang.org/x/mod/sumdb/tlog, which
// authenticates every tile against the checkpoint's root); fetches every new entry and checks
// that it hashes into the tree; and reports the entries a public.Filter selects, described by package public. Only then does the
// log's state advance, so a restart continues from a checkpoint the monitor vouches for.
//
// Two signed checkpoints that cannot both be honest (the same size with another root, a tree
// that does not extend the one seen, a smaller tree than one seen) are a conflict: both are
// kept as evidence files, never overwritten, and reported as an alert. Data that does not
// match its own signed checkpoint (tiles, entries) is reported as unsound, with what was
// fetched kept too.
//
// Reports are delivered at least once: a report whose delivery fails is made again in the
// next pass, and a monitor stopped in the middle of a pass reports that pass's entries again
// when it restarts. Receivers tell reports apart by log and index.
package monitor

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/chancery/chancery/internal/checkpoint"
	"github.com/chancery/chancery/internal/monitor/public"
	"github.com/chancery/chancery/internal/translog"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Errors of a pass that callers branch on (exit statuses); any other error is a failure to
// run the pass (a log unreachable, a state file that cannot be written).
var (
	// ErrConflict: the log signed two checkpoints that cannot both be honest. Both are kept
	// as evidence.
	ErrConflict = errors.New("conflicting signed checkpoints")
	// ErrUnsound: the log serves data that does not match its own signed checkpoint, a
	// checkpoint that does not verify with its key, or an entry that is not a Chancery entry.
	ErrUnsound = errors.New("the log does not match its signed checkpoint")
)

// Alert problems.
const (
	ProblemFork           = "fork"            // same size, another root
	ProblemRollback       = "rollback"        // smaller than a size already seen, and not shown to be a part of that tree
	ProblemInconsistent   = "inconsistent"    // larger, but not an extension of the tree seen
	ProblemBadSignature   = "bad-signature"   // the checkpoint does not verify with the log key
	ProblemBadTiles       = "bad-tiles"       // the tiles do not hash to the checkpoint's root
	ProblemBadEntry       = "bad-entry"       // an entry bundle does not hash into the tree
	ProblemMalformedEntry = "malformed-entry" // an entry in the tree is not a Chancery entry
)

// Report types.
const (
	TypeEntry      = "entry"
	TypeCheckpoint = "checkpoint"
	TypeAlert      = "alert"
)

// Report is one thing the monitor reports: an entry of interest, a newly checked checkpoint,
// or an alert. Size and Root are those of the checkpoint the report is about (for an entry,
// the checkpoint whose tree it was proved in).
type Report struct {
	Type     string    `json:"type"`
	Log      string    `json:"log"` // the log's origin
	URL      string    `json:"url"`
	Size     int64     `json:"size"`
	Root     tlog.Hash `json:"root"`
	Observed time.Time `json:"observed"`
	// PreviousSize is, for a checkpoint, the size of the one checked before it.
	PreviousSize *int64 `json:"previous_size,omitempty"`
	*public.Entry
	*Alert
}

// Alert is what a report of type alert adds.
type Alert struct {
	Problem string `json:"problem"`
	Message string `json:"message"`
	// SeenSize and SeenRoot are the checkpoint held before, for a conflict.
	SeenSize *int64     `json:"seen_size,omitempty"`
	SeenRoot *tlog.Hash `json:"seen_root,omitempty"`
	// Evidence lists the files kept: the signed checkpoints, the bytes fetched, and (not
	// listed) the alert record beside them.
	Evidence []string `json:"evidence,omitempty"`
}

// Log is a log to follow.
type Log struct {
	// URL is the log's monitoring prefix (see NormalizeURL): URL+"/checkpoint" is its
	// checkpoint.
	URL string
	// Key is the log's note verifier key, "<origin>+<hash>+<key>".
	Key string
}

// Config configures a Monitor.
type Config struct {
	Logs []Log
	// StatePath is the state file; "" keeps the state in memory only.
	StatePath string
	// EvidenceDir is where alerts keep their evidence (default: StatePath+".evidence", or
	// "chancery-evidence" without a state file).
	EvidenceDir string
	Filter      public.Filter
	// HTTP is the client for the logs (default: one with a one-minute timeout).
	HTTP *http.Client
	// Report receives each report in order. An error ends the log's pass without advancing
	// its state, so the pass is made again, reports and all, the next time.
	Report func(context.Context, Report) error
	// Now returns the current time (default time.Now).
	Now func() time.Time
}

// UserAgent is sent with every request.
const UserAgent = "chancery-monitor"

// Monitor follows logs. Its methods are not safe for concurrent use.
type Monitor struct {
	cfg   Config
	state *State
	logs  []*follow
}

// follow is one followed log and what the monitor holds of it.
type follow struct {
	Log
	v      note.Verifier
	st     *LogState
	held   *checkpoint.Checkpoint // nil before the first checked checkpoint
	signed []byte
}

// New loads the state and checks each log's held checkpoint against its key.
func New(cfg Config) (*Monitor, error) {
	if len(cfg.Logs) == 0 {
		return nil, errors.New("monitor: no log to follow")
	}
	if cfg.Report == nil {
		return nil, errors.New("monitor: no Report function")
	}
	if cfg.HTTP == nil {
		cfg.HTTP = &http.Client{Timeout: time.Minute}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.EvidenceDir == "" {
		cfg.EvidenceDir = "chancery-evidence"
		if cfg.StatePath != "" {
			cfg.EvidenceDir = cfg.StatePath + ".evidence"
		}
	}
	st, err := LoadState(cfg.StatePath)
	if err != nil {
		return nil, err
	}
	m := &Monitor{cfg: cfg, state: st}
	seen := map[string]bool{}
	for _, l := range cfg.Logs {
		u, err := NormalizeURL(l.URL)
		if err != nil {
			return nil, fmt.Errorf("monitor: %w", err)
		}
		l.URL = u
		v, err := note.NewVerifier(l.Key)
		if err != nil {
			return nil, fmt.Errorf("monitor: log key %q: %w", l.Key, err)
		}
		if seen[l.Key] {
			return nil, fmt.Errorf("monitor: log key %s given twice", v.Name())
		}
		seen[l.Key] = true
		f := &follow{Log: l, v: v, st: st.Logs[l.Key]}
		if f.st == nil {
			f.st = &LogState{}
			st.Logs[l.Key] = f.st
		}
		f.st.URL = l.URL
		if f.st.Checkpoint != "" {
			c, _, err := checkpoint.Open([]byte(f.st.Checkpoint), v)
			if err != nil {
				return nil, fmt.Errorf("monitor: %w: its checkpoint of %s does not verify: %w", ErrState, v.Name(), err)
			}
			f.held, f.signed = &c, []byte(f.st.Checkpoint)
		}
		m.logs = append(m.logs, f)
	}
	return m, nil
}

// EvidenceDir returns the directory where alerts keep their evidence.
func (m *Monitor) EvidenceDir() string { return m.cfg.EvidenceDir }

// Pass makes one pass over every log. Its error joins those of the logs; errors.Is tells
// ErrConflict and ErrUnsound from failures to read a log.
func (m *Monitor) Pass(ctx context.Context) error {
	var errs []error
	for _, f := range m.logs {
		if err := m.pass(ctx, f); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", f.v.Name(), err))
		}
	}
	return errors.Join(errs...)
}

// Run makes a pass every interval until ctx is done, then returns nil. A pass that fails is
// given to warn, unless it failed as the previous one did: a standing finding fails every pass
// and is said once.
func (m *Monitor) Run(ctx context.Context, interval time.Duration, warn func(error)) error {
	if interval <= 0 {
		return fmt.Errorf("monitor: interval %s is not positive", interval)
	}
	last := ""
	for {
		err := m.Pass(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if msg := fmt.Sprint(err); err != nil && msg != last {
			warn(err)
		}
		last = fmt.Sprint(err)
		t := time.NewTimer(interval)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
	}
}

// emptyRoot is the root of the empty tree, SHA-256 of nothing (RFC 6962).
var emptyRoot = tlog.Hash(sha256.Sum256(nil))

func (m *Monitor) pass(ctx context.Context, f *follow) error {
	fe := &fetcher{ctx: ctx, base: f.URL, client: m.cfg.HTTP, agent: UserAgent, saved: map[tlog.Tile][]byte{}}
	signed, err := fe.checkpoint()
	if err != nil {
		return err
	}
	now := m.cfg.Now()
	c, _, err := checkpoint.Open(signed, f.v)
	if err != nil {
		size, _ := checkpoint.Size(signed)
		r := Report{Type: TypeAlert, Log: f.v.Name(), URL: f.URL, Size: size, Observed: now,
			Alert: &Alert{Problem: ProblemBadSignature, Message: fmt.Sprintf("the checkpoint served does not verify with the log key: %v", err)}}
		return m.alert(ctx, f, r, evidence{checkpoints: [][]byte{signed}}, ErrUnsound)
	}
	base := Report{Log: f.v.Name(), URL: f.URL, Size: c.Size, Root: c.Root, Observed: now}
	oldSize, oldRoot := int64(0), emptyRoot
	if f.held != nil {
		oldSize, oldRoot = f.held.Size, f.held.Root
	}
	conflict := func(problem, format string, args ...any) error {
		r := base
		r.Type = TypeAlert
		r.Alert = &Alert{Problem: problem, Message: fmt.Sprintf(format, args...)}
		ev := evidence{checkpoints: [][]byte{signed}}
		if f.held != nil {
			r.SeenSize, r.SeenRoot = &oldSize, &oldRoot
			ev.checkpoints = [][]byte{f.signed, signed}
		}
		return m.alert(ctx, f, r, ev, ErrConflict)
	}
	switch {
	case c.Size < oldSize:
		// An older checkpoint of the same history is no conflict: a registry serves the
		// newest checkpoint its witness quorum cosigned, which is older than one it served
		// before once the quorum is raised. The log must show it is one: its tiles of the
		// tree held must hash to the served root at the smaller size.
		held := tlog.TileHashReader(tlog.Tree{N: oldSize, Hash: oldRoot}, fe)
		h, err := tlog.TreeHash(c.Size, held)
		if err == nil && h == c.Root {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil {
			return conflict(ProblemRollback, "the log signed a tree of size %d, smaller than the tree of size %d it signed before, and cannot show that tree any more (%v): it was rolled back or forked", c.Size, oldSize, err)
		}
		return conflict(ProblemRollback, "the log signed a tree of size %d, smaller than the tree of size %d it signed before, and not a part of it: it was rolled back or forked", c.Size, oldSize)
	case c.Size == oldSize && c.Root != oldRoot:
		return conflict(ProblemFork, "the log signed two trees of size %d with different roots (%s, then %s): split view", c.Size, oldRoot, c.Root)
	case c.Size == oldSize:
		if f.held == nil {
			return m.advance(ctx, f, base, c, signed)
		}
		return nil
	}

	hr := tlog.TileHashReader(tlog.Tree{N: c.Size, Hash: c.Root}, fe)
	// unsound reports data that does not match the new checkpoint, keeping it and the
	// bytes named in files.
	unsound := func(problem string, files map[string][]byte, format string, args ...any) error {
		r := base
		r.Type = TypeAlert
		r.Alert = &Alert{Problem: problem, Message: fmt.Sprintf(format, args...)}
		return m.alert(ctx, f, r, evidence{checkpoints: [][]byte{signed}, files: files}, ErrUnsound)
	}
	tileErr := func(err error) error {
		if isUnavailable(err) {
			return err
		}
		return unsound(ProblemBadTiles, nil, "the log's tiles do not match its checkpoint of size %d: %v", c.Size, err)
	}
	if oldSize > 0 {
		p, err := tlog.ProveTree(c.Size, oldSize, hr)
		if err != nil {
			return tileErr(err)
		}
		if err := tlog.CheckTree(p, c.Size, c.Root, oldSize, oldRoot); err != nil {
			return conflict(ProblemInconsistent, "the log's tree of size %d is not an extension of its tree of size %d: history was rewritten or forked", c.Size, oldSize)
		}
	}
	for n := oldSize / translog.TileWidth; n*translog.TileWidth < c.Size; n++ {
		first := n * translog.TileWidth
		w := int(min(c.Size-first, translog.TileWidth))
		bundle, entries, err := fe.bundle(n, w)
		if err != nil {
			if isUnavailable(err) {
				return err
			}
			return unsound(ProblemBadEntry, map[string][]byte{fmt.Sprintf("bundle-%d", n): bundle}, "entry bundle %d: %v", n, err)
		}
		idx := make([]int64, w)
		for i := range idx {
			idx[i] = tlog.StoredHashIndex(0, first+int64(i))
		}
		hashes, err := hr.ReadHashes(idx)
		if err != nil {
			return tileErr(err)
		}
		for i, e := range entries {
			if tlog.RecordHash(e) != hashes[i] {
				return unsound(ProblemBadEntry, map[string][]byte{fmt.Sprintf("bundle-%d", n): bundle},
					"entry %d as served does not hash into the tree of size %d", first+int64(i), c.Size)
			}
		}
		for i, e := range entries {
			index := first + int64(i)
			if index < oldSize {
				continue
			}
			d, err := public.Describe(index, e)
			if err != nil {
				return unsound(ProblemMalformedEntry, map[string][]byte{fmt.Sprintf("bundle-%d", n): bundle},
					"entry %d is not a Chancery entry: %v", index, err)
			}
			if !m.cfg.Filter.Match(d) {
				continue
			}
			r := base
			r.Type, r.Entry = TypeEntry, d
			if err := m.cfg.Report(ctx, r); err != nil {
				return err
			}
		}
	}
	return m.advance(ctx, f, base, c, signed)
}

// advance reports the new checkpoint and makes it the log's held checkpoint.
func (m *Monitor) advance(ctx context.Context, f *follow, base Report, c checkpoint.Checkpoint, signed []byte) error {
	r := base
	r.Type = TypeCheckpoint
	if f.held != nil {
		prev := f.held.Size
		r.PreviousSize = &prev
	}
	if err := m.cfg.Report(ctx, r); err != nil {
		return err
	}
	f.held, f.signed = &c, signed
	f.st.Checkpoint, f.st.Updated = string(signed), base.Observed
	return m.save()
}

func (m *Monitor) save() error {
	if m.cfg.StatePath == "" {
		return nil
	}
	return m.state.Save(m.cfg.StatePath)
}

// alert keeps the evidence of r, reports it, and returns the finding as an error wrapping
// kind. An alert already reported (the same problem with the same checkpoint) is not
// reported again; its error is still returned, since the finding still stands.
func (m *Monitor) alert(ctx context.Context, f *follow, r Report, ev evidence, kind error) error {
	finding := fmt.Errorf("%w: %s", kind, r.Message)
	h := sha256.New()
	h.Write([]byte(r.Problem + "\n" + r.Message + "\n"))
	for _, c := range ev.checkpoints {
		h.Write(c)
	}
	id := hex.EncodeToString(h.Sum(nil)[:16])
	if f.st.alerted(id) {
		return finding
	}
	var errs []error
	if err := keep(m.cfg.EvidenceDir, &r, ev); err != nil {
		errs = append(errs, err)
	}
	if err := m.cfg.Report(ctx, r); err != nil {
		return errors.Join(append(errs, finding, err)...)
	}
	if len(errs) == 0 {
		f.st.addAlerted(id)
		errs = append(errs, m.save())
	}
	return errors.Join(append([]error{finding}, errs...)...)
}

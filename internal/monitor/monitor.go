// Package monitor follows Chancery transparency logs as an outsider does, from what they
// serve per C2SP tlog-tiles, so that nobody has to take an office's word for its own log.
//
// For each log, a pass fetches the latest checkpoint and checks its signature with the log
// key, and, when the log's witnesses are known, every cosignature line of theirs, that none is
// dated ahead of the monitor's clock, and the quorum; checks, from the log's tiles, that its
// tree extends the tree of the last checkpoint the monitor checked (a consistency proof
// recomputed with golang.org/x/mod/sumdb/tlog, which authenticates every tile against the
// checkpoint's root); fetches every new entry and checks that it hashes into the tree; and
// reports the entries a public.Filter selects, described by package public. Only then is the
// checkpoint held, so a restart continues from a checkpoint the monitor vouches for.
//
// A checkpoint that extends the one held is remembered at once as the one being checked,
// with the entries checked so far, saved as the pass goes: a pass cut short (killed, a log
// unreachable, the bound on the entries a pass checks) continues where it stopped, and a
// later checkpoint is compared with it, not only with the one held.
//
// Two signed checkpoints that cannot both be honest (the same size with another root, a tree
// that does not extend the one seen, a smaller tree than one seen) are a conflict: both are
// kept as evidence files, never overwritten, and reported as an alert. Data that does not
// match its own signed checkpoint (tiles, entries, cosignatures) is reported as unsound, with
// what was fetched kept too.
//
// Reports are delivered at least once: a report whose delivery fails is made again in the
// next pass, and a monitor stopped in the middle of a pass reports the entries checked since
// its state was last saved again when it restarts. Receivers tell reports apart by log and
// index.
package monitor

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/chancery/chancery/internal/checkpoint"
	"github.com/chancery/chancery/internal/keys"
	"github.com/chancery/chancery/internal/monitor/public"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/translog"
	"github.com/chancery/chancery/internal/witness"
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
	// checkpoint that does not verify with its key or lacks its witnesses' cosignatures, or
	// an entry that is not a Chancery entry.
	ErrUnsound = errors.New("the log does not match its signed checkpoint")
	// ErrUnfinished: the pass checked as many entries of the log as a pass checks
	// (Config.MaxEntries) and stopped; the next pass continues from there. No finding.
	ErrUnfinished = errors.New("pass not finished")
)

// DefaultMaxEntries is the default of Config.MaxEntries.
const DefaultMaxEntries = 1 << 20

// DefaultMaxPassTime is the default of Config.MaxPassTime.
const DefaultMaxPassTime = 10 * time.Minute

// errPassTime is the cause of a log's pass cut at Config.MaxPassTime.
var errPassTime = errors.New("pass time over")

// progressEvery is how many entry bundles a pass checks between two saves of its progress
// (a variable for tests).
var progressEvery = 64

// Alert problems.
const (
	ProblemFork           = "fork"            // same size, another root
	ProblemRollback       = "rollback"        // smaller than a size already seen, and not shown to be a part of that tree
	ProblemInconsistent   = "inconsistent"    // larger, but not an extension of the tree seen
	ProblemBadSignature   = "bad-signature"   // the checkpoint does not verify with the log key
	ProblemBadTiles       = "bad-tiles"       // the tiles do not hash to the checkpoint's root
	ProblemBadEntry       = "bad-entry"       // an entry bundle does not hash into the tree
	ProblemMalformedEntry = "malformed-entry" // an entry in the tree is not a Chancery entry
	ProblemBadEmptyTree   = "bad-empty-tree"  // a tree of size 0 whose root is not the empty tree's
	ProblemBadCosignature = "bad-cosignature" // a cosignature line of a known witness key does not verify
	ProblemQuorum         = "quorum-not-met"  // fewer valid cosignatures of the known witnesses than the quorum
	// ProblemFutureCosignature: a known witness's cosignature that verifies is dated more than
	// witness.MaxClockSkew ahead of the monitor's clock.
	ProblemFutureCosignature = "future-cosignature"
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
	URL      string    `json:"url"` // the log's URL, without a user name or password (ShownURL)
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
	// checkpoint. A user name and password in it are sent with each request to the log and
	// appear nowhere else: not in reports, errors, evidence or the state file.
	URL string
	// Key is the log's note verifier key, "<origin>+<hash>+<key>".
	Key string
	// Witnesses are the note verifier keys (Ed25519 cosignature/v1) of the log's witnesses,
	// as a trust root lists them. Every cosignature line of one of these keys on a checkpoint
	// the log serves must verify, and Quorum of them must be there (0: none needed).
	Witnesses []string
	Quorum    int
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
	// Report receives each report in order. An error ends the log's pass; what it had not
	// finished (the entry bundle whose report failed, the checkpoint) is made again, reports
	// and all, the next time.
	Report func(context.Context, Report) error
	// Now returns the current time (default time.Now).
	Now func() time.Time
	// MaxEntries bounds the entries of a log one pass checks (default DefaultMaxEntries): a
	// log with more new entries is checked over several passes, each continuing from the
	// progress saved in the state, so that no log, however large or hostile, holds a pass for
	// ever. A pass always checks at least one entry bundle.
	MaxEntries int64
	// MaxPassTime bounds the time a pass gives one log (default DefaultMaxPassTime): a log
	// that answers slowly, each answer within the HTTP client's timeout, is cut there, its
	// progress saved, and the other logs have their turn.
	MaxPassTime time.Duration
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
	shown     string // URL without its user name and password (ShownURL)
	v         note.Verifier
	notes     note.Verifiers   // the log key and the witnesses' keys
	witnesses map[noteKey]bool // the witnesses' keys
	st        *LogState
	held      *checkpoint.Checkpoint // nil before the first checked checkpoint
	signed    []byte
	// pending is the checkpoint being checked (nil if none): it verified and extends held;
	// st.Checked of its entries are checked. pendingWitnessed: it met the witnesses, which a
	// pending checkpoint saved before they were known may not have; it is then compared with
	// the log's next checkpoints but not held until the log serves it, or a larger one, with
	// their cosignatures.
	pending          *checkpoint.Checkpoint
	pendingSigned    []byte
	pendingWitnessed bool
}

// noteKey identifies a note verifier key as signature lines do: by name and key hash.
type noteKey struct {
	name string
	hash uint32
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
	if cfg.MaxEntries <= 0 {
		cfg.MaxEntries = DefaultMaxEntries
	}
	if cfg.MaxPassTime <= 0 {
		cfg.MaxPassTime = DefaultMaxPassTime
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
	credentials := false // the state names a log's URL with a user name or password
	for _, l := range cfg.Logs {
		u, err := NormalizeURL(l.URL)
		if err != nil {
			return nil, fmt.Errorf("monitor: %w", err)
		}
		l.URL = u
		v, err := note.NewVerifier(l.Key)
		if err == nil {
			// Under a key of small order anyone signs every checkpoint: forged ones would
			// raise alarms of forks the log never made.
			var pub []byte
			if pub, err = seal.PublicKeyOf(l.Key); err == nil {
				err = keys.CheckPublicKey(pub)
			}
		}
		if err != nil {
			return nil, fmt.Errorf("monitor: log key %q: %w", l.Key, err)
		}
		// What is held of a log is kept under its key's one spelling: the same key spelt
		// otherwise (its hash in capitals, its base64 broken over lines) would start from
		// nothing, and take a forked history as the first one seen.
		if l.Key, err = canonicalKey(l.Key, v); err != nil {
			return nil, fmt.Errorf("monitor: log key %q: %w", l.Key, err)
		}
		if seen[l.Key] {
			return nil, fmt.Errorf("monitor: log key %s given twice", v.Name())
		}
		seen[l.Key] = true
		st.adoptSpelling(l.Key, v)
		f := &follow{Log: l, shown: ShownURL(u), v: v, st: st.Logs[l.Key]}
		if err := f.knowWitnesses(); err != nil {
			return nil, fmt.Errorf("monitor: %s: %w", v.Name(), err)
		}
		if f.st == nil {
			f.st = &LogState{}
			st.Logs[l.Key] = f.st
		}
		credentials = credentials || ShownURL(f.st.URL) != f.st.URL
		f.st.URL = f.shown
		if f.st.Checkpoint != "" {
			c, _, err := checkpoint.Open([]byte(f.st.Checkpoint), v)
			if err != nil {
				return nil, fmt.Errorf("monitor: %w: its checkpoint of %s does not verify: %w", ErrState, v.Name(), err)
			}
			f.held, f.signed = &c, []byte(f.st.Checkpoint)
		}
		if f.st.Pending != "" {
			c, _, err := checkpoint.Open([]byte(f.st.Pending), v)
			if err != nil {
				return nil, fmt.Errorf("monitor: %w: the checkpoint of %s being checked does not verify: %w", ErrState, v.Name(), err)
			}
			held := int64(0)
			if f.held != nil {
				held = f.held.Size
			}
			if c.Size <= held || f.st.Checked < held || f.st.Checked > c.Size {
				return nil, fmt.Errorf("monitor: %w: the checkpoint of %s being checked (size %d, %d entries checked) does not follow the one held (size %d)", ErrState, v.Name(), c.Size, f.st.Checked, held)
			}
			f.pending, f.pendingSigned = &c, []byte(f.st.Pending)
			problem, _, _ := f.witnessed(f.pendingSigned, c.Size, cfg.Now())
			f.pendingWitnessed = problem == ""
		}
		m.logs = append(m.logs, f)
	}
	// A state written by an earlier version may name a log's URL with its password.
	if credentials {
		if err := m.save(); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// knowWitnesses checks the log's witness keys and quorum and makes their verifiers.
func (f *follow) knowWitnesses() error {
	f.witnesses = map[noteKey]bool{}
	vs := []note.Verifier{f.v}
	// A cosignature/v1 signs neither the witness's name nor its key hash: one key under two
	// names would count twice toward the quorum.
	pubs := map[string]bool{}
	if logPub, err := seal.PublicKeyOf(f.Key); err == nil {
		pubs[string(logPub)] = true
	}
	for _, w := range f.Witnesses {
		wv, err := seal.WitnessVerifier(w)
		if err != nil {
			return fmt.Errorf("witness key: %w", err)
		}
		pub, err := seal.PublicKeyOf(w)
		if err != nil {
			return fmt.Errorf("witness key: %w", err)
		}
		if pubs[string(pub)] {
			return fmt.Errorf("witness key %s+%08x given twice, or the log's", wv.Name(), wv.KeyHash())
		}
		pubs[string(pub)] = true
		f.witnesses[noteKey{wv.Name(), wv.KeyHash()}] = true
		vs = append(vs, wv)
	}
	if f.Quorum < 0 || f.Quorum > len(f.Witnesses) {
		return fmt.Errorf("witness quorum %d out of range 0..%d", f.Quorum, len(f.Witnesses))
	}
	f.notes = note.VerifierList(vs...)
	return nil
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

// CatchUpPasses is how many passes in a row a log that is not finished (ErrUnfinished) is
// given at once, in continuous mode; it then waits the interval between passes like any log.
const CatchUpPasses = 16

// catchUpPasses is CatchUpPasses, a variable for tests.
var catchUpPasses = CatchUpPasses

// wait returns a channel that receives once d has passed (a variable for tests).
var wait = time.After

// Run makes a pass over each log every interval until ctx is done, then returns nil. A log
// whose pass did not finish (ErrUnfinished) has its next pass at once, up to CatchUpPasses
// passes in a row; then, still unfinished, one pass every interval: a log made huge (a log
// key can sign a tree of 2^62 entries, a few distinct ones repeated) never ends, and would
// otherwise have the monitor pass over it without rest for ever. The other logs keep their
// interval meanwhile, each taking its turn at most one bounded pass late (MaxEntries,
// MaxPassTime): they are neither held back by the log catching up nor fetched again with it.
//
// A log's failures are given to warn once for each kind (a conflict, data that does not
// match, a pass not finished, a failure to read the log) until a pass of that log succeeds:
// a standing finding fails every pass and is said once, and the messages, which quote what
// was served, cannot make whoever serves the log a warning a pass. Each new finding is
// reported all the same (Config.Report).
func (m *Monitor) Run(ctx context.Context, interval time.Duration, warn func(error)) error {
	if interval <= 0 {
		return fmt.Errorf("monitor: interval %s is not positive", interval)
	}
	next := make([]time.Time, len(m.logs))       // when each log's next pass is due
	streak := make([]int, len(m.logs))           // its unfinished passes in a row
	said := make([]map[string]bool, len(m.logs)) // the kinds of failure warned since it last succeeded
	for {
		var errs []error
		for i, f := range m.logs {
			if m.cfg.Now().Before(next[i]) {
				continue
			}
			err := m.pass(ctx, f)
			if ctx.Err() != nil {
				return nil
			}
			streak[i]++
			if !errors.Is(err, ErrUnfinished) {
				streak[i] = 0
			}
			next[i] = m.cfg.Now().Add(interval)
			if streak[i] > 0 && streak[i] < catchUpPasses {
				next[i] = time.Time{}
			}
			if err == nil {
				said[i] = nil
				continue
			}
			if kind := failureKind(err); !said[i][kind] {
				if said[i] == nil {
					said[i] = map[string]bool{}
				}
				said[i][kind] = true
				errs = append(errs, fmt.Errorf("%s: %w", f.v.Name(), err))
			}
		}
		if len(errs) > 0 {
			warn(errors.Join(errs...))
		}
		due := next[0]
		for _, t := range next[1:] {
			if t.Before(due) {
				due = t
			}
		}
		if d := due.Sub(m.cfg.Now()); d > 0 {
			select {
			case <-ctx.Done():
				return nil
			case <-wait(d):
			}
		}
	}
}

// failureKind names the kind of a log's failed pass, as Run warns of them.
func failureKind(err error) string {
	switch {
	case errors.Is(err, ErrConflict):
		return "conflict"
	case errors.Is(err, ErrUnsound):
		return "unsound"
	case errors.Is(err, ErrUnfinished):
		return "unfinished"
	}
	return "failure"
}

// tilesFinding tells a checkpoint's bad-tiles findings apart from others: their errors quote
// what was served.
const tilesFinding = "tiles"

// emptyRoot is the root of the empty tree, SHA-256 of nothing (RFC 6962).
var emptyRoot = tlog.Hash(sha256.Sum256(nil))

// pass makes one pass over the log f, within MaxPassTime.
func (m *Monitor) pass(ctx context.Context, f *follow) error {
	lctx, cancel := context.WithTimeoutCause(ctx, m.cfg.MaxPassTime, errPassTime)
	defer cancel()
	err := m.passLog(lctx, f)
	if err != nil && ctx.Err() == nil && errors.Is(context.Cause(lctx), errPassTime) && isUnavailable(err) {
		return fmt.Errorf("%w: a pass gives a log at most %s; the next pass continues", ErrUnfinished, m.cfg.MaxPassTime)
	}
	return err
}

func (m *Monitor) passLog(ctx context.Context, f *follow) error {
	fe := &fetcher{ctx: ctx, base: f.URL, client: m.cfg.HTTP, agent: UserAgent, saved: map[tlog.Tile][]byte{}}
	signed, err := fe.checkpoint()
	if err != nil {
		return err
	}
	now := m.cfg.Now()
	c, _, err := checkpoint.Open(signed, f.v)
	if err != nil {
		size, _ := checkpoint.Size(signed)
		r := Report{Type: TypeAlert, Log: f.v.Name(), URL: f.shown, Size: size, Observed: now,
			Alert: &Alert{Problem: ProblemBadSignature, Message: fmt.Sprintf("the checkpoint served does not verify with the log key: %v", err)}}
		n, keyErr := checkpoint.OpenNote(signed, note.VerifierList(f.v))
		ev := evidence{checkpoints: [][]byte{signed}, unsigned: keyErr != nil}
		if ev.unsigned {
			// The error quotes bytes anyone can write: one incident whatever they are.
			ev.what = "the checkpoint served does not verify with the log key"
		} else if _, serr := checkpoint.ParseStatus([]byte(n.Text)); serr == nil {
			// The log key signs status notes too, and the registry hands them to anyone who
			// verifies a letter online: whoever serves the log can serve one here, without
			// a key. A finding anyone can make, counted as one incident.
			ev.unsigned = true
			ev.what = "a status note of the log served as its checkpoint"
			r.Alert.Message = "the checkpoint served is a status note of the log (chancery-status/v1), which the registry gives to anyone who verifies a letter: whoever serves the log served it in place of a checkpoint"
		}
		return m.alert(ctx, f, r, ev, ErrUnsound)
	}
	if f.st.forgetUnsigned() {
		if err := m.save(); err != nil {
			return err
		}
	}
	base := Report{Log: f.v.Name(), URL: f.shown, Size: c.Size, Root: c.Root, Observed: now}
	// unsound reports data that does not match the served checkpoint, keeping it and the
	// bytes named in files; what, if not "", tells the finding apart instead of its message.
	unsound := func(problem, what string, files map[string][]byte, format string, args ...any) error {
		r := base
		r.Type = TypeAlert
		r.Alert = &Alert{Problem: problem, Message: fmt.Sprintf(format, args...)}
		return m.alert(ctx, f, r, evidence{checkpoints: [][]byte{signed}, files: files, what: what}, ErrUnsound)
	}
	if c.Size == 0 && c.Root != emptyRoot {
		return unsound(ProblemBadEmptyTree, "", nil, "the log signed a tree of size 0 whose root is %s, not the empty tree's %s: no honest log signs it", c.Root, emptyRoot)
	}
	// The served checkpoint is compared with the newest one seen to verify and extend the
	// held one: the one being checked, or else the one held.
	ref, refSigned := f.held, f.signed
	if f.pending != nil {
		ref, refSigned = f.pending, f.pendingSigned
	}
	refSize, refRoot := int64(0), emptyRoot
	if ref != nil {
		refSize, refRoot = ref.Size, ref.Root
	}
	// conflictShown alerts a conflict; shown is false when nothing signed shows it (see
	// evidence.unshown).
	var conflictShown func(problem string, shown bool, format string, args ...any) error
	conflict := func(problem, format string, args ...any) error {
		return conflictShown(problem, true, format, args...)
	}
	conflictShown = func(problem string, shown bool, format string, args ...any) error {
		r := base
		r.Type = TypeAlert
		r.Alert = &Alert{Problem: problem, Message: fmt.Sprintf(format, args...)}
		ev := evidence{checkpoints: [][]byte{signed}, unshown: !shown}
		if ref != nil {
			r.SeenSize, r.SeenRoot = &refSize, &refRoot
			ev.checkpoints = [][]byte{refSigned, signed}
		}
		return m.alert(ctx, f, r, ev, ErrConflict)
	}
	switch {
	case c.Size == 0 && refSize > 0:
		// The empty tree is a part of every tree: no tile can show whether the log serves an
		// old checkpoint of the history seen or was reset to nothing, and a log whose tiles
		// sit behind a cache (they are immutable) serves the old ones after a reset too.
		return conflict(ProblemRollback, "the log signed the empty tree after a tree of size %d: it was reset or rolled back", refSize)
	case c.Size < refSize:
		// An older checkpoint of the same history is no conflict: a registry serves the
		// newest checkpoint its witness quorum cosigned, which is older than one it served
		// before once the quorum is raised. The log must show it is one: its tiles of the
		// tree seen must hash to the served root at the smaller size. A log that answers
		// that those tiles are not there was set back; one that does not answer is out.
		seen := tlog.TileHashReader(tlog.Tree{N: refSize, Hash: refRoot}, fe)
		h, err := tlog.TreeHash(c.Size, seen)
		if err != nil && isUnavailable(err) && !isGone(err) {
			return err
		}
		if err != nil && isGone(err) {
			// A log set back to the smaller tree still serves that tree's tiles. One that
			// does not serve them either (a proxy that sends tiles nowhere, a stale cache
			// of the checkpoint before them) shows nothing of any tree: it is out, as for
			// any other failure to read it, and the next pass that can read its tiles
			// decides.
			own := tlog.TileHashReader(tlog.Tree{N: c.Size, Hash: c.Root}, fe)
			if _, ownErr := tlog.TreeHash(c.Size, own); ownErr != nil && isUnavailable(ownErr) {
				return fmt.Errorf("the log serves a tree of size %d, smaller than the tree of size %d it signed before, and the tiles of neither (%v): %w", c.Size, refSize, err, ownErr)
			}
		}
		if err != nil && !isGone(err) {
			// Tiles served that do not hash to the root the log signed before: whoever serves
			// the log can alter them, as those of any checkpoint.
			return unsound(ProblemBadTiles, tilesFinding, nil, "the log's tiles do not match its checkpoint of size %d: %v", refSize, err)
		}
		if err != nil {
			// Nothing signed shows this: both checkpoints may be of one history, and whoever
			// serves the log can answer 404 for tiles. Still a rollback, but its evidence is
			// counted with the findings that need no key, not in the conflicts' room.
			return conflictShown(ProblemRollback, false, "the log signed a tree of size %d, smaller than the tree of size %d it signed before, and cannot show that tree any more (%v): it was rolled back or forked", c.Size, refSize, err)
		}
		if h != c.Root {
			return conflict(ProblemRollback, "the log signed a tree of size %d, smaller than the tree of size %d it signed before, and not a part of it: it was rolled back or forked", c.Size, refSize)
		}
		if err := m.cosigned(ctx, f, base, signed); err != nil {
			return err
		}
	case c.Size == refSize && c.Root != refRoot:
		return conflict(ProblemFork, "the log signed two trees of size %d with different roots (%s, then %s): split view", c.Size, refRoot, c.Root)
	case c.Size == refSize:
		if err := m.cosigned(ctx, f, base, signed); err != nil {
			return err
		}
		if ref == nil { // the empty tree, seen first
			return m.advance(ctx, f, base, c, signed)
		}
		if f.pending != nil && !f.pendingWitnessed {
			// The checkpoint being checked, taken before the witnesses were known: the log's
			// copy with their cosignatures takes its place.
			f.pendingSigned, f.pendingWitnessed = signed, true
			f.st.Pending = string(signed)
			if err := m.save(); err != nil {
				return err
			}
		}
	default:
		hr := tlog.TileHashReader(tlog.Tree{N: c.Size, Hash: c.Root}, fe)
		if refSize > 0 {
			p, err := tlog.ProveTree(c.Size, refSize, hr)
			if err != nil {
				if isUnavailable(err) {
					return err
				}
				return unsound(ProblemBadTiles, tilesFinding, nil, "the log's tiles do not match its checkpoint of size %d: %v", c.Size, err)
			}
			if err := tlog.CheckTree(p, c.Size, c.Root, refSize, refRoot); err != nil {
				return conflict(ProblemInconsistent, "the log's tree of size %d is not an extension of its tree of size %d: history was rewritten or forked", c.Size, refSize)
			}
		}
		if err := m.cosigned(ctx, f, base, signed); err != nil {
			return err
		}
		// Remembered at once: a pass cut short continues with it, and the next checkpoint
		// is compared with it.
		if f.pending == nil {
			f.st.Checked = refSize
		}
		f.pending, f.pendingSigned, f.pendingWitnessed = &c, signed, true
		f.st.Pending = string(signed)
		if err := m.save(); err != nil {
			return err
		}
	}
	if f.pending == nil || !f.pendingWitnessed {
		// Nothing new, or a checkpoint being checked that lacks the witnesses (see follow):
		// the log's next checkpoints decide.
		return nil
	}
	return m.check(ctx, f, fe, base)
}

// cosigned checks the witnesses' cosignatures on signed, a checkpoint that verified with the
// log key (see witnessed), and alerts on what it finds.
func (m *Monitor) cosigned(ctx context.Context, f *follow, base Report, signed []byte) error {
	problem, message, what := f.witnessed(signed, base.Size, m.cfg.Now())
	if problem == "" {
		return nil
	}
	r := base
	r.Type = TypeAlert
	r.Alert = &Alert{Problem: problem, Message: message}
	return m.alert(ctx, f, r, evidence{checkpoints: [][]byte{signed}, what: what}, ErrUnsound)
}

// witnessed checks signed, a checkpoint of the given size that verified with the log key,
// against the log's witnesses: every line of a witness's key must verify (C2SP signed-note),
// none may be dated more than witness.MaxClockSkew ahead of now (C2SP tlog-cosignature: the
// time is what verifiers bound a checkpoint's age by, and the office's witness client refuses
// such a cosignature), and the quorum's must be there. It returns the problem, its message
// and what tells the finding apart when the message quotes bytes served ("" otherwise), or
// three "" if the checkpoint meets them.
func (f *follow) witnessed(signed []byte, size int64, now time.Time) (problem, message, what string) {
	if len(f.witnesses) == 0 {
		return "", "", ""
	}
	n, err := checkpoint.OpenNote(signed, f.notes)
	if err != nil {
		var bad *note.InvalidSignatureError
		if errors.As(err, &bad) {
			return ProblemBadCosignature, fmt.Sprintf("the checkpoint of size %d carries a cosignature of witness %s+%08x that does not verify", size, bad.Name, bad.Hash), ""
		}
		return ProblemBadCosignature, fmt.Sprintf("the cosignatures of the checkpoint of size %d cannot be read: %v", size, err), "unreadable cosignatures"
	}
	got := 0
	for _, s := range n.Sigs {
		if !f.witnesses[noteKey{s.Name, s.Hash}] {
			continue
		}
		if at := cosignatureTime(s.Base64); at.Sub(now) > witness.MaxClockSkew {
			return ProblemFutureCosignature, fmt.Sprintf("the checkpoint of size %d carries a cosignature of witness %s+%08x dated %s, %s ahead of this computer's clock (more than %s): the witness's clock, or this one's, is wrong, and a verifier bounding the checkpoint's age would take it as fresh until then",
					size, s.Name, s.Hash, at.Format(time.RFC3339), at.Sub(now).Round(time.Second), witness.MaxClockSkew),
				fmt.Sprintf("future cosignature of %s+%08x", s.Name, s.Hash)
		}
		got++
	}
	if got < f.Quorum {
		return ProblemQuorum, fmt.Sprintf("the checkpoint of size %d carries %d valid cosignatures of the log's %d witnesses, fewer than the quorum of %d", size, got, len(f.witnesses), f.Quorum), ""
	}
	return "", "", ""
}

// cosignatureTime reads the time of a cosignature/v1 signature line's base64, whose bytes
// (after the 4-byte key hash) are an 8-byte big-endian Unix time and the Ed25519 signature,
// verified with that time in the signed message (C2SP tlog-cosignature).
func cosignatureTime(b64 string) time.Time {
	b, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || len(b) != 4+8+ed25519.SignatureSize {
		return time.Time{}
	}
	return time.Unix(int64(min(binary.BigEndian.Uint64(b[4:12]), math.MaxInt64)), 0).UTC()
}

// check fetches the entries of the pending checkpoint's tree from where the last pass
// stopped, checks that they hash into the tree, and reports those the filter selects, saving
// its progress as it goes; once every entry is checked, the pending checkpoint is held. It
// stops, with ErrUnfinished, before a bundle that would take the pass beyond MaxEntries.
func (m *Monitor) check(ctx context.Context, f *follow, fe *fetcher, base Report) error {
	c, signed := f.pending, f.pendingSigned
	base.Size, base.Root = c.Size, c.Root
	unsound := func(problem, what string, files map[string][]byte, format string, args ...any) error {
		r := base
		r.Type = TypeAlert
		r.Alert = &Alert{Problem: problem, Message: fmt.Sprintf(format, args...)}
		return m.alert(ctx, f, r, evidence{checkpoints: [][]byte{signed}, files: files, what: what}, ErrUnsound)
	}
	hr := tlog.TileHashReader(tlog.Tree{N: c.Size, Hash: c.Root}, fe)
	from, saved := f.st.Checked, f.st.Checked
	progress := func() error {
		if f.st.Checked == saved {
			return nil
		}
		saved = f.st.Checked
		return m.save()
	}
	for n, bundles := from/translog.TileWidth, 0; n*translog.TileWidth < c.Size; n, bundles = n+1, bundles+1 {
		first := n * translog.TileWidth
		w := int(min(c.Size-first, translog.TileWidth))
		if f.st.Checked > from && first+int64(w)-from > m.cfg.MaxEntries {
			return errors.Join(fmt.Errorf("%w: a pass checks at most %d entries of a log; the next pass continues", ErrUnfinished, m.cfg.MaxEntries), progress())
		}
		if err := m.checkBundle(ctx, f, fe, hr, base, unsound, n, w); err != nil {
			return errors.Join(err, progress())
		}
		f.st.Checked = first + int64(w)
		if bundles%progressEvery == progressEvery-1 {
			if err := progress(); err != nil {
				return err
			}
		}
	}
	return m.advance(ctx, f, base, *c, signed)
}

// checkBundle checks entry bundle n, of width w, of the pending tree and reports its
// entries from f.st.Checked on.
func (m *Monitor) checkBundle(ctx context.Context, f *follow, fe *fetcher, hr tlog.HashReader, base Report,
	unsound func(string, string, map[string][]byte, string, ...any) error, n int64, w int) error {
	first := n * translog.TileWidth
	// A bundle's findings are told apart by its index alone: whoever serves the log chooses
	// the bytes, and with them the error and the entry that does not hash.
	what := fmt.Sprintf("entry bundle %d", n)
	bundle, entries, err := fe.bundle(n, w)
	if err != nil {
		if isUnavailable(err) {
			return err
		}
		return unsound(ProblemBadEntry, what, map[string][]byte{fmt.Sprintf("bundle-%d", n): bundle}, "entry bundle %d: %v", n, err)
	}
	idx := make([]int64, w)
	for i := range idx {
		idx[i] = tlog.StoredHashIndex(0, first+int64(i))
	}
	hashes, err := hr.ReadHashes(idx)
	if err != nil {
		if isUnavailable(err) {
			return err
		}
		return unsound(ProblemBadTiles, tilesFinding, nil, "the log's tiles do not match its checkpoint of size %d: %v", base.Size, err)
	}
	for i, e := range entries {
		if tlog.RecordHash(e) != hashes[i] {
			return unsound(ProblemBadEntry, what, map[string][]byte{fmt.Sprintf("bundle-%d", n): bundle},
				"entry %d as served does not hash into the tree of size %d", first+int64(i), base.Size)
		}
	}
	for i, e := range entries {
		index := first + int64(i)
		if index < f.st.Checked {
			continue
		}
		d, err := public.Describe(index, e)
		if err != nil {
			return unsound(ProblemMalformedEntry, "", map[string][]byte{fmt.Sprintf("%sbundle-%d", signedFiles, n): bundle},
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
	return nil
}

// advance reports the checkpoint c, whose every entry is checked, and makes it the log's
// held checkpoint.
func (m *Monitor) advance(ctx context.Context, f *follow, base Report, c checkpoint.Checkpoint, signed []byte) error {
	r := base
	r.Type = TypeCheckpoint
	r.Size, r.Root = c.Size, c.Root
	if f.held != nil {
		prev := f.held.Size
		r.PreviousSize = &prev
	}
	if err := m.cfg.Report(ctx, r); err != nil {
		return err
	}
	f.held, f.signed = &c, signed
	f.pending, f.pendingSigned = nil, nil
	f.st.Checkpoint, f.st.Updated = string(signed), base.Observed
	f.st.Pending, f.st.Checked = "", 0
	f.st.KeylessKept = false
	return m.save()
}

func (m *Monitor) save() error {
	if m.cfg.StatePath == "" {
		return nil
	}
	return m.state.Save(m.cfg.StatePath)
}

// alert keeps the evidence of r, reports it, and returns the finding as an error wrapping
// kind. An alert already reported (the same problem with the same checkpoint text) is not
// reported again; its error is still returned, since the finding still stands.
//
// The checkpoints' texts, which only the log key signs, tell findings apart, not their bytes:
// whoever serves the log can add signature lines of unknown keys, and would otherwise have
// every pass keep a new copy. For the same reason a message that quotes what was served
// (an entry bundle's error) is replaced by ev.what, which names only where it was found. A
// checkpoint the log key did not sign tells nothing apart (anyone can write one): such a
// finding is alerted once until the log serves a checkpoint that verifies again. The alerts
// about what signatures alone prove are remembered apart from the others, so that no number
// of the latter has the former alerted again.
//
// Of the findings that need no key (isKeyless), only the first since the monitor last held a
// checkpoint keeps evidence: whoever serves the log can make one per entry bundle of each
// checkpoint, and one per checkpoint the log signs, and would otherwise fill their room. To
// make another that keeps evidence, it has to serve the log's next checkpoint, every new
// entry with it, as they are.
func (m *Monitor) alert(ctx context.Context, f *follow, r Report, ev evidence, kind error) error {
	ev.key = f.Log.Key
	finding := fmt.Errorf("%w: %s", kind, r.Message)
	what := r.Message
	if ev.what != "" {
		what = ev.what
	}
	problem, texts := r.Problem, ev.checkpoints
	if isConflict(problem) {
		// A checkpoint shown to conflict with one seen is a finding once: served again
		// against a later one seen (a rollback where it was a fork), it proves nothing new,
		// and whoever serves the log could replay it against every checkpoint the log signs.
		problem, what, texts = "conflict", "", texts[len(texts)-1:]
	}
	h := sha256.New()
	h.Write([]byte(problem + "\n" + what + "\n"))
	if !ev.unsigned {
		for _, c := range texts {
			text, _, _ := bytes.Cut(c, []byte("\n\n"))
			h.Write(text)
			h.Write([]byte("\n\n"))
		}
	}
	id := hex.EncodeToString(h.Sum(nil)[:16])
	if ev.unsigned {
		id = unsignedPrefix + id
	}
	if f.st.alerted(id) {
		return finding
	}
	var errs []error
	keyless := isKeyless(r.Problem, ev)
	signed := (isConflict(r.Problem) && !ev.unshown) || isSigned(r.Problem)
	if keyless && f.st.KeylessKept {
		r.Message += "; its evidence is not kept: the first finding about bytes served since the monitor last held a checkpoint of this log keeps its evidence, and later ones keep none until it holds the next"
	} else if err := keep(m.cfg.EvidenceDir, &r, ev); err != nil {
		errs = append(errs, err)
	}
	if err := m.cfg.Report(ctx, r); err != nil {
		return errors.Join(append(errs, finding, err)...)
	}
	if len(errs) == 0 {
		f.st.addAlerted(id, signed)
		f.st.KeylessKept = f.st.KeylessKept || keyless && len(r.Evidence) > 0
		errs = append(errs, m.save())
	}
	return errors.Join(append([]error{finding}, errs...)...)
}

// canonicalKey returns the verifier key vkey, which v was made from, in its one spelling:
// the name, the key hash in eight lower-case hex digits, the key in padded base64.
func canonicalKey(vkey string, v note.Verifier) (string, error) {
	parts := strings.SplitN(vkey, "+", 3)
	if len(parts) != 3 {
		return "", errors.New("malformed verifier key")
	}
	key, err := base64.StdEncoding.DecodeString(parts[2])
	if err != nil {
		return "", fmt.Errorf("malformed verifier key: %w", err)
	}
	return fmt.Sprintf("%s+%08x+%s", v.Name(), v.KeyHash(), base64.StdEncoding.EncodeToString(key)), nil
}

// adoptSpelling moves what the state holds under another spelling of the key canonical (v's)
// to canonical, where a state written before keys were spelt one way kept it.
func (st *State) adoptSpelling(canonical string, v note.Verifier) {
	if st.Logs[canonical] != nil {
		return
	}
	for k, ls := range st.Logs {
		if w, err := note.NewVerifier(k); err == nil && w.Name() == v.Name() && w.KeyHash() == v.KeyHash() {
			if c, err := canonicalKey(k, w); err == nil && c == canonical {
				st.Logs[canonical] = ls
				delete(st.Logs, k)
				return
			}
		}
	}
}

package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"syscall"

	"github.com/chancery/chancery/internal/checkpoint"
	"github.com/chancery/chancery/internal/client"
	"github.com/chancery/chancery/internal/exclfile"
	"github.com/chancery/chancery/internal/verify"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// stateDirEnv names the directory where verify keeps the newest checkpoint it has seen of each
// log (default: the user's configuration directory, chancery/checkpoints).
const stateDirEnv = "CHANCERY_STATE_DIR"

// errRolledBack is a registry answer proved against an older tree than this client has already
// seen: a replayed answer, which may hide a withdrawal logged since (issue 12 item 4).
var errRolledBack = errors.New("the registry showed an older log than it showed before")

// olderTree is errRolledBack for an answer whose latest checkpoint is smaller than a tree
// this client has seen (kept, or in the answer's own seal). A registry that replays an old
// answer gives it, and so does, for a moment, a server of the office behind another (several
// behind one address, each following the stored log), or one whose cosigned head went back
// when the office raised its witness quorum: verify asks again before calling it a replay
// (verifier.Ask). It is also a consistency proof that a server behind cannot give yet, to a
// tree newer than its log (logBehind): verify asks again before saying it could not verify.
type olderTree struct{ error }

func (e olderTree) Unwrap() error { return e.error }

// logBehind reports whether err is a log's 404 for a tree size beyond its latest checkpoint
// (docs/log-format.md): the server asked for a consistency proof has not read yet the tree
// another server of the office handed out, in a seal or an answer, a moment before. Verify
// treats it as an olderTree, and asks again.
func logBehind(err error) bool {
	var e *client.APIError
	return errors.As(err, &e) && e.Status == http.StatusNotFound
}

// isOlderTree reports whether err is an olderTree.
func isOlderTree(err error) bool {
	var o olderTree
	return errors.As(err, &o)
}

// errForked is a newer tree that does not extend the one this client has seen.
var errForked = errors.New("the registry's log is not an extension of the log it showed before")

// checkpointState is the newest verified checkpoint of one log that this client has seen, kept
// in a small file so that a later run refuses an older one (a rolled-back or replayed answer)
// and accepts a newer one only with a consistency proof from the one it holds. It is safe for
// concurrent use, by one run and by several runs sharing the file (see lockAndReload).
type checkpointState struct {
	v    note.Verifier
	file string // "" when there is nowhere to keep it: the state lasts one run
	warn io.Writer

	mu     sync.Mutex
	held   *checkpoint.Checkpoint
	signed []byte
	warned bool
	// related are the trees of seals of another file found older than, and extended by, a
	// held tree (sealOfAnotherFile): a folder's copies beside one seal cost one proof.
	related map[[2]treeAt]bool
}

// treeAt is a tree of the log: its size and root.
type treeAt struct {
	size int64
	root tlog.Hash
}

// stateDir returns the directory for checkpoint state: $CHANCERY_STATE_DIR, or the user's
// configuration directory's chancery/checkpoints, or "" if there is none.
func stateDir() string {
	if d := os.Getenv(stateDirEnv); d != "" {
		return d
	}
	d, err := os.UserConfigDir()
	if err != nil {
		return ""
	}
	return filepath.Join(d, "chancery", "checkpoints")
}

// loadCheckpointState opens the state of the log whose key is logKey, from dir. A missing file
// is an empty state; a file that does not verify under the log key is an error (it was
// damaged or written for another key) rather than silently forgotten.
func loadCheckpointState(dir, logKey string, warn io.Writer) (*checkpointState, error) {
	v, err := note.NewVerifier(logKey)
	if err != nil {
		return nil, fmt.Errorf("log key: %w", err)
	}
	cs := &checkpointState{v: v, warn: warn}
	if dir == "" {
		return cs, nil
	}
	h := sha256.Sum256([]byte(logKey)) // one file per log key: a new key is a new log
	cs.file = filepath.Join(dir, hex.EncodeToString(h[:]))
	b, err := os.ReadFile(cs.file)
	if errors.Is(err, fs.ErrNotExist) {
		return cs, nil
	}
	if err != nil {
		return nil, err
	}
	c, _, err := checkpoint.Open(b, v)
	if err != nil {
		return nil, withHint(fmt.Errorf("the kept checkpoint %s does not verify: %w", cs.file, err),
			"it is the newest checkpoint of this log that verify has seen; if the trust root's log key changed, move the file away")
	}
	cs.held, cs.signed = &c, b
	return cs, nil
}

// open verifies a signed checkpoint with the log key.
func (cs *checkpointState) open(signed []byte) (*checkpoint.Checkpoint, error) {
	c, _, err := checkpoint.Open(signed, cs.v)
	if err != nil {
		return nil, err
	}
	return &c, nil
}

// extends checks that latest's checkpoint, signed by the log, extends the checkpoint
// sealCP by its consistency proof, and returns it. The answer is current only by the log's
// signed status (checkpoint.Status) of the release at log index release in latest's tree,
// which must have the answer's outcome and number of revocations: a checkpoint and a
// consistency proof are public, and anyone can attach them to an answer recorded before a
// withdrawal or a revocation. That holds when latest is the seal's own checkpoint too: a
// letter's seal can be proved against any later checkpoint from the log's public
// endpoints, so a seal as new as the log says nothing of what the log holds about it.
func (cs *checkpointState) extends(sealCP []byte, latest *client.Latest, release int64, outcome string, revocations int) ([]byte, error) {
	old, err := cs.open(sealCP)
	if err != nil {
		return nil, err
	}
	c, err := cs.open([]byte(latest.Checkpoint))
	if err != nil {
		return nil, fmt.Errorf("the registry's latest checkpoint: %w", err)
	}
	switch {
	case c.Size < old.Size:
		return nil, olderTree{fmt.Errorf("%w (the latest checkpoint it gave has tree size %d, its seal's %d)", errRolledBack, c.Size, old.Size)}
	case c.Size == old.Size && c.Root != old.Root:
		return nil, fmt.Errorf("%w: two trees of size %d with different roots", errForked, c.Size)
	case c.Size > old.Size:
		if err := tlog.CheckTree(latest.Proof, c.Size, c.Root, old.Size, old.Root); err != nil {
			return nil, fmt.Errorf("%w: the proof from the seal's tree size %d to %d does not check: %v", errForked, old.Size, c.Size, err)
		}
	}
	st, err := checkpoint.OpenStatus([]byte(latest.Status), cs.v)
	if err != nil {
		return nil, fmt.Errorf("%w: its seal is of tree size %d, and the log's signed status of the letter at tree size %d is missing or does not verify: %v", errRolledBack, old.Size, c.Size, err)
	}
	if st.Size != c.Size || st.Root != c.Root || st.Release != release || st.Outcome != outcome || st.Revocations != int64(revocations) {
		return nil, fmt.Errorf("%w: the log's signed status is of release %d, %s with %d key revocations, at tree size %d, not of this answer's release %d, %s with %d, at tree size %d",
			errRolledBack, st.Release, st.Outcome, st.Revocations, st.Size, release, outcome, revocations, c.Size)
	}
	return []byte(latest.Checkpoint), nil
}

// sealCheckpoint takes note of the checkpoint of a seal the user holds. An older one than the
// held checkpoint is fine (a seal keeps the checkpoint of its day); a newer one is adopted once
// the registry proves it extends the held one.
func (cs *checkpointState) sealCheckpoint(ctx context.Context, cl *client.Client, signed []byte) error {
	return cs.see(ctx, cl, signed, false)
}

// sealOfAnotherFile takes note of the checkpoint of a seal sound but for the file beside it
// (verifier.Compare), as sealCheckpoint does; and one older than the held checkpoint must be
// extended to it by the registry's consistency proof. A valid seal's older tree is related
// to the held one through the answer about its letter, whose latest checkpoint must extend
// both (extends, answer); the answer about another file (its text "altered", a draft) carries
// none, and a fork between the seal and the held tree went unsaid. (Found by review of
// 3abd43e, sixtieth session.)
func (cs *checkpointState) sealOfAnotherFile(ctx context.Context, cl *client.Client, signed []byte) error {
	if err := cs.see(ctx, cl, signed, false); err != nil {
		return err
	}
	c, err := cs.open(signed)
	if err != nil {
		return err
	}
	cs.mu.Lock()
	defer cs.mu.Unlock()
	h := cs.held
	if h == nil || c.Size >= h.Size { // see compared it, or kept it
		return nil
	}
	key := [2]treeAt{{c.Size, c.Root}, {h.Size, h.Root}}
	if cs.related[key] {
		return nil
	}
	p, err := cl.ConsistencyProof(ctx, c.Size, h.Size)
	if err != nil {
		err = fmt.Errorf("consistency proof from tree size %d to %d: %w", c.Size, h.Size, err)
		if logBehind(err) {
			return olderTree{err}
		}
		return err
	}
	if err := tlog.CheckTree(p, h.Size, h.Root, c.Size, c.Root); err != nil {
		return fmt.Errorf("%w: the proof from the seal's tree size %d to the kept tree size %d does not check: %v", errForked, c.Size, h.Size, err)
	}
	if cs.related == nil {
		cs.related = map[[2]treeAt]bool{}
	}
	cs.related[key] = true
	return nil
}

// answer checks the checkpoint of a registry's answer: it must not be older than the held
// one, and a newer one must extend it. It becomes the held checkpoint.
func (cs *checkpointState) answer(ctx context.Context, cl *client.Client, signed []byte) error {
	return cs.see(ctx, cl, signed, true)
}

func (cs *checkpointState) see(ctx context.Context, cl *client.Client, signed []byte, strict bool) error {
	c, err := cs.open(signed)
	if err != nil {
		return err
	}
	cs.mu.Lock()
	defer cs.mu.Unlock()
	for {
		unlock, err := cs.lockAndReload()
		if err != nil {
			return err
		}
		h := cs.held
		switch {
		case h == nil:
		case c.Size < h.Size:
			unlock()
			if strict {
				return olderTree{fmt.Errorf("%w (tree size %d, but %d was seen)", errRolledBack, c.Size, h.Size)}
			}
			return nil
		case c.Size == h.Size:
			unlock()
			if c.Root != h.Root {
				return forkError(c.Size, h.Root, cs.file, c.Root, "the checkpoint shown now")
			}
			return nil
		default:
			// The proof is fetched without the lock, which other runs wait for; one may keep
			// a newer checkpoint meanwhile, and c is then compared with that one.
			unlock()
			p, err := cl.ConsistencyProof(ctx, h.Size, c.Size)
			if err != nil {
				err = fmt.Errorf("consistency proof from tree size %d to %d: %w", h.Size, c.Size, err)
				if logBehind(err) {
					return olderTree{err}
				}
				return err
			}
			if err := tlog.CheckTree(p, c.Size, c.Root, h.Size, h.Root); err != nil {
				return fmt.Errorf("%w: the proof from tree size %d to %d does not check: %v", errForked, h.Size, c.Size, err)
			}
			if unlock, err = cs.lockAndReload(); err != nil {
				return err
			}
			if cs.held != h {
				unlock()
				continue
			}
		}
		cs.held, cs.signed = c, signed
		cs.save()
		unlock()
		return nil
	}
}

// lockAndReload locks the state directory against other runs of verify until unlock is
// called, and reads the kept checkpoint again: another run may have kept a newer one since
// this run loaded it, which this run must hold, not replace with an older one. A newer kept
// checkpoint is adopted (the run that kept it checked it extends what it held); one of the
// size held with another root is a fork. A directory that cannot be locked is reported
// once, like a failed save, and the state lasts the run.
func (cs *checkpointState) lockAndReload() (unlock func(), err error) {
	unlock = func() {}
	if cs.file == "" {
		return unlock, nil
	}
	dir := filepath.Dir(cs.file)
	d, err := lockDir(dir)
	if err != nil {
		cs.warnOnce(err)
		return unlock, nil
	}
	b, err := os.ReadFile(cs.file)
	if errors.Is(err, fs.ErrNotExist) {
		return func() { d.Close() }, nil
	}
	if err == nil && !bytes.Equal(b, cs.signed) { // unchanged since this run read or wrote it: nothing to check again
		var c *checkpoint.Checkpoint
		if c, err = cs.open(b); err != nil {
			err = fmt.Errorf("the kept checkpoint %s does not verify: %w", cs.file, err)
		} else if h := cs.held; h == nil || c.Size > h.Size {
			cs.held, cs.signed = c, b
		} else if c.Size == h.Size && c.Root != h.Root {
			err = fmt.Errorf("%w: two trees of size %d with different roots (the kept checkpoint %s)", errForked, c.Size, cs.file)
		}
	}
	if err != nil {
		d.Close()
		return nil, err
	}
	return func() { d.Close() }, nil
}

// lockDir creates dir if needed and returns it open with an exclusive lock, released when
// it is closed.
func lockDir(dir string) (*os.File, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	d, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(d.Fd()), syscall.LOCK_EX); err != nil {
		d.Close()
		return nil, fmt.Errorf("lock %s: %w", dir, err)
	}
	return d, nil
}

// warnOnce reports a failure to keep the state on stderr, once a run.
func (cs *checkpointState) warnOnce(err error) {
	if !cs.warned {
		cs.warned = true
		fmt.Fprintf(cs.warn, "chancery: warning: cannot keep the newest log checkpoint seen: %v\n", err)
	}
}

// save writes the held checkpoint, atomically and durably (a crash or a power loss leaves the
// old or the new one, never an empty file, which verify would refuse). A failure
// is reported once on stderr and does not fail verification: the state lasts the run.
func (cs *checkpointState) save() {
	if cs.file == "" {
		return
	}
	err := os.MkdirAll(filepath.Dir(cs.file), 0o700)
	if err == nil {
		err = exclfile.Replace(cs.file, cs.signed, 0o600)
	}
	if err != nil {
		cs.warnOnce(err)
	}
}

// forkError is errForked for two trees of one size, both signed by the log key: the kept
// checkpoint (in file, "" when none is kept on disk) of root kept, and another of root shown,
// which where names. Each holds the other's evidence: the two signed checkpoints prove the
// log showed two histories.
func forkError(size int64, kept tlog.Hash, file string, shown tlog.Hash, where string) error {
	return &splitError{size: size, kept: kept, file: file, shown: shown, where: where}
}

// splitError is forkError's error: it wraps errForked, and keeps the two trees, so that a
// caller may say the split view as offline does (verifier.Compare).
type splitError struct {
	size        int64
	kept, shown tlog.Hash
	file, where string
}

func (e *splitError) Error() string {
	in := "the checkpoint kept"
	if e.file != "" {
		in = "the checkpoint kept in " + e.file
	}
	return fmt.Sprintf("%v: two trees of size %d with different roots, both signed by the log key: root %s in %s, root %s in %s",
		errForked, e.size, e.kept, in, e.shown, e.where)
}

func (e *splitError) Unwrap() error { return errForked }

// logProblem turns a failed checkpoint check into a result: a rolled-back or forked log is
// invalid (a finding); a proof that could not be fetched is an error.
func (vf *verifier) logProblem(res VerifyResult, err error) VerifyResult {
	res.Checked = "seal+log"
	return logProblem(vf.Verifier, res, err)
}

func logProblem(vf *verify.Verifier, res VerifyResult, err error) VerifyResult {
	if errors.Is(err, errRolledBack) || errors.Is(err, errForked) {
		res.Say("invalid", vf.T("invalid: %s: the answer may be replayed or the log forked; report this to the office", err.Error()))
		return res
	}
	res.Error = err.Error()
	res.Say("error", vf.T("could not verify: %s", err.Error()))
	return res
}

// keptOffline is verify --offline's reading of the kept checkpoint: loaded when the run
// starts, and never written (offline checks no consistency, so it adopts nothing).
type keptOffline struct {
	v   *verify.Verifier
	cps *checkpointState
}

// Check answers, for a seal valid offline, invalid when the log key signed the kept
// checkpoint and the seal's with one tree size and two roots: the log forked. Its line is
// offline's own, naming the evidence (the seal and the kept file), where online's speaks of a
// registry answer that may be replayed, which offline there was none of. Any other size needs
// a consistency proof, which offline has not.
func (k keptOffline) Check(res VerifyResult, sealCP []byte, size int64, sealPath string) VerifyResult {
	h := k.cps.held
	if h == nil || h.Size != size || bytes.Equal(sealCP, k.cps.signed) {
		return res
	}
	c, err := k.cps.open(sealCP)
	if err != nil || c.Root == h.Root { // the same tree, cosigned otherwise
		return res
	}
	res.Say("invalid", k.v.SplitViewLine(size, c.Root, h.Root, k.v.T("the one kept in %s", k.cps.file)))
	return res
}

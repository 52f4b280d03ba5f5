package translog

import (
	"context"
	"fmt"

	"github.com/chancery/chancery/internal/checkpoint"
	"github.com/chancery/chancery/internal/store"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// RollbackError says that the stored log does not extend a checkpoint that was already
// published: it is shorter (a database restored from an older backup), or as long or longer
// but with another tree at the published size (a fork). Serving it would show the world a log
// that contradicts what verifiers and witnesses already hold.
type RollbackError struct {
	Published int64 // the published checkpoint's size
	Stored    int64 // the stored log's size
	// Forked says the stored log is long enough, but its tree at the published size differs.
	Forked bool
}

func (e *RollbackError) Error() string {
	if e.Forked {
		return fmt.Sprintf("the stored log (%d entries) is inconsistent with the published checkpoint of %d entries: its tree at that size differs", e.Stored, e.Published)
	}
	missing := fmt.Sprintf("%d published entries are missing", e.Published-e.Stored)
	if e.Published-e.Stored == 1 {
		missing = "1 published entry is missing"
	}
	return fmt.Sprintf("the stored log has %d entries, but a checkpoint of %d entries was already published: %s", e.Stored, e.Published, missing)
}

// CheckPublished checks that the log stored in db extends the published checkpoint cp, which
// must be signed by v: the log is at least as long, and its tree at cp's size has cp's root
// (recomputed from the stored tiles, O(log n) reads). It returns a *RollbackError when it does
// not, and other errors when the check could not run or cp is not a valid checkpoint.
func CheckPublished(ctx context.Context, db *store.DB, v note.Verifier, cp []byte) error {
	c, _, err := checkpoint.Open(cp, v)
	if err != nil {
		return fmt.Errorf("published checkpoint: %w", err)
	}
	return db.View(ctx, func(tx *store.Tx) error {
		head, err := tx.LogHead(ctx)
		if err != nil {
			return fmt.Errorf("check published checkpoint: %w", err)
		}
		return extendsPublished(ctx, tx, &Head{Size: c.Size, Root: c.Root}, head)
	})
}

// extendsPublished returns a *RollbackError when the stored log, whose head is stored, does
// not extend pub, a head already published: it is shorter, or its tree at pub's size has
// another root. With several servers on one PostgreSQL database, the database can be set back
// under running servers (restored from a backup, failed over to a standby that had not
// received the last commits): a sequencer that went on from there would sign a second tree of
// a size already published, and a follower would serve it. A longer stored log costs O(log n)
// reads in tx, never from the tile cache, which holds the tree this server saw.
func extendsPublished(ctx context.Context, tx *store.Tx, pub *Head, stored store.LogHead) error {
	switch {
	case stored.Size < pub.Size:
		return &RollbackError{Published: pub.Size, Stored: stored.Size}
	case stored.Size == pub.Size:
		if string(stored.Root) != string(pub.Root[:]) {
			return &RollbackError{Published: pub.Size, Stored: stored.Size, Forked: true}
		}
		return nil
	}
	root, err := tlog.TreeHash(pub.Size, tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		return readHashes(ctx, tx, nil, 0, indexes)
	}))
	if err != nil {
		return fmt.Errorf("check published checkpoint: tree hash at %d: %w", pub.Size, err)
	}
	if root != pub.Root {
		return &RollbackError{Published: pub.Size, Stored: stored.Size, Forked: true}
	}
	return nil
}

// HaltedError is what appends fail with while the log is halted (Halt): a witness holds a
// tree of this log that the log does not extend, and appending would sign checkpoints of
// sizes already published under other roots.
type HaltedError struct {
	Why string // why, as the caller of Halt said it
}

func (e *HaltedError) Error() string {
	return "this server appends nothing: " + e.Why
}

// Halt makes every append fail with a *HaltedError saying why, until Resume. Appends that a
// batch already took are not stopped.
func (l *Log) Halt(why string) {
	l.halted.Store(&HaltedError{Why: why})
}

// Resume ends Halt.
func (l *Log) Resume() {
	l.halted.Store(nil)
}

// SignerUnavailable returns why the log key could not sign its last checkpoint, when it says
// so (a key in a token: hsm.Key.Unavailable), nil otherwise.
func (l *Log) SignerUnavailable() error {
	if u, ok := l.cfg.Signer.(interface{ Unavailable() error }); ok {
		return u.Unavailable()
	}
	return nil
}

// Halted returns the error appends fail with while the log is halted, nil otherwise.
func (l *Log) Halted() *HaltedError {
	return l.halted.Load()
}

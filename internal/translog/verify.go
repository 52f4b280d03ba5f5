package translog

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/chancery/chancery/internal/checkpoint"
	"github.com/chancery/chancery/internal/store"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// ErrUnsound is wrapped by Verify's errors that are findings (the log, or a kept checkpoint,
// fails a check), as opposed to failures to run the check (a read error).
var ErrUnsound = errors.New("log is unsound")

func unsound(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrUnsound, fmt.Errorf(format, args...))
}

// missing reports a stored tile that should exist as a finding, other read errors as such.
func missing(err error, format string, args ...any) error {
	if errors.Is(err, store.ErrNotFound) {
		return unsound(format, args...)
	}
	return fmt.Errorf(format, args...)
}

// VerifyReport is what Verify found when the log is sound.
type VerifyReport struct {
	Size int64
	Root tlog.Hash
	// Consistent lists the sizes of the older checkpoints proved to be prefixes of the log.
	Consistent []int64
}

// Verify is the log's fsck. It recomputes the whole tree from the stored entry bundles,
// compares every stored hash tile and the stored head with the recomputation, checks the
// head's checkpoint signature with v, and checks that each older signed checkpoint has the
// root that the recomputed tree had at its size. check, if not nil, is called on every entry;
// progress, if not nil, after every entry bundle. It reads one consistent snapshot.
func Verify(ctx context.Context, db *store.DB, v note.Verifier, older [][]byte,
	check func(index int64, entry []byte) error, progress func(done, total int64)) (*VerifyReport, error) {
	want := map[int64]tlog.Hash{}
	for i, o := range older {
		c, _, err := checkpoint.Open(o, v)
		if err != nil {
			return nil, unsound("older checkpoint %d: %w", i+1, err)
		}
		if h, ok := want[c.Size]; ok && h != c.Root {
			return nil, unsound("two older checkpoints of size %d disagree: the log was forked", c.Size)
		}
		want[c.Size] = c.Root
	}
	rep := &VerifyReport{}
	err := db.View(ctx, func(tx *store.Tx) error {
		head, err := tx.LogHead(ctx)
		if err != nil {
			return err
		}
		c, _, err := checkpoint.Open(head.Checkpoint, v)
		if err != nil {
			return unsound("stored checkpoint: %w", err)
		}
		if c.Size != head.Size || !bytes.Equal(c.Root[:], head.Root) {
			return unsound("stored checkpoint (size %d) does not match the stored head (size %d)", c.Size, head.Size)
		}
		for size := range want {
			if size > head.Size {
				return unsound("an older checkpoint has size %d, larger than the log's %d: the log lost entries or was forked", size, head.Size)
			}
		}
		b := &builder{}
		checkSize := func() error {
			if h, ok := want[b.size]; ok {
				root, err := b.root()
				if err != nil {
					return err
				}
				if root != h {
					return unsound("the older checkpoint of size %d has root %s, but the log's tree at that size has root %s: history was rewritten", b.size, h, root)
				}
				rep.Consistent = append(rep.Consistent, b.size)
			}
			return nil
		}
		if err := checkSize(); err != nil {
			return err
		}
		for n := int64(0); n*TileWidth < head.Size; n++ {
			bundle, err := tx.Tile(ctx, EntriesLevel, n)
			if err != nil {
				return missing(err, "entry bundle %d: %w", n, err)
			}
			entries, err := SplitBundle(bundle.Data)
			if err != nil {
				return unsound("entry bundle %d: %w", n, err)
			}
			wantW := int(min(head.Size-n*TileWidth, TileWidth))
			if len(entries) != bundle.Width || bundle.Width < wantW {
				return unsound("entry bundle %d holds %d entries, says %d, needs %d", n, len(entries), bundle.Width, wantW)
			}
			for _, e := range entries[:wantW] {
				if check != nil {
					if err := check(b.size, e); err != nil {
						return unsound("entry %d: %w", b.size, err)
					}
				}
				if _, err := b.add(e); err != nil {
					return err
				}
				if err := checkSize(); err != nil {
					return err
				}
			}
			for _, t := range b.takeDirty() {
				if t.level == EntriesLevel {
					continue
				}
				st, err := tx.Tile(ctx, t.level, t.n)
				if err != nil {
					return missing(err, "hash tile %d/%d: %w", t.level, t.n, err)
				}
				if st.Width < t.w || !bytes.Equal(st.Data[:min(len(st.Data), len(t.data))], t.data) {
					return unsound("hash tile %d/%d differs from the hashes of the entries", t.level, t.n)
				}
			}
			if progress != nil {
				progress(b.size, head.Size)
			}
		}
		root, err := b.root()
		if err != nil {
			return err
		}
		if !bytes.Equal(root[:], head.Root) {
			return unsound("the entries give root %s, but the stored head says %x", root, head.Root)
		}
		rep.Size, rep.Root = head.Size, root
		return nil
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

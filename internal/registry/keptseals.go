package registry

import (
	"context"

	"github.com/chancery/chancery/internal/checkpoint"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/store"
	"golang.org/x/mod/sumdb/tlog"
)

// Kept seals. Each released letter's seal is built once, against the first checkpoint (the
// first cosigned one, with witnesses) that includes the release, and kept in the store. A seal
// against an older checkpoint proves exactly what it proved when it was made, so a lookup of a
// letter that stands reads the kept bytes instead of proving afresh; a verifier that wants to
// know the answer is current asks for Freshness, a consistency proof from the seal's
// checkpoint to the latest (docs/seal-format.md, "Kept seals").

// keepSeal keeps s, the seal of the release entry at index, unless one is kept already or the
// release's content was erased (the seal holds its opening). Failing to keep it costs only the
// next lookup a rebuild, so the error is the caller's to report or ignore.
func (r *Registry) keepSeal(ctx context.Context, index int64, s *seal.Seal) error {
	return r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		return tx.PutSeal(ctx, index, s.Marshal())
	})
}

// Freshness is the latest checkpoint the registry serves, and the proof that it extends the
// checkpoint of a seal: with it, a verifier knows that an answer carrying an older (kept) seal
// was given against the log as it is now.
type Freshness struct {
	Checkpoint []byte
	// Proof proves that the tree of the seal's checkpoint is a prefix of the latest; empty
	// when they are the same size.
	Proof tlog.TreeProof
}

// Freshness proves that the latest served checkpoint extends sealCheckpoint.
func (r *Registry) Freshness(ctx context.Context, sealCheckpoint []byte) (*Freshness, error) {
	old, err := checkpoint.Size(sealCheckpoint)
	if err != nil {
		return nil, err
	}
	head, err := r.headCovering(ctx, old-1)
	if err != nil {
		return nil, err
	}
	f := &Freshness{Checkpoint: head.Checkpoint}
	if head.Size > old {
		if f.Proof, err = r.cfg.Log.ConsistencyProof(ctx, old, head.Size); err != nil {
			return nil, err
		}
	}
	return f, nil
}

package client

import (
	"context"
	"fmt"

	"golang.org/x/mod/sumdb/tlog"
)

// maxProofHashes bounds a consistency proof: one hash per level of a tree of 2^63 leaves,
// twice over, is far more than any honest proof holds.
const maxProofHashes = 128

// ConsistencyProof asks the log for the proof that its tree of size old is a prefix of its
// tree of size size (GET /log/proof/consistency). The caller checks the proof against
// checkpoints it has verified (tlog.CheckTree); the registry's word is never enough.
func (c *Client) ConsistencyProof(ctx context.Context, old, size int64) (tlog.TreeProof, error) {
	var out struct {
		Old   int64       `json:"old"`
		Size  int64       `json:"size"`
		Proof []tlog.Hash `json:"proof"`
	}
	if err := c.json(ctx, "GET", fmt.Sprintf("/log/proof/consistency?old=%d&size=%d", old, size), nil, &out); err != nil {
		return nil, err
	}
	if out.Old != old || out.Size != size {
		return nil, fmt.Errorf("consistency proof: asked from %d to %d, got from %d to %d", old, size, out.Old, out.Size)
	}
	if len(out.Proof) > maxProofHashes {
		return nil, fmt.Errorf("consistency proof: %d hashes", len(out.Proof))
	}
	return out.Proof, nil
}

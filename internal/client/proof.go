package client

import (
	"context"
	"fmt"
	"io"

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

// Checkpoint downloads the checkpoint the log serves (GET /log/checkpoint): with witnesses,
// the newest one their quorum cosigned. The caller verifies it.
func (c *Client) Checkpoint(ctx context.Context) ([]byte, error) {
	resp, err := c.do(ctx, "GET", "/log/checkpoint", nil, "", nil)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(limited(resp.Body, 1<<16))
}

// InclusionProof asks the log for the proof that entry index is in its tree of size size
// (GET /log/proof/inclusion). The caller checks it against a checkpoint it verified.
func (c *Client) InclusionProof(ctx context.Context, index, size int64) (tlog.RecordProof, error) {
	var out struct {
		Index int64       `json:"index"`
		Size  int64       `json:"size"`
		Proof []tlog.Hash `json:"proof"`
	}
	if err := c.json(ctx, "GET", fmt.Sprintf("/log/proof/inclusion?index=%d&size=%d", index, size), nil, &out); err != nil {
		return nil, err
	}
	if out.Index != index || out.Size != size {
		return nil, fmt.Errorf("inclusion proof: asked for %d in %d, got %d in %d", index, size, out.Index, out.Size)
	}
	if len(out.Proof) > maxProofHashes {
		return nil, fmt.Errorf("inclusion proof: %d hashes", len(out.Proof))
	}
	return out.Proof, nil
}

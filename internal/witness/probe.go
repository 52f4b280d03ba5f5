package witness

import (
	"context"
	"errors"
	"fmt"

	"golang.org/x/mod/sumdb/tlog"
)

// AheadError is Probe's answer from a witness that holds a larger tree of the log than the
// log has: the log was set back (a database restored from an older backup) or another
// history was shown to the witness. It wraps ErrAhead.
type AheadError struct {
	Witness string
	Size    int64 // the witness's size for the log
	Log     int64 // the log's size
}

func (e *AheadError) Error() string {
	return fmt.Sprintf("witness %s: %v: it cosigned size %d, the log has %d", e.Witness, ErrAhead, e.Size, e.Log)
}

func (e *AheadError) Unwrap() error { return ErrAhead }

// probeRounds bounds Probe's requests: the first learns the witness's size from a 409, the
// next sends a proof from it; more happen only while other senders move the witness on.
const probeRounds = 4

// Probe asks the witness c where it stands with log, through add-checkpoint requests as the
// Pool sends them: the log's newest checkpoint, from the size the witness names in a 409
// answer, with a consistency proof from it. It returns the witness's size once the witness
// has cosigned the log's newest checkpoint (it then holds that checkpoint), and fails with an
// *AheadError when the witness holds a larger tree than the log, with ErrRejected when the
// log does not extend the tree the witness holds (another root at the same size, or a proof
// from its size that does not verify), and with other errors when the witness could not tell
// (unreachable, unknown log). A log of size 0 has nothing to send: Probe returns 0.
func Probe(ctx context.Context, c *Client, log Log) (int64, error) {
	_, size, err := ProbeHeld(ctx, c, log)
	return size, err
}

// ProbeHeld is Probe that also returns, when the witness cosigned, the size it held before:
// the old size of the request it cosigned (-1 when it cosigned nothing).
func ProbeHeld(ctx context.Context, c *Client, log Log) (held, size int64, err error) {
	known := int64(0) // the size the witness holds, as its 409 answers named it
	for range probeRounds {
		size, cp := log.Latest()
		if size == 0 {
			return -1, 0, nil
		}
		if known > size {
			return -1, known, &AheadError{Witness: c.Name(), Size: known, Log: size}
		}
		var proof []tlog.Hash
		if known > 0 && known < size {
			var err error
			if proof, err = log.ConsistencyProof(ctx, known, size); err != nil {
				return -1, -1, fmt.Errorf("witness %s: consistency proof from %d to %d: %w", c.Name(), known, size, err)
			}
		}
		_, err := c.AddCheckpoint(ctx, known, proof, cp)
		var conflict *ConflictError
		switch {
		case err == nil:
			return known, size, nil
		case errors.As(err, &conflict):
			known = conflict.Size
		default:
			return -1, -1, err
		}
	}
	return -1, -1, fmt.Errorf("witness %s: its size changed at each of %d requests (other senders move it on)", c.Name(), probeRounds)
}

package witness

import (
	"context"
	"errors"
	"testing"
)

// Probe, against litewitness: a fresh witness and one behind on the same history cosign the
// log's newest checkpoint; a log shorter than what the witness cosigned is ahead of by the
// witness's size; another root at the witness's size, or a longer log that does not extend
// its tree, is rejected.
func TestProbeTellsWhereTheWitnessStands(t *testing.T) {
	ctx := context.Background()
	k := newLogKey(t)
	lg := newTestLog(t, k, "main")
	lw := startLitewitness(t, k.vkey)
	c := newClient(t, "lw", lw.url, lw.vkey)

	lg.grow(3)
	if size, err := Probe(ctx, c, lg); err != nil || size != 3 {
		t.Fatalf("fresh witness: %d, %v", size, err)
	}
	lg.grow(2)
	if size, err := Probe(ctx, c, lg); err != nil || size != 5 {
		t.Fatalf("witness behind: %d, %v", size, err)
	}

	// The same history, set back to 4 entries (a restored backup).
	restored := newTestLog(t, k, "main")
	restored.grow(4)
	var ahead *AheadError
	if size, err := Probe(ctx, c, restored); !errors.As(err, &ahead) || !errors.Is(err, ErrAhead) || ahead.Size != 5 || ahead.Log != 4 || size != 5 {
		t.Fatalf("restored log: %d, %v; want the witness ahead at 5", size, err)
	}

	fork := newTestLog(t, k, "fork")
	fork.grow(5)
	if _, err := Probe(ctx, c, fork); !errors.Is(err, ErrRejected) {
		t.Fatalf("another root at the witness's size: %v, want ErrRejected", err)
	}
	fork.grow(2)
	if _, err := Probe(ctx, c, fork); !errors.Is(err, ErrRejected) {
		t.Fatalf("a longer log that does not extend the witness's tree: %v, want ErrRejected", err)
	}
	// The witness still follows the real log.
	lg.grow(1)
	if size, err := Probe(ctx, c, lg); err != nil || size != 6 {
		t.Fatalf("after the fork's requests: %d, %v", size, err)
	}
}

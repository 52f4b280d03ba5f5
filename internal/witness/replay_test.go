package witness

import (
	"context"
	"testing"
	"time"
)

// TestReplayedCheckpointWritesNothing: anyone may send the checkpoint a witness holds again
// (it is public), with its own size as the old size, and be cosigned. Each such request wrote
// the log's row, an fsynced write (synchronous=FULL) under the one write lock that the log's
// own requests wait for, and moved LogState.Updated, which says when the size last changed,
// so that a log that stopped growing looked alive to whoever read it.
func TestReplayedCheckpointWritesNothing(t *testing.T) {
	ctx := context.Background()
	lg, w, c, size := cosignedAt(t, "chancery", 3)
	_, cp := lg.Latest()
	if _, err := w.st.db.ExecContext(ctx, `UPDATE logs SET updated = 1`); err != nil {
		t.Fatal(err)
	}
	changes := func() int64 {
		t.Helper()
		var n int64
		if err := w.st.db.QueryRowContext(ctx, `SELECT total_changes()`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := changes()
	for i := range 20 {
		if _, err := c.AddCheckpoint(ctx, size, nil, cp); err != nil {
			t.Fatalf("replay %d: %v", i, err)
		}
	}
	if n := changes() - before; n != 0 {
		t.Errorf("20 replays of the checkpoint held changed %d rows, want 0", n)
	}
	logs, err := w.st.Logs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(logs) != 1 || !logs[0].Updated.Equal(time.Unix(1, 0)) || logs[0].Size != size {
		t.Errorf("after replays: %+v; want size %d updated at %v", logs, size, time.Unix(1, 0).UTC())
	}
	lg.grow(1)
	size2, cp2 := lg.Latest()
	if _, err := c.AddCheckpoint(ctx, size, lg.proof(size, size2), cp2); err != nil {
		t.Fatal(err)
	}
	if logs, err := w.st.Logs(ctx); err != nil || logs[0].Size != size2 || logs[0].Updated.Equal(time.Unix(1, 0)) {
		t.Errorf("after a larger checkpoint: %+v, %v; want size %d updated now", logs, err, size2)
	}
}

package monitor_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/chancery/chancery/internal/monitor"
	"github.com/chancery/chancery/internal/monitor/public"
	"golang.org/x/mod/sumdb/tlog"
)

// TestKeylessRollbacksLeaveTheConflictRoom: conflicts have an evidence room of their own
// so that findings anyone can make (no key) cannot take the room of signed proofs of a fork.
// But a "rollback" is raised from two genuine checkpoints that are consistent with each other
// (an older one the log once served, and the one held) when the server answers 404 for the
// held tree's tiles: whoever serves the log (a proxy, a mirror, a man in the middle on plain
// HTTP) can replay the log's old checkpoints, which are public (every seal carries one), and
// each was a new conflict with its evidence kept: once the room was full, the log's real
// fork, signed by its key, was alerted without evidence (audit, forty-ninth session). Such a
// rollback is still alerted, its evidence counted with the findings that need no key.
func TestKeylessRollbacksLeaveTheConflictRoom(t *testing.T) {
	monitor.SetEvidenceBounds(t, 2, 256, 64<<20)
	keys := newLogKeys(t, "rollback-room.example/log")
	o := newOffice(t, keys)
	var old [][]byte
	for range 3 {
		o.appendKeys(1)
		old = append(old, heldCheckpoint(t, o))
	}
	o.appendKeys(1)
	m, c := newMonitor(t, o.url, keys, t.TempDir(), public.Filter{})
	pass(t, m)
	c.take()

	// No key: replays of the log's own older checkpoints, the held tree's tiles answered 404.
	for i, cp := range old[:2] {
		o.setServe(setBack(t, cp))
		if err := m.Pass(context.Background()); !errors.Is(err, monitor.ErrConflict) {
			t.Fatalf("replay %d: %v", i, err)
		}
		a := ofType(c.take(), monitor.TypeAlert)
		t.Logf("replay %d of an older genuine checkpoint: %s, evidence %d files", i, a[0].Problem, len(a[0].Evidence))
	}
	// The log key signs another tree of the size held: a real fork.
	o.setServe(serveCheckpoint(forged(t, keys, o.size(), tlog.Hash{1})))
	if err := m.Pass(context.Background()); !errors.Is(err, monitor.ErrConflict) {
		t.Fatalf("fork: %v", err)
	}
	a := ofType(c.take(), monitor.TypeAlert)
	if len(a) != 1 || len(a[0].Evidence) == 0 {
		t.Fatalf("the log's real fork kept no evidence after replays of its older checkpoints, which needed no key, filled the conflicts' room: %+v", a[0].Alert)
	}
}

// TestAlteredHeldTilesAreBadTiles: the same with the held tree's tiles altered rather than
// missing: tiles that do not hash to the held root are bytes anyone can serve (a bad-tiles
// finding, keyless, when the served tree is larger), but against an older genuine checkpoint
// they were a conflict, exit 3, kept in the conflicts' room (audit, forty-ninth session).
// They are bad-tiles there too.
func TestAlteredHeldTilesAreBadTiles(t *testing.T) {
	keys := newLogKeys(t, "rollback-altered.example/log")
	o := newOffice(t, keys)
	o.appendKeys(3)
	older := heldCheckpoint(t, o)
	o.appendKeys(2)
	m, c := newMonitor(t, o.url, keys, t.TempDir(), public.Filter{})
	pass(t, m)
	c.take()
	heldTile := fmt.Sprintf("/log/tile/0/000.p/%d", o.size())
	o.setServe(func(w http.ResponseWriter, r *http.Request, h http.Handler) {
		if r.URL.Path == heldTile {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			b := rec.Body.Bytes()
			b[len(b)-1] ^= 1
			w.Write(b)
			return
		}
		serveCheckpoint(older)(w, r, h)
	})
	err := m.Pass(context.Background())
	a := ofType(c.take(), monitor.TypeAlert)
	if errors.Is(err, monitor.ErrConflict) {
		t.Fatalf("an older genuine checkpoint with one altered tile of the held tree (no key needed) is a conflict: %s: %s; evidence %v", a[0].Problem, a[0].Message, a[0].Evidence)
	}
	if !errors.Is(err, monitor.ErrUnsound) || len(a) != 1 || a[0].Problem != monitor.ProblemBadTiles {
		t.Fatalf("an altered tile of the held tree: %v, alerts %+v, want one bad-tiles", err, a)
	}
}

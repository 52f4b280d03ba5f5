package monitor_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/chancery/chancery/internal/monitor"
)

// TestStateNotOverwrittenByAnotherMonitor: two monitors given one state file, each following
// its own log. Each read the file when it started; the one that saved last wrote its copy
// over the other's, and the other log's held checkpoint was gone: the next monitor of that
// log trusted whatever tree it was shown first, a fork of the history already checked
// included. A monitor whose state file was written by another since it read it refuses to
// write over it.
func TestStateNotOverwrittenByAnotherMonitor(t *testing.T) {
	ka, kb := newLogKeys(t, "shared-a.example/log"), newLogKeys(t, "shared-b.example/log")
	a, b := newOffice(t, ka), newOffice(t, kb)
	a.appendKeys(2)
	b.appendKeys(3)
	state := filepath.Join(t.TempDir(), "state.json")
	newOn := func(url, vkey string) (*monitor.Monitor, *collector) {
		c := &collector{}
		m, err := monitor.New(monitor.Config{Logs: []monitor.Log{{URL: url, Key: vkey}}, StatePath: state, Report: c.report})
		if err != nil {
			t.Fatal(err)
		}
		return m, c
	}
	ma, _ := newOn(a.url, ka.vkey)
	mb, _ := newOn(b.url, kb.vkey)
	pass(t, mb) // keeps log b's tree of 3
	if err := ma.Pass(context.Background()); !errors.Is(err, monitor.ErrState) {
		t.Errorf("monitor of log a, whose state file the monitor of log b wrote since: %v, want a state file error", err)
	}

	// Another history of log b, signed by its key, of the size the monitor of b checked.
	fork := newOffice(t, kb)
	fork.appendKeys(3)
	m, c := newOn(fork.url, kb.vkey)
	err := m.Pass(context.Background())
	if !errors.Is(err, monitor.ErrConflict) {
		t.Errorf("a fork of log b after the monitor of log a saved: %v, want a conflict", err)
	}
	if a := ofType(c.take(), monitor.TypeAlert); len(a) != 1 || a[0].Problem != monitor.ProblemFork {
		t.Errorf("alerts: %+v, want one %s", a, monitor.ProblemFork)
	}
}

package monitor_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chancery/chancery/internal/monitor"
	"github.com/chancery/chancery/internal/monitor/public"
	"github.com/chancery/chancery/internal/translog"
	"golang.org/x/mod/sumdb/tlog"
)

// alertRecords counts the alert records the evidence directory holds.
func alertRecords(t *testing.T, m *monitor.Monitor) int {
	t.Helper()
	des, err := os.ReadDir(m.EvidenceDir())
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	n := 0
	for _, de := range des {
		if strings.Contains(de.Name(), ".alert-") {
			n++
		}
	}
	return n
}

// unsoundAlert makes a pass that must find the log unsound, and returns its one alert.
func unsoundAlert(t *testing.T, m *monitor.Monitor, c *collector, problem string) monitor.Report {
	t.Helper()
	if err := m.Pass(context.Background()); !errors.Is(err, monitor.ErrUnsound) {
		t.Fatalf("pass: %v", err)
	}
	alerts := ofType(c.take(), monitor.TypeAlert)
	if len(alerts) != 1 || alerts[0].Problem != problem {
		t.Fatalf("alerts: %+v", alerts)
	}
	return alerts[0]
}

// TestKeylessFindingsKeepEvidenceOnce: whoever serves a log, without its key, made one new
// finding with new evidence per entry bundle of a checkpoint (a bad bundle each pass, the one
// after the last), and could so fill the room of such findings (4 records in 4 passes here
// before, 256 on a log of 256 bundles). The first finding since the monitor last held a
// checkpoint keeps its evidence; the later ones are alerted without; once the log is served
// as it is and the next checkpoint held, a finding keeps its evidence again.
func TestKeylessFindingsKeepEvidenceOnce(t *testing.T) {
	keys := newLogKeys(t, "keyless.example/log")
	o := newOffice(t, keys)
	o.appendKeys(3 * translog.TileWidth)
	var bad atomic.Int64 // the entry bundle served altered; -2: none
	o.setServe(func(w http.ResponseWriter, r *http.Request, h http.Handler) {
		if bundleIndex(t, r.URL.Path) != bad.Load() {
			h.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		b := rec.Body.Bytes()
		b[len(b)-1] ^= 1 // the last entry's last byte: the bundle still frames
		w.Write(b)
	})
	m, c := newMonitor(t, o.url, keys, t.TempDir(), public.Filter{})
	bundles := (o.size() + translog.TileWidth - 1) / translog.TileWidth
	for n := range bundles {
		bad.Store(n)
		a := unsoundAlert(t, m, c, monitor.ProblemBadEntry)
		if kept := len(a.Evidence) > 0; kept != (n == 0) {
			t.Fatalf("finding %d kept %v: %s", n, a.Evidence, a.Message)
		}
	}
	if got := alertRecords(t, m); got != 1 {
		t.Fatalf("%d findings about bytes served against one checkpoint kept %d records, want 1", bundles, got)
	}

	bad.Store(-2)
	pass(t, m)
	o.appendKeys(1)
	bad.Store((o.size() - 1) / translog.TileWidth)
	if a := unsoundAlert(t, m, c, monitor.ProblemBadEntry); len(a.Evidence) == 0 {
		t.Fatalf("the first finding after a checkpoint was held kept nothing: %s", a.Message)
	}
	if got := alertRecords(t, m); got != 2 {
		t.Fatalf("the evidence directory holds %d records, want 2", got)
	}
}

// TestAlternatingUnsignedCheckpointsKeepEvidenceOnce: a checkpoint the log key did not sign is
// alerted again once the log has served one it signed; whoever serves a log that does not
// grow, alternating the two, made each one keep new evidence (4 records in 8 passes before).
func TestAlternatingUnsignedCheckpointsKeepEvidenceOnce(t *testing.T) {
	keys := newLogKeys(t, "alternating.example/log")
	o := newOffice(t, keys)
	m, c := newMonitor(t, o.url, keys, t.TempDir(), public.Filter{})
	pass(t, m)
	c.take()
	other := newLogKeys(t, "alternating.example/log")
	for i := range 4 {
		o.setServe(serveCheckpoint(forged(t, other, o.size(), tlog.Hash{byte(i)})))
		unsoundAlert(t, m, c, monitor.ProblemBadSignature)
		o.setServe(nil)
		pass(t, m)
	}
	if got := alertRecords(t, m); got != 1 {
		t.Fatalf("4 checkpoints the log key did not sign kept %d records, want 1", got)
	}
}

package monitor_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chancery/chancery/internal/monitor"
	"golang.org/x/mod/sumdb/tlog"
)

// TestEvidenceBoundedPerLog: a log whose every new checkpoint comes with an entry bundle that
// does not hash into it (whoever serves the log can do this against the genuine checkpoints,
// and the key's holder with any number of its own) made every pass keep a new bundle, up to
// 16.8 MiB each, without end. The evidence of a log is bounded: the first findings keep
// theirs, untouched; later ones are still alerted, saying their evidence was not kept; the
// fetched bytes have their own bound, past which a finding keeps its checkpoint and record
// only; and conflicts, the signed proofs, have room of their own that the other findings do
// not take.
func TestEvidenceBoundedPerLog(t *testing.T) {
	keys := newLogKeys(t, "flood.example/log")
	o := newOffice(t, keys)
	var corrupt atomic.Bool
	o.setServe(func(w http.ResponseWriter, r *http.Request, h http.Handler) {
		if !strings.HasPrefix(r.URL.Path, "/log/tile/entries/") || !corrupt.Load() {
			h.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		b := rec.Body.Bytes()
		b[len(b)-1] ^= 1 // the last entry's last byte: the bundle still frames
		w.Write(b)
	})
	const findings = 3
	monitor.SetEvidenceBounds(t, 1, findings, 1<<30)
	c := &collector{}
	m, err := monitor.New(monitor.Config{
		Logs:      []monitor.Log{{URL: o.url, Key: keys.vkey}},
		StatePath: filepath.Join(t.TempDir(), "state.json"),
		Report:    c.report,
	})
	if err != nil {
		t.Fatal(err)
	}
	files := func() map[string][]byte {
		t.Helper()
		des, err := os.ReadDir(m.EvidenceDir())
		if err != nil {
			t.Fatal(err)
		}
		out := map[string][]byte{}
		for _, de := range des {
			b, err := os.ReadFile(filepath.Join(m.EvidenceDir(), de.Name()))
			if err != nil {
				t.Fatal(err)
			}
			out[de.Name()] = b
		}
		return out
	}
	alert := func(kind error) monitor.Report {
		t.Helper()
		if err := m.Pass(context.Background()); !errors.Is(err, kind) {
			t.Fatalf("pass: %v", err)
		}
		alerts := ofType(c.take(), monitor.TypeAlert)
		if len(alerts) != 1 {
			t.Fatalf("alerts: %+v", alerts)
		}
		return alerts[0]
	}

	var first map[string][]byte
	for i := range findings + 5 {
		// A finding that needs no key keeps its evidence if it is the first since the monitor
		// last held a checkpoint: the log is served as it is in between.
		if i > 0 {
			corrupt.Store(false)
			o.appendKeys(1)
			pass(t, m)
		}
		corrupt.Store(true)
		o.appendKeys(1)
		a := alert(monitor.ErrUnsound)
		if a.Problem != monitor.ProblemBadEntry {
			t.Fatalf("alert %d: %+v", i, a.Alert)
		}
		kept := i < findings
		if got := len(a.Evidence) > 0; got != kept || strings.Contains(a.Message, "evidence not kept") == kept {
			t.Fatalf("alert %d: evidence %v, message %q; want it kept: %v", i, a.Evidence, a.Message, kept)
		}
		if i == 0 {
			first = files()
		}
	}
	now := files()
	if len(now) != 3*findings { // a checkpoint, a bundle, a record each
		t.Fatalf("the evidence directory holds %d files, want %d", len(now), 3*findings)
	}
	for name, b := range first {
		if !bytes.Equal(now[name], b) {
			t.Fatalf("the first finding's %s was not kept as it was", name)
		}
	}

	// A conflict still keeps its two signed checkpoints; the next one keeps nothing.
	for i, root := range []string{"one history", "another"} {
		o.setServe(serveCheckpoint(forged(t, keys, o.size(), tlog.Hash(sha256.Sum256([]byte(root))))))
		a := alert(monitor.ErrConflict)
		if got := len(a.Evidence); (i == 0) != (got == 2) {
			t.Fatalf("conflict %d kept %v (%s)", i, a.Evidence, a.Message)
		}
	}
	if got := len(files()); got != 3*findings+3 {
		t.Fatalf("the evidence directory holds %d files, want %d", got, 3*findings+3)
	}
}

// TestEvidenceBytesBounded: past the bound on the bytes fetched from a log that its
// evidence keeps, a finding keeps its signed checkpoint and its record, not the bundle.
func TestEvidenceBytesBounded(t *testing.T) {
	keys := newLogKeys(t, "bytes.example/log")
	o := newOffice(t, keys)
	var corrupt atomic.Bool
	o.setServe(func(w http.ResponseWriter, r *http.Request, h http.Handler) {
		if !strings.HasPrefix(r.URL.Path, "/log/tile/entries/") || !corrupt.Load() {
			h.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		b := rec.Body.Bytes()
		b[len(b)-1] ^= 1
		w.Write(b)
	})
	monitor.SetEvidenceBounds(t, 10, 10, 1<<30)
	c := &collector{}
	m, err := monitor.New(monitor.Config{Logs: []monitor.Log{{URL: o.url, Key: keys.vkey}}, EvidenceDir: t.TempDir(), Report: c.report})
	if err != nil {
		t.Fatal(err)
	}
	var bundles []int
	limit := int64(0)
	for i := range 3 {
		if i > 0 { // the log served as it is until a checkpoint is held: the next finding keeps evidence
			corrupt.Store(false)
			o.appendKeys(1)
			pass(t, m)
		}
		corrupt.Store(true)
		o.appendKeys(10)
		if err := m.Pass(context.Background()); !errors.Is(err, monitor.ErrUnsound) {
			t.Fatalf("pass: %v", err)
		}
		alerts := ofType(c.take(), monitor.TypeAlert)
		if len(alerts) != 1 {
			t.Fatalf("alerts: %+v", alerts)
		}
		n := 0
		for _, p := range alerts[0].Evidence {
			if strings.HasSuffix(p, ".bin") {
				n++
			}
		}
		if len(alerts[0].Evidence) == 0 || (n == 0) != strings.Contains(alerts[0].Message, "bytes fetched not kept") {
			t.Fatalf("kept %v: %s", alerts[0].Evidence, alerts[0].Message)
		}
		bundles = append(bundles, n)
		if i == 0 { // room for half as much again as the first bundle
			info, err := os.Stat(alerts[0].Evidence[len(alerts[0].Evidence)-1])
			if err != nil {
				t.Fatal(err)
			}
			limit = info.Size() * 3 / 2
			monitor.SetEvidenceBounds(t, 10, 10, limit)
		}
	}
	if bundles[0] != 1 || bundles[1] != 0 || bundles[2] != 0 {
		t.Fatalf("bundles kept by the three findings: %v; want the first only", bundles)
	}
	total := int64(0)
	des, _ := os.ReadDir(m.EvidenceDir())
	for _, de := range des {
		if strings.HasSuffix(de.Name(), ".bin") {
			info, _ := de.Info()
			total += info.Size()
		}
	}
	if total > limit {
		t.Fatalf("%d bytes of bundles kept, bound %d", total, limit)
	}
}

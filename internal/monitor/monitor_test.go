package monitor_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/checkpoint"
	"github.com/chancery/chancery/internal/entry"
	"github.com/chancery/chancery/internal/monitor"
	"github.com/chancery/chancery/internal/monitor/public"
	"github.com/chancery/chancery/internal/translog"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// newMonitor returns a monitor of the log at url under keys, with state in dir.
func newMonitor(t *testing.T, url string, keys logKeys, dir string, f public.Filter) (*monitor.Monitor, *collector) {
	t.Helper()
	c := &collector{}
	m, err := monitor.New(monitor.Config{
		Logs:      []monitor.Log{{URL: url, Key: keys.vkey}},
		StatePath: filepath.Join(dir, "state.json"),
		Filter:    f,
		Report:    c.report,
	})
	if err != nil {
		t.Fatal(err)
	}
	return m, c
}

func pass(t *testing.T, m *monitor.Monitor) {
	t.Helper()
	if err := m.Pass(context.Background()); err != nil {
		t.Fatalf("pass: %v", err)
	}
}

func indexes(rs []monitor.Report) []int64 {
	var out []int64
	for _, r := range ofType(rs, monitor.TypeEntry) {
		out = append(out, r.Index)
	}
	return out
}

func span(from, to int64) []int64 {
	var out []int64
	for i := from; i < to; i++ {
		out = append(out, i)
	}
	return out
}

// The monitor follows a log as it grows, through releases, withdrawals, key and policy
// entries and past tile boundaries, reporting each entry once with its public record only.
func TestFollowGrowth(t *testing.T) {
	keys := newLogKeys(t, "monitor.example/log")
	o := newOffice(t, keys)
	m, c := newMonitor(t, o.url, keys, t.TempDir(), public.Filter{})

	pass(t, m)
	rs := c.take()
	if got := indexes(rs); !slices.Equal(got, []int64{0}) {
		t.Fatalf("first pass reported entries %v, want [0]", got)
	}
	e := rs[0]
	if e.Kind != string(entry.KeyAdded) || e.Version != entry.V2 || e.KeyID != o.keyID || e.Office != officeName || e.Time.IsZero() || len(e.EntryKeys) != 1 {
		t.Fatalf("key-added report: %+v", e.Entry)
	}
	cp := ofType(rs, monitor.TypeCheckpoint)
	if len(cp) != 1 || cp[0].Size != 1 || cp[0].PreviousSize != nil {
		t.Fatalf("checkpoint reports: %+v", cp)
	}

	ref, rel := o.release(1)
	ret := o.retract(ref)
	revoked, rev := o.revokeKey()
	pol := o.adoptPolicy()
	pass(t, m)
	rs = c.take()
	if got, want := indexes(rs), span(1, o.size()); !slices.Equal(got, want) {
		t.Fatalf("second pass reported %v, want %v", got, want)
	}
	byIndex := map[int64]monitor.Report{}
	for _, r := range ofType(rs, monitor.TypeEntry) {
		byIndex[r.Index] = r
		b, _ := json.Marshal(r)
		checkConfidential(t, b)
	}
	if r := byIndex[rel]; r.Kind != "release" || !slices.Equal(r.SignerKeys, []string{o.keyID}) || r.Office != officeName || r.Reference != "" {
		t.Fatalf("release report: %+v", r.Entry)
	}
	if r := byIndex[ret]; r.Kind != "retraction" || r.Release == nil || *r.Release != rel {
		t.Fatalf("retraction report: %+v", r.Entry)
	}
	if r := byIndex[rev]; r.Kind != "key-revoked" || r.KeyID != revoked {
		t.Fatalf("revocation report: %+v", r.Entry)
	}
	if r := byIndex[pol]; r.Kind != "policy-adopted" || r.Office != officeName {
		t.Fatalf("policy report: %+v", r.Entry)
	}
	cp = ofType(rs, monitor.TypeCheckpoint)
	if len(cp) != 1 || cp[0].Size != o.size() || *cp[0].PreviousSize != 1 {
		t.Fatalf("checkpoint reports: %+v", cp)
	}

	// Past two tile boundaries, in two steps, the second starting inside a partial tile.
	before := o.size()
	o.appendKeys(300)
	pass(t, m)
	mid := o.size()
	o.appendKeys(250)
	pass(t, m)
	rs = c.take()
	if got, want := indexes(rs), span(before, o.size()); !slices.Equal(got, want) {
		t.Fatalf("reported %d entries from %v, want %d from %d (sizes %d, %d)", len(got), got[:1], len(want), before, mid, o.size())
	}
	for _, r := range ofType(rs, monitor.TypeEntry) {
		if r.Version != entry.V1 || r.Office != "Bulk Office" || r.KeyID == "" {
			t.Fatalf("version 1 key report: %+v", r.Entry)
		}
		b, _ := json.Marshal(r)
		checkConfidential(t, b)
	}

	// Nothing new: nothing reported.
	pass(t, m)
	if rs := c.take(); len(rs) != 0 {
		t.Fatalf("a pass over an unchanged log reported %+v", rs)
	}
}

// A monitor restarted on its state file continues where it stopped.
func TestRestartFromState(t *testing.T) {
	keys := newLogKeys(t, "restart.example/log")
	o := newOffice(t, keys)
	dir := t.TempDir()
	m, c := newMonitor(t, o.url, keys, dir, public.Filter{})
	pass(t, m)
	c.take()
	held := o.size()
	o.release(1)
	o.appendKeys(3)

	m, c = newMonitor(t, o.url, keys, dir, public.Filter{})
	pass(t, m)
	if got, want := indexes(c.take()), span(held, o.size()); !slices.Equal(got, want) {
		t.Fatalf("restarted monitor reported %v, want %v", got, want)
	}
	st, err := monitor.LoadState(filepath.Join(dir, "state.json"))
	if err != nil {
		t.Fatal(err)
	}
	v, _ := note.NewVerifier(keys.vkey)
	cp, _, err := checkpoint.Open([]byte(st.Logs[keys.vkey].Checkpoint), v)
	if err != nil || cp.Size != o.size() {
		t.Fatalf("state holds %+v, %v; want size %d", cp, err, o.size())
	}
	// No temporary file is left beside the state.
	files, _ := filepath.Glob(filepath.Join(dir, ".state.json*"))
	if len(files) != 0 {
		t.Fatalf("left behind: %v", files)
	}

	// A state whose checkpoint does not verify under the key is refused, not forgotten.
	st.Logs[keys.vkey].Checkpoint = strings.Replace(st.Logs[keys.vkey].Checkpoint, "\n", "\nx", 1)
	if err := st.Save(filepath.Join(dir, "state.json")); err != nil {
		t.Fatal(err)
	}
	if _, err := monitor.New(monitor.Config{Logs: []monitor.Log{{URL: o.url, Key: keys.vkey}}, StatePath: filepath.Join(dir, "state.json"), Report: c.report}); !errors.Is(err, monitor.ErrState) {
		t.Fatalf("a damaged state: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "state.json"), []byte("{"), 0o600)
	if _, err := monitor.New(monitor.Config{Logs: []monitor.Log{{URL: o.url, Key: keys.vkey}}, StatePath: filepath.Join(dir, "state.json"), Report: c.report}); !errors.Is(err, monitor.ErrState) {
		t.Fatalf("an unreadable state: %v", err)
	}
}

// forged signs a checkpoint of the given size and root with the log's own key, as an office
// showing one history to some and another to others would.
func forged(t *testing.T, keys logKeys, size int64, root tlog.Hash) []byte {
	t.Helper()
	b, err := note.Sign(&note.Note{Text: string(checkpoint.Checkpoint{Origin: keys.origin, Size: size, Root: root}.Marshal())}, keys.signer)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// serveCheckpoint answers /log/checkpoint with signed, and everything else from the server.
func serveCheckpoint(signed []byte) func(http.ResponseWriter, *http.Request, http.Handler) {
	return func(w http.ResponseWriter, r *http.Request, h http.Handler) {
		if r.URL.Path == "/log/checkpoint" {
			w.Write(signed)
			return
		}
		h.ServeHTTP(w, r)
	}
}

func heldCheckpoint(t *testing.T, o *office) []byte {
	t.Helper()
	return o.lg.Head().Checkpoint
}

// checkEvidence checks that the alert kept each of want, byte for byte, as a file in its
// evidence.
func checkEvidence(t *testing.T, r monitor.Report, want ...[]byte) {
	t.Helper()
	for _, w := range want {
		found := false
		for _, p := range r.Evidence {
			if b, err := os.ReadFile(p); err == nil && bytes.Equal(b, w) {
				found = true
			}
		}
		if !found {
			t.Fatalf("evidence %v does not keep %q", r.Evidence, w)
		}
	}
}

// Split view: the log signs, with its real key, another tree of the size the monitor holds.
// The monitor reports it, keeps both signed checkpoints and does not move on.
func TestSplitView(t *testing.T) {
	keys := newLogKeys(t, "split.example/log")
	o := newOffice(t, keys)
	o.release(1)
	dir := t.TempDir()
	m, c := newMonitor(t, o.url, keys, dir, public.Filter{})
	pass(t, m)
	c.take()
	real := heldCheckpoint(t, o)

	fork := forged(t, keys, o.size(), tlog.Hash(sha256.Sum256([]byte("another history"))))
	o.setServe(serveCheckpoint(fork))
	err := m.Pass(context.Background())
	if !errors.Is(err, monitor.ErrConflict) {
		t.Fatalf("pass over a split view: %v", err)
	}
	alerts := ofType(c.take(), monitor.TypeAlert)
	if len(alerts) != 1 || alerts[0].Problem != monitor.ProblemFork || *alerts[0].SeenSize != o.size() {
		t.Fatalf("alerts: %+v", alerts)
	}
	checkEvidence(t, alerts[0], real, fork)
	kept, _ := os.ReadDir(m.EvidenceDir())
	if len(kept) != 3 { // two checkpoints and the alert record
		t.Fatalf("evidence directory holds %d files", len(kept))
	}

	// Seen again: still a conflict, not reported twice, the evidence untouched.
	if err := m.Pass(context.Background()); !errors.Is(err, monitor.ErrConflict) {
		t.Fatalf("second pass over a split view: %v", err)
	}
	if rs := c.take(); len(rs) != 0 {
		t.Fatalf("reported again: %+v", rs)
	}
	again, _ := os.ReadDir(m.EvidenceDir())
	if len(again) != 3 {
		t.Fatalf("evidence directory holds %d files after the second pass", len(again))
	}
	checkEvidence(t, alerts[0], real, fork)

	// The honest checkpoint is still the one held: the log going on from it is followed.
	o.setServe(nil)
	o.release(2)
	pass(t, m)
	if got := indexes(c.take()); len(got) != 1 {
		t.Fatalf("after the split view, reported %v", got)
	}
}

// Two logs under one key, one shown to the monitor first: a bigger tree that does not
// extend the tree seen, or a smaller one, is a conflict with both checkpoints kept.
func TestForkedLog(t *testing.T) {
	keys := newLogKeys(t, "fork.example/log")
	o := newOffice(t, keys)
	o.release(1)
	m, c := newMonitor(t, o.url, keys, t.TempDir(), public.Filter{})
	pass(t, m)
	c.take()
	real := heldCheckpoint(t, o)

	other := newOffice(t, keys) // another history under the same key
	other.appendKeys(int(o.size()) + 5)
	bigger := heldCheckpoint(t, other)
	o.setServe(func(w http.ResponseWriter, r *http.Request, _ http.Handler) {
		http.Redirect(w, r, other.url+r.URL.Path, http.StatusFound)
	})
	if err := m.Pass(context.Background()); !errors.Is(err, monitor.ErrConflict) {
		t.Fatalf("pass over a forked log: %v", err)
	}
	alerts := ofType(c.take(), monitor.TypeAlert)
	if len(alerts) != 1 || alerts[0].Problem != monitor.ProblemInconsistent {
		t.Fatalf("alerts: %+v", alerts)
	}
	checkEvidence(t, alerts[0], real, bigger)

	smaller := forged(t, keys, o.size()-1, tlog.Hash{})
	o.setServe(serveCheckpoint(smaller))
	if err := m.Pass(context.Background()); !errors.Is(err, monitor.ErrConflict) {
		t.Fatalf("pass over a rolled-back log: %v", err)
	}
	alerts = ofType(c.take(), monitor.TypeAlert)
	if len(alerts) != 1 || alerts[0].Problem != monitor.ProblemRollback {
		t.Fatalf("alerts: %+v", alerts)
	}
	checkEvidence(t, alerts[0], real, smaller)
}

// TestOlderCheckpoint: a log that serves an older checkpoint of the history held (as a
// registry does once its witness quorum is raised: the newest checkpoint the quorum cosigned)
// is followed without an alert, since its tiles show the older tree is part of the one held;
// one that cannot show the tree held any more was rolled back, and is a conflict.
func TestOlderCheckpoint(t *testing.T) {
	keys := newLogKeys(t, "older.example/log")
	o := newOffice(t, keys)
	o.release(1)
	older := heldCheckpoint(t, o)
	o.release(2)
	m, c := newMonitor(t, o.url, keys, t.TempDir(), public.Filter{})
	pass(t, m)
	c.take()

	o.setServe(serveCheckpoint(older))
	pass(t, m)
	if rs := c.take(); len(rs) != 0 {
		t.Fatalf("an older checkpoint of the same history reported %+v", rs)
	}
	o.setServe(nil)
	o.release(1)
	pass(t, m)
	if got := indexes(c.take()); len(got) != 1 {
		t.Fatalf("after the older checkpoint, reported %v", got)
	}

	// The log set back to the older tree: its tiles stop where that tree does.
	held := heldCheckpoint(t, o)
	o.setServe(setBack(t, older))
	if err := m.Pass(context.Background()); !errors.Is(err, monitor.ErrConflict) {
		t.Fatalf("pass over a rolled-back log: %v", err)
	}
	alerts := ofType(c.take(), monitor.TypeAlert)
	if len(alerts) != 1 || alerts[0].Problem != monitor.ProblemRollback || !strings.Contains(alerts[0].Message, "cannot show") {
		t.Fatalf("alerts: %+v", alerts)
	}
	checkEvidence(t, alerts[0], held, older)
}

// setBack serves a log set back to the tree of the checkpoint older: that checkpoint, and
// the hash tiles of its tree only (404 for the others).
func setBack(t *testing.T, older []byte) func(http.ResponseWriter, *http.Request, http.Handler) {
	t.Helper()
	size, err := checkpoint.Size(older)
	if err != nil {
		t.Fatal(err)
	}
	tiles := map[string]bool{}
	for _, tl := range tlog.NewTiles(translog.TileHeight, 0, size) {
		tiles["/log/"+translog.TilePath(tl)] = true
	}
	return func(w http.ResponseWriter, r *http.Request, h http.Handler) {
		if strings.HasPrefix(r.URL.Path, "/log/tile/") && !strings.HasPrefix(r.URL.Path, "/log/tile/entries/") && !tiles[r.URL.Path] {
			http.NotFound(w, r)
			return
		}
		serveCheckpoint(older)(w, r, h)
	}
}

// An entry served with bytes that do not hash into the tree is found, and kept.
func TestEntryMismatch(t *testing.T) {
	keys := newLogKeys(t, "tamper.example/log")
	o := newOffice(t, keys)
	ref, _ := o.release(1)
	o.retract(ref)
	var mu sync.Mutex
	var served []byte
	o.setServe(func(w http.ResponseWriter, r *http.Request, h http.Handler) {
		if !strings.HasPrefix(r.URL.Path, "/log/tile/entries/") {
			h.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		b := rec.Body.Bytes()
		// Change one byte of the release's payload: the bundle still frames, the entry
		// still has its header, only its hash gives it away.
		head := []byte("v2 release\n{\"payload\":\"")
		if i := bytes.Index(b, head); i >= 0 {
			b[i+len(head)] ^= 1
		}
		mu.Lock()
		served = b
		mu.Unlock()
		w.Write(b)
	})
	m, c := newMonitor(t, o.url, keys, t.TempDir(), public.Filter{})
	err := m.Pass(context.Background())
	if !errors.Is(err, monitor.ErrUnsound) || errors.Is(err, monitor.ErrConflict) {
		t.Fatalf("pass over a tampered entry: %v", err)
	}
	rs := c.take()
	alerts := ofType(rs, monitor.TypeAlert)
	if len(alerts) != 1 || alerts[0].Problem != monitor.ProblemBadEntry || !strings.Contains(alerts[0].Message, "does not hash") {
		t.Fatalf("alerts: %+v", alerts)
	}
	mu.Lock()
	defer mu.Unlock()
	checkEvidence(t, alerts[0], served, heldCheckpoint(t, o))
	if len(ofType(rs, monitor.TypeCheckpoint)) != 0 {
		t.Fatal("the monitor accepted the checkpoint")
	}
}

// A tile that does not hash to the checkpoint's root is found.
func TestTileMismatch(t *testing.T) {
	keys := newLogKeys(t, "tiles.example/log")
	o := newOffice(t, keys)
	o.release(1)
	m, c := newMonitor(t, o.url, keys, t.TempDir(), public.Filter{})
	pass(t, m)
	o.release(2)
	o.setServe(func(w http.ResponseWriter, r *http.Request, h http.Handler) {
		if !strings.HasPrefix(r.URL.Path, "/log/tile/0/") {
			h.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		b := rec.Body.Bytes()
		b[0] ^= 1
		w.Write(b)
	})
	if err := m.Pass(context.Background()); !errors.Is(err, monitor.ErrUnsound) {
		t.Fatalf("pass over a tampered tile: %v", err)
	}
	if alerts := ofType(c.take(), monitor.TypeAlert); len(alerts) != 1 || alerts[0].Problem != monitor.ProblemBadTiles {
		t.Fatalf("alerts: %+v", alerts)
	}
}

// A checkpoint that does not verify with the pinned key is a finding; a log that cannot be
// reached is not.
func TestBadSignatureAndOutage(t *testing.T) {
	keys := newLogKeys(t, "sig.example/log")
	o := newOffice(t, keys)
	impostor := newLogKeys(t, "sig.example/log")
	m, c := newMonitor(t, o.url, impostor, t.TempDir(), public.Filter{})
	if err := m.Pass(context.Background()); !errors.Is(err, monitor.ErrUnsound) {
		t.Fatalf("pass with another key: %v", err)
	}
	if alerts := ofType(c.take(), monitor.TypeAlert); len(alerts) != 1 || alerts[0].Problem != monitor.ProblemBadSignature {
		t.Fatalf("alerts: %+v", alerts)
	}

	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close()
	m, c = newMonitor(t, srv.URL, keys, t.TempDir(), public.Filter{})
	err := m.Pass(context.Background())
	if err == nil || errors.Is(err, monitor.ErrUnsound) || errors.Is(err, monitor.ErrConflict) {
		t.Fatalf("pass over an unreachable log: %v", err)
	}
	if rs := c.take(); len(rs) != 0 {
		t.Fatalf("reported %+v", rs)
	}
}

// Filters select entries by kind, office and key; revocations and policies always pass.
func TestFilter(t *testing.T) {
	keys := newLogKeys(t, "filter.example/log")
	o := newOffice(t, keys)
	_, rel := o.release(1)
	_, rev := o.revokeKey()
	pol := o.adoptPolicy()
	o.appendKeys(2)
	for _, tc := range []struct {
		name string
		f    public.Filter
		want []int64
	}{
		{"release", public.Filter{Kinds: []string{"release"}}, []int64{rel, rev, pol}},
		{"signer key prefix", public.Filter{KeyIDs: []string{o.keyID[:12]}}, []int64{0, rel, rev, pol}},
		{"other office", public.Filter{Offices: []string{"Bulk Office"}, Kinds: []string{"key"}}, []int64{rev, pol, pol + 1, pol + 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, c := newMonitor(t, o.url, keys, t.TempDir(), tc.f)
			pass(t, m)
			if got := indexes(c.take()); !slices.Equal(got, tc.want) {
				t.Fatalf("reported %v, want %v", got, tc.want)
			}
		})
	}
}

// Run follows a log pass after pass until cancelled; a standing finding is warned of once.
func TestRun(t *testing.T) {
	keys := newLogKeys(t, "run.example/log")
	o := newOffice(t, keys)
	reports := make(chan monitor.Report, 1000)
	m, err := monitor.New(monitor.Config{
		Logs:      []monitor.Log{{URL: o.url, Key: keys.vkey}},
		StatePath: filepath.Join(t.TempDir(), "state.json"),
		Report:    func(_ context.Context, r monitor.Report) error { reports <- r; return nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var warnings []error
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() {
		done <- m.Run(ctx, time.Millisecond, func(err error) { mu.Lock(); warnings = append(warnings, err); mu.Unlock() })
	}()
	waitFor := func(typ string, size int64) monitor.Report {
		t.Helper()
		for r := range reports {
			if r.Type == typ && r.Size == size {
				return r
			}
		}
		panic("unreachable")
	}
	waitFor(monitor.TypeCheckpoint, 1)
	o.release(1)
	waitFor(monitor.TypeCheckpoint, o.size())

	var fetched atomic.Int64
	fork := forged(t, keys, o.size(), tlog.Hash{1})
	o.setServe(func(w http.ResponseWriter, r *http.Request, h http.Handler) {
		if r.URL.Path == "/log/checkpoint" {
			fetched.Add(1)
		}
		serveCheckpoint(fork)(w, r, h)
	})
	if a := waitFor(monitor.TypeAlert, o.size()); a.Problem != monitor.ProblemFork {
		t.Fatalf("alert %+v", a)
	}
	// Let more passes see the same fork.
	for n := fetched.Load(); fetched.Load() < n+3; {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(warnings) != 1 || !errors.Is(warnings[0], monitor.ErrConflict) {
		t.Fatalf("warnings: %v", warnings)
	}
	close(reports)
	for r := range reports {
		if r.Type == monitor.TypeAlert {
			t.Fatalf("alerted again: %+v", r)
		}
	}
}

// One monitor follows several logs: a conflict in one does not stop the others.
func TestSeveralLogs(t *testing.T) {
	ka, kb := newLogKeys(t, "a.example/log"), newLogKeys(t, "b.example/log")
	a, b := newOffice(t, ka), newOffice(t, kb)
	c := &collector{}
	state := filepath.Join(t.TempDir(), "state.json")
	cfg := monitor.Config{Logs: []monitor.Log{{URL: a.url, Key: ka.vkey}, {URL: b.url + "/log", Key: kb.vkey}}, StatePath: state, Report: c.report}
	m, err := monitor.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	pass(t, m)
	if rs := ofType(c.take(), monitor.TypeCheckpoint); len(rs) != 2 || rs[0].Log != ka.origin || rs[1].Log != kb.origin {
		t.Fatalf("checkpoints: %+v", rs)
	}
	b.setServe(serveCheckpoint(forged(t, kb, b.size(), tlog.Hash{2})))
	_, rel := a.release(1)
	err = m.Pass(context.Background())
	if !errors.Is(err, monitor.ErrConflict) || !strings.Contains(err.Error(), kb.origin) || strings.Contains(err.Error(), ka.origin) {
		t.Fatalf("pass: %v", err)
	}
	rs := c.take()
	if got := indexes(rs); !slices.Contains(got, rel) {
		t.Fatalf("log a's release not reported: %v", got)
	}
	st, err := monitor.LoadState(state)
	if err != nil {
		t.Fatal(err)
	}
	if cp, _ := checkpoint.Size([]byte(st.Logs[ka.vkey].Checkpoint)); cp != a.size() {
		t.Fatalf("log a held at %d, want %d", cp, a.size())
	}
	if _, err := monitor.New(monitor.Config{Logs: []monitor.Log{{URL: a.url, Key: ka.vkey}, {URL: b.url, Key: ka.vkey}}, Report: c.report}); err == nil {
		t.Fatal("one key given for two logs was accepted")
	}
}

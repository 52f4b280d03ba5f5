package monitor_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/checkpoint"
	"github.com/chancery/chancery/internal/monitor"
	"github.com/chancery/chancery/internal/monitor/public"
	"github.com/chancery/chancery/internal/translog"
	wnote "github.com/transparency-dev/formats/note"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// witnessKey is a witness's Ed25519 cosignature/v1 key pair.
type witnessKey struct {
	vkey   string
	signer note.Signer
}

func newWitnessKey(t *testing.T, name string) witnessKey {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	typed := append([]byte{0x04}, pub...)
	h := sha256.Sum256(append([]byte(name+"\n"), typed...))
	hash := binary.BigEndian.Uint32(h[:])
	skey := fmt.Sprintf("PRIVATE+KEY+%s+%08x+%s", name, hash, base64.StdEncoding.EncodeToString(append([]byte{0x04}, priv.Seed()...)))
	s, err := wnote.NewSignerForCosignatureV1(skey)
	if err != nil {
		t.Fatal(err)
	}
	return witnessKey{vkey: fmt.Sprintf("%s+%08x+%s", name, hash, base64.StdEncoding.EncodeToString(typed)), signer: s}
}

// line returns w's cosignature line on the note text.
func (w witnessKey) line(t *testing.T, text string) string {
	t.Helper()
	b, err := note.Sign(&note.Note{Text: text}, w.signer)
	if err != nil {
		t.Fatal(err)
	}
	return string(b[len(text)+1:])
}

// cosigned appends to a signed checkpoint the given witnesses' lines on its text.
func cosigned(t *testing.T, signed []byte, ws ...witnessKey) []byte {
	t.Helper()
	text, _, _ := strings.Cut(string(signed), "\n\n")
	out := slices.Clone(signed)
	for _, w := range ws {
		out = append(out, w.line(t, text+"\n")...)
	}
	return out
}

// TestWitnessCosignatures: a monitor that knows the log's witnesses alerts on a cosignature
// line of theirs that does not verify, and on a checkpoint without the quorum's cosignatures;
// before, it knew the log key only and saw neither.
func TestWitnessCosignatures(t *testing.T) {
	keys := newLogKeys(t, "witnessed.example/log")
	o := newOffice(t, keys)
	w1, w2 := newWitnessKey(t, "w1.example"), newWitnessKey(t, "w2.example")
	c := &collector{}
	m, err := monitor.New(monitor.Config{
		Logs:      []monitor.Log{{URL: o.url, Key: keys.vkey, Witnesses: []string{w1.vkey, w2.vkey}, Quorum: 2}},
		StatePath: filepath.Join(t.TempDir(), "state.json"),
		Report:    c.report,
	})
	if err != nil {
		t.Fatal(err)
	}
	o.setServe(serveCheckpoint(cosigned(t, heldCheckpoint(t, o), w1, w2)))
	pass(t, m)
	if cp := ofType(c.take(), monitor.TypeCheckpoint); len(cp) != 1 {
		t.Fatalf("a checkpoint the quorum cosigned: %+v", cp)
	}

	o.setServe(nil)
	o.release(1)
	real := heldCheckpoint(t, o)
	// A witness signs checkpoints only: its line on another tree, moved onto this one.
	other := string(checkpoint.Checkpoint{Origin: keys.origin, Size: o.size() + 1, Root: tlog.Hash{9}}.Marshal())
	badW2 := append(cosigned(t, real, w1), w2.line(t, other)...)
	secondW1 := append(cosigned(t, real, w1, w2), w1.line(t, other)...)
	for _, tc := range []struct {
		name    string
		served  []byte
		problem string
	}{
		{"a line of a witness that does not verify", badW2, monitor.ProblemBadCosignature},
		{"a second line of a witness that does not verify", secondW1, monitor.ProblemBadCosignature},
		{"one cosignature of a quorum of two", cosigned(t, real, w1), monitor.ProblemQuorum},
		{"none", real, monitor.ProblemQuorum},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// A monitor of its own: of the findings that need no key, only the first since a
			// monitor last held a checkpoint keeps its evidence.
			c := &collector{}
			m, err := monitor.New(monitor.Config{
				Logs:      []monitor.Log{{URL: o.url, Key: keys.vkey, Witnesses: []string{w1.vkey, w2.vkey}, Quorum: 2}},
				StatePath: filepath.Join(t.TempDir(), "state.json"),
				Report:    c.report,
			})
			if err != nil {
				t.Fatal(err)
			}
			o.setServe(serveCheckpoint(tc.served))
			if err := m.Pass(context.Background()); !errors.Is(err, monitor.ErrUnsound) || errors.Is(err, monitor.ErrConflict) {
				t.Fatalf("pass: %v", err)
			}
			rs := c.take()
			alerts := ofType(rs, monitor.TypeAlert)
			if len(alerts) != 1 || alerts[0].Problem != tc.problem {
				t.Fatalf("alerts: %+v", alerts)
			}
			if len(ofType(rs, monitor.TypeCheckpoint)) != 0 {
				t.Fatal("the checkpoint was accepted")
			}
			checkEvidence(t, alerts[0], tc.served)
		})
	}

	// A line of a witness the monitor does not know is not its to judge.
	stranger := newWitnessKey(t, "stranger.example")
	o.setServe(serveCheckpoint(append(cosigned(t, real, w1, w2), stranger.line(t, other)...)))
	pass(t, m)
	if cp := ofType(c.take(), monitor.TypeCheckpoint); len(cp) != 1 || cp[0].Size != o.size() {
		t.Fatalf("checkpoint reports: %+v", cp)
	}

	// Witness keys given wrong are refused.
	for _, l := range []monitor.Log{
		{URL: o.url, Key: keys.vkey, Witnesses: []string{w1.vkey, w1.vkey}, Quorum: 1},
		{URL: o.url, Key: keys.vkey, Witnesses: []string{w1.vkey}, Quorum: 2},
		{URL: o.url, Key: keys.vkey, Witnesses: []string{keys.vkey}},
	} {
		if _, err := monitor.New(monitor.Config{Logs: []monitor.Log{l}, Report: c.report}); err == nil {
			t.Fatalf("witnesses %v, quorum %d accepted", l.Witnesses, l.Quorum)
		}
	}
}

// TestBadEmptyTree: a first checkpoint of size 0 with another root than the empty tree's is
// its own finding, not a "fork" against a tree the monitor never saw.
func TestBadEmptyTree(t *testing.T) {
	keys := newLogKeys(t, "empty.example/log")
	o := newOffice(t, keys)
	m, c := newMonitor(t, o.url, keys, t.TempDir(), public.Filter{})
	bad := forged(t, keys, 0, tlog.Hash{1})
	o.setServe(serveCheckpoint(bad))
	err := m.Pass(context.Background())
	if !errors.Is(err, monitor.ErrUnsound) || errors.Is(err, monitor.ErrConflict) {
		t.Fatalf("pass over a bad empty tree: %v", err)
	}
	alerts := ofType(c.take(), monitor.TypeAlert)
	if len(alerts) != 1 || alerts[0].Problem != monitor.ProblemBadEmptyTree || alerts[0].SeenSize != nil {
		t.Fatalf("alerts: %+v", alerts)
	}
	checkEvidence(t, alerts[0], bad)

	// The empty tree itself is followed.
	o.setServe(serveCheckpoint(forged(t, keys, 0, tlog.Hash(sha256.Sum256(nil)))))
	pass(t, m)
	if cp := ofType(c.take(), monitor.TypeCheckpoint); len(cp) != 1 || cp[0].Size != 0 {
		t.Fatalf("checkpoint reports: %+v", cp)
	}
}

// TestOutageIsNoRollback: a log that fails to answer while the monitor fetches the tiles of
// the tree it holds, to place an older checkpoint in it, is out, not rolled back.
func TestOutageIsNoRollback(t *testing.T) {
	outOnly(t, "outage.example/log", http.StatusServiceUnavailable, http.StatusTooManyRequests, http.StatusInternalServerError)
}

// TestMisroutedTilesAreNoRollback: a log whose checkpoint is an older one of the history held
// (a stale cache) while no tile at all is found (404: a proxy that sends the tiles nowhere)
// shows nothing of any tree, and is out, not rolled back: the pass fails with no alert.
// Before, the 404 on the held tree's tiles was a rollback (exit 3). A log set back to the
// older tree, which serves that tree's tiles and not the larger one's, is still a rollback.
func TestMisroutedTilesAreNoRollback(t *testing.T) {
	o, m, c, older := outOnly(t, "misrouted.example/log", http.StatusNotFound, http.StatusGone)
	o.setServe(setBack(t, older))
	if err := m.Pass(context.Background()); !errors.Is(err, monitor.ErrConflict) {
		t.Fatalf("pass over a log set back: %v", err)
	}
	if alerts := ofType(c.take(), monitor.TypeAlert); len(alerts) != 1 || alerts[0].Problem != monitor.ProblemRollback {
		t.Fatalf("alerts: %+v", alerts)
	}
}

// savedState reads the state file as it is on disk.
func savedState(t *testing.T, path string) *monitor.LogState {
	t.Helper()
	st, err := monitor.LoadState(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range st.Logs {
		return l
	}
	return &monitor.LogState{}
}

// bundleIndex returns the index of the entry bundle a request asks for, or -1.
func bundleIndex(t *testing.T, path string) int64 {
	p, ok := strings.CutPrefix(path, "/log/tile/entries/")
	if !ok {
		return -1
	}
	tile, err := tlog.ParseTilePath(fmt.Sprintf("tile/%d/data/%s", translog.TileHeight, p))
	if err != nil {
		t.Errorf("bundle path %s: %v", path, err)
		return -1
	}
	return tile.N
}

// TestPassKilledMidwayContinues: a long pass saves its progress as it goes, so that a monitor
// killed midway continues where it stopped instead of redoing the pass; before, its state
// moved only at the end of a pass.
func TestPassKilledMidwayContinues(t *testing.T) {
	monitor.SetProgressEvery(t, 1)
	keys := newLogKeys(t, "killed.example/log")
	o := newOffice(t, keys)
	o.appendKeys(3*translog.TileWidth - int(o.size()))
	dir := t.TempDir()
	state := filepath.Join(dir, "state.json")

	// The pass is stopped while it fetches bundle 2, as a process killed there: what is on
	// disk then is all a restarted monitor has.
	reached, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	o.setServe(func(w http.ResponseWriter, r *http.Request, h http.Handler) {
		if bundleIndex(t, r.URL.Path) == 2 {
			once.Do(func() { close(reached) })
			<-release
			http.Error(w, "killed", http.StatusServiceUnavailable)
			return
		}
		h.ServeHTTP(w, r)
	})
	m, c := newMonitor(t, o.url, keys, dir, public.Filter{})
	done := make(chan error, 1)
	go func() { done <- m.Pass(context.Background()) }()
	<-reached
	onDisk, err := os.ReadFile(state)
	close(release)
	<-done
	if err != nil {
		t.Fatalf("no state saved while the pass went on: %v", err)
	}
	first := indexes(c.take())
	restarted := filepath.Join(t.TempDir(), "state.json")
	os.WriteFile(restarted, onDisk, 0o600)
	if st := savedState(t, restarted); st.Checked != 2*translog.TileWidth || st.Pending == "" {
		t.Fatalf("saved midway: checked %d, pending %q; want %d", st.Checked, st.Pending, 2*translog.TileWidth)
	}

	var mu sync.Mutex
	var fetched []int64
	o.setServe(func(w http.ResponseWriter, r *http.Request, h http.Handler) {
		if n := bundleIndex(t, r.URL.Path); n >= 0 {
			mu.Lock()
			fetched = append(fetched, n)
			mu.Unlock()
		}
		h.ServeHTTP(w, r)
	})
	m, c = newMonitor(t, o.url, keys, filepath.Dir(restarted), public.Filter{})
	pass(t, m)
	rs := c.take()
	mu.Lock()
	defer mu.Unlock()
	if !slices.Equal(fetched, []int64{2}) {
		t.Fatalf("the restarted pass fetched bundles %v, want [2]", fetched)
	}
	if got := append(first[:2*translog.TileWidth:2*translog.TileWidth], indexes(rs)...); !slices.Equal(got, span(0, o.size())) {
		t.Fatalf("reported %d entries over the two passes, want %d", len(got), o.size())
	}
	if cp := ofType(rs, monitor.TypeCheckpoint); len(cp) != 1 || cp[0].Size != o.size() || cp[0].PreviousSize != nil {
		t.Fatalf("checkpoint reports: %+v", cp)
	}
	if st := savedState(t, restarted); st.Pending != "" || st.Checked != 0 || st.Checkpoint == "" {
		t.Fatalf("state after the pass: %+v", st)
	}
}

// TestCutPassesStillReachAFinding: passes that are each cut short (a cron job's timeout, a
// log that drops the connection) still reach a bad entry beyond what one pass checks; before,
// every pass started again from the held checkpoint and the finding was never made.
func TestCutPassesStillReachAFinding(t *testing.T) {
	keys := newLogKeys(t, "cut.example/log")
	o := newOffice(t, keys)
	o.appendKeys(3 * translog.TileWidth)
	var mu sync.Mutex
	var first int64
	var cancel context.CancelFunc
	o.setServe(func(w http.ResponseWriter, r *http.Request, h http.Handler) {
		n := bundleIndex(t, r.URL.Path)
		if n < 0 {
			h.ServeHTTP(w, r)
			return
		}
		mu.Lock()
		if first < 0 {
			first = n
		}
		cut, stop := n > first, cancel
		mu.Unlock()
		if cut { // each pass gets one bundle
			stop()
			http.Error(w, "cut", http.StatusServiceUnavailable)
			return
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		b := rec.Body.Bytes()
		if n == 2 { // the last entry of the log, tampered with
			b[len(b)-1] ^= 1
		}
		w.Write(b)
	})
	m, c := newMonitor(t, o.url, keys, t.TempDir(), public.Filter{})
	for range 4 {
		ctx, stop := context.WithCancel(context.Background())
		mu.Lock()
		first, cancel = -1, stop
		mu.Unlock()
		err := m.Pass(ctx)
		stop()
		if errors.Is(err, monitor.ErrUnsound) {
			if alerts := ofType(c.take(), monitor.TypeAlert); len(alerts) != 1 || alerts[0].Problem != monitor.ProblemBadEntry {
				t.Fatalf("alerts: %+v", alerts)
			}
			return
		}
	}
	t.Fatal("four passes cut after one bundle each never found the bad entry of bundle 2")
}

// TestBoundedPass: a pass checks at most MaxEntries entries of a log and says it did not
// finish; the next continues, reporting each entry once.
func TestBoundedPass(t *testing.T) {
	keys := newLogKeys(t, "bounded.example/log")
	o := newOffice(t, keys)
	o.appendKeys(2*translog.TileWidth + 10)
	c := &collector{}
	m, err := monitor.New(monitor.Config{
		Logs:       []monitor.Log{{URL: o.url, Key: keys.vkey}},
		StatePath:  filepath.Join(t.TempDir(), "state.json"),
		Report:     c.report,
		MaxEntries: translog.TileWidth,
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []int64
	for i := range 2 {
		err := m.Pass(context.Background())
		if !errors.Is(err, monitor.ErrUnfinished) || errors.Is(err, monitor.ErrUnsound) || errors.Is(err, monitor.ErrConflict) {
			t.Fatalf("pass %d: %v", i, err)
		}
		rs := c.take()
		if len(ofType(rs, monitor.TypeCheckpoint)) != 0 || len(indexes(rs)) != translog.TileWidth {
			t.Fatalf("pass %d reported %d entries and %d checkpoints", i, len(indexes(rs)), len(ofType(rs, monitor.TypeCheckpoint)))
		}
		got = append(got, indexes(rs)...)
	}
	pass(t, m)
	rs := c.take()
	got = append(got, indexes(rs)...)
	if !slices.Equal(got, span(0, o.size())) {
		t.Fatalf("reported %d entries, want %d", len(got), o.size())
	}
	if cp := ofType(rs, monitor.TypeCheckpoint); len(cp) != 1 || cp[0].Size != o.size() {
		t.Fatalf("checkpoint reports: %+v", cp)
	}
}

// TestRepeatedSubtreesDoNotHoldThePass: the log key signs a tree of 2^40 entries built from
// one entry repeated, whose tiles are all alike: every tile and bundle checks, and before the
// bound the pass walked its bundles for ever.
func TestRepeatedSubtreesDoNotHoldThePass(t *testing.T) {
	keys := newLogKeys(t, "repeated.example/log")
	o := newOffice(t, keys)
	resp, err := http.Get(o.url + "/log/" + translog.TilePath(tlog.Tile{H: translog.TileHeight, L: translog.EntriesLevel, N: 0, W: 1}))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	entries, err := translog.SplitBundle(b)
	if err != nil || len(entries) != 1 {
		t.Fatalf("bundle 0: %v", err)
	}
	e := entries[0]
	// hashes[k] is the hash of a subtree of 2^k copies of e.
	hashes := []tlog.Hash{tlog.RecordHash(e)}
	for k := 1; k <= 48; k++ {
		hashes = append(hashes, tlog.NodeHash(hashes[k-1], hashes[k-1]))
	}
	const size = 1 << 40
	var bundle []byte
	for range translog.TileWidth {
		bundle = translog.AppendBundleEntry(bundle, e)
	}
	o.setServe(func(w http.ResponseWriter, r *http.Request, h http.Handler) {
		switch p := strings.TrimPrefix(r.URL.Path, "/log/"); {
		case p == "checkpoint":
			w.Write(forged(t, keys, size, hashes[40]))
		case strings.HasPrefix(p, "tile/entries/"):
			w.Write(bundle)
		case strings.HasPrefix(p, "tile/"):
			tile, err := tlog.ParseTilePath(fmt.Sprintf("tile/%d/%s", translog.TileHeight, strings.TrimPrefix(p, "tile/")))
			if err != nil {
				http.NotFound(w, r)
				return
			}
			w.Write(bytes.Repeat(hashes[tile.L*translog.TileHeight][:], tile.W))
		default:
			http.NotFound(w, r)
		}
	})
	const max = 4 * translog.TileWidth
	c := &collector{}
	state := filepath.Join(t.TempDir(), "state.json")
	m, err := monitor.New(monitor.Config{Logs: []monitor.Log{{URL: o.url, Key: keys.vkey}}, StatePath: state, Report: c.report, MaxEntries: max})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		done := make(chan error, 1)
		go func() { done <- m.Pass(context.Background()) }()
		select {
		case err := <-done:
			if !errors.Is(err, monitor.ErrUnfinished) {
				t.Fatalf("pass %d: %v", i, err)
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("pass %d over a tree of repeated subtrees has not ended in 20 s", i)
		}
		if got := indexes(c.take()); !slices.Equal(got, span(int64(i*max), int64((i+1)*max))) {
			t.Fatalf("pass %d reported %d entries from %v", i, len(got), got[:min(1, len(got))])
		}
		if st := savedState(t, state); st.Checked != int64((i+1)*max) {
			t.Fatalf("pass %d saved %d entries checked", i, st.Checked)
		}
	}
	// The checkpoint being checked is kept: the log showing another tree of that size now is
	// a fork.
	o.setServe(serveCheckpoint(forged(t, keys, size, hashes[0])))
	if err := m.Pass(context.Background()); !errors.Is(err, monitor.ErrConflict) {
		t.Fatalf("a fork of the tree being checked: %v", err)
	}
	if alerts := ofType(c.take(), monitor.TypeAlert); len(alerts) != 1 || alerts[0].Problem != monitor.ProblemFork {
		t.Fatalf("alerts: %+v", alerts)
	}
	if _, err := checkpoint.Size([]byte(savedState(t, state).Pending)); err != nil {
		t.Fatal(err)
	}
}

// TestSlowLogIsCutAtMaxPassTime: a log that answers every request slowly, each within the
// HTTP client's timeout, is given MaxPassTime a pass, then the pass stops with its progress
// saved; before, a pass took as long as the log made it (the client's minute per request,
// thousands of requests), holding up every other log.
func TestSlowLogIsCutAtMaxPassTime(t *testing.T) {
	keys := newLogKeys(t, "slow.example/log")
	o := newOffice(t, keys)
	o.appendKeys(4 * translog.TileWidth)
	o.setServe(func(w http.ResponseWriter, r *http.Request, h http.Handler) {
		if bundleIndex(t, r.URL.Path) >= 1 {
			select {
			case <-time.After(10 * time.Second):
			case <-r.Context().Done():
				return
			}
		}
		h.ServeHTTP(w, r)
	})
	c := &collector{}
	state := filepath.Join(t.TempDir(), "state.json")
	m, err := monitor.New(monitor.Config{Logs: []monitor.Log{{URL: o.url, Key: keys.vkey}}, StatePath: state, Report: c.report,
		MaxPassTime: 500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	err = m.Pass(context.Background())
	if took := time.Since(start); took > 5*time.Second {
		t.Fatalf("the pass took %s", took)
	}
	if !errors.Is(err, monitor.ErrUnfinished) || errors.Is(err, monitor.ErrUnsound) || errors.Is(err, monitor.ErrConflict) {
		t.Fatalf("pass over a slow log: %v", err)
	}
	if got := indexes(c.take()); !slices.Equal(got, span(0, translog.TileWidth)) {
		t.Fatalf("reported %d entries", len(got))
	}
	if st := savedState(t, state); st.Checked != translog.TileWidth {
		t.Fatalf("saved %d entries checked", st.Checked)
	}
}

// TestServedBytesDoNotMultiplyEvidence: whoever serves a log, without its key, made every
// pass keep a new evidence file and send a new alert, by serving each time another checkpoint
// that does not verify, or the log's own checkpoint with another line of an unknown key
// added (20 passes: 20 alerts and 40 files before). A finding is told apart by what the log
// key signed: one alert, its evidence kept once.
func TestServedBytesDoNotMultiplyEvidence(t *testing.T) {
	keys := newLogKeys(t, "spam.example/log")
	o := newOffice(t, keys)
	w := newWitnessKey(t, "w.example")
	c := &collector{}
	m, err := monitor.New(monitor.Config{
		Logs:      []monitor.Log{{URL: o.url, Key: keys.vkey, Witnesses: []string{w.vkey}, Quorum: 1}},
		StatePath: filepath.Join(t.TempDir(), "state.json"),
		Report:    c.report,
	})
	if err != nil {
		t.Fatal(err)
	}
	real := heldCheckpoint(t, o)
	text, _, _ := strings.Cut(string(real), "\n\n")
	var n int
	var mu sync.Mutex
	serve := func(f func(n int) []byte) {
		o.setServe(func(w http.ResponseWriter, r *http.Request, h http.Handler) {
			if r.URL.Path != "/log/checkpoint" {
				h.ServeHTTP(w, r)
				return
			}
			mu.Lock()
			n++
			b := f(n)
			mu.Unlock()
			w.Write(b)
		})
	}
	stranger := func(n int) string {
		return "— stranger.example " + base64.StdEncoding.EncodeToString(fmt.Appendf(nil, "\x00\x00\x00\x01%d", n)) + "\n"
	}
	kept := func() int {
		es, _ := os.ReadDir(m.EvidenceDir())
		return len(es)
	}
	passes := func(problem string) {
		t.Helper()
		for range 20 {
			if err := m.Pass(context.Background()); !errors.Is(err, monitor.ErrUnsound) {
				t.Fatalf("pass: %v", err)
			}
		}
		if alerts := ofType(c.take(), monitor.TypeAlert); len(alerts) != 1 || alerts[0].Problem != problem {
			t.Fatalf("%d alerts over 20 passes, want one %s", len(alerts), problem)
		}
	}

	serve(func(n int) []byte { return []byte(text + "\n\n" + stranger(n)) })
	passes(monitor.ProblemBadSignature)
	if k := kept(); k != 2 {
		t.Fatalf("%d evidence files kept", k)
	}
	// A finding that needs no key keeps evidence if it is the first since the monitor last
	// held a checkpoint.
	o.setServe(serveCheckpoint(cosigned(t, real, w)))
	pass(t, m)
	c.take()
	serve(func(n int) []byte { return append(slices.Clone(real), stranger(n)...) })
	passes(monitor.ProblemQuorum)
	if k := kept(); k != 4 {
		t.Fatalf("%d evidence files kept", k)
	}

	// Once the log serves a checkpoint its key signed, an unsigned one is a new incident.
	o.setServe(serveCheckpoint(cosigned(t, real, w)))
	pass(t, m)
	c.take()
	serve(func(n int) []byte { return []byte(text + "\n\n" + stranger(n)) })
	if err := m.Pass(context.Background()); !errors.Is(err, monitor.ErrUnsound) || len(ofType(c.take(), monitor.TypeAlert)) != 1 {
		t.Fatalf("a new incident: %v", err)
	}
}

// TestCutPassKeepsTheCheckpointItSaw: the checkpoint a pass verified and began to check is
// kept even if the pass is cut short, so that the log showing another tree of that size next
// is a fork with both signed checkpoints kept; before, the monitor forgot it, and saw only
// tiles that do not match (bad-tiles), without the evidence of a split view.
func TestCutPassKeepsTheCheckpointItSaw(t *testing.T) {
	keys := newLogKeys(t, "cutseen.example/log")
	o := newOffice(t, keys)
	o.appendKeys(2 * translog.TileWidth)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	o.setServe(func(w http.ResponseWriter, r *http.Request, h http.Handler) {
		if bundleIndex(t, r.URL.Path) == 1 {
			cancel()
			http.Error(w, "cut", http.StatusServiceUnavailable)
			return
		}
		h.ServeHTTP(w, r)
	})
	dir := t.TempDir()
	m, c := newMonitor(t, o.url, keys, dir, public.Filter{})
	if err := m.Pass(ctx); err == nil || errors.Is(err, monitor.ErrUnsound) || errors.Is(err, monitor.ErrConflict) {
		t.Fatalf("cut pass: %v", err)
	}
	c.take()
	seen := heldCheckpoint(t, o)

	fork := forged(t, keys, o.size(), tlog.Hash{7})
	o.setServe(serveCheckpoint(fork))
	m, c = newMonitor(t, o.url, keys, dir, public.Filter{}) // restarted, too
	if err := m.Pass(context.Background()); !errors.Is(err, monitor.ErrConflict) {
		t.Fatalf("another tree of the size seen: %v", err)
	}
	alerts := ofType(c.take(), monitor.TypeAlert)
	if len(alerts) != 1 || alerts[0].Problem != monitor.ProblemFork {
		t.Fatalf("alerts: %+v", alerts)
	}
	checkEvidence(t, alerts[0], seen, fork)
}

// outOnly has a monitor hold a tree of 3 entries, then serves it the older checkpoint of 1
// with every tile answered each of statuses in turn: each pass fails with no alert nor
// report, and once the tiles are served again the older checkpoint is no finding. It returns
// the office, the monitor, its reports and the older checkpoint.
func outOnly(t *testing.T, origin string, statuses ...int) (*office, *monitor.Monitor, *collector, []byte) {
	t.Helper()
	keys := newLogKeys(t, origin)
	o := newOffice(t, keys)
	o.release(1)
	older := heldCheckpoint(t, o)
	o.release(2)
	m, c := newMonitor(t, o.url, keys, t.TempDir(), public.Filter{})
	pass(t, m)
	c.take()
	for _, status := range statuses {
		o.setServe(func(w http.ResponseWriter, r *http.Request, h http.Handler) {
			if strings.HasPrefix(r.URL.Path, "/log/tile/") {
				http.Error(w, "down", status)
				return
			}
			serveCheckpoint(older)(w, r, h)
		})
		err := m.Pass(context.Background())
		if err == nil || errors.Is(err, monitor.ErrConflict) || errors.Is(err, monitor.ErrUnsound) {
			t.Fatalf("pass with every tile %d: %v", status, err)
		}
		if rs := c.take(); len(rs) != 0 {
			t.Fatalf("reported with every tile %d: %+v", status, rs)
		}
	}
	o.setServe(serveCheckpoint(older))
	pass(t, m)
	if rs := c.take(); len(rs) != 0 {
		t.Fatalf("after the tiles came back: %+v", rs)
	}
	return o, m, c, older
}

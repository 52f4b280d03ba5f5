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
	"sync/atomic"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/monitor"
	"github.com/chancery/chancery/internal/monitor/public"
	"github.com/chancery/chancery/internal/translog"
	"golang.org/x/mod/sumdb/tlog"
)

// TestResetToEmptyIsARollback: a log that signs the empty tree after a larger one was reset
// (or rolled back); the empty tree is a part of every tree, so no tile can show otherwise.
// Before, it was followed without a word as an older checkpoint of the history held.
func TestResetToEmptyIsARollback(t *testing.T) {
	keys := newLogKeys(t, "reset.example/log")
	o := newOffice(t, keys)
	o.release(1)
	m, c := newMonitor(t, o.url, keys, t.TempDir(), public.Filter{})
	pass(t, m)
	c.take()
	held := heldCheckpoint(t, o)

	empty := forged(t, keys, 0, tlog.Hash(sha256.Sum256(nil)))
	o.setServe(serveCheckpoint(empty))
	if err := m.Pass(context.Background()); !errors.Is(err, monitor.ErrConflict) {
		t.Fatalf("pass over a log reset to the empty tree: %v", err)
	}
	alerts := ofType(c.take(), monitor.TypeAlert)
	if len(alerts) != 1 || alerts[0].Problem != monitor.ProblemRollback || *alerts[0].SeenSize != o.size() {
		t.Fatalf("alerts: %+v", alerts)
	}
	checkEvidence(t, alerts[0], held, empty)
}

// keylessBundles serves the office's log with each entry bundle followed by n empty entries
// on the n-th request: whoever serves the log, without its key, varies the error the
// monitor finds in it.
func keylessBundles(o *office) {
	var n atomic.Int64
	o.setServe(func(w http.ResponseWriter, r *http.Request, h http.Handler) {
		if !strings.HasPrefix(r.URL.Path, "/log/tile/entries/") {
			h.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		w.Write(append(rec.Body.Bytes(), make([]byte, 2*n.Add(1))...))
	})
}

// TestVaryingBundleBytesAlertOnce: an entry bundle served with other bytes at each pass was a
// new finding each time (another error message), alerted again and kept again until the
// evidence directory held as many findings as it keeps (five passes, five alerts before). A
// bundle's finding is told apart by the checkpoint and the bundle's index.
func TestVaryingBundleBytesAlertOnce(t *testing.T) {
	keys := newLogKeys(t, "varying.example/log")
	o := newOffice(t, keys)
	keylessBundles(o)
	m, c := newMonitor(t, o.url, keys, t.TempDir(), public.Filter{})
	var alerts []monitor.Report
	for range 5 {
		if err := m.Pass(context.Background()); !errors.Is(err, monitor.ErrUnsound) {
			t.Fatalf("pass: %v", err)
		}
		alerts = append(alerts, ofType(c.take(), monitor.TypeAlert)...)
	}
	if len(alerts) != 1 || alerts[0].Problem != monitor.ProblemBadEntry {
		t.Fatalf("%d alerts over 5 passes, want one bad-entry: %+v", len(alerts), alerts)
	}
	if kept, _ := os.ReadDir(m.EvidenceDir()); len(kept) != 3 {
		t.Fatalf("the evidence directory holds %d files, want 3", len(kept))
	}
}

// signedTree is a tree the log key signs: its checkpoint, entry bundle 0 and level-0 tile 0.
type signedTree struct {
	checkpoint, bundle, tile []byte
}

func newSignedTree(t *testing.T, keys logKeys, entries ...[]byte) *signedTree {
	t.Helper()
	var stored []tlog.Hash
	st := &signedTree{}
	for i, e := range entries {
		hs, err := tlog.StoredHashes(int64(i), e, tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
			out := make([]tlog.Hash, len(idx))
			for j, x := range idx {
				out[j] = stored[x]
			}
			return out, nil
		}))
		if err != nil {
			t.Fatal(err)
		}
		stored = append(stored, hs...)
		h := tlog.RecordHash(e)
		st.tile = append(st.tile, h[:]...)
		st.bundle = translog.AppendBundleEntry(st.bundle, e)
	}
	root, err := tlog.TreeHash(int64(len(entries)), tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(idx))
		for j, x := range idx {
			out[j] = stored[x]
		}
		return out, nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	st.checkpoint = forged(t, keys, int64(len(entries)), root)
	return st
}

// TestSignedFindingsHaveTheirOwnRoom: findings that need no key (bytes served against a
// genuine checkpoint) filled the room of every finding other than a conflict, and its bytes,
// so that an entry the log key signed into its tree that is not a Chancery entry then kept
// no evidence. The findings resting on signatures alone have a room of their own, bytes and
// all, itself bounded.
func TestSignedFindingsHaveTheirOwnRoom(t *testing.T) {
	keys := newLogKeys(t, "signedroom.example/log")
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
	// The log key signs a tree whose second entry is not a Chancery entry, then a larger one.
	good, bad := entries[0], []byte("not a chancery entry")
	trees := []*signedTree{newSignedTree(t, keys, good, bad), newSignedTree(t, keys, good, bad, bad)}
	var served atomic.Int64 // the tree served
	var flood atomic.Bool   // its first entry altered: bad-entry, which needs no key
	flood.Store(true)
	o.setServe(func(w http.ResponseWriter, r *http.Request, _ http.Handler) {
		tr := trees[served.Load()]
		switch p, n := strings.TrimPrefix(r.URL.Path, "/log/"), len(tr.tile)/tlog.HashSize; {
		case p == "checkpoint":
			w.Write(tr.checkpoint)
		case p == translog.TilePath(tlog.Tile{H: translog.TileHeight, L: translog.EntriesLevel, N: 0, W: n}):
			if flood.Load() {
				b := slices.Clone(tr.bundle)
				b[2] ^= 1
				w.Write(b)
				return
			}
			w.Write(tr.bundle)
		case p == translog.TilePath(tlog.Tile{H: translog.TileHeight, L: 0, N: 0, W: n}):
			w.Write(tr.tile)
		default:
			http.NotFound(w, r)
		}
	})
	// Each room holds one finding, and the bytes of one bundle.
	monitor.SetEvidenceBounds(t, 10, 1, int64(len(trees[1].bundle))+10)
	m, c := newMonitor(t, o.url, keys, t.TempDir(), public.Filter{})
	alert := func(problem string) monitor.Report {
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
	if a := alert(monitor.ProblemBadEntry); len(a.Evidence) != 2 {
		t.Fatalf("the first keyless finding kept %v", a.Evidence)
	}

	flood.Store(false)
	a := alert(monitor.ProblemMalformedEntry)
	if strings.Contains(a.Message, "not kept") {
		t.Fatalf("message: %s", a.Message)
	}
	checkEvidence(t, a, trees[0].checkpoint, trees[0].bundle)

	// The room of the signed findings is bounded too: the key's holder signing tree after
	// tree fills it, not the disk.
	served.Store(1)
	if a := alert(monitor.ProblemMalformedEntry); !strings.Contains(a.Message, "bytes fetched not kept") || len(a.Evidence) != 1 {
		t.Fatalf("the second signed finding kept %v: %s", a.Evidence, a.Message)
	}
}

// TestPendingBeforeTrustMeetsTheWitnesses: a checkpoint being checked, saved by a monitor that
// did not know the log's witnesses yet, was held once checked, without their cosignatures,
// while the log served an older checkpoint that they cosigned. It is held once the log serves
// it with them.
func TestPendingBeforeTrustMeetsTheWitnesses(t *testing.T) {
	keys := newLogKeys(t, "latetrust.example/log")
	o := newOffice(t, keys)
	w := newWitnessKey(t, "w.example")
	older := cosigned(t, heldCheckpoint(t, o), w)
	o.appendKeys(2 * translog.TileWidth)
	pending := heldCheckpoint(t, o)

	// A monitor without the witnesses is cut while it checks the log's newest checkpoint.
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
	state := filepath.Join(dir, "state.json")
	m, c := newMonitor(t, o.url, keys, dir, public.Filter{})
	if err := m.Pass(ctx); err == nil || errors.Is(err, monitor.ErrUnsound) || errors.Is(err, monitor.ErrConflict) {
		t.Fatalf("cut pass: %v", err)
	}
	c.take()
	if st := savedState(t, state); st.Pending != string(pending) {
		t.Fatalf("pending %q, want %q", st.Pending, pending)
	}

	// Restarted with the witnesses, it is served the older checkpoint, which they cosigned.
	m, err := monitor.New(monitor.Config{
		Logs:      []monitor.Log{{URL: o.url, Key: keys.vkey, Witnesses: []string{w.vkey}, Quorum: 1}},
		StatePath: state,
		Report:    c.report,
	})
	if err != nil {
		t.Fatal(err)
	}
	o.setServe(serveCheckpoint(older))
	pass(t, m)
	if cp := ofType(c.take(), monitor.TypeCheckpoint); len(cp) != 0 {
		t.Fatalf("a checkpoint without the witnesses' cosignatures was held: %+v", cp)
	}
	if st := savedState(t, state); st.Checkpoint != "" || st.Pending != string(pending) {
		t.Fatalf("state: checkpoint %q, pending %q", st.Checkpoint, st.Pending)
	}

	// Served with their cosignatures, it is checked and held, with them.
	witnessed := cosigned(t, pending, w)
	o.setServe(serveCheckpoint(witnessed))
	pass(t, m)
	if cp := ofType(c.take(), monitor.TypeCheckpoint); len(cp) != 1 || cp[0].Size != o.size() {
		t.Fatalf("checkpoint reports: %+v", cp)
	}
	if st := savedState(t, state); st.Checkpoint != string(witnessed) || st.Pending != "" {
		t.Fatalf("state: checkpoint %q, pending %q", st.Checkpoint, st.Pending)
	}
}

// TestUnfinishedPassGoesOnAtOnce: in continuous mode, a pass that stopped at MaxEntries was
// followed by the next one only an interval later (an hour here: the log of three bundles
// was not checked in 20 s before).
func TestUnfinishedPassGoesOnAtOnce(t *testing.T) {
	keys := newLogKeys(t, "atonce.example/log")
	o := newOffice(t, keys)
	o.appendKeys(2*translog.TileWidth + 10)
	reports := make(chan monitor.Report, 4*translog.TileWidth)
	m, err := monitor.New(monitor.Config{
		Logs:       []monitor.Log{{URL: o.url, Key: keys.vkey}},
		StatePath:  filepath.Join(t.TempDir(), "state.json"),
		Report:     func(_ context.Context, r monitor.Report) error { reports <- r; return nil },
		MaxEntries: translog.TileWidth,
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx, time.Hour, func(error) {}) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	}()
	timeout := time.After(20 * time.Second)
	for {
		select {
		case r := <-reports:
			if r.Type == monitor.TypeCheckpoint && r.Size == o.size() {
				return
			}
		case <-timeout:
			t.Fatal("the log was not checked in 20 s: an unfinished pass waited the interval")
		}
	}
}

// timedWitness is a witness's Ed25519 cosignature/v1 key whose cosignatures' times the test
// chooses.
type timedWitness struct {
	name string
	hash uint32
	vkey string
	priv ed25519.PrivateKey
}

func newTimedWitness(t *testing.T, name string) timedWitness {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	typed := append([]byte{0x04}, pub...)
	h := sha256.Sum256(append([]byte(name+"\n"), typed...))
	hash := binary.BigEndian.Uint32(h[:])
	return timedWitness{name: name, hash: hash, priv: priv,
		vkey: fmt.Sprintf("%s+%08x+%s", name, hash, base64.StdEncoding.EncodeToString(typed))}
}

// cosign appends to signed w's cosignature line dated at (C2SP tlog-cosignature).
func (w timedWitness) cosign(signed []byte, at time.Time) []byte {
	text, _, _ := strings.Cut(string(signed), "\n\n")
	msg := fmt.Sprintf("cosignature/v1\ntime %d\n%s\n", at.Unix(), text)
	sig := binary.BigEndian.AppendUint32(nil, w.hash)
	sig = binary.BigEndian.AppendUint64(sig, uint64(at.Unix()))
	sig = append(sig, ed25519.Sign(w.priv, []byte(msg))...)
	return fmt.Appendf(append([]byte(nil), signed...), "— %s %s\n", w.name, base64.StdEncoding.EncodeToString(sig))
}

// TestFutureCosignature: a witness's cosignature dated ahead of the monitor's clock by more
// than the skew the office's witness client allows is alerted and the checkpoint not taken:
// verifiers bound a checkpoint's age by these times, so it would pass for fresh until then.
// Before, cosignatures' times were not read.
func TestFutureCosignature(t *testing.T) {
	keys := newLogKeys(t, "future.example/log")
	o := newOffice(t, keys)
	w := newTimedWitness(t, "w.example")
	now := time.Now()
	c := &collector{}
	m, err := monitor.New(monitor.Config{
		Logs:      []monitor.Log{{URL: o.url, Key: keys.vkey, Witnesses: []string{w.vkey}, Quorum: 1}},
		StatePath: filepath.Join(t.TempDir(), "state.json"),
		Report:    c.report,
		Now:       func() time.Time { return now },
	})
	if err != nil {
		t.Fatal(err)
	}
	ahead := w.cosign(heldCheckpoint(t, o), now.Add(time.Hour))
	o.setServe(serveCheckpoint(ahead))
	if err := m.Pass(context.Background()); !errors.Is(err, monitor.ErrUnsound) || errors.Is(err, monitor.ErrConflict) {
		t.Fatalf("pass over a cosignature an hour ahead: %v", err)
	}
	rs := c.take()
	alerts := ofType(rs, monitor.TypeAlert)
	if len(alerts) != 1 || alerts[0].Problem != monitor.ProblemFutureCosignature || !strings.Contains(alerts[0].Message, "ahead") {
		t.Fatalf("alerts: %+v", alerts)
	}
	if len(ofType(rs, monitor.TypeCheckpoint)) != 0 {
		t.Fatal("the checkpoint was taken")
	}
	checkEvidence(t, alerts[0], ahead)

	// Within the skew, and in the past, it is taken.
	o.release(1)
	o.setServe(serveCheckpoint(w.cosign(heldCheckpoint(t, o), now.Add(5*time.Minute))))
	pass(t, m)
	if cp := ofType(c.take(), monitor.TypeCheckpoint); len(cp) != 1 || cp[0].Size != o.size() {
		t.Fatalf("checkpoint reports: %+v", cp)
	}
	o.release(1)
	o.setServe(serveCheckpoint(w.cosign(heldCheckpoint(t, o), now.Add(-time.Hour))))
	pass(t, m)
	if cp := ofType(c.take(), monitor.TypeCheckpoint); len(cp) != 1 || cp[0].Size != o.size() {
		t.Fatalf("checkpoint reports: %+v", cp)
	}
}

// TestKeylessFindingsDoNotRepeatAConflict: the alerts already made were one list of 256, the
// oldest forgotten first, so that whoever serves the log, without its key, could push a
// conflict out of it with findings of its own (here a bad copy of each of 257 entry bundles
// of the tree being checked, each served once) and have it alerted again, another record
// kept each time, until the room of the conflicts was full. The alerts about what signatures
// alone prove are kept apart.
func TestKeylessFindingsDoNotRepeatAConflict(t *testing.T) {
	keys := newLogKeys(t, "flush.example/log")
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
	// A tree of 2^20 copies of one entry, whose tiles are all alike.
	hashes := []tlog.Hash{tlog.RecordHash(entries[0])}
	for k := 1; k <= 24; k++ {
		hashes = append(hashes, tlog.NodeHash(hashes[k-1], hashes[k-1]))
	}
	var bundle []byte
	for range translog.TileWidth {
		bundle = translog.AppendBundleEntry(bundle, entries[0])
	}
	const size = 1 << 20
	var mu sync.Mutex
	servedBundle := map[int64]bool{}
	fork := forged(t, keys, size, tlog.Hash{3})
	var forking atomic.Bool
	o.setServe(func(w http.ResponseWriter, r *http.Request, h http.Handler) {
		switch p := strings.TrimPrefix(r.URL.Path, "/log/"); {
		case p == "checkpoint" && forking.Load():
			w.Write(fork)
		case p == "checkpoint":
			w.Write(forged(t, keys, size, hashes[20]))
		case strings.HasPrefix(p, "tile/entries/"):
			n := bundleIndex(t, r.URL.Path)
			mu.Lock()
			first := !servedBundle[n]
			servedBundle[n] = true
			mu.Unlock()
			if first && n > 0 { // whoever serves the log alters each bundle the first time
				w.Write(append([]byte{0, 1, 'x'}, bundle[2+len(entries[0]):]...))
				return
			}
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
	monitor.SetEvidenceBounds(t, 10, 0, 0) // no keyless evidence written: a faster test
	c := &collector{}
	m, err := monitor.New(monitor.Config{Logs: []monitor.Log{{URL: o.url, Key: keys.vkey}}, EvidenceDir: t.TempDir(), Report: c.report,
		MaxEntries: 2 * translog.TileWidth})
	if err != nil {
		t.Fatal(err)
	}
	passFor := func(kind error) {
		t.Helper()
		if err := m.Pass(context.Background()); !errors.Is(err, kind) {
			t.Fatalf("pass: %v", err)
		}
	}
	passFor(monitor.ErrUnsound) // bundle 0 checked, bundle 1 altered
	forking.Store(true)
	passFor(monitor.ErrConflict)
	forking.Store(false)
	if alerts := ofType(c.take(), monitor.TypeAlert); len(alerts) != 2 || alerts[1].Problem != monitor.ProblemFork {
		t.Fatalf("alerts: %+v", alerts)
	}
	for range 257 {
		passFor(monitor.ErrUnsound)
	}
	if n := len(ofType(c.take(), monitor.TypeAlert)); n != 257 {
		t.Fatalf("%d keyless findings alerted, want 257", n)
	}
	forking.Store(true)
	passFor(monitor.ErrConflict)
	if alerts := ofType(c.take(), monitor.TypeAlert); len(alerts) != 0 {
		t.Fatalf("the fork was alerted again: %+v", alerts)
	}
}

// TestEvidenceNameCollision: evidence files are named by 8 bytes of their digest, and a file
// of that name with other bytes (two bundles whose digests share 8 bytes, which whoever
// serves a log can search for) made keeping the evidence fail: the finding was alerted again
// at every pass, its evidence never kept. The file is then named by its whole digest.
func TestEvidenceNameCollision(t *testing.T) {
	keys := newLogKeys(t, "collide.example/log")
	o := newOffice(t, keys)
	m, c := newMonitor(t, o.url, keys, t.TempDir(), public.Filter{})
	pass(t, m)
	c.take()
	fork := forged(t, keys, o.size(), tlog.Hash{5})
	sum := sha256.Sum256(fork)
	if err := os.MkdirAll(m.EvidenceDir(), 0o700); err != nil {
		t.Fatal(err)
	}
	taken := filepath.Join(m.EvidenceDir(), fmt.Sprintf("collide.example_log.checkpoint-%d.%x.txt", o.size(), sum[:8]))
	if err := os.WriteFile(taken, []byte("other bytes"), 0o600); err != nil {
		t.Fatal(err)
	}
	o.setServe(serveCheckpoint(fork))
	for i := range 2 {
		err := m.Pass(context.Background())
		if !errors.Is(err, monitor.ErrConflict) || strings.Contains(err.Error(), "other contents") {
			t.Fatalf("pass %d: %v", i, err)
		}
		alerts := ofType(c.take(), monitor.TypeAlert)
		if i == 1 {
			if len(alerts) != 0 {
				t.Fatalf("alerted again: %+v", alerts)
			}
			break
		}
		if len(alerts) != 1 {
			t.Fatalf("alerts: %+v", alerts)
		}
		checkEvidence(t, alerts[0], fork, heldCheckpoint(t, o))
	}
}

// TestReplayedForkIsOneFinding: a fork, served again once the log had grown, was a new
// finding (a rollback against the larger tree), alerted and recorded again: whoever serves
// the log, without its key, could replay it after every checkpoint the log signs until the
// room of the conflicts was full. A checkpoint shown to conflict is one finding.
func TestReplayedForkIsOneFinding(t *testing.T) {
	keys := newLogKeys(t, "replay.example/log")
	o := newOffice(t, keys)
	o.release(1)
	m, c := newMonitor(t, o.url, keys, t.TempDir(), public.Filter{})
	pass(t, m)
	c.take()
	fork := forged(t, keys, o.size(), tlog.Hash{4})
	for i := range 3 {
		o.setServe(serveCheckpoint(fork))
		if err := m.Pass(context.Background()); !errors.Is(err, monitor.ErrConflict) {
			t.Fatalf("replay %d: %v", i, err)
		}
		alerts := ofType(c.take(), monitor.TypeAlert)
		if want := 1 - min(i, 1); len(alerts) != want {
			t.Fatalf("replay %d: %d alerts, want %d: %+v", i, len(alerts), want, alerts)
		}
		o.setServe(nil)
		o.release(1)
		pass(t, m)
		c.take()
	}
	if kept, _ := os.ReadDir(m.EvidenceDir()); len(kept) != 3 {
		t.Fatalf("the evidence directory holds %d files, want 3", len(kept))
	}
}

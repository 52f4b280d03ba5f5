package server_test

// These tests check the served log the way an outside verifier would: over HTTP, with the
// transparency-dev libraries (formats for checkpoints, merkle for hashing and proofs) and
// never with our translog code or x/mod's tlog, which our log is built on. A bug shared by
// our writer and our reader cannot hide from them.

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/entry"
	"github.com/chancery/chancery/internal/server"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/testbin"
	"github.com/chancery/chancery/internal/translog"
	fmtlog "github.com/transparency-dev/formats/log"
	"github.com/transparency-dev/merkle/compact"
	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
	"golang.org/x/mod/sumdb/note"
)

const (
	testOrigin = "letters.test/log"
	// tileWidth is C2SP tlog-tiles' fixed tile width, restated here rather than taken from
	// translog so that the client side shares nothing with the server.
	tileWidth = 256
)

var hasher = rfc6962.DefaultHasher

// TestIndependentVerification grows a log across tile boundaries in process, capturing
// checkpoints on the way, and verifies every checkpoint, tile and proof with the independent
// libraries, then feeds the endpoints malformed and out-of-range requests.
func TestIndependentVerification(t *testing.T) {
	ctx := context.Background()
	skey, vkey, err := note.GenerateKey(rand.Reader, testOrigin)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.OpenSQLite(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	lg, err := translog.Open(ctx, db, translog.Config{Origin: testOrigin, Signer: signer, Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lg.Close() })
	srv := httptest.NewServer(server.New(server.Config{
		Log: lg, DB: db, VerifierKey: vkey, Origin: testOrigin,
		Logger: slog.New(slog.NewTextHandler(testWriter{t}, nil)),
	}))
	t.Cleanup(srv.Close)
	c := &client{t: t, base: srv.URL + "/log/"}

	// The client pins the key it was given out of band, and checks the served one against it.
	if got := strings.TrimSpace(string(c.mustGet("key"))); got != vkey {
		t.Fatalf("/log/key = %q, want %q", got, vkey)
	}
	v, err := note.NewVerifier(vkey)
	if err != nil {
		t.Fatal(err)
	}

	empty := c.checkpoint(v)
	if empty.Size != 0 || !bytes.Equal(empty.Hash, hasher.EmptyRoot()) {
		t.Fatalf("new log's checkpoint: size %d root %x, want 0 and the empty root", empty.Size, empty.Hash)
	}
	c.fetchTree(empty)
	c.wantStatus("tile/entries/000.p/1", http.StatusNotFound)
	c.wantStatus("tile/0/000.p/1", http.StatusNotFound)

	// The sizes straddle the tile edges: the checkpoints captured at them are the older views
	// whose partial tiles and proofs clients may still ask for once the log has grown.
	key := statementKey(t)
	appended := map[uint64][]byte{}
	var cps []*fmtlog.Checkpoint
	for _, size := range []uint64{1, 2, 7, 255, 256, 257, 300, 511, 512, 513, 700} {
		appendUpTo(t, lg, key, uint64(len(appended)), size, appended)
		cp := c.checkpoint(v)
		if cp.Size != size {
			t.Fatalf("checkpoint size %d after appending up to %d", cp.Size, size)
		}
		cps = append(cps, cp)
	}
	latest, older := cps[len(cps)-1], cps[:len(cps)-1]

	// The latest tree: two full and one partial level-0 tile and entry bundle, and a partial
	// level-1 tile of width 2.
	tr := c.fetchTree(latest)
	for i, e := range tr.entries {
		if !bytes.Equal(e, appended[uint64(i)]) {
			t.Fatalf("entry %d served as %q, appended as %q", i, e, appended[uint64(i)])
		}
	}
	if len(tr.tiles) != 7 {
		t.Fatalf("fetched tiles %q, want 3 entry bundles, 3 level-0 tiles and 1 level-1 tile", tr.tiles)
	}
	for _, p := range []string{"tile/entries/002.p/188", "tile/0/002.p/188", "tile/1/000.p/2"} {
		if !tr.fetched(p) {
			t.Fatalf("fetched tiles %q, want %s among them", tr.tiles, p)
		}
	}
	// Every older view rebuilds from its own partial tiles and is a prefix of the latest.
	roots := map[uint64][]byte{latest.Size: latest.Hash}
	for _, cp := range older {
		old := c.fetchTree(cp)
		for i, e := range old.entries {
			if !bytes.Equal(e, tr.entries[i]) {
				t.Fatalf("entry %d differs between the trees of size %d and %d", i, cp.Size, latest.Size)
			}
		}
		roots[cp.Size] = cp.Hash
	}

	t.Run("inclusion", func(t *testing.T) {
		c := &client{t: t, base: c.base}
		for _, idx := range []uint64{0, 1, 6, 254, 255, 256, 257, 299, 300, 510, 511, 512, 600, 699} {
			for _, cp := range cps {
				if idx >= cp.Size {
					continue
				}
				q := url.Values{"index": {fmt.Sprint(idx)}, "size": {fmt.Sprint(cp.Size)}}
				c.checkInclusion(q, idx, cp, latest, tr.leaves[idx], v)
			}
		}
		// By leaf hash, hex and base64, against the latest checkpoint (no size given).
		for _, idx := range []uint64{0, 255, 256, 699} {
			for _, h := range []string{hex.EncodeToString(tr.leaves[idx]), base64.StdEncoding.EncodeToString(tr.leaves[idx])} {
				c.checkInclusion(url.Values{"hash": {h}}, idx, latest, latest, tr.leaves[idx], v)
			}
		}
	})

	t.Run("consistency", func(t *testing.T) {
		c := &client{t: t, base: c.base}
		for i, a := range cps {
			for _, b := range cps[i:] {
				q := url.Values{"old": {fmt.Sprint(a.Size)}}
				if b != latest || a.Size%2 == 0 {
					// The default size is the latest; ask for it explicitly now and then.
					q.Set("size", fmt.Sprint(b.Size))
				}
				var p consistencyProof
				c.getJSON("proof/consistency?"+q.Encode(), &p)
				if p.Old != a.Size || p.Size != b.Size {
					t.Fatalf("consistency %s: answered old %d size %d", q.Encode(), p.Old, p.Size)
				}
				if err := proof.VerifyConsistency(hasher, a.Size, b.Size, p.Proof, roots[a.Size], roots[b.Size]); err != nil {
					t.Fatalf("consistency %d -> %d: %v", a.Size, b.Size, err)
				}
				c.checkAttachedCheckpoint(p.Checkpoint, b, latest, v)
			}
		}
	})

	t.Run("bad requests", func(t *testing.T) {
		c := &client{t: t, base: c.base}
		const (
			bad     = http.StatusBadRequest
			missing = http.StatusNotFound
		)
		cases := []struct {
			path string
			want int
		}{
			{"tile/0/x1", bad},
			{"tile/0/001.p/0", bad},
			{"tile/0/001.p/256", bad},
			{"tile/0/001.p/", bad},
			{"tile/0/001.p/-3", bad},
			{"tile/0/1", bad},
			{"tile/0/0001", bad},
			{"tile/0/x000/001", bad},
			{"tile/0/x001.p/5", bad},
			{"tile/00/000", bad},
			{"tile/-1/000", bad},
			{"tile/64/000", bad},
			{"tile/8/000.p/1", missing},
			{"tile/entries/-1", bad},
			{"tile/entries/x", bad},
			{"tile/entries/", bad},
			{"tile/data/000", bad},
			{"tile/entries/000.p/1/2", bad},
			{"tile/0/x999/x999/x999/x999/x999/x999/x999/000", bad},
			{"tile/entries/x999/x999/x999/x999/x999/x999/x999/000", bad},
			{"tile/0/x009/x223/x372/x036/x854/x775/807", missing},
			{"tile/63/000.p/1", missing},
			// Beyond the tree of size 700 = 2×256 + 188.
			{"tile/0/002", missing},
			{"tile/0/002.p/189", missing},
			{"tile/0/003.p/1", missing},
			{"tile/entries/002", missing},
			{"tile/entries/002.p/189", missing},
			{"tile/entries/003", missing},
			{"tile/1/000", missing},
			{"tile/1/000.p/3", missing},
			{"tile/2/000.p/1", missing},
			{"proof/inclusion", bad},
			{"proof/inclusion?index=", bad},
			{"proof/inclusion?index=x", bad},
			{"proof/inclusion?index=-1", bad},
			{"proof/inclusion?index=1.5", bad},
			{"proof/inclusion?index=99999999999999999999", bad},
			{"proof/inclusion?index=1&hash=" + hex.EncodeToString(tr.leaves[1]), bad},
			{"proof/inclusion?hash=zz", bad},
			{"proof/inclusion?hash=" + strings.Repeat("ab", 31), bad},
			{"proof/inclusion?hash=" + strings.Repeat("ab", 32), missing},
			{"proof/inclusion?index=700", missing},
			{"proof/inclusion?index=9223372036854775807", missing},
			{"proof/inclusion?index=5&size=5", missing},
			{"proof/inclusion?index=0&size=0", bad},
			{"proof/inclusion?index=0&size=-1", bad},
			{"proof/inclusion?index=0&size=701", missing},
			{"proof/inclusion?index=0&size=9223372036854775807", missing},
			{"proof/inclusion?index=0&size=x", bad},
			{"proof/inclusion?hash=" + hex.EncodeToString(tr.leaves[1]) + "&size=701", missing},
			{"proof/inclusion?index=0&size=99999999999999999999", bad},
			{"proof/consistency", bad},
			{"proof/consistency?old=x", bad},
			{"proof/consistency?old=0", bad},
			{"proof/consistency?old=-1", bad},
			{"proof/consistency?old=701", missing},
			{"proof/consistency?old=300&size=299", bad},
			{"proof/consistency?old=1&size=0", bad},
			{"proof/consistency?old=1&size=701", missing},
			{"proof/consistency?old=701&size=700", missing},
			{"proof/consistency?old=1&size=-1", bad},
			{"proof/consistency?old=1&size=9223372036854775807", missing},
			{"proof/consistency?old=9223372036854775807&size=9223372036854775807", missing},
		}
		for _, tc := range cases {
			got, body := c.get(tc.path)
			if got != tc.want {
				t.Errorf("GET /log/%s = %d %q, want %d", tc.path, got, body, tc.want)
			}
		}
	})
}

// appendUpTo appends well-formed entries until the log holds size of them, from several
// goroutines so that batches of different sizes straddle the tile edges, and records each
// entry under the index the log gave it.
func appendUpTo(t *testing.T, lg *translog.Log, key ed25519.PrivateKey, from, size uint64, appended map[uint64][]byte) {
	t.Helper()
	var mu sync.Mutex
	var wg sync.WaitGroup
	next := from
	// A sequencer that stops answering fails the test in seconds, not at the test timeout.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= size {
					return
				}
				e, err := makeEntry(key, i)
				if err != nil {
					t.Error(err)
					return
				}
				idx, err := lg.Append(ctx, e)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				appended[uint64(idx)] = e
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
}

func statementKey(t *testing.T) ed25519.PrivateKey {
	_, k, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// makeEntry returns a release entry whose length varies with i, so that bundle framing is
// exercised with entries of many sizes.
func makeEntry(key ed25519.PrivateKey, i uint64) ([]byte, error) {
	payload, err := json.Marshal(map[string]string{
		"reference": fmt.Sprintf("TST-2026-%06d", i),
		"note":      strings.Repeat("x", int(i%400)),
	})
	if err != nil {
		return nil, err
	}
	e := &entry.Entry{Kind: entry.Release, Envelope: dsse.Sign(entry.Release.PayloadType(), payload, key)}
	return e.Encode()
}

// testWriter sends the server's log lines to the test log, so an internal error is visible
// next to the request that caused it.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}

// client is the outside verifier: plain HTTP and the transparency-dev libraries.
type client struct {
	t    *testing.T
	base string // ends in "/log/"
}

// get fetches path (relative to /log/). A transport error or a 5xx fails the test at once: the
// server must answer every request, however malformed, with a client error or success.
func (c *client) get(path string) (int, []byte) {
	c.t.Helper()
	resp, err := http.Get(c.base + path)
	if err != nil {
		c.t.Fatalf("GET /log/%s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatalf("GET /log/%s: %v", path, err)
	}
	if resp.StatusCode >= 500 {
		c.t.Fatalf("GET /log/%s = %d %q", path, resp.StatusCode, body)
	}
	return resp.StatusCode, body
}

func (c *client) mustGet(path string) []byte {
	c.t.Helper()
	code, body := c.get(path)
	if code != http.StatusOK {
		c.t.Fatalf("GET /log/%s = %d %q, want 200", path, code, body)
	}
	return body
}

func (c *client) wantStatus(path string, want int) {
	c.t.Helper()
	if code, body := c.get(path); code != want {
		c.t.Fatalf("GET /log/%s = %d %q, want %d", path, code, body, want)
	}
}

func (c *client) getJSON(path string, v any) {
	c.t.Helper()
	if err := json.Unmarshal(c.mustGet(path), v); err != nil {
		c.t.Fatalf("GET /log/%s: %v", path, err)
	}
}

// checkpoint fetches and verifies the latest checkpoint.
func (c *client) checkpoint(v note.Verifier) *fmtlog.Checkpoint {
	c.t.Helper()
	return openCheckpoint(c.t, c.mustGet("checkpoint"), v)
}

func openCheckpoint(t *testing.T, signed []byte, v note.Verifier) *fmtlog.Checkpoint {
	t.Helper()
	cp, rest, _, err := fmtlog.ParseCheckpoint(signed, v.Name(), v)
	if err != nil {
		t.Fatalf("checkpoint %q: %v", signed, err)
	}
	if len(rest) != 0 {
		t.Fatalf("checkpoint has unexpected extension lines %q", rest)
	}
	return cp
}

// tree is what a client rebuilt from the tiles of one checkpoint.
type tree struct {
	entries [][]byte
	leaves  [][]byte
	tiles   []string // the paths fetched
}

func (tr *tree) fetched(path string) bool {
	for _, p := range tr.tiles {
		if p == path {
			return true
		}
	}
	return false
}

// fetchTree fetches every entry bundle and hash tile of the tree of cp's size, each at the
// width the tlog-tiles rules derive from that size, recomputes the root from the entries and
// checks it against cp, and checks every hash tile against the recomputed nodes.
func (c *client) fetchTree(cp *fmtlog.Checkpoint) *tree {
	c.t.Helper()
	tr := &tree{}
	size := cp.Size
	for n := uint64(0); n*tileWidth < size; n++ {
		w := min(size-n*tileWidth, tileWidth)
		p := tilePath("entries", n, w)
		tr.tiles = append(tr.tiles, p)
		entries, err := splitBundle(c.mustGet(p))
		if err != nil {
			c.t.Fatalf("%s: %v", p, err)
		}
		if uint64(len(entries)) != w {
			c.t.Fatalf("%s holds %d entries, want %d", p, len(entries), w)
		}
		tr.entries = append(tr.entries, entries...)
	}

	// Every node at a tile level (a multiple of 8) is kept as the compact range computes it:
	// those are the hashes the hash tiles must hold.
	nodes := map[compact.NodeID][]byte{}
	rf := &compact.RangeFactory{Hash: hasher.HashChildren}
	r := rf.NewEmptyRange(0)
	visit := func(id compact.NodeID, h []byte) {
		if id.Level%8 == 0 {
			nodes[id] = h
		}
	}
	for _, e := range tr.entries {
		leaf := hasher.HashLeaf(e)
		tr.leaves = append(tr.leaves, leaf)
		if err := r.Append(leaf, visit); err != nil {
			c.t.Fatal(err)
		}
	}
	root := hasher.EmptyRoot()
	if size > 0 {
		var err error
		if root, err = r.GetRootHash(nil); err != nil {
			c.t.Fatal(err)
		}
	}
	if !bytes.Equal(root, cp.Hash) {
		c.t.Fatalf("the entries of the tree of size %d give root %x, the checkpoint says %x", size, root, cp.Hash)
	}

	for level := uint(0); size>>(8*level) > 0; level++ {
		count := size >> (8 * level)
		for n := uint64(0); n*tileWidth < count; n++ {
			w := min(count-n*tileWidth, tileWidth)
			p := tilePath(strconv.Itoa(int(level)), n, w)
			tr.tiles = append(tr.tiles, p)
			got := c.mustGet(p)
			var want []byte
			for i := range w {
				h, ok := nodes[compact.NewNodeID(8*level, n*tileWidth+i)]
				if !ok {
					c.t.Fatalf("%s: node %d at level %d was not computed", p, n*tileWidth+i, 8*level)
				}
				want = append(want, h...)
			}
			if !bytes.Equal(got, want) {
				c.t.Fatalf("%s differs from the hashes recomputed from the entries", p)
			}
		}
	}
	return tr
}

// tilePath spells a C2SP tlog-tiles path: the index in three-digit groups, all but the last
// prefixed with "x", and ".p/W" for a partial tile.
func tilePath(level string, n, w uint64) string {
	s := fmt.Sprintf("%03d", n%1000)
	for n >= 1000 {
		n /= 1000
		s = fmt.Sprintf("x%03d/%s", n%1000, s)
	}
	p := "tile/" + level + "/" + s
	if w < tileWidth {
		p += fmt.Sprintf(".p/%d", w)
	}
	return p
}

// splitBundle splits a tlog-tiles entry bundle: each entry prefixed by its big-endian uint16
// length.
func splitBundle(b []byte) ([][]byte, error) {
	var out [][]byte
	for len(b) > 0 {
		if len(b) < 2 {
			return nil, fmt.Errorf("truncated length after %d entries", len(out))
		}
		n := int(binary.BigEndian.Uint16(b))
		if len(b)-2 < n {
			return nil, fmt.Errorf("entry %d truncated", len(out))
		}
		out = append(out, b[2:2+n])
		b = b[2+n:]
	}
	return out, nil
}

// inclusionProof and consistencyProof are the JSON answers of the proof endpoints, declared
// here rather than taken from package server so that a change there shows up as a failure.
type inclusionProof struct {
	Index      uint64   `json:"index"`
	Size       uint64   `json:"size"`
	LeafHash   []byte   `json:"leaf_hash"`
	Proof      [][]byte `json:"proof"`
	Checkpoint string   `json:"checkpoint"`
}

type consistencyProof struct {
	Old        uint64   `json:"old"`
	Size       uint64   `json:"size"`
	Proof      [][]byte `json:"proof"`
	Checkpoint string   `json:"checkpoint"`
}

// checkInclusion asks for an inclusion proof with q and verifies that it proves leaf at index
// idx in cp's tree.
func (c *client) checkInclusion(q url.Values, idx uint64, cp, latest *fmtlog.Checkpoint, leaf []byte, v note.Verifier) {
	c.t.Helper()
	var p inclusionProof
	c.getJSON("proof/inclusion?"+q.Encode(), &p)
	if p.Index != idx || p.Size != cp.Size || !bytes.Equal(p.LeafHash, leaf) {
		c.t.Fatalf("inclusion %s: answered index %d size %d leaf %x, want %d %d %x", q.Encode(), p.Index, p.Size, p.LeafHash, idx, cp.Size, leaf)
	}
	if err := proof.VerifyInclusion(hasher, idx, cp.Size, leaf, p.Proof, cp.Hash); err != nil {
		c.t.Fatalf("inclusion %s: %v", q.Encode(), err)
	}
	c.checkAttachedCheckpoint(p.Checkpoint, cp, latest, v)
}

// checkAttachedCheckpoint checks the checkpoint a proof for cp's tree carries: it must verify
// and match that tree, and it must be present when that tree is the latest.
func (c *client) checkAttachedCheckpoint(signed string, cp, latest *fmtlog.Checkpoint, v note.Verifier) {
	c.t.Helper()
	if signed == "" {
		if cp.Size == latest.Size {
			c.t.Fatalf("a proof for the latest tree (size %d) carries no checkpoint", cp.Size)
		}
		return
	}
	got := openCheckpoint(c.t, []byte(signed), v)
	if got.Size != cp.Size || !bytes.Equal(got.Hash, cp.Hash) {
		c.t.Fatalf("a proof for the tree of size %d carries the checkpoint of size %d", cp.Size, got.Size)
	}
}

// TestDemoBinaryIndependently runs the real binary, `chancery serve --demo`, and checks its
// small log (partial tiles only) with the independent libraries, then has `chancery log
// verify` agree with the checkpoint it served.
func TestDemoBinaryIndependently(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the chancery binary")
	}
	bin := testbin.Build(t)
	// serve seeds the demo only into a directory it initializes itself.
	dir := filepath.Join(t.TempDir(), "data")
	srv := startServe(t, bin, dir)

	// The key is pinned out of band, from the data directory, not from the server.
	out, err := exec.Command(bin, "log", "key", "--data", dir).Output()
	if err != nil {
		t.Fatalf("chancery log key: %v", err)
	}
	vkey := strings.TrimSpace(string(out))
	v, err := note.NewVerifier(vkey)
	if err != nil {
		t.Fatalf("chancery log key printed %q: %v", vkey, err)
	}
	if v.Name() != "letters.example.org/log" {
		t.Fatalf("log key name %q, want letters.example.org/log", v.Name())
	}
	c := &client{t: t, base: "http://" + srv.addr + "/log/"}
	if got := strings.TrimSpace(string(c.mustGet("key"))); got != vkey {
		t.Fatalf("/log/key = %q, the data directory's key is %q", got, vkey)
	}
	signed := c.mustGet("checkpoint")
	cp := openCheckpoint(t, signed, v)
	if cp.Size < 2 || cp.Size >= tileWidth {
		t.Fatalf("demo checkpoint size %d, want a few entries, fewer than a tile", cp.Size)
	}
	tr := c.fetchTree(cp)
	want := []string{fmt.Sprintf("tile/entries/000.p/%d", cp.Size), fmt.Sprintf("tile/0/000.p/%d", cp.Size)}
	if strings.Join(tr.tiles, " ") != strings.Join(want, " ") {
		t.Fatalf("fetched tiles %q, want %q", tr.tiles, want)
	}
	for i, e := range tr.entries {
		if !bytes.HasPrefix(e, []byte("chancery-entry v2 ")) && !bytes.HasPrefix(e, []byte("chancery-entry v1 ")) {
			t.Fatalf("entry %d does not look like a chancery entry: %q", i, e)
		}
		c.checkInclusion(url.Values{"index": {fmt.Sprint(i)}}, uint64(i), cp, cp, tr.leaves[i], v)
	}
	for old := uint64(1); old < cp.Size; old++ {
		var p consistencyProof
		c.getJSON(fmt.Sprintf("proof/consistency?old=%d", old), &p)
		r := (&compact.RangeFactory{Hash: hasher.HashChildren}).NewEmptyRange(0)
		for _, l := range tr.leaves[:old] {
			if err := r.Append(l, nil); err != nil {
				t.Fatal(err)
			}
		}
		oldRoot, err := r.GetRootHash(nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := proof.VerifyConsistency(hasher, old, cp.Size, p.Proof, oldRoot, cp.Hash); err != nil {
			t.Fatalf("consistency %d -> %d: %v", old, cp.Size, err)
		}
	}
	srv.stop(t)

	// The fsck agrees with what was served.
	cpFile := filepath.Join(t.TempDir(), "served.checkpoint")
	if err := os.WriteFile(cpFile, signed, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err = exec.Command(bin, "log", "verify", "--data", dir, "--checkpoint", cpFile).CombinedOutput()
	if err != nil || !bytes.Contains(out, fmt.Appendf(nil, "consistent with the kept checkpoint of size %d", cp.Size)) {
		t.Fatalf("chancery log verify: %v\n%s", err, out)
	}
}

// served is a running `chancery serve`.
type served struct {
	addr    string
	cmd     *exec.Cmd
	exited  chan error
	stopped bool
}

// startServe runs `chancery serve --demo` on a port the system picks and returns it once it
// listens, at the address it reports. The test's end kills it if stop was not called.
func startServe(t *testing.T, bin, dir string) *served {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--demo", "--data", dir, "--listen", "127.0.0.1:0", "--url", "https://letters.example.org")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &served{cmd: cmd, exited: make(chan error, 1)}
	lines := make(chan string, 1)
	go func() {
		// The first line says where it serves; the rest is drained so that the server never
		// blocks on a full pipe.
		sc := bufio.NewScanner(stdout)
		if sc.Scan() {
			lines <- sc.Text()
		}
		io.Copy(io.Discard, stdout)
		s.exited <- cmd.Wait()
	}()
	t.Cleanup(func() {
		if !s.stopped {
			cmd.Process.Kill()
			<-s.exited
		}
		if t.Failed() {
			t.Logf("chancery serve stderr:\n%s", stderr.String())
		}
	})
	select {
	case line := <-lines:
		m := regexp.MustCompile(`^chancery: serving http://(\S+) `).FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("chancery serve printed %q", line)
		}
		s.addr = m[1]
		return s
	case err := <-s.exited:
		s.stopped = true
		t.Fatalf("chancery serve exited: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("chancery serve did not start within 30s")
	}
	return nil
}

// stop interrupts the server, as Ctrl-C would, and expects a clean exit.
func (s *served) stop(t *testing.T) {
	t.Helper()
	if err := s.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-s.exited:
		s.stopped = true
		if err != nil {
			t.Fatalf("chancery serve exited with %v after an interrupt", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("chancery serve did not stop within 15s of an interrupt")
	}
}

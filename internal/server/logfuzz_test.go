package server_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/server"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/translog"
	"github.com/transparency-dev/merkle/compact"
	"github.com/transparency-dev/merkle/proof"
	"golang.org/x/mod/sumdb/note"
)

// fuzzLogSize straddles the first tile edge, so that the log serves full and partial tiles at
// level 0 and a partial tile at level 1.
const fuzzLogSize = 300

// FuzzLogEndpoints sends arbitrary paths and queries to the public log endpoints (tiles,
// inclusion and consistency proofs), which anyone may call. The server never answers 5xx;
// what it answers 200 is checked with the transparency-dev libraries against a tree computed
// here from the appended entries: a tile only at its one canonical path and with the tree's
// hashes or entries, a proof only for the index and sizes asked for, and one that verifies.
func FuzzLogEndpoints(f *testing.F) {
	ctx := context.Background()
	skey, vkey, err := note.GenerateKey(rand.Reader, testOrigin)
	if err != nil {
		f.Fatal(err)
	}
	signer, _ := note.NewSigner(skey)
	v, _ := note.NewVerifier(vkey)
	db, err := store.OpenSQLite(ctx, f.TempDir())
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { db.Close() })
	lg, err := translog.Open(ctx, db, translog.Config{Origin: testOrigin, Signer: signer, Create: true})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { lg.Close() })
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		f.Fatal(err)
	}
	var entries [][]byte
	var leaves [][]byte
	roots := make([][]byte, fuzzLogSize+1)
	rf := compact.RangeFactory{Hash: hasher.HashChildren}
	rng := rf.NewEmptyRange(0)
	roots[0] = hasher.EmptyRoot()
	for i := range uint64(fuzzLogSize) {
		e, err := makeEntry(key, i)
		if err != nil {
			f.Fatal(err)
		}
		idx, err := lg.Append(ctx, e)
		if err != nil || idx != int64(i) {
			f.Fatalf("append %d: index %d, %v", i, idx, err)
		}
		entries = append(entries, e)
		leaves = append(leaves, hasher.HashLeaf(e))
		if err := rng.Append(leaves[i], nil); err != nil {
			f.Fatal(err)
		}
		if roots[i+1], err = rng.GetRootHash(nil); err != nil {
			f.Fatal(err)
		}
	}
	// tiles maps every canonical tile path of every tree size up to fuzzLogSize to its content.
	tiles := map[string][]byte{}
	for n := uint64(0); n*tileWidth < fuzzLogSize; n++ {
		var hashes, bundle []byte
		for w := uint64(1); w <= tileWidth && n*tileWidth+w <= fuzzLogSize; w++ {
			i := n*tileWidth + w - 1
			hashes = append(hashes, leaves[i]...)
			bundle = append(bundle, byte(len(entries[i])>>8), byte(len(entries[i])))
			bundle = append(bundle, entries[i]...)
			tiles[tilePath("0", n, w)] = bytes.Clone(hashes)
			tiles[tilePath("entries", n, w)] = bytes.Clone(bundle)
		}
	}
	sub := rf.NewEmptyRange(0)
	for _, l := range leaves[:tileWidth] {
		sub.Append(l, nil)
	}
	top, _ := sub.GetRootHash(nil)
	tiles[tilePath("1", 0, 1)] = top

	srv := httptest.NewServer(server.New(server.Config{
		Log: lg, DB: db, VerifierKey: vkey, Origin: testOrigin,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}))
	f.Cleanup(srv.Close)
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	for _, s := range []string{
		"checkpoint", "tile/0/000", "tile/0/001.p/44", "tile/0/000.p/7", "tile/1/000.p/1", "tile/entries/000",
		"tile/entries/001.p/44", "tile/0/001", "tile/0/x000/001.p/44", "tile/0/001.p/044", "tile/0//001.p/44",
		"tile/0/../0/000", "tile/entries/001.p/45", "tile/2/000.p/1",
		"proof/inclusion?index=0", "proof/inclusion?index=299&size=300", "proof/inclusion?index=5&size=6",
		"proof/inclusion?hash=" + hex.EncodeToString(leaves[256]), "proof/inclusion?hash=" + base64.StdEncoding.EncodeToString(leaves[7]) + "&size=8",
		"proof/inclusion?index=1&index=2&size=3", "proof/inclusion?index=0&size=9223372036854775807",
		"proof/consistency?old=1", "proof/consistency?old=256&size=257", "proof/consistency?old=300&size=300",
		"proof/consistency?old=1&old=2&size=3", "proof/consistency?old=9223372036854775807&size=300",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := url.Parse(srv.URL + "/log/" + s)
		if err != nil || u.Host != strings.TrimPrefix(srv.URL, "http://") {
			return
		}
		req, err := http.NewRequest("GET", u.String(), nil)
		if err != nil {
			return
		}
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatalf("GET %s: %v", u, err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatalf("GET %s: %v", u, err)
		}
		if resp.StatusCode >= 500 {
			t.Fatalf("GET %s = %d %q", u, resp.StatusCode, body)
		}
		if resp.StatusCode != http.StatusOK {
			return
		}
		path, q := strings.TrimPrefix(u.Path, "/log/"), u.Query()
		// A parameter given twice is read by its first value, as url.Values.Get does; an
		// empty one is absent (the server's sizeParam).
		num := func(name string, def uint64) uint64 {
			if q.Get(name) == "" {
				return def
			}
			n, err := strconv.ParseUint(q.Get(name), 10, 63)
			if err != nil {
				t.Fatalf("GET %s: 200 for %s %q", u, name, q.Get(name))
			}
			return n
		}
		strict := func(v any) {
			dec := json.NewDecoder(bytes.NewReader(body))
			dec.DisallowUnknownFields()
			if err := dec.Decode(v); err != nil {
				t.Fatalf("GET %s: %q: %v", u, body, err)
			}
		}
		attached := func(signed string, size uint64) {
			if signed == "" {
				if size == fuzzLogSize {
					t.Fatalf("GET %s: a proof for the latest tree without its checkpoint", u)
				}
				return
			}
			cp := openCheckpoint(t, []byte(signed), v)
			if cp.Size != size || !bytes.Equal(cp.Hash, roots[size]) {
				t.Fatalf("GET %s: a proof for the tree of size %d carries the checkpoint of size %d", u, size, cp.Size)
			}
		}
		switch {
		case path == "checkpoint", path == "key", !strings.HasPrefix(path, "tile/") && !strings.HasPrefix(path, "proof/"):
			// The log's web page (/log/) and the served head are not proofs.
		case strings.HasPrefix(path, "tile/"):
			want, ok := tiles[path]
			if !ok || !bytes.Equal(body, want) {
				t.Fatalf("GET %s: 200 with %d bytes, not the tile of that canonical path (known: %v)", u, len(body), ok)
			}
		case path == "proof/inclusion":
			var p inclusionProof
			strict(&p)
			size := num("size", fuzzLogSize)
			if q.Has("index") && p.Index != num("index", 0) || p.Size != size || p.Index >= size || size > fuzzLogSize {
				t.Fatalf("GET %s: proof of %d in %d", u, p.Index, p.Size)
			}
			if q.Has("hash") && !bytes.Equal(p.LeafHash, leaves[p.Index]) {
				t.Fatalf("GET %s: proof of %d, whose leaf hash is not the one asked for", u, p.Index)
			}
			if !bytes.Equal(p.LeafHash, leaves[p.Index]) {
				t.Fatalf("GET %s: leaf hash %x, want %x", u, p.LeafHash, leaves[p.Index])
			}
			if err := proof.VerifyInclusion(hasher, p.Index, size, leaves[p.Index], p.Proof, roots[size]); err != nil {
				t.Fatalf("GET %s: %v", u, err)
			}
			attached(p.Checkpoint, size)
		case path == "proof/consistency":
			var p consistencyProof
			strict(&p)
			size := num("size", fuzzLogSize)
			if p.Old != num("old", 0) || p.Size != size || p.Old < 1 || p.Old > size || size > fuzzLogSize {
				t.Fatalf("GET %s: proof from %d to %d", u, p.Old, p.Size)
			}
			if err := proof.VerifyConsistency(hasher, p.Old, size, p.Proof, roots[p.Old], roots[size]); err != nil {
				t.Fatalf("GET %s: %v", u, err)
			}
			attached(p.Checkpoint, size)
		default:
			t.Fatalf("GET %s: 200 %q from a proof path the log does not serve", u, body)
		}
	})
}

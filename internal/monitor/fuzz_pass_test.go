package monitor_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
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
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// FuzzMonitorPass has a monitor that holds nothing of a Chancery log read answers the fuzzer
// chooses in place of the log's own: the checkpoint's text, signed with the log's key as a
// hostile office would sign it (served as it is when it is no note text), any entry bundle
// and any hash tile. The pass never panics, and ends without an error only if what it was
// served is the log's own: the checkpoint is of one of the log's trees, every bundle and tile
// it fetched is byte for byte the log's at its path, and it reported each entry of that tree
// once, in order.
func FuzzMonitorPass(f *testing.F) {
	keys := newLogKeys(f, "fuzz.monitor.example/log")
	o := newOffice(f, keys)
	o.release(1)
	o.release(2)
	signed := o.lg.Head().Checkpoint
	text := signed[:bytes.Index(signed, []byte("\n\n"))+1]
	head, err := checkpoint.Parse(text)
	if err != nil {
		f.Fatal(err)
	}
	get := func(path string) []byte {
		resp, err := http.Get(o.url + path)
		if err != nil {
			f.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil || resp.StatusCode != http.StatusOK {
			f.Fatalf("GET %s: %d %v", path, resp.StatusCode, err)
		}
		return b
	}
	if head.Size >= translog.TileWidth {
		f.Fatalf("a tree of %d entries", head.Size)
	}
	bundle := get(fmt.Sprintf("/log/tile/entries/000.p/%d", head.Size))
	tile := get(fmt.Sprintf("/log/tile/0/000.p/%d", head.Size))
	entries, err := translog.SplitBundle(bundle)
	if err != nil {
		f.Fatal(err)
	}
	// The log's root at each size, from its entries.
	var stored []tlog.Hash
	reader := tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(idx))
		for i, x := range idx {
			out[i] = stored[x]
		}
		return out, nil
	})
	roots := []tlog.Hash{sha256.Sum256(nil)} // RFC 6962: the empty tree's root
	for i, e := range entries {
		hs, err := tlog.StoredHashes(int64(i), e, reader)
		if err != nil {
			f.Fatal(err)
		}
		stored = append(stored, hs...)
		r, err := tlog.TreeHash(int64(i)+1, reader)
		if err != nil {
			f.Fatal(err)
		}
		roots = append(roots, r)
	}
	if roots[head.Size] != head.Root {
		f.Fatal("the roots computed are not the log's")
	}
	smaller := checkpoint.Checkpoint{Origin: keys.origin, Size: head.Size - 1, Root: roots[head.Size-1]}.Marshal()
	changed := bytes.Clone(bundle)
	changed[len(changed)-1] ^= 1
	for _, seed := range []struct{ text, bundle, tile []byte }{
		{text, nil, nil},
		{smaller, nil, nil},
		{append(bytes.Clone(text), "extension\n"...), nil, nil},
		{text, changed, nil},
		{text, bundle[:len(bundle)-1], nil},
		{text, append(bytes.Clone(bundle), bundle...), nil},
		{text, nil, tile[:len(tile)-1]},
		{text, nil, append(bytes.Clone(tile[tlog.HashSize:]), tile[:tlog.HashSize]...)},
		{text[:len(text)-1], nil, nil},
		{[]byte("fuzz.monitor.example/log\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n"), nil, nil},
		{bytes.Replace(text, []byte(fmt.Sprintf("\n%d\n", head.Size)), []byte(fmt.Sprintf("\n%d\n", head.Size+1)), 1), nil, nil},
	} {
		f.Add(seed.text, seed.bundle, seed.tile)
	}
	f.Fuzz(func(t *testing.T, text, fakeBundle, fakeTile []byte) {
		served := text
		if b, err := note.Sign(&note.Note{Text: string(text)}, keys.signer); err == nil {
			served = b
		}
		var mu sync.Mutex
		var differs []string
		o.setServe(func(w http.ResponseWriter, r *http.Request, h http.Handler) {
			var fake []byte
			switch p := r.URL.Path; {
			case p == "/log/checkpoint":
				w.Write(served)
				return
			case strings.HasPrefix(p, "/log/tile/entries/") && fakeBundle != nil:
				fake = fakeBundle
			case strings.HasPrefix(p, "/log/tile/") && !strings.HasPrefix(p, "/log/tile/entries/") && fakeTile != nil:
				fake = fakeTile
			default:
				h.ServeHTTP(w, r)
				return
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			if rec.Code != http.StatusOK || !bytes.Equal(rec.Body.Bytes(), fake) {
				mu.Lock()
				differs = append(differs, r.URL.Path)
				mu.Unlock()
			}
			w.Write(fake)
		})
		defer o.setServe(nil)
		c := &collector{}
		dir := t.TempDir()
		m, err := monitor.New(monitor.Config{Logs: []monitor.Log{{URL: o.url + "/log", Key: keys.vkey}},
			StatePath: filepath.Join(dir, "state.json"), Filter: public.Filter{}, Report: c.report, MaxPassTime: 20 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		if err := m.Pass(context.Background()); err != nil {
			return
		}
		cp, err := checkpoint.Parse(text)
		if err != nil || cp.Size > head.Size || cp.Root != roots[cp.Size] || len(differs) > 0 {
			t.Fatalf("a pass over the checkpoint %q (%v), served %v in place of the log's, ended without an error", text, err, differs)
		}
		var seen []int64
		for _, r := range ofType(c.take(), monitor.TypeEntry) {
			seen = append(seen, r.Index)
		}
		if want := span(0, cp.Size); !slices.Equal(seen, want) {
			t.Fatalf("a pass over a tree of %d entries reported the entries %v", cp.Size, seen)
		}
	})
}

package cli

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/chancery/chancery/internal/checkpoint"
	"github.com/chancery/chancery/internal/client"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// memTree is an in-memory RFC 6962 tree that serves GET /log/proof/consistency.
type memTree struct {
	hashes  []tlog.Hash
	onProof func() // called once before the next proof is served, if set
}

func (m *memTree) ReadHashes(idx []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(idx))
	for i, x := range idx {
		out[i] = m.hashes[x]
	}
	return out, nil
}

func newMemTree(t *testing.T, n int64) *memTree {
	t.Helper()
	m := &memTree{}
	for i := range n {
		h, err := tlog.StoredHashes(i, fmt.Appendf(nil, "entry %d", i), m)
		if err != nil {
			t.Fatal(err)
		}
		m.hashes = append(m.hashes, h...)
	}
	return m
}

func (m *memTree) signed(t *testing.T, s note.Signer, size int64) []byte {
	t.Helper()
	root, err := tlog.TreeHash(size, m)
	if err != nil {
		t.Fatal(err)
	}
	text := checkpoint.Checkpoint{Origin: s.Name(), Size: size, Root: root}.Marshal()
	b, err := note.Sign(&note.Note{Text: string(text)}, s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (m *memTree) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if f := m.onProof; f != nil {
		m.onProof = nil
		f()
	}
	old, _ := strconv.ParseInt(r.URL.Query().Get("old"), 10, 64)
	size, _ := strconv.ParseInt(r.URL.Query().Get("size"), 10, 64)
	p, err := tlog.ProveTree(size, old, m)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"old": old, "size": size, "proof": p})
}

// TestKeptCheckpointNotSetBackByAnotherRun: two verify runs of one log at once, each having
// loaded the kept checkpoint when it started; the one that sees the larger tree first must
// not have it replaced by the smaller tree the other sees later, or a later run would take a
// rolled-back answer between the two for current.
func TestKeptCheckpointNotSetBackByAnotherRun(t *testing.T) {
	skey, vkey, err := note.GenerateKey(rand.Reader, "example.org/log")
	if err != nil {
		t.Fatal(err)
	}
	signer, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	tree := newMemTree(t, 20)
	srv := httptest.NewServer(tree)
	defer srv.Close()
	cl, err := client.New(srv.URL, "")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	dir := t.TempDir()

	first, err := loadCheckpointState(dir, vkey, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if err := first.answer(ctx, cl, tree.signed(t, signer, 10)); err != nil {
		t.Fatal(err)
	}
	a, err := loadCheckpointState(dir, vkey, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	b, err := loadCheckpointState(dir, vkey, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.answer(ctx, cl, tree.signed(t, signer, 20)); err != nil {
		t.Fatal(err)
	}
	// a started before b saved: its tree of 15 extends the 10 it loaded, but not what is kept.
	err = a.answer(ctx, cl, tree.signed(t, signer, 15))
	if !errors.Is(err, errRolledBack) {
		t.Errorf("a run shown a tree of 15 after another run kept the tree of 20: %v, want a rolled-back answer", err)
	}

	later, err := loadCheckpointState(dir, vkey, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if later.held == nil || later.held.Size != 20 {
		t.Fatalf("kept checkpoint after both runs: %+v, want the tree of size 20", later.held)
	}
	if err := later.answer(ctx, cl, tree.signed(t, signer, 17)); !errors.Is(err, errRolledBack) {
		t.Errorf("a later run shown a tree of 17: %v, want a rolled-back answer", err)
	}

	// The other run keeps its tree while this one fetches its consistency proof.
	dir = t.TempDir()
	first, err = loadCheckpointState(dir, vkey, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if err := first.answer(ctx, cl, tree.signed(t, signer, 10)); err != nil {
		t.Fatal(err)
	}
	a, _ = loadCheckpointState(dir, vkey, io.Discard)
	b, _ = loadCheckpointState(dir, vkey, io.Discard)
	tree.onProof = func() {
		if err := b.answer(ctx, cl, tree.signed(t, signer, 20)); err != nil {
			t.Error(err)
		}
	}
	if err := a.answer(ctx, cl, tree.signed(t, signer, 15)); !errors.Is(err, errRolledBack) {
		t.Errorf("a run shown a tree of 15, another run keeping the tree of 20 meanwhile: %v, want a rolled-back answer", err)
	}
	if later, err = loadCheckpointState(dir, vkey, io.Discard); err != nil || later.held == nil || later.held.Size != 20 {
		t.Fatalf("kept checkpoint: %+v, %v; want the tree of size 20", later.held, err)
	}
}

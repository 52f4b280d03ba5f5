package translog

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/checkpoint"
	"github.com/chancery/chancery/internal/store"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

const testOrigin = "test.example/log"

func newSigner(t testing.TB) (note.Signer, note.Verifier) {
	skey, vkey, err := note.GenerateKey(nil, testOrigin)
	if err != nil {
		t.Fatal(err)
	}
	s, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	v, err := note.NewVerifier(vkey)
	if err != nil {
		t.Fatal(err)
	}
	return s, v
}

// newStore returns an empty SQLite store, closed when the test ends.
func newStore(t testing.TB) *store.DB {
	t.Helper()
	db, err := store.OpenSQLite(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func openLog(t testing.TB, dir string, s note.Signer) (*store.DB, *Log) {
	t.Helper()
	db, err := store.OpenSQLite(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	l, err := Open(context.Background(), db, Config{Origin: testOrigin, Signer: s, Create: true})
	if err != nil {
		db.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close(); db.Close() })
	return db, l
}

// memTree is an independent in-memory tree built with tlog from every stored hash.
type memTree struct{ hashes []tlog.Hash }

func (m *memTree) ReadHashes(idx []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(idx))
	for i, x := range idx {
		out[i] = m.hashes[x]
	}
	return out, nil
}

func (m *memTree) add(t testing.TB, n int64, entry []byte) {
	hs, err := tlog.StoredHashes(n, entry, m)
	if err != nil {
		t.Fatal(err)
	}
	m.hashes = append(m.hashes, hs...)
}

func entryFor(i int) []byte {
	return []byte(fmt.Sprintf("entry %d %s", i, bytes.Repeat([]byte{'x'}, i%300)))
}

func TestAppendMatchesTlog(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, v := newSigner(t)
	db, l := openLog(t, dir, s)
	if l.Head().Size != 0 {
		t.Fatalf("new log has size %d", l.Head().Size)
	}

	// Appends from several goroutines produce batches of varied sizes crossing tile edges.
	const n = 1300
	var wg sync.WaitGroup
	idxOf := make([]int64, n)
	for w := 0; w < 13; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += 13 {
				idx, err := l.Append(ctx, entryFor(i))
				if err != nil {
					t.Error(err)
					return
				}
				idxOf[i] = idx
			}
		}()
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	byIndex := make([][]byte, n)
	for i, idx := range idxOf {
		if byIndex[idx] != nil {
			t.Fatalf("index %d given twice", idx)
		}
		byIndex[idx] = entryFor(i)
	}
	m := &memTree{}
	for i, e := range byIndex {
		m.add(t, int64(i), e)
	}
	want, _ := tlog.TreeHash(n, m)
	head := l.Head()
	if head.Size != n || head.Root != want {
		t.Fatalf("head = %d %v, want %d %v", head.Size, head.Root, n, want)
	}
	c, _, err := checkpoint.Open(head.Checkpoint, v)
	if err != nil || c.Size != n || c.Root != want {
		t.Fatalf("checkpoint %+v, %v", c, err)
	}

	// Reopen: the edge is reloaded from the store and appends go on from it.
	l.Close()
	db.Close()
	_, l = openLog(t, dir, s)
	for i := n; i < n+300; i++ {
		idx, err := l.Append(ctx, entryFor(i))
		if err != nil || idx != int64(i) {
			t.Fatalf("append after reopen: %d, %v", idx, err)
		}
		byIndex = append(byIndex, entryFor(i))
		m.add(t, int64(i), entryFor(i))
	}
	size := int64(len(byIndex))
	want, _ = tlog.TreeHash(size, m)
	if got := l.Head(); got.Size != size || got.Root != want {
		t.Fatalf("after reopen head = %d %v, want %d %v", got.Size, got.Root, size, want)
	}

	// Every entry reads back; every tile equals tlog's; proofs check.
	for i, e := range byIndex {
		got, err := l.Entry(ctx, int64(i))
		if err != nil || !bytes.Equal(got, e) {
			t.Fatalf("entry %d = %q, %v", i, got, err)
		}
	}
	for _, tile := range tlog.NewTiles(TileHeight, 0, size) {
		got, err := l.ReadTile(ctx, tile)
		if err != nil {
			t.Fatalf("tile %s: %v", TilePath(tile), err)
		}
		wantData, _ := tlog.ReadTileData(tile, m)
		if !bytes.Equal(got, wantData) {
			t.Fatalf("tile %s differs from tlog's", TilePath(tile))
		}
	}
	for _, i := range []int64{0, 1, 255, 256, 1000, size - 1} {
		for _, sz := range []int64{i + 1, 700, size} {
			if sz <= i {
				continue
			}
			p, err := l.InclusionProof(ctx, i, sz)
			if err != nil {
				t.Fatal(err)
			}
			th, _ := tlog.TreeHash(sz, m)
			if err := tlog.CheckRecord(p, sz, th, i, tlog.RecordHash(byIndex[i])); err != nil {
				t.Fatalf("inclusion %d in %d: %v", i, sz, err)
			}
		}
	}
	for _, old := range []int64{1, 7, 256, 257, 1300} {
		p, err := l.ConsistencyProof(ctx, old, size)
		if err != nil {
			t.Fatal(err)
		}
		oh, _ := tlog.TreeHash(old, m)
		if err := tlog.CheckTree(p, size, want, old, oh); err != nil {
			t.Fatalf("consistency %d -> %d: %v", old, size, err)
		}
	}
	idx, err := l.LeafIndex(ctx, tlog.RecordHash(byIndex[777]))
	if err != nil || idx != 777 {
		t.Fatalf("LeafIndex = %d, %v", idx, err)
	}
	if _, err := l.LeafIndex(ctx, tlog.RecordHash([]byte("never appended"))); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("LeafIndex of unknown = %v, want ErrNotFound", err)
	}
	if _, err := l.InclusionProof(ctx, size, size+1); !errors.Is(err, ErrOutOfRange) {
		t.Fatalf("proof beyond the tree: %v", err)
	}
	if _, err := l.ReadTile(ctx, tlog.Tile{H: 8, L: 0, N: 99, W: 256}); !errors.Is(err, ErrOutOfRange) {
		t.Fatalf("tile beyond the tree: %v", err)
	}
}

func TestAppendTxAtomic(t *testing.T) {
	ctx := context.Background()
	s, _ := newSigner(t)
	db, l := openLog(t, t.TempDir(), s)
	boom := errors.New("boom")
	var wg sync.WaitGroup
	errs := make([]error, 40)
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = l.AppendTx(ctx, entryFor(i), func(tx *store.Tx, index int64) error {
				// A registry write that must vanish with a failed append.
				if err := tx.PutTile(ctx, store.Tile{Level: 40, Index: int64(i), Width: 1, Data: []byte{1}}); err != nil {
					return err
				}
				if i%3 == 0 {
					return boom
				}
				return nil
			})
		}()
	}
	wg.Wait()
	ok := 0
	for i, err := range errs {
		if i%3 == 0 {
			if !errors.Is(err, boom) {
				t.Fatalf("append %d: %v, want boom", i, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("append %d: %v", i, err)
		}
		ok++
	}
	if got := l.Head().Size; got != int64(ok) {
		t.Fatalf("size %d, want %d", got, ok)
	}
	db.View(ctx, func(tx *store.Tx) error {
		for i := range 40 {
			_, err := tx.Tile(ctx, 40, int64(i))
			if (i%3 == 0) != errors.Is(err, store.ErrNotFound) {
				t.Errorf("registry write of append %d: %v", i, err)
			}
		}
		return nil
	})
}

// TestAppendTxAnswersWhatHappened: a caller whose context ends after a batch took its append
// (here, while its function runs) is told the index, since the append commits; one whose
// context ended before is told the context's error, and nothing of its append commits. Either
// way the answer is the outcome, so that a caller never skips what follows a commit.
func TestAppendTxAnswersWhatHappened(t *testing.T) {
	s, _ := newSigner(t)
	_, l := openLog(t, t.TempDir(), s)

	ctx, cancel := context.WithCancel(context.Background())
	idx, err := l.AppendTx(ctx, entryFor(0), func(*store.Tx, int64) error {
		cancel() // the caller goes away once its change is in the batch
		return nil
	})
	if err != nil || idx != 0 || l.Head().Size != 1 {
		t.Fatalf("append cancelled after it was taken: index %d, %v; log size %d, want index 0, no error, size 1", idx, err, l.Head().Size)
	}

	ran := false
	_, err = l.AppendTx(ctx, entryFor(1), func(*store.Tx, int64) error { ran = true; return nil })
	if !errors.Is(err, context.Canceled) || ran {
		t.Fatalf("append cancelled before it was taken: %v, function ran: %v", err, ran)
	}
	// The sequencer passes over the abandoned append: the next one takes index 1.
	if idx, err := l.Append(context.Background(), entryFor(2)); err != nil || idx != 1 {
		t.Fatalf("next append: index %d, %v, want 1", idx, err)
	}
}

func TestAppendRefusesBadEntries(t *testing.T) {
	s, _ := newSigner(t)
	_, l := openLog(t, t.TempDir(), s)
	if _, err := l.Append(context.Background(), nil); !errors.Is(err, ErrEmptyEntry) {
		t.Fatalf("empty entry: %v", err)
	}
	if _, err := l.Append(context.Background(), make([]byte, MaxEntrySize+1)); !errors.Is(err, ErrEntryTooLarge) {
		t.Fatalf("oversized entry: %v", err)
	}
	if _, err := l.Append(context.Background(), make([]byte, MaxEntrySize)); err != nil {
		t.Fatalf("largest entry: %v", err)
	}
	l.Close()
	if _, err := l.Append(context.Background(), []byte("late")); !errors.Is(err, ErrClosed) {
		t.Fatalf("append after close: %v", err)
	}
}

func TestOpenRefusesOtherOrigin(t *testing.T) {
	dir := t.TempDir()
	s, _ := newSigner(t)
	db, l := openLog(t, dir, s)
	l.Close()
	skey, _, _ := note.GenerateKey(nil, "other.example/log")
	other, _ := note.NewSigner(skey)
	if _, err := Open(context.Background(), db, Config{Origin: "other.example/log", Signer: other}); err == nil {
		t.Fatal("opened a log under another origin")
	}
}

// TestOpenRefusesOtherKey: a log is not opened with another key of the same origin (another
// office's data directory on this office's database), which would sign on with a second key.
func TestOpenRefusesOtherKey(t *testing.T) {
	s, _ := newSigner(t)
	db, l := openLog(t, t.TempDir(), s)
	if _, err := l.Append(t.Context(), []byte("entry")); err != nil {
		t.Fatal(err)
	}
	l.Close()
	other, _ := newSigner(t)
	if l, err := Open(t.Context(), db, Config{Origin: testOrigin, Signer: other}); !errors.Is(err, ErrOtherKey) {
		if err == nil {
			l.Close()
		}
		t.Fatalf("Open with another key: %v, want ErrOtherKey", err)
	}
}

// Only the creator of a log may create it: opened without Config.Create, a store that holds
// no log (another office's database, a database not yet restored) is refused and left
// without one, instead of getting a second log signed with the office's key.
func TestOpenRefusesStoreWithoutLog(t *testing.T) {
	ctx := context.Background()
	s, _ := newSigner(t)
	db := newStore(t)
	if l, err := Open(ctx, db, Config{Origin: testOrigin, Signer: s}); !errors.Is(err, ErrNoLog) {
		if err == nil {
			l.Close()
		}
		t.Fatalf("Open of a store without a log: %v, want ErrNoLog", err)
	}
	err := db.View(ctx, func(tx *store.Tx) error {
		_, err := tx.LogHead(ctx)
		return err
	})
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("after the refused Open, the store's log head: %v, want none", err)
	}
	l, err := Open(ctx, db, Config{Origin: testOrigin, Signer: s, Create: true})
	if err != nil {
		t.Fatal(err)
	}
	l.Close()
	l, err = Open(ctx, db, Config{Origin: testOrigin, Signer: s})
	if err != nil {
		t.Fatalf("reopening the created log: %v", err)
	}
	l.Close()
}

// The tiles the sequencer stores are kept in the tile cache, and proofs that need only cached
// tiles open no read transaction: the proofs of the newest entries, which every seal at
// release asks for, are made with the store closed.
func TestNewestProofsFromWhatTheSequencerWrote(t *testing.T) {
	ctx := context.Background()
	s, _ := newSigner(t)
	db, l := openLog(t, t.TempDir(), s)
	m := &memTree{}
	const n = 300 // past the first level-0 tile
	for i := range n {
		if _, err := l.Append(ctx, entryFor(i)); err != nil {
			t.Fatal(err)
		}
		m.add(t, int64(i), entryFor(i))
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	for _, i := range []int64{n - 1, n - 2, 255, 256} {
		p, err := l.InclusionProof(ctx, i, n)
		if err != nil {
			t.Fatalf("inclusion proof of %d with the store closed: %v", i, err)
		}
		th, _ := tlog.TreeHash(n, m)
		if err := tlog.CheckRecord(p, n, th, i, tlog.RecordHash(entryFor(int(i)))); err != nil {
			t.Fatalf("inclusion %d in %d: %v", i, n, err)
		}
	}
	p, err := l.ConsistencyProof(ctx, n-10, n)
	if err != nil {
		t.Fatalf("consistency proof with the store closed: %v", err)
	}
	oh, _ := tlog.TreeHash(n-10, m)
	th, _ := tlog.TreeHash(n, m)
	if err := tlog.CheckTree(p, n, th, n-10, oh); err != nil {
		t.Fatalf("consistency %d -> %d: %v", n-10, n, err)
	}
}

// TestAppendAllTxAtomic: the entries of one AppendAllTx take consecutive indexes in the batch
// that takes them, among other appends, and none of them is logged if its function fails.
func TestAppendAllTxAtomic(t *testing.T) {
	ctx := context.Background()
	s, _ := newSigner(t)
	_, l := openLog(t, t.TempDir(), s)
	boom := errors.New("boom")
	const n = 300 // crosses an entry bundle's edge
	var wg sync.WaitGroup
	idxOf := make([]int64, n)
	errs := make([]error, n)
	for w := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += 10 {
				if i%2 == 0 {
					idxOf[i], errs[i] = l.Append(ctx, entryFor(i))
					continue
				}
				idxOf[i], errs[i] = l.AppendAllTx(ctx, [][]byte{entryFor(i), entryFor(n + i)}, func(tx *store.Tx, index int64) error {
					if i%7 == 1 {
						return boom
					}
					return nil
				})
			}
		}()
	}
	wg.Wait()
	byIndex := map[int64][]byte{}
	for i, err := range errs {
		if i%2 == 1 && i%7 == 1 {
			if !errors.Is(err, boom) {
				t.Fatalf("append %d: %v, want boom", i, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("append %d: %v", i, err)
		}
		byIndex[idxOf[i]] = entryFor(i)
		if i%2 == 1 {
			byIndex[idxOf[i]+1] = entryFor(n + i)
		}
	}
	m := &memTree{}
	for i := range int64(len(byIndex)) {
		e, ok := byIndex[i]
		if !ok {
			t.Fatalf("no entry at index %d of %d: two appends overlap", i, len(byIndex))
		}
		m.add(t, i, e)
	}
	want, _ := tlog.TreeHash(int64(len(byIndex)), m)
	if h := l.Head(); h.Size != int64(len(byIndex)) || h.Root != want {
		t.Fatalf("head = %d %v, want %d %v", h.Size, h.Root, len(byIndex), want)
	}
	if _, err := l.AppendAllTx(ctx, [][]byte{entryFor(0), nil}, nil); !errors.Is(err, ErrEmptyEntry) {
		t.Fatalf("an empty entry among others: %v", err)
	}
}

// TestMaxBatchBoundsEveryBatch: appends queued while a batch commits are committed in
// batches of at most MaxBatch entries each, the first and the ones after it alike (the
// ones after it were committed in one batch, however many they were), and AppendAllTx's
// entries stay together.
func TestMaxBatchBoundsEveryBatch(t *testing.T) {
	ctx := context.Background()
	s, _ := newSigner(t)
	db := newStore(t)
	const maxBatch = 4
	l, err := Open(ctx, db, Config{Origin: testOrigin, Signer: s, Create: true, MaxBatch: maxBatch})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	// The first append holds its batch's transaction open until the others are queued.
	started, release := make(chan struct{}), make(chan struct{})
	first := make(chan error, 1)
	go func() {
		_, err := l.AppendTx(ctx, entryFor(0), func(*store.Tx, int64) error {
			close(started)
			<-release
			return nil
		})
		first <- err
	}()
	<-started
	// Each append notes the published head its batch began with: one per batch.
	const n = 20
	var mu sync.Mutex
	perBatch := map[int64]int{}
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			entries := [][]byte{entryFor(i + 1)}
			if i%5 == 0 {
				entries = append(entries, entryFor(n+i+1))
			}
			_, errs[i] = l.AppendAllTx(ctx, entries, func(*store.Tx, int64) error {
				mu.Lock()
				perBatch[l.Head().Size] += len(entries)
				mu.Unlock()
				return nil
			})
		}()
	}
	for {
		l.mu.Lock()
		queued := len(l.pending)
		l.mu.Unlock()
		if queued == n {
			break
		}
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	total := 0
	for i, err := range errs {
		if err != nil {
			t.Fatalf("append %d: %v", i, err)
		}
	}
	for head, k := range perBatch {
		total += k
		if k > maxBatch {
			t.Errorf("the batch after head %d committed %d entries, more than MaxBatch %d", head, k, maxBatch)
		}
	}
	if want := n + n/5; total != want {
		t.Errorf("%d entries committed, want %d", total, want)
	}
}

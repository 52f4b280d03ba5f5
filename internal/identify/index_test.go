package identify

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/chancery/chancery/internal/identify/synth"
)

// mapSource is a Source over a map, safe for concurrent use.
type mapSource struct {
	mu  sync.Mutex
	fps map[uint64]*Fingerprint
	err error
}

func (s *mapSource) Fingerprints(_ context.Context, ids []uint64) ([]*Fingerprint, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return nil, s.err
	}
	out := make([]*Fingerprint, len(ids))
	for i, id := range ids {
		out[i] = s.fps[id]
	}
	return out, nil
}

func (s *mapSource) put(id uint64, fp *Fingerprint) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fps[id] = fp
}

func newTestIndex(t *testing.T, c synth.Corpus, n int) (*Index, *mapSource) {
	t.Helper()
	ix, src := NewIndex(), &mapSource{fps: map[uint64]*Fingerprint{}}
	for i := range n {
		fp := Compute(c.Letter(i).Text())
		if err := ix.Add(uint64(i+1), fp); err != nil {
			t.Fatal(err)
		}
		src.put(uint64(i+1), fp)
	}
	return ix, src
}

func TestIndexAddRemove(t *testing.T) {
	c := synth.Corpus{Seed: 5, FamilySize: 4}
	ix, src := newTestIndex(t, c, 40)
	ctx := context.Background()
	if ix.Len() != 40 {
		t.Fatalf("Len %d, want 40", ix.Len())
	}
	text := c.Letter(9).Text()
	res, err := ix.QueryText(ctx, text, 5, src)
	if err != nil {
		t.Fatal(err)
	}
	best, ok := res.Best()
	if !ok || best.ID != 10 || !best.Exact || best.Similarity != 1 || best.Containment != 1 {
		t.Fatalf("best %+v, want letter 10, exact", best)
	}
	if len(res.Matches) > 5 {
		t.Fatalf("%d matches, limit 5", len(res.Matches))
	}
	for i := 1; i < len(res.Matches); i++ {
		if res.Matches[i].Score > res.Matches[i-1].Score {
			t.Fatal("matches not ranked by score")
		}
	}

	if !ix.Remove(10) || ix.Remove(10) || ix.Len() != 39 {
		t.Fatal("Remove(10) twice: want true then false, and 39 letters")
	}
	res, _ = ix.QueryText(ctx, text, 40, src)
	for _, m := range res.Matches {
		if m.ID == 10 {
			t.Fatal("removed letter returned")
		}
	}

	// Adding an id again replaces its fingerprint.
	other := Compute(c.Letter(20).Text())
	if err := ix.Add(1, other); err != nil {
		t.Fatal(err)
	}
	src.put(1, other)
	if ix.Len() != 39 {
		t.Fatalf("Len %d after replacing, want 39", ix.Len())
	}
	res, _ = ix.QueryText(ctx, c.Letter(0).Text(), 40, src)
	for _, m := range res.Matches {
		if m.ID == 1 && m.Exact {
			t.Fatal("replaced fingerprint still matches")
		}
	}

	if err := ix.Add(99, Compute("...")); !errors.Is(err, ErrEmpty) {
		t.Fatalf("empty fingerprint: %v, want ErrEmpty", err)
	}
}

func TestQuerySource(t *testing.T) {
	c := synth.Corpus{Seed: 6, FamilySize: 2}
	ix, src := newTestIndex(t, c, 10)
	ctx := context.Background()

	// A letter the source no longer holds is skipped.
	src.put(3, nil)
	res, err := ix.QueryText(ctx, c.Letter(2).Text(), 10, src)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range res.Matches {
		if m.ID == 3 {
			t.Fatal("letter missing from the source returned")
		}
	}

	src.err = errors.New("disk on fire")
	if _, err := ix.QueryText(ctx, c.Letter(2).Text(), 10, src); err == nil || !errors.Is(err, src.err) {
		t.Fatalf("source error: %v", err)
	}
}

// TestExcerptInLongLetter checks the excerpt path: a 50-word paragraph of a long letter,
// whose Jaccard similarity with it is about 0.1, finds it among 300 letters.
func TestExcerptInLongLetter(t *testing.T) {
	c := synth.Corpus{Seed: 8, FamilySize: 1}
	ix, src := newTestIndex(t, c, 300)
	rng := rand.New(rand.NewPCG(8, 9))
	for i := range 30 {
		want := rng.IntN(300)
		res, err := ix.QueryText(context.Background(), synth.Excerpt(rng, c.Letter(want), 50), 10, src)
		if err != nil {
			t.Fatal(err)
		}
		class, m := Classify(res)
		if class != Excerpt || m.ID != uint64(want+1) {
			t.Fatalf("excerpt %d of letter %d: %v %+v", i, want+1, class, m)
		}
	}
}

// TestIndexConcurrent runs queries while letters are added and removed; run with -race.
func TestIndexConcurrent(t *testing.T) {
	c := synth.Corpus{Seed: 9, FamilySize: 3}
	ix, src := newTestIndex(t, c, 60)
	fps := make([]*Fingerprint, 120)
	for i := range fps {
		fps[i] = Compute(c.Letter(i).Text())
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 60; i < 120; i++ {
			src.put(uint64(i+1), fps[i])
			if err := ix.Add(uint64(i+1), fps[i]); err != nil {
				t.Error(err)
			}
			ix.Remove(uint64(i - 59))
		}
	})
	for r := range 3 {
		wg.Go(func() {
			for i := range 40 {
				q := fps[(r*40+i)%120]
				if _, err := ix.Query(context.Background(), q, 5, src); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if ix.Len() != 60 {
		t.Fatalf("Len %d, want 60", ix.Len())
	}
}

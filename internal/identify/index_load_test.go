package identify

import (
	"maps"
	"slices"
	"testing"

	"github.com/chancery/chancery/internal/identify/synth"
)

// TestLoaderBuildsWhatAddBuilds: an index filled by a Loader, after letters added one by one
// and with letters given twice (replaced), holds the same postings, documents and dead ones as
// the index Add builds from the same letters in the same order, and answers queries alike.
func TestLoaderBuildsWhatAddBuilds(t *testing.T) {
	c := synth.Corpus{Seed: 7, FamilySize: 4}
	var fps []*Fingerprint
	for i := range 400 {
		fps = append(fps, Compute(c.Letter(i).Text()))
	}
	// ids: 1..150 one by one first; then, loaded, 151..400 with every fifth letter given again
	// under an earlier id (a replacement), and one id of the first part replaced.
	type add struct {
		id uint64
		fp *Fingerprint
	}
	var first, rest []add
	for i := range 150 {
		first = append(first, add{uint64(i + 1), fps[i]})
	}
	for i := 150; i < 400; i++ {
		rest = append(rest, add{uint64(i + 1), fps[i]})
		if i%5 == 0 {
			rest = append(rest, add{uint64(i - 3), fps[(i*7)%400]})
		}
	}
	rest = append(rest, add{3, fps[399]})

	want := NewIndex()
	for _, a := range slices.Concat(first, rest) {
		if err := want.Add(a.id, a.fp); err != nil {
			t.Fatal(err)
		}
	}
	got := NewIndex()
	for _, a := range first {
		if err := got.Add(a.id, a.fp); err != nil {
			t.Fatal(err)
		}
	}
	l := got.Load()
	for _, a := range rest {
		if err := l.Add(a.id, a.fp); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Add(1, &Fingerprint{}); err == nil {
		t.Error("the loader took a fingerprint without shingles")
	}
	l.Done()
	l.Done()
	if err := l.Add(999, fps[0]); err == nil {
		t.Error("a loader done still adds")
	}

	if !slices.Equal(got.ids, want.ids) || !slices.Equal(got.dead, want.dead) || !maps.Equal(got.byID, want.byID) {
		t.Fatalf("documents differ: ids %d/%d, live %d/%d", len(got.ids), len(want.ids), len(got.byID), len(want.byID))
	}
	postings := 0
	for n := range got.posts {
		g, w := &got.posts[n], &want.posts[n]
		if !slices.Equal(g.low, w.low) || !slices.Equal(g.docs, w.docs) {
			t.Fatalf("bucket %d differs:\n got  %v %v\n want %v %v", n, g.low, g.docs, w.low, w.docs)
		}
		postings += len(g.low)
	}
	if postings < 400*Bands {
		t.Fatalf("%d postings: the letters were not indexed", postings)
	}
	src := &mapSource{fps: map[uint64]*Fingerprint{}}
	for _, a := range slices.Concat(first, rest) {
		src.put(a.id, a.fp)
	}
	for _, i := range []int{0, 42, 160, 399} {
		gr, err := got.Query(t.Context(), fps[i], 5, src)
		if err != nil {
			t.Fatal(err)
		}
		wr, err := want.Query(t.Context(), fps[i], 5, src)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(gr.Matches, wr.Matches) {
			t.Errorf("letter %d: the loaded index answers %v, the other %v", i, gr.Matches, wr.Matches)
		}
	}
}

package eval

import (
	"context"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/chancery/chancery/internal/identify"
	"github.com/chancery/chancery/internal/identify/synth"
)

// TestTargets indexes 2,000 synthetic letters in families of 6 and checks the targets on 100
// queries of every kind: recall and precision at least 0.99 up to 15% word edits, for OCR
// noise and for 50-word excerpts, and no false match for unrelated texts. Short mode and
// -race builds use 600 letters and 50 queries of every kind (so no miss at all).
func TestTargets(t *testing.T) {
	letters, perKind := 2000, 100
	if testing.Short() || raceEnabled {
		letters, perKind = 600, 50
	}
	c := synth.Corpus{Seed: 1, FamilySize: 6}
	ix, src := build(t, c, letters)
	var tally Tally
	ctx := context.Background()
	qs, redrawn := Queries(c, letters, perKind, 2)
	t.Logf("%d ambiguous excerpts drawn again", redrawn)
	for _, q := range qs {
		res, err := ix.QueryText(ctx, q.Text, 10, src)
		if err != nil {
			t.Fatal(err)
		}
		class, m := identify.Classify(res)
		tally.Add(q, class, m)
	}
	var b strings.Builder
	WriteTable(&b, tally.Rows())
	t.Logf("%d letters:\n%s", letters, b.String())
	for _, r := range tally.Rows() {
		if !r.Met() {
			t.Errorf("%s: recall %.3f, precision %.3f, %d matched of %d: target missed", r.Kind, r.Recall(), r.Precision(), r.Matched, r.Queries)
		}
	}
}

// build indexes letters 0..n-1 of c, fingerprinting on all cores.
func build(t *testing.T, c synth.Corpus, n int) (*identify.Index, memorySource) {
	t.Helper()
	fps := make([]*identify.Fingerprint, n)
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for w := range workers {
		wg.Go(func() {
			for i := w; i < n; i += workers {
				fps[i] = identify.Compute(c.Letter(i).Text())
			}
		})
	}
	wg.Wait()
	ix := identify.NewIndex()
	src := memorySource{}
	for i, fp := range fps {
		if err := ix.Add(ID(i), fp); err != nil {
			t.Fatal(err)
		}
		src[ID(i)] = fp
	}
	return ix, src
}

// memorySource is a Source over fingerprints in memory, by id.
type memorySource map[uint64]*identify.Fingerprint

func (s memorySource) Fingerprints(_ context.Context, ids []uint64) ([]*identify.Fingerprint, error) {
	out := make([]*identify.Fingerprint, len(ids))
	for i, id := range ids {
		out[i] = s[id]
	}
	return out, nil
}

package identify

import (
	"cmp"
	"container/heap"
	"context"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"sort"
	"sync"
)

// Parameters of the index.
const (
	// Bands and Rows split a signature for locality-sensitive hashing: two texts whose
	// shingle sets have Jaccard similarity J share at least one band with probability
	// 1-(1-J^Rows)^Bands: 0.46 at J=0.44 (15% of words edited), 0.89 at 0.6, 0.9998 at 0.8,
	// and 0.0016 at J=0.1. The bands find close copies cheaply; the marks find the rest.
	Bands = 16
	Rows  = SignatureSize / Bands

	// Candidates is how many documents the first stage passes to the second, which scores
	// them on their full shingle sets. It must exceed the size of the largest family of
	// near-identical letters (monthly reports) for the right one to be among them.
	Candidates = 32

	// PostingsBudget bounds the postings the first stage reads: a key counts only if it is
	// posted for at most max(1024, PostingsBudget/k) letters, k being the query's number of
	// keys. A key shared by more letters is a formula of the office's style or a common date:
	// for a whole letter (600 keys, so at most 3,500 letters a key) the rarer keys decide;
	// a quotation (60 keys) needs its dates and figures even when tens of thousands of
	// letters share them.
	PostingsBudget = 1 << 21

	// bucketBits is the number of high bits of a key that choose its bucket.
	bucketBits = 16
)

// ErrEmpty reports a fingerprint of a text without words, which cannot be identified.
var ErrEmpty = errors.New("fingerprint of a text without words")

// An Index finds the letters whose text a query text resembles or is part of. It holds, per
// letter, a posting for each of its marks and each of its signature's bands; it does not hold
// the shingles, which a [Source] provides for the final scoring.
//
// An Index is safe for concurrent use: queries run in parallel, and Add and Remove take an
// exclusive lock briefly (tens of microseconds for Add at a million letters).
type Index struct {
	mu   sync.RWMutex
	ids  []uint64          // by document number: the letter id
	dead []uint64          // bitset by document number: removed or replaced
	byID map[uint64]uint32 // letter id to its live document number
	// posts, 3 MiB, is allocated by new rather than held in the Index: a composite literal
	// holding it writes all of it, which under the race detector marks 3 MiB of shadow
	// memory for each index made (two a registry, one registry a test office).
	posts *[1 << bucketBits]bucket
}

// A bucket holds the postings of the keys whose high bits are its number, sorted by the
// key's low bits and then by document number. Two parallel slices, instead of a slice of
// pairs, make a posting 6 bytes.
type bucket struct {
	low  []uint16
	docs []uint32
}

// NewIndex returns an empty index.
func NewIndex() *Index {
	return &Index{byID: make(map[uint64]uint32), posts: new([1 << bucketBits]bucket)}
}

// Len returns the number of letters in the index.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.byID)
}

// Add indexes the fingerprint of letter id, replacing any fingerprint it had. It returns
// ErrEmpty for a fingerprint without shingles.
func (ix *Index) Add(id uint64, fp *Fingerprint) error {
	if len(fp.Shingles) == 0 {
		return fmt.Errorf("index letter %d: %w", id, ErrEmpty)
	}
	keys := indexKeys(fp)
	ix.mu.Lock()
	defer ix.mu.Unlock()
	doc, err := ix.newDoc(id)
	if err != nil {
		return err
	}
	for _, k := range keys {
		ix.posts[k>>(32-bucketBits)].insert(uint16(k), doc)
	}
	return nil
}

// newDoc numbers a new document for letter id, whose earlier one, if any, it marks dead. The
// caller holds ix.mu.
func (ix *Index) newDoc(id uint64) (uint32, error) {
	if uint64(len(ix.ids)) >= math.MaxUint32 {
		return 0, fmt.Errorf("index letter %d: index full", id)
	}
	ix.remove(id)
	doc := uint32(len(ix.ids))
	ix.ids = append(ix.ids, id)
	if int(doc)/64 >= len(ix.dead) {
		ix.dead = append(ix.dead, 0)
	}
	ix.byID[id] = doc
	return doc, nil
}

// A Loader adds many fingerprints to an Index at once, as its Add would one by one, in far less
// time: Index.Add inserts each posting in its place, moving the bucket's later postings, which
// grows with the square of the bucket (a server's start read 100,000 letters' fingerprints in
// about 1.6 s of such moves, and a million would take some ten times ten times more); a Loader
// appends them and sorts each bucket it touched once, in Done. The Index is locked from
// Index.Load to Done: queries and changes wait, so call Done (deferred) as soon as the letters
// are added.
type Loader struct {
	ix      *Index
	touched []uint64 // bitset by bucket
	done    bool
}

// Load returns a Loader for ix, which holds ix locked until its Done.
func (ix *Index) Load() *Loader {
	ix.mu.Lock()
	return &Loader{ix: ix, touched: make([]uint64, (1<<bucketBits)/64)}
}

// Add indexes the fingerprint of letter id as Index.Add does.
func (l *Loader) Add(id uint64, fp *Fingerprint) error {
	if l.done {
		return fmt.Errorf("index letter %d: the loader is done", id)
	}
	if len(fp.Shingles) == 0 {
		return fmt.Errorf("index letter %d: %w", id, ErrEmpty)
	}
	ix := l.ix
	doc, err := ix.newDoc(id)
	if err != nil {
		return err
	}
	for _, k := range indexKeys(fp) {
		n := k >> (32 - bucketBits)
		ix.posts[n].appendPosting(uint16(k), doc)
		l.touched[n/64] |= 1 << (n % 64)
	}
	return nil
}

// Done sorts the buckets the loader added to and unlocks the Index. It may be called again.
func (l *Loader) Done() {
	if l.done {
		return
	}
	l.done = true
	var packed []uint64
	for w, word := range l.touched {
		for ; word != 0; word &= word - 1 {
			n := w*64 + bits.TrailingZeros64(word)
			packed = l.ix.posts[n].sort(packed)
		}
	}
	l.ix.mu.Unlock()
}

// Remove removes letter id and reports whether it was indexed. Its postings stay, marked
// dead, until the index is rebuilt.
func (ix *Index) Remove(id uint64) bool {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return ix.remove(id)
}

func (ix *Index) remove(id uint64) bool {
	doc, ok := ix.byID[id]
	if ok {
		delete(ix.byID, id)
		ix.dead[doc/64] |= 1 << (doc % 64)
	}
	return ok
}

// insert adds a posting for a document numbered above all in the bucket.
func (b *bucket) insert(low uint16, doc uint32) {
	i, _ := slices.BinarySearch(b.low, low+1)
	if low == math.MaxUint16 {
		i = len(b.low)
	}
	b.grow()
	b.low = slices.Insert(b.low, i, low)
	b.docs = slices.Insert(b.docs, i, doc)
}

// grow makes room for one more posting, by an eighth rather than by append's doubling:
// postings are most of the index's memory, and the extra copying is spread over the postings
// that fill the slack.
func (b *bucket) grow() {
	if len(b.low) < cap(b.low) {
		return
	}
	n := len(b.low) + len(b.low)/8 + 4
	b.low = append(make([]uint16, 0, n), b.low...)
	b.docs = append(make([]uint32, 0, n), b.docs...)
}

// appendPosting adds a posting at the end of the bucket, out of order until sort. It grows
// the bucket by half, not by an eighth as grow does, which would copy each posting about
// eight times over a load; sort gives back the extra room.
func (b *bucket) appendPosting(low uint16, doc uint32) {
	if len(b.low) == cap(b.low) {
		n := len(b.low) + len(b.low)/2 + 4
		b.low = append(make([]uint16, 0, n), b.low...)
		b.docs = append(make([]uint32, 0, n), b.docs...)
	}
	b.low = append(b.low, low)
	b.docs = append(b.docs, doc)
}

// sort puts the bucket's postings back in order, by key and then by document, using scratch
// (returned, perhaps grown) for the packed pairs, and leaves no more room than grow would.
func (b *bucket) sort(scratch []uint64) []uint64 {
	scratch = scratch[:0]
	for i, low := range b.low {
		scratch = append(scratch, uint64(low)<<32|uint64(b.docs[i]))
	}
	slices.Sort(scratch)
	if n := len(b.low) + len(b.low)/8 + 4; cap(b.low) > n {
		b.low, b.docs = make([]uint16, len(b.low), n), make([]uint32, len(b.low), n)
	}
	for i, p := range scratch {
		b.low[i], b.docs[i] = uint16(p>>32), uint32(p)
	}
	return scratch
}

// run returns the documents posted under key.
func (ix *Index) run(key uint32) []uint32 {
	b := &ix.posts[key>>(32-bucketBits)]
	low := uint16(key)
	i, found := slices.BinarySearch(b.low, low)
	if !found {
		return nil
	}
	j := i + sort.Search(len(b.low)-i, func(n int) bool { return b.low[i+n] != low })
	return b.docs[i:j]
}

// indexKeys returns the distinct keys a fingerprint is posted under: its marks and a hash of
// each band of its signature.
func indexKeys(fp *Fingerprint) []uint32 {
	keys := append(slices.Clone(fp.Marks), bandKeys(fp)...)
	slices.Sort(keys)
	return slices.Compact(keys)
}

// bandKeys returns the hash of each band of the signature.
func bandKeys(fp *Fingerprint) []uint32 {
	keys := make([]uint32, Bands)
	for band := range keys {
		h := mix64(uint64(band) + 0x62616e64) // "band"
		for _, v := range fp.Signature[band*Rows : (band+1)*Rows] {
			h = mix64(h ^ uint64(v))
		}
		keys[band] = uint32(h >> 32)
	}
	return keys
}

// A Source returns the stored fingerprints of indexed letters: the registry reads them from
// its store, where they are kept encoded by MarshalBinary.
type Source interface {
	// Fingerprints returns the fingerprints of ids, in the same order. An element is nil for
	// an id the source no longer holds (a letter removed since the index was read). It
	// returns an error only if it cannot read.
	Fingerprints(ctx context.Context, ids []uint64) ([]*Fingerprint, error)
}

// A Match is a letter that a query resembles.
type Match struct {
	ID uint64
	// Score ranks matches: the mean of Similarity and Containment.
	Score float64
	// Similarity is the Jaccard similarity of the query's and the letter's shingle sets,
	// |Q∩D| / |Q∪D|: 1 for the same text, about 0.44 when 15% of the words are edited.
	Similarity float64
	// Containment is the part of the query's shingles that are the letter's, |Q∩D| / |Q|:
	// near 1 for an excerpt of the letter, whatever the letter's length.
	Containment float64
	// Specificity is the part of the shared shingles that no competitor holds: no other
	// candidate that holds at least half as many of the query's shingles. It is low when
	// the query agrees with the letter only where the letter agrees with its family (same
	// template, other dates and figures): then the query is another member.
	Specificity float64
	// Exact reports that the normalized texts are the same.
	Exact bool
}

// A Result is the answer to a query.
type Result struct {
	// QueryWords and QueryShingles describe the query.
	QueryWords, QueryShingles int
	// Matches are ranked by decreasing Score (then Similarity, then increasing ID).
	Matches []Match
}

// Best returns the best match, if any.
func (r Result) Best() (Match, bool) {
	if len(r.Matches) == 0 {
		return Match{}, false
	}
	return r.Matches[0], true
}

// QueryText is Query on Compute(text).
func (ix *Index) QueryText(ctx context.Context, text string, limit int, src Source) (Result, error) {
	return ix.Query(ctx, Compute(text), limit, src)
}

// Query returns up to limit letters that q resembles or is part of, best first. It runs in
// two stages: the index proposes the Candidates letters that share the most, and the rarest,
// marks and bands with q; src gives their fingerprints, and each is scored on its full
// shingle set. Letters that share no shingle with q are not returned.
//
// If src is a [FamilySource], documents of one family (versions of one letter) never count
// as each other's competitors for Specificity.
func (ix *Index) Query(ctx context.Context, q *Fingerprint, limit int, src Source) (Result, error) {
	return QueryAll(ctx, q, limit, src, ix)
}

// QueryAll is Query over the union of indexes: each proposes its Candidates, and all are
// scored together. A document id must be in one index only.
func QueryAll(ctx context.Context, q *Fingerprint, limit int, src Source, ixs ...*Index) (Result, error) {
	r := Result{QueryWords: q.Words, QueryShingles: len(q.Shingles)}
	if len(q.Shingles) == 0 || limit <= 0 {
		return r, nil
	}
	var ids []uint64
	for _, ix := range ixs {
		ids = append(ids, ix.candidates(q)...)
	}
	if len(ids) == 0 {
		return r, nil
	}
	fps, err := src.Fingerprints(ctx, ids)
	if err != nil {
		return r, fmt.Errorf("identify: read candidates: %w", err)
	}
	if len(fps) != len(ids) {
		return r, fmt.Errorf("identify: read candidates: %d fingerprints for %d ids", len(fps), len(ids))
	}
	var fam []uint64
	if fs, ok := src.(FamilySource); ok {
		fam = make([]uint64, len(ids))
		for i, id := range ids {
			fam[i] = fs.Family(id)
		}
	}
	r.Matches = score(q, ids, fps, fam)
	if len(r.Matches) > limit {
		r.Matches = r.Matches[:limit]
	}
	return r, nil
}

// scratch is a query's per-document accumulator, reused through a pool.
type scratch struct {
	score   []float32
	touched []uint32
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// candidates returns the ids of the live documents with the highest sums, over the keys of q
// they are posted under, of the key's weight ln(1+N/df) (N documents, df of them posted under
// the key). Keys posted for more documents than PostingsBudget allows are skipped.
//
// The keys of q are all its shingles, not only its marks, and its bands: a letter's marks
// that fall inside a quoted passage are shingles of the quotation, but not always marks of
// it (winnowing only guarantees those of windows wholly inside), and the more of them the
// quotation finds, the likelier it finds one rare enough to rank the letter first.
func (ix *Index) candidates(q *Fingerprint) []uint64 {
	keys := append(slices.Clone(q.Shingles), bandKeys(q)...)
	s := scratchPool.Get().(*scratch)
	defer scratchPool.Put(s)

	ix.mu.RLock()
	defer ix.mu.RUnlock()
	n := len(ix.ids)
	if len(s.score) < n {
		s.score = make([]float32, n+n/8)
	}
	maxDF := max(1024, PostingsBudget/len(keys))
	s.touched = s.touched[:0]
	for _, k := range keys {
		docs := ix.run(k)
		if len(docs) == 0 || len(docs) > maxDF {
			continue
		}
		w := float32(math.Log1p(float64(n) / float64(len(docs))))
		for _, d := range docs {
			if ix.dead[d/64]&(1<<(d%64)) != 0 {
				continue
			}
			if s.score[d] == 0 {
				s.touched = append(s.touched, d)
			}
			s.score[d] += w
		}
	}
	top := make(topDocs, 0, Candidates+1)
	for _, d := range s.touched {
		c := scored{d, s.score[d]}
		s.score[d] = 0
		switch {
		case len(top) < Candidates:
			heap.Push(&top, c)
		case top.less(top[0], c):
			top[0] = c
			heap.Fix(&top, 0)
		}
	}
	ids := make([]uint64, len(top))
	for i, c := range top {
		ids[i] = ix.ids[c.doc]
	}
	return ids
}

type scored struct {
	doc   uint32
	score float32
}

// topDocs is a min-heap: the worst candidate (lowest score, then latest document) on top.
type topDocs []scored

func (h topDocs) Len() int           { return len(h) }
func (h topDocs) Less(i, j int) bool { return h.less(h[i], h[j]) }

// less reports whether a ranks below b.
func (topDocs) less(a, b scored) bool {
	if a.score != b.score {
		return a.score < b.score
	}
	return a.doc > b.doc
}
func (h topDocs) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *topDocs) Push(x any)   { *h = append(*h, x.(scored)) }
func (h *topDocs) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// score computes the matches of q among the candidates on their full shingle sets. fam, if
// not nil, gives each candidate's family: members of one family are not competitors.
func score(q *Fingerprint, ids []uint64, fps []*Fingerprint, fam []uint64) []Match {
	// in[c] is the set of positions in q.Shingles that candidate c holds, and inter[c] its
	// size.
	words := (len(q.Shingles) + 63) / 64
	in := make([][]uint64, len(fps))
	inter := make([]int, len(fps))
	for c, fp := range fps {
		if fp == nil {
			continue
		}
		in[c] = make([]uint64, words)
		intersect(q.Shingles, fp.Shingles, func(i int) {
			in[c][i/64] |= 1 << (i % 64)
			inter[c]++
		})
	}
	var ms []Match
	others := make([]uint64, words)
	for c, fp := range fps {
		if fp == nil || inter[c] == 0 {
			continue
		}
		// The competitors of c are the other candidates that hold at least half as much of
		// the query: its family, not letters that share a stray formula with the query. Other
		// versions of the same letter are not competitors: a revision shares its words.
		clear(others)
		for e := range fps {
			if e != c && 2*inter[e] >= inter[c] && (fam == nil || fam[e] != fam[c]) {
				for w := range others {
					others[w] |= in[e][w]
				}
			}
		}
		own := 0
		for w := range others {
			own += bits.OnesCount64(in[c][w] &^ others[w])
		}
		m := Match{
			ID:          ids[c],
			Similarity:  float64(inter[c]) / float64(len(q.Shingles)+len(fp.Shingles)-inter[c]),
			Containment: float64(inter[c]) / float64(len(q.Shingles)),
			Specificity: float64(own) / float64(inter[c]),
			Exact:       fp.Hash == q.Hash,
		}
		m.Score = (m.Similarity + m.Containment) / 2
		ms = append(ms, m)
	}
	slices.SortFunc(ms, func(a, b Match) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Similarity, a.Similarity); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return ms
}

// intersect calls f with the index in a of every element of a that is in b; both are
// increasing.
func intersect(a, b []uint32, f func(i int)) {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			f(i)
			i++
			j++
		}
	}
}

package registry

import (
	"sync"
	"sync/atomic"
)

// publicCache keeps the public answers of VerifyDigest and StatusOf, which a leaked letter
// can make the most requested thing the registry serves. An answer changes only when a letter,
// version, draft copy, release, withdrawal or erasure is recorded; each of those bumps the
// generation after its commit, which voids every cached answer. A lookup stores its answer
// only if no bump happened since it began, so an answer computed from a state older than the
// latest commit is never kept.
//
// A release, a withdrawal, an erasure, a signer key's registration, revocation or rotation,
// a policy's adoption and the office key's rotation also bump it before their transaction
// begins (changing), and until they bump it again once it has ended no answer is stored:
// their commit is seen by readers before the transaction returns (the log publishes its
// checkpoint first), and an answer kept from before it, or computed before it and stored
// meanwhile, must not be given in between.
type publicCache struct {
	// gen is the generation shifted left by changingBits, plus the number of changes under
	// way (begun by changing and not yet ended): a lookup that begins while one is under way
	// stores nothing, and no generation with none under way comes back.
	gen atomic.Uint64
	mu  sync.Mutex
	m   map[string]*Status
	// asked holds the keys asked once and not kept: an answer is kept at its second lookup,
	// so that lookups spread over many letters, each asked once, do not fill the cache (and the
	// heap: a kept answer with its seal is about 20 KB) with answers nobody asks again
	// (issue 19 item 1, docs/benchmarks.md).
	asked map[string]struct{}
}

// maxCached bounds the cache; when full it starts afresh (lookups of random digests must not
// grow memory).
const maxCached = 1 << 16

// changingBits holds the count of changes under way in publicCache.gen.
const changingBits = 16

// generation returns the generation a lookup starts in.
func (c *publicCache) generation() uint64 { return c.gen.Load() }

// settled reports whether an answer read in generation gen may be kept: no change was under
// way when it began.
func settled(gen uint64) bool { return gen&(1<<changingBits-1) == 0 }

func (c *publicCache) get(key string) *Status {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[key]
}

// put keeps st for key if nothing changed since generation gen began and key was asked
// before.
func (c *publicCache) put(key string, gen uint64, st *Status) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen.Load() || !settled(gen) {
		return
	}
	if _, ok := c.asked[key]; !ok {
		if c.asked == nil || len(c.asked) >= maxCached {
			c.asked = make(map[string]struct{})
		}
		c.asked[key] = struct{}{}
		return
	}
	delete(c.asked, key)
	if c.m == nil || len(c.m) >= maxCached {
		c.m = make(map[string]*Status)
	}
	st.shared = true
	if st.publicOf != nil {
		st.publicOf.shared = true
	}
	c.m[key] = st
}

// changed voids every cached answer. Call it after the commit that changed an answer.
func (c *publicCache) changed() { c.bump(1 << changingBits) }

// changing voids every cached answer and keeps none until the function it returns is called,
// which voids them again. Call it before the transaction that changes answers begins, and
// what it returns once that transaction has ended, committed or not.
func (c *publicCache) changing() (ended func()) {
	c.bump(1<<changingBits + 1)
	return func() { c.bump(1<<changingBits - 1) }
}

func (c *publicCache) bump(by uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen.Add(by)
	c.m = nil
}

// shownTexts keeps what released PDFs show as pdftotext reads them (ocr.VisibleText), by
// their digest: identification compares texts with them (shownMatch, scanReferences), and a
// leaked letter's text may be checked by many, each of whom would otherwise cost a run of
// pdftotext (about 40 ms). shownCodes keeps the QR codes they show (ocr.VisibleCodes), which
// a scan's codes are checked against (foreignCodes). A released file never changes, so an
// entry is never stale; when full, the map starts afresh, and an erasure empties it (the
// text is read only after its file, which an erasure removes, so an erased letter's text is
// never answered from it). A value read from files read before the erasure emptied it (a
// reading in flight, which waited for a free pdftotext) is not kept: put is given the
// generation taken before the files were read, and reset moves it.
type shownCache[V any] struct {
	mu    sync.Mutex
	m     map[string]V
	bytes int    // of the values kept (weigh)
	gen   uint64 // bumped by reset
}

type (
	shownTexts = shownCache[string]
	shownCodes = shownCache[[]string]
)

// maxShown bounds a shownCache's entries (a letter's text is some kilobytes), and
// maxShownBytes what its values hold: a text may be of 4 MiB.
const (
	maxShown      = 1 << 12
	maxShownBytes = 64 << 20
)

// weigh is what a kept value holds, in bytes.
func weigh[V any](v V) int {
	switch v := any(v).(type) {
	case string:
		return len(v)
	case []string:
		n := 0
		for _, s := range v {
			n += len(s)
		}
		return n
	}
	return 0
}

func (c *shownCache[V]) get(digest string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[digest]
	return v, ok
}

// generation returns the generation a reading starts in, to be taken before it reads the
// files whose values it puts.
func (c *shownCache[V]) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// put keeps v for digest if the cache was not emptied since generation gen.
func (c *shownCache[V]) put(gen uint64, digest string, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return // read from files read before an erasure
	}
	w := weigh(v)
	if w > maxShownBytes {
		return
	}
	if c.m == nil || len(c.m) >= maxShown || c.bytes+w > maxShownBytes {
		c.m, c.bytes = make(map[string]V), 0
	}
	if old, ok := c.m[digest]; ok {
		c.bytes -= weigh(old)
	}
	c.m[digest] = v
	c.bytes += w
}

// reset empties the cache, and keeps nothing read before.
func (c *shownCache[V]) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m, c.bytes = nil, 0
	c.gen++
}

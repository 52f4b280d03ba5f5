package registry

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/chancery/chancery/internal/i18n"
	"github.com/chancery/chancery/internal/identify"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/textract"
)

// States a letter listing filters on; LetterView.State has the same values.
var States = []string{store.StateDraft, store.StateReleased, store.StateRetracted, store.StateSuperseded}

// Listing limits: how many letters ListLetters returns by default and at most.
const (
	DefaultListed = 100
	MaxListed     = 1000
)

// LetterQuery selects letters for ListLetters. Empty fields select everything.
type LetterQuery struct {
	State string // one of States
	Class string // exact class
	// Text is words to find, one after the other, in the reference, the subject, an
	// addressee, a tag or the latest version's text. Both sides are compared after
	// identification's normalization (identify.Normalize: case, punctuation and typographic
	// quotes do not matter), and a word may be part of a longer one ("withdraw" finds "withdrawal").
	Text  string
	Limit int // DefaultListed if zero, at most MaxListed
	// Before, a reference, is where the listing resumes: only letters created before that
	// letter are listed. The last reference of a truncated listing gives the next page, which
	// letters created in between do not shift.
	Before string
	// Partial says that the caller takes a partial answer (LetterList.Partial) and goes on
	// from its NextBefore, as the web page and `chancery letter list` do; the API's
	// ?partial=1. Without it, a search that spends its budget before it has found a letter
	// goes on until it finds one or has looked at every letter: a partial answer with no
	// letter broke the contract that clients and scripts from before partial answers keep
	// (truncated means that the letters listed go on after the last one), and such a
	// `letter list` said "no letters match" of letters it had not searched.
	Partial bool
}

// LetterSummary is one letter of a listing. Its JSON field names are stable: scripts read
// them from `chancery letter list --json`.
type LetterSummary struct {
	Reference  string    `json:"reference"`
	State      string    `json:"state"`
	Class      string    `json:"class"`
	Subject    string    `json:"subject"`
	Addressees []string  `json:"addressees"`
	Tags       []string  `json:"tags"`
	CreatedAt  time.Time `json:"created_at"`
	// UpdatedAt is the latest of the latest version, the release and the withdrawal.
	UpdatedAt time.Time `json:"updated_at"`
	// ReleasedAt and LogIndex are null for a draft.
	ReleasedAt *time.Time `json:"released_at"`
	LogIndex   *int64     `json:"log_index"`
	// Erased is set when the letter's content was erased: its subject, addressees and tags
	// are empty.
	Erased bool `json:"erased,omitempty"`
	// Match says where the query's text was found: reference, subject, addressee, tag or
	// text (the latest version's). Empty without a query.
	Match string `json:"match,omitempty"`
}

// LetterList is the answer of ListLetters.
type LetterList struct {
	Letters []LetterSummary `json:"letters"`
	// Truncated is set when more letters may match than the answer holds: the limit was
	// reached, or a search stopped on its time budget (Partial).
	Truncated bool `json:"truncated"`
	// NextBefore, set with Truncated, is the reference to give as before for the rest of the
	// listing: the last letter listed, or the last one a partial search looked at.
	NextBefore string `json:"next_before,omitempty"`
	// Partial is set when a search spent its time budget (SearchBudget) before it had looked
	// at every letter: letters created before NextBefore were not searched, and Letters may
	// even be empty.
	Partial bool `json:"partial,omitempty"`
}

// listPage is how many letters a listing reads from the store at a time.
const listPage = 200

// SearchBudget bounds the time a search spends on one answer. A search reads the text of
// every letter whose metadata does not match, newest first: on an office of 100,000 letters
// it took seconds for short text letters, and for PDF or Word letters it would outlast the
// server's write timeout. A search that spends its budget answers what it found so far, with
// Partial set and NextBefore where to go on (the web page links to it, and `chancery letter
// list` goes on by itself); it always looks at one letter at least, so that going on ends,
// and for a caller that does not take partial answers (LetterQuery.Partial) it lists one.
// The budget bounds the extraction of a letter's text too (searchBudget): a letter whose
// text was not read in time is where the next part starts, and it is read in full there, as
// the first letter that part looks at.
const SearchBudget = 5 * time.Second

// ListLetters lists the office's letters that q selects, newest first, for members with a
// role: letters are confidential, drafts and released letters alike. A query's text is found
// in the letters' metadata and in the text of their latest versions (see textCache).
func (r *Registry) ListLetters(ctx context.Context, a Actor, q LetterQuery) (*LetterList, error) {
	if err := a.requireSomeRole(); err != nil {
		return nil, err
	}
	if q.State != "" && !slices.Contains(States, q.State) {
		return nil, i18n.Errorf(ErrInvalid, "state %q: want one of %s", q.State, strings.Join(States, ", "))
	}
	for _, f := range []struct {
		what, s string
		max     int
	}{{"class", q.Class, 64}, {"search", q.Text, 300}} {
		if f.s == "" {
			continue
		}
		if err := checkText(f.what, f.s, f.max); err != nil {
			return nil, err
		}
	}
	words := identify.Normalize(q.Text)
	if strings.TrimSpace(q.Text) != "" && words == "" {
		return nil, i18n.Errorf(ErrInvalid, "the search %q has no words (punctuation alone is ignored)", q.Text)
	}
	switch {
	case q.Limit < 0 || q.Limit > MaxListed:
		return nil, i18n.Errorf(ErrInvalid, "limit %d: want 1 to %d", q.Limit, MaxListed)
	case q.Limit == 0:
		q.Limit = DefaultListed
	}
	out := &LetterList{Letters: []LetterSummary{}}
	gen := r.texts.generation() // before the snapshot: see textCache
	start := r.cfg.Now()
	looked := "" // the reference of the last letter a search looked at
	// A letter's text is extracted within the budget too (searchBudget), but for the first
	// letter an answer looks at, and until a caller that does not take partial answers has a
	// letter: those are read in full, bounded by the request alone, so that going on ends.
	sb := newSearchBudget(ctx, r.cfg.Now, start)
	defer sb.end()
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		f := store.LetterFilter{State: q.State, Class: q.Class}
		if q.Before != "" {
			l, err := tx.LetterByRef(ctx, canonicalReference(q.Before))
			if errors.Is(err, store.ErrNotFound) {
				return i18n.Errorf(ErrInvalid, "before %.80q: no letter has this reference", q.Before)
			}
			if err != nil {
				return err
			}
			f.Before = l.ID
		}
		for {
			page, err := tx.ListLetters(ctx, f, listPage)
			if err != nil {
				return err
			}
			for _, l := range page {
				match := ""
				if words != "" {
					bounded := looked != "" && (q.Partial || len(out.Letters) > 0)
					if bounded && r.cfg.Now().Sub(start) > SearchBudget {
						out.Truncated, out.Partial, out.NextBefore = true, true, looked
						return nil
					}
					extract := ctx
					if bounded {
						extract = sb
					}
					if match, err = r.matchLetter(ctx, extract, tx, gen, &l, words); err != nil {
						// The budget spent while this letter's text was extracted: the next
						// part starts with it again (its text was not cached, textCache.text).
						if bounded && ctx.Err() == nil && sb.Err() != nil {
							out.Truncated, out.Partial, out.NextBefore = true, true, looked
							return nil
						}
						return err
					}
					looked = l.Reference
					if match == "" {
						continue
					}
				}
				if len(out.Letters) == q.Limit {
					out.Truncated, out.NextBefore = true, out.Letters[len(out.Letters)-1].Reference
					return nil
				}
				out.Letters = append(out.Letters, summary(&l, match))
			}
			if len(page) < listPage {
				return nil
			}
			f.Before = page[len(page)-1].ID
		}
	})
	if err != nil {
		return nil, fmt.Errorf("list letters: %w", err)
	}
	return out, nil
}

func summary(l *store.ListedLetter, match string) LetterSummary {
	s := LetterSummary{Reference: l.Reference, State: l.State, Class: l.Class, Subject: l.Subject, Addressees: nonNil(l.Addressees),
		Tags: nonNil(l.Tags), CreatedAt: l.CreatedAt, UpdatedAt: l.CreatedAt, Erased: listedErased(l), Match: match}
	for _, t := range []time.Time{l.Latest.CreatedAt, l.ReleasedAt, l.WithdrawnAt} {
		if t.After(s.UpdatedAt) {
			s.UpdatedAt = t
		}
	}
	if l.LogIndex >= 0 {
		at, idx := l.ReleasedAt, l.LogIndex
		s.ReleasedAt, s.LogIndex = &at, &idx
	}
	return s
}

// listedErased reports whether l's content was erased: its release's, or the draft's that a
// server erased again (EraseLetterAgain), which has no release and an empty subject.
func listedErased(l *store.ListedLetter) bool {
	return !l.ErasedAt.IsZero() || l.LogIndex < 0 && l.Subject == ""
}

// searchBudget is the context a search's extractions of text run in: the request's, cancelled
// too once the search has spent SearchBudget on the registry's clock (Config.Now, which tests
// move). The clock is read when the extraction looks at the context (Err, between pages of a
// PDF and chunks of a Word or OpenDocument file, package budget), which is where a deadline
// would be noticed. Done is closed once Err has found the budget spent, and, for code that
// waits on Done or derives a context, also when what is left of the budget has passed on the
// process's own clock (a timer: the registry's clock is the wall clock but in tests).
type searchBudget struct {
	context.Context
	cancel context.CancelCauseFunc
	stop   context.CancelFunc
	now    func() time.Time
	start  time.Time
}

// errSearchBudget is the cause of a searchBudget cancelled for its time.
var errSearchBudget = errors.New("the search spent its time budget")

func newSearchBudget(ctx context.Context, now func() time.Time, start time.Time) *searchBudget {
	c, cancel := context.WithCancelCause(ctx)
	t, stop := context.WithTimeoutCause(c, SearchBudget-now().Sub(start), errSearchBudget)
	return &searchBudget{Context: t, cancel: cancel, stop: stop, now: now, start: start}
}

// end releases the budget's context and timer, once the search is over.
func (b *searchBudget) end() {
	b.stop()
	b.cancel(nil)
}

func (b *searchBudget) Err() error {
	if b.Context.Err() == nil && b.now().Sub(b.start) > SearchBudget {
		b.cancel(errSearchBudget)
	}
	return b.Context.Err()
}

// matchLetter says where the normalized words are found in l: its metadata first, then the
// text of its latest version, extracted within extract; "" if nowhere. An erased letter's
// text is never looked at.
func (r *Registry) matchLetter(ctx, extract context.Context, tx *store.Tx, gen uint64, l *store.ListedLetter, words string) (string, error) {
	has := func(s string) bool { return strings.Contains(identify.Normalize(s), words) }
	switch {
	case has(l.Reference):
		return "reference", nil
	case has(l.Subject):
		return "subject", nil
	case slices.ContainsFunc(l.Addressees, has):
		return "addressee", nil
	case slices.ContainsFunc(l.Tags, has):
		return "tag", nil
	case l.Latest.N == 0 || listedErased(l):
		return "", nil
	}
	text, err := r.texts.text(ctx, extract, tx, gen, l.Latest)
	if err != nil {
		return "", err
	}
	if strings.Contains(text, words) {
		return "text", nil
	}
	return "", nil
}

// textCache keeps the normalized text of versions, by digest, for full-text search. Versions
// are immutable and content-addressed, so an entry never goes stale; erasure clears the cache
// so that no erased text stays in memory, and a search whose snapshot began before the
// erasure's commit (its generation is older) keeps nothing it read. Extracting the text of every letter at each search
// would cost a PDF parse per letter; the fingerprints identification keeps are hashes of
// three-word shingles, which cannot find a single word, so search keeps the words
// themselves. A registry of 10,000 letters of 3,000 words holds about 200 MB of text: the
// cache is bounded, and when full it starts afresh, as the public cache does.
type textCache struct {
	mu   sync.Mutex
	gen  uint64            // bumped by clear
	m    map[string]string // digest -> normalized text, "" for a version without text
	size int
}

// maxCachedText bounds the bytes of text the cache holds.
const maxCachedText = 64 << 20

// generation returns the generation a search starts in, to be taken before its snapshot.
func (c *textCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// text returns the normalized text of v, reading its bytes in tx when it is not cached and
// extracting its text within extract, and keeps it if the cache is still in generation gen.
// An extraction that extract stopped (the search's budget spent, the request cancelled)
// returns extract's error and keeps nothing: a text cut short is no letter without text.
func (c *textCache) text(ctx, extract context.Context, tx *store.Tx, gen uint64, v store.Version) (string, error) {
	c.mu.Lock()
	t, ok := c.m[v.Digest]
	c.mu.Unlock()
	if ok {
		return t, nil
	}
	data, err := tx.Blob(ctx, v.Digest)
	if err != nil {
		return "", err
	}
	// A file without text, or whose text cannot be read, is found by its metadata only, as
	// identification records it as having no text.
	raw, err := textract.TextContext(extract, v.MediaType, data)
	if err != nil && extract.Err() != nil {
		return "", fmt.Errorf("extract the text of %s: %w", v.Digest, extract.Err())
	}
	if err == nil {
		t = identify.Normalize(raw)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return t, nil
	}
	if c.m == nil || c.size+len(t) > maxCachedText {
		c.m, c.size = map[string]string{}, 0
	}
	c.m[v.Digest] = t
	c.size += len(t)
	return t, nil
}

// clear empties the cache. Call it after the commit that erased text.
func (c *textCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.m, c.size = nil, 0
}

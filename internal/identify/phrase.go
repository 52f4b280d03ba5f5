package identify

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Phrases are phrases to look for in a text's words (HasPhrase, ComputeFinding), read once.
// A nil *Phrases holds none.
type Phrases struct {
	want    [][]phraseWord
	longest int
	// lasts are the distinct last words of the phrases, and ending[i] the phrases ending
	// with lasts[i]: a text's word is compared with each once, and a phrase's other words
	// only after its last.
	lasts  []phraseWord
	ending [][]int
}

// phraseWord is a word of a phrase, as its skeleton, with its length in letters.
type phraseWord struct {
	w     string
	runes int
}

// NewPhrases reads phrases for HasPhrase and ComputeFinding; phrases without a word are left
// out.
func NewPhrases(phrases ...string) *Phrases {
	p := &Phrases{}
	for _, ph := range phrases {
		var ws []phraseWord
		eachWord(ph, func(w string) {
			sk := skeleton(w)
			ws = append(ws, phraseWord{sk, utf8.RuneCountInString(sk)})
		})
		if len(ws) == 0 {
			continue
		}
		last := ws[len(ws)-1]
		i := slices.Index(p.lasts, last)
		if i < 0 {
			i = len(p.lasts)
			p.lasts, p.ending = append(p.lasts, last), append(p.ending, nil)
		}
		p.ending[i] = append(p.ending[i], len(p.want))
		p.want = append(p.want, ws)
		p.longest = max(p.longest, len(ws))
	}
	return p
}

// HasPhrase reports whether the words of text hold, one after the other, the words of one of
// phrases. Words are compared as fingerprints compare them: normalized (Normalize: case,
// punctuation and dashes do not count) and folded as OCR confuses letters (accents, "0" and
// "o", "1" and "l", "rn" and "m"); a word of four letters or more also matches with one letter
// misread, added or lost, as OCR reads a stamp on a scan. Every word of the phrase must be
// there, in its order and with nothing between: a text that has the words apart, or a part of
// the phrase, does not hold it.
func HasPhrase(text string, phrases ...string) bool { return NewPhrases(phrases...).In(text) }

// In reports whether the words of text hold one of p's phrases, as HasPhrase does.
func (p *Phrases) In(text string) bool {
	f := p.finder()
	eachWord(text, func(w string) { f.next(skeleton(w)) })
	return f.found
}

// InClause reports whether one clause of text holds one of p's phrases, as In does: the text
// is cut where a clause ends (a comma, a colon, a semicolon, a full stop, a question or
// exclamation mark, a bracket, in Latin or Arabic script), which a stamp's banner has nowhere
// between its words, while a sentence that says the same has ("the enclosed paper is a draft,
// not an official document"; "draft: not an official document: …", as a verification's
// answer is quoted).
func (p *Phrases) InClause(text string) bool {
	for clause := range strings.FieldsFuncSeq(text, endsClause) {
		if p.In(clause) {
			return true
		}
	}
	return false
}

// endsClause reports whether r ends a clause of a sentence (InClause).
func endsClause(r rune) bool { return strings.ContainsRune(",;:.!?()[]\u060c\u061b\u061f\u06d4", r) }

// ComputeFinding is Compute, and HasPhrase of p over the same words, in one reading of the
// text: the search costs a fraction of what normalizing the text again would.
func ComputeFinding(text string, p *Phrases) (*Fingerprint, bool) {
	f := p.finder()
	fp := compute(text, f.next)
	return fp, f.found
}

// phraseFinder follows the last words of a text, as many as the longest phrase has, in a
// ring, and notes when they end with a phrase.
type phraseFinder struct {
	p     *Phrases
	ring  []string
	n     int
	found bool
}

func (p *Phrases) finder() *phraseFinder {
	if p == nil || p.longest == 0 {
		return &phraseFinder{}
	}
	return &phraseFinder{p: p, ring: make([]string, p.longest)}
}

// next takes the skeleton of the text's next word.
func (f *phraseFinder) next(sk string) {
	if f.found || f.p == nil {
		return
	}
	f.ring[f.n%len(f.ring)] = sk
	f.n++
	for i, last := range f.p.lasts {
		if !closeWord(sk, last) {
			continue
		}
		for _, j := range f.p.ending[i] {
			if ws := f.p.want[j]; f.n >= len(ws) && f.endsWith(ws) {
				f.found = true
				return
			}
		}
	}
}

// endsWith reports whether the last len(ws) words the finder read are ws.
func (f *phraseFinder) endsWith(ws []phraseWord) bool {
	for i := len(ws) - 1; i >= 0; i-- { // the word just read first
		if !closeWord(f.ring[(f.n-len(ws)+i)%len(f.ring)], ws[i]) {
			return false
		}
	}
	return true
}

// closeWord reports whether the text's word got reads as the phrase's word want: the same,
// or, for a word of four letters or more, one letter misread, added or lost. It allocates
// nothing: it is asked of every word of the text.
func closeWord(got string, pw phraseWord) bool {
	want, m := pw.w, pw.runes
	if got == want {
		return true
	}
	// A word has no more letters than bytes, and a letter takes at most 4 bytes; and one
	// letter misread, added or lost leaves the first letter or the last as it was.
	if m < 4 || len(got) < m-1 || len(got) > 4*(m+1) || got[0] != want[0] && got[len(got)-1] != want[len(want)-1] {
		return false
	}
	n := utf8.RuneCountInString(got)
	if n < m-1 || n > m+1 {
		return false
	}
	a, b := got, want // from their first letter that differs
	for a != "" && b != "" {
		ra, sa := utf8.DecodeRuneInString(a)
		rb, sb := utf8.DecodeRuneInString(b)
		if ra != rb {
			break
		}
		a, b = a[sa:], b[sb:]
	}
	_, sa := utf8.DecodeRuneInString(a)
	_, sb := utf8.DecodeRuneInString(b)
	switch {
	case n == m:
		return a[sa:] == b[sb:] // one letter misread
	case n > m:
		return a[sa:] == b // one letter added
	}
	return a == b[sb:] // one letter lost
}

package identify

import (
	"crypto/sha256"
	"slices"
	"strings"
)

// Parameters of a fingerprint. Changing any of them changes every fingerprint: they are part
// of the encoding's version (see [Version]).
const (
	// ShingleWords is the number of consecutive words in a shingle. Three words make a
	// shingle specific enough that unrelated letters share few of them, while one edited word
	// destroys only three shingles: with a fraction e of words edited, about (1-e)^3 of the
	// shingles survive (61% at 15%), against (1-e)^4 (52%) for four-word shingles.
	ShingleWords = 3

	// SignatureSize is the number of MinHash values in a signature.
	SignatureSize = 64

	// WinnowWindow is the winnowing window, in shingles. Any run of WinnowWindow+ShingleWords-1
	// (18) words shared by two texts shares at least one mark, whatever surrounds it; marks
	// are about 2/(WinnowWindow+1) of the shingles (12%; 16% on the synthetic letters,
	// because winnowing prefers shingles with figures, which cluster).
	WinnowWindow = 16
)

// A Fingerprint is what identification knows of a text: its normalized form's hash and its
// shingles, with two sketches of them that the [Index] keeps in memory. Fingerprints are
// computed with [Compute] and stored with MarshalBinary.
type Fingerprint struct {
	// Hash is the SHA-256 of Normalize(text).
	Hash [32]byte
	// Words is the number of words of the normalized text.
	Words int
	// Shingles are the distinct hashes of the text's shingles, in increasing order. A text
	// with fewer than ShingleWords words (but at least one) has a single shingle of all of
	// them.
	Shingles []uint32
	// Marks are the shingles that winnowing selects, distinct and in increasing order: a
	// subset of Shingles that the index keeps for excerpts.
	Marks []uint32
	// Signature is the MinHash signature of Shingles: for each of SignatureSize hash
	// functions, the least value over the shingles (all ones for a text without words).
	Signature [SignatureSize]uint32
}

// Compute returns the fingerprint of text.
func Compute(text string) *Fingerprint { return compute(text, nil) }

// compute is Compute, calling each (when not nil) with the skeleton of every word in turn.
func compute(text string, each func(skeleton string)) *Fingerprint {
	fp := &Fingerprint{}
	var words []string
	var tokens []uint64
	var digits []bool
	eachWord(text, func(w string) {
		sk := skeleton(w)
		words = append(words, w)
		tokens = append(tokens, wordHash(sk))
		digits = append(digits, strings.ContainsAny(w, "0123456789"))
		if each != nil {
			each(sk)
		}
	})
	fp.Words = len(words)
	h := sha256.New()
	for i, w := range words {
		if i > 0 {
			h.Write([]byte{' '})
		}
		h.Write([]byte(w))
	}
	h.Sum(fp.Hash[:0])

	seq := shingles(tokens)
	fp.Marks = winnow(seq, priorities(seq, digits))
	fp.Shingles = sortedSet(seq)
	fp.Signature = signature(fp.Shingles)
	return fp
}

// wordHash is 64-bit FNV-1a, chosen because it is fixed forever (stored fingerprints depend
// on it) and fast on short strings.
func wordHash(w string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(w); i++ {
		h ^= uint64(w[i])
		h *= 1099511628211
	}
	return h
}

// shingles returns the hash of every run of ShingleWords tokens, in text order.
func shingles(tokens []uint64) []uint32 {
	if len(tokens) == 0 {
		return nil
	}
	n := max(len(tokens)-ShingleWords+1, 1)
	out := make([]uint32, n)
	for i := range out {
		var h uint64
		for _, t := range tokens[i:min(i+ShingleWords, len(tokens))] {
			h = mix64(h*0x9e3779b97f4a7c15 ^ t)
		}
		out[i] = uint32(h >> 32)
	}
	return out
}

// priorities returns the order in which winnowing prefers shingles: a mix of the hash, with
// the top bit clear for shingles that hold a word with a digit. Dates, figures and references
// are what tell a letter from the others of its template, and a quotation's marks are only
// useful if some are that rare.
func priorities(seq []uint32, digits []bool) []uint32 {
	p := make([]uint32, len(seq))
	for i, h := range seq {
		p[i] = mix32(h)>>1 | 1<<31
		for _, d := range digits[i:min(i+ShingleWords, len(digits))] {
			if d {
				p[i] &^= 1 << 31
				break
			}
		}
	}
	return p
}

// winnow selects, in every window of WinnowWindow consecutive shingles, the one of least
// priority (the rightmost on ties), as in Schleimer, Wilkerson and Aiken, "Winnowing: local
// algorithms for document fingerprinting" (SIGMOD 2003). Priorities are mixed hashes, not
// the hashes, so that the selected hashes stay uniform, which the index's buckets need.
func winnow(seq, prio []uint32) []uint32 {
	if len(seq) == 0 {
		return nil
	}
	var marks []uint32
	last := -1
	for start := 0; start+WinnowWindow <= max(len(seq), WinnowWindow); start++ {
		end := min(start+WinnowWindow, len(seq))
		best := start
		for i := start + 1; i < end; i++ {
			if prio[i] <= prio[best] {
				best = i
			}
		}
		if best != last {
			marks = append(marks, seq[best])
			last = best
		}
	}
	return sortedSet(marks)
}

func sortedSet(s []uint32) []uint32 {
	s = slices.Clone(s)
	slices.Sort(s)
	return slices.Compact(s)
}

// signature is the MinHash signature of a set, with multiply-shift hash functions
// h_i(x) = (a_i·x + b_i) >> 32 over 64 bits (a_i odd), which are 2-universal and cost one
// multiplication each.
func signature(set []uint32) [SignatureSize]uint32 {
	var sig [SignatureSize]uint32
	for i := range sig {
		sig[i] = ^uint32(0)
	}
	for _, x := range set {
		for i := range sig {
			if v := uint32((minhashA[i]*uint64(x) + minhashB[i]) >> 32); v < sig[i] {
				sig[i] = v
			}
		}
	}
	return sig
}

// minhashA and minhashB are the MinHash functions' coefficients, drawn from splitmix64 with a
// fixed seed so that they never change.
var minhashA, minhashB = func() (a, b [SignatureSize]uint64) {
	s := uint64(0x6368616e63657279) // "chancery"
	next := func() uint64 {
		s += 0x9e3779b97f4a7c15
		return mix64(s)
	}
	for i := range a {
		a[i] = next() | 1
		b[i] = next()
	}
	return a, b
}()

// mix64 is the splitmix64 finalizer.
func mix64(z uint64) uint64 {
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// mix32 is the MurmurHash3 finalizer, a bijection on 32 bits.
func mix32(h uint32) uint32 {
	h ^= h >> 16
	h *= 0x85ebca6b
	h ^= h >> 13
	h *= 0xc2b2ae35
	return h ^ h>>16
}

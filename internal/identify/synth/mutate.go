package synth

import (
	"math/rand/v2"
	"strings"
)

// editWords are the words edits insert and substitute: the letters' own vocabulary, so that
// an edit reads like a redrafting rather than noise.
var editWords = func() []string {
	var w []string
	for _, f := range fields {
		w = append(w, f...)
	}
	w = append(w, adjectives...)
	w = append(w, participles...)
	w = append(w, adverbs...)
	return append(w, "the", "of", "and", "to", "in", "a", "for", "was", "has", "that", "not")
}()

// Edit returns text with round(rate × words) word edits at distinct positions, each a
// substitution, an insertion after the word or a deletion, with equal probability.
// Paragraph breaks are kept.
func Edit(rng *rand.Rand, text string, rate float64) string {
	paras := strings.Split(text, "\n\n")
	var words [][]string
	total := 0
	for _, p := range paras {
		w := strings.Fields(p)
		words = append(words, w)
		total += len(w)
	}
	n := int(rate*float64(total) + 0.5)
	type pos struct{ p, w int }
	var all []pos
	for i, ws := range words {
		for j := range ws {
			all = append(all, pos{i, j})
		}
	}
	rng.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
	op := map[pos]int{}
	for _, x := range all[:min(n, len(all))] {
		op[x] = rng.IntN(3)
	}
	var out []string
	for i, ws := range words {
		var res []string
		for j, w := range ws {
			switch o, ok := op[pos{i, j}]; {
			case !ok:
				res = append(res, w)
			case o == 0:
				res = append(res, pick(rng, editWords))
			case o == 1:
				res = append(res, w, pick(rng, editWords))
			}
		}
		out = append(out, strings.Join(res, " "))
	}
	return strings.Join(out, "\n\n")
}

// OCR returns text as a poor OCR reads it: at each character, with probability rate, one of
// the usual confusions where it applies: "m" read as "rn", "rn" as "m", "l" as "1", "O" and
// "o" as "0", "e" as "c", "h" as "b", a space dropped, or a word broken across lines with a
// hyphen.
func OCR(rng *rand.Rand, text string, rate float64) string {
	rs := []rune(text)
	var b strings.Builder
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if rng.Float64() >= rate {
			b.WriteRune(r)
			continue
		}
		switch {
		case r == 'm':
			b.WriteString("rn")
		case r == 'r' && i+1 < len(rs) && rs[i+1] == 'n':
			b.WriteByte('m')
			i++
		case r == 'l':
			b.WriteByte('1')
		case r == 'O' || r == 'o':
			b.WriteByte('0')
		case r == 'e':
			b.WriteByte('c')
		case r == 'h':
			b.WriteByte('b')
		case r == ' ' && rng.IntN(2) == 0:
			// dropped space
		case isLower(r) && i+1 < len(rs) && isLower(rs[i+1]):
			b.WriteRune(r)
			b.WriteString("-\n")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isLower(r rune) bool { return r >= 'a' && r <= 'z' }

// Retype returns text as someone retyping it would: typographic apostrophes, lines wrapped
// at about 70 characters, and double spaces after some sentences. Its normalized form is the
// original's.
func Retype(rng *rand.Rand, text string) string {
	text = strings.ReplaceAll(text, "'", "\u2019")
	var out []string
	for _, p := range strings.Split(text, "\n\n") {
		var b strings.Builder
		col := 0
		for i, w := range strings.Fields(p) {
			if i > 0 {
				switch {
				case col+len(w) > 70:
					b.WriteByte('\n')
					col = 0
				case strings.HasSuffix(w, ".") && rng.IntN(3) == 0:
					b.WriteString("  ")
				default:
					b.WriteByte(' ')
				}
			}
			b.WriteString(w)
			col += len(w) + 1
		}
		out = append(out, b.String())
	}
	return strings.Join(out, "\n\n")
}

// Excerpt returns a run of whole words from one body paragraph of l, of between minWords and
// minWords+30 words (the whole paragraph if it is shorter).
func Excerpt(rng *rand.Rand, l Letter, minWords int) string {
	w := strings.Fields(l.Paragraphs[l.Body[rng.IntN(len(l.Body))]])
	n := min(len(w), minWords+rng.IntN(31))
	start := rng.IntN(len(w) - n + 1)
	return strings.Join(w[start:start+n], " ")
}

// Package textdiff compares two texts word by word, for the differences between a letter's
// versions and between a letter and a text pasted for identification. It tokenizes into
// words and the whitespace between them, and finds a shortest edit script with Myers's
// O(ND) algorithm ("An O(ND) Difference Algorithm and Its Variations", 1986).
package textdiff

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Kind is what an Op does.
type Kind int

// Kinds of Op.
const (
	Equal Kind = iota
	Insert
	Delete
)

func (k Kind) String() string {
	switch k {
	case Insert:
		return "insert"
	case Delete:
		return "delete"
	}
	return "equal"
}

// Op is a run of text kept, inserted or deleted. Concatenating the Equal and Delete texts
// gives the old text; the Equal and Insert texts give the new one.
type Op struct {
	Kind Kind
	Text string
}

// Bounds on the work of one comparison: beyond MaxEdits word edits, or MaxWork steps of the
// search, Words reports the whole old text deleted and the new inserted. The search's steps
// grow with the texts' length times the edits (each of the 2·MaxEdits+1 diagonals it follows
// may run the whole length of the shorter text), so long texts that repeat a word (two of a
// million words "a", with 477 words "b" among those of one) cost seconds without MaxWork. A
// comparison in which one text has at most about 16,000 tokens (8,000 words) never reaches
// it.
const (
	MaxEdits = 1000
	MaxWork  = 1 << 25
)

// Words returns the word-level differences from a to b.
func Words(a, b string) []Op {
	x, y := Tokens(a), Tokens(b)
	// Common prefix and suffix cost nothing and keep the search small.
	pre := 0
	for pre < len(x) && pre < len(y) && x[pre] == y[pre] {
		pre++
	}
	suf := 0
	for suf < len(x)-pre && suf < len(y)-pre && x[len(x)-1-suf] == y[len(y)-1-suf] {
		suf++
	}
	// myers gives one op a token: a run of them is built once, not by adding each token to
	// the run so far, which copied a run of n tokens n times (22 s for a run of 200 KB).
	var ops []Op
	var run strings.Builder
	kind := Equal
	add := func(k Kind, s string) {
		if s == "" {
			return
		}
		if k != kind && run.Len() > 0 {
			ops = append(ops, Op{kind, run.String()})
			run.Reset()
		}
		kind = k
		run.WriteString(s)
	}
	add(Equal, strings.Join(x[:pre], ""))
	for _, e := range myers(x[pre:len(x)-suf], y[pre:len(y)-suf]) {
		add(e.Kind, e.Text)
	}
	add(Equal, strings.Join(x[len(x)-suf:], ""))
	if run.Len() > 0 {
		ops = append(ops, Op{kind, run.String()})
	}
	return cleanup(ops)
}

// cleanup makes the script easier to read: whitespace alone kept between two changes joins
// them, and each run of changes shows its deletion before its insertion.
func cleanup(ops []Op) []Op {
	var out []Op
	var del, ins strings.Builder
	flush := func() {
		if del.Len() > 0 {
			out = append(out, Op{Delete, del.String()})
		}
		if ins.Len() > 0 {
			out = append(out, Op{Insert, ins.String()})
		}
		del.Reset()
		ins.Reset()
	}
	for i, op := range ops {
		switch {
		case op.Kind == Delete:
			del.WriteString(op.Text)
		case op.Kind == Insert:
			ins.WriteString(op.Text)
		case i > 0 && i < len(ops)-1 && strings.TrimSpace(op.Text) == "":
			del.WriteString(op.Text)
			ins.WriteString(op.Text)
		default:
			flush()
			out = append(out, op)
		}
	}
	flush()
	return out
}

// Tokens splits s into words (runs of letters, digits and marks), single punctuation
// characters and runs of whitespace; their concatenation is s.
func Tokens(s string) []string {
	var out []string
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		class := classOf(r)
		if class == 2 {
			out = append(out, s[:n])
			s = s[n:]
			continue
		}
		i := n
		for i < len(s) {
			r, m := utf8.DecodeRuneInString(s[i:])
			if classOf(r) != class {
				break
			}
			i += m
		}
		out = append(out, s[:i])
		s = s[i:]
	}
	return out
}

// classOf is 0 for word characters, 1 for spaces, 2 for anything else.
func classOf(r rune) int {
	switch {
	case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r):
		return 0
	case unicode.IsSpace(r):
		return 1
	}
	return 2
}

// myers returns the edit script from x to y, one op per token.
func myers(x, y []string) []Op {
	n, m := len(x), len(y)
	if n == 0 || m == 0 {
		return whole(x, y)
	}
	maxD := min(n+m, MaxEdits)
	off := maxD + 1
	v := make([]int, 2*maxD+3)
	// trace[d] is v's window [-d-1, d+1] before step d: enough to walk back.
	var trace [][]int
	work := 0
	for d := 0; ; d++ {
		if d > maxD || work > MaxWork {
			return whole(x, y)
		}
		trace = append(trace, append([]int(nil), v[off-d-1:off+d+2]...))
		for k := -d; k <= d; k += 2 {
			var i int
			if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
				i = v[off+k+1]
			} else {
				i = v[off+k-1] + 1
			}
			j := i - k
			from := i
			for i < n && j < m && x[i] == y[j] {
				i, j = i+1, j+1
			}
			work += 1 + i - from
			v[off+k] = i
			if i >= n && j >= m {
				return backtrack(x, y, trace)
			}
		}
	}
}

// backtrack walks the trace back from the end of both texts to their start.
func backtrack(x, y []string, trace [][]int) []Op {
	var rev []Op
	i, j := len(x), len(y)
	for d := len(trace) - 1; d > 0; d-- {
		vd := func(k int) int { return trace[d][k+d+1] }
		k := i - j
		var pk int
		if k == -d || (k != d && vd(k-1) < vd(k+1)) {
			pk = k + 1
		} else {
			pk = k - 1
		}
		pi := vd(pk)
		pj := pi - pk
		mi := pi + 1 // after a deletion of x[pi]
		if pk == k+1 {
			mi = pi // after an insertion of y[pj]
		}
		for i > mi {
			rev = append(rev, Op{Equal, x[i-1]})
			i, j = i-1, j-1
		}
		if pk == k+1 {
			rev = append(rev, Op{Insert, y[pj]})
		} else {
			rev = append(rev, Op{Delete, x[pi]})
		}
		i, j = pi, pj
	}
	for i > 0 {
		rev = append(rev, Op{Equal, x[i-1]})
		i--
	}
	out := make([]Op, len(rev))
	for a, b := 0, len(rev)-1; b >= 0; a, b = a+1, b-1 {
		out[a] = rev[b]
	}
	return out
}

func whole(x, y []string) []Op {
	var out []Op
	if len(x) > 0 {
		out = append(out, Op{Delete, strings.Join(x, "")})
	}
	if len(y) > 0 {
		out = append(out, Op{Insert, strings.Join(y, "")})
	}
	return out
}

// Span returns the part of a that b copies, perhaps altered: the text of a from the first to
// the last of its words that b keeps, compared without regard to case, or "" when b keeps
// none. It places a quotation in the letter it quotes, so that the two can be compared word
// for word without the rest of the letter. Both texts may come from the network: the work is
// bounded by the texts' length times spanVotes, and by MaxEdits and MaxWork.
func Span(a, b string) string {
	s, _ := span(a, b)
	return s
}

// span is Span, and the votes it counted.
func span(a, b string) (string, int) {
	at := Tokens(a)
	aw, ai := lowerWords(at)
	bw, _ := lowerWords(Tokens(b))
	if len(aw) == 0 || len(bw) == 0 {
		return "", 0
	}
	// Each word of b votes for the offsets at which it would stand in a (at its first
	// spanCandidates places there); the quotation's place gets the votes of all the words it
	// kept, a common word's other places few. The words vote rarest first, and no more than
	// spanVotes votes a word of the two texts are counted: a text repeating a word that
	// stands often in a cast its length times the word's places (64 million votes, 7 s, for
	// a million copies of a word that stands 64 times), and the votes left out are those of
	// the commonest words, which tell least where the quotation stands.
	where := make(map[string][]int)
	for i, w := range aw {
		if len(where[w]) < spanCandidates {
			where[w] = append(where[w], i)
		}
	}
	byPlaces := make([][]int, spanCandidates+1)
	for j, w := range bw {
		if n := len(where[w]); n > 0 {
			byPlaces[n] = append(byPlaces[n], j)
		}
	}
	// votes[d+len(bw)] counts the votes for offset d, from 1-len(bw) to len(aw)-1.
	votes := make([]int, len(aw)+len(bw))
	budget, cast := spanVotes*(len(aw)+len(bw)), 0
vote:
	for n, js := range byPlaces {
		for _, j := range js {
			if cast+n > budget {
				break vote
			}
			cast += n
			for _, i := range where[bw[j]] {
				votes[i-j+len(bw)]++
			}
		}
	}
	// The offset with most votes, the first of those with as many.
	best, off := 0, 0
	for k, n := range votes {
		if n > best {
			best, off = n, k-len(bw)
		}
	}
	if best == 0 {
		return "", cast
	}
	slack := 8 + len(bw)/4
	lo, hi := max(0, off-slack), min(len(aw), off+len(bw)+slack)
	if lo >= hi {
		return "", cast
	}
	// The shortest edit script keeps b's words at their first places in the window when
	// they also stand in its margin ("The ministry" of the sentence before), and deletes
	// what follows: the script of the reversed texts keeps them at their last places. So
	// the span starts where the reversed script starts keeping words, and ends where the
	// script of the texts ends keeping them.
	x, y := aw[lo:hi], bw
	first := keptRuns(x, y, true)
	last := keptRuns(x, y, false)
	if len(first) == 0 || len(last) == 0 {
		return "", cast
	}
	from, to := lo+first[0][0], lo+last[len(last)-1][1]
	if from > to {
		return "", cast
	}
	start, end := wholeFigures(at, ai[from], ai[to]+1)
	return strings.Join(at[start:end], ""), cast
}

// wholeFigures returns the tokens at[start:end] widened to the whole of a figure cut at
// either end: its sign ("-" of "-15%", "$" of "$1,500,000", "%"), the digits beyond a
// separator ("500,000" of "1,500,000"), and the groups of digits beyond a space on the same
// line ("500 000" of "1 500 000"). A quotation that begins or ends inside a figure shows
// another figure, and its difference against the span shows what it left out.
func wholeFigures(at []string, start, end int) (int, int) {
	digits := func(i int) bool {
		return i >= 0 && i < len(at) && classOf(firstRune(at[i])) == 0 && strings.ContainsFunc(at[i], unicode.IsDigit)
	}
	sign := func(i int) bool { return i >= 0 && i < len(at) && classOf(firstRune(at[i])) == 2 }
	gap := func(i int) bool {
		return i >= 0 && i < len(at) && classOf(firstRune(at[i])) == 1 && !strings.ContainsAny(at[i], "\n\r")
	}
	signBefore := func(i int) bool { // at[i] is a sign a figure begins with
		r := firstRune(at[i])
		return unicode.In(r, unicode.Sc, unicode.Sm, unicode.Sk, unicode.So, unicode.Pd) || r == '-'
	}
	signAfter := func(i int) bool { // at[i] is a sign a figure ends with
		r := firstRune(at[i])
		return unicode.In(r, unicode.Sc, unicode.So) || strings.ContainsRune("%‰‱°٪؉؊", r)
	}
widen:
	for start > 0 {
		switch {
		case sign(start-1) && digits(start) && digits(start-2):
			start -= 2 // a separator and the digits before it
		case gap(start-1) && digits(start) && digits(start-2):
			start -= 2
		case sign(start-1) && digits(start) && signBefore(start-1):
			start--
		default:
			break widen
		}
	}
	for end < len(at) {
		switch {
		case sign(end) && digits(end-1) && digits(end+1):
			end += 2
		case gap(end) && digits(end-1) && digits(end+1):
			end += 2
		case sign(end) && digits(end-1) && signAfter(end):
			end++
		default:
			return start, end
		}
	}
	return start, end
}

// firstRune returns the first rune of s.
func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

// keptRuns returns the places of x that the shortest edit script from x to y keeps, as runs
// of consecutive places (first and last), computed on the reversed texts if reversed. A run
// at either end shorter than the words deleted between it and the next run is a chance
// match in the margin, and is left out.
func keptRuns(x, y []string, reversed bool) [][2]int {
	if reversed {
		x, y = slices.Clone(x), slices.Clone(y)
		slices.Reverse(x)
		slices.Reverse(y)
	}
	var runs [][2]int
	i := 0
	for _, op := range myers(x, y) {
		switch op.Kind {
		case Equal:
			if n := len(runs); n > 0 && runs[n-1][1] == i-1 {
				runs[n-1][1] = i
			} else {
				runs = append(runs, [2]int{i, i})
			}
			i++
		case Delete:
			i++
		}
	}
	if reversed {
		for k := range runs {
			runs[k] = [2]int{len(x) - 1 - runs[k][1], len(x) - 1 - runs[k][0]}
		}
		slices.Reverse(runs)
	}
	for len(runs) > 1 && runs[1][0]-runs[0][1]-1 > runs[0][1]-runs[0][0]+1 {
		runs = runs[1:]
	}
	for n := len(runs); n > 1 && runs[n-1][0]-runs[n-2][1]-1 > runs[n-1][1]-runs[n-1][0]+1; n-- {
		runs = runs[:n-1]
	}
	return runs
}

// spanCandidates is how many places of a word in the quoted text Span considers.
const spanCandidates = 64

// spanVotes bounds the votes Span counts, a word of the two texts.
const spanVotes = 16

// lowerWords returns the word tokens of toks in lower case, and their indexes in toks.
func lowerWords(toks []string) (words []string, at []int) {
	for i, t := range toks {
		r, _ := utf8.DecodeRuneInString(t)
		if classOf(r) == 0 {
			words = append(words, strings.ToLower(t))
			at = append(at, i)
		}
	}
	return words, at
}

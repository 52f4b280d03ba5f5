// Package eval measures identification on synthetic letters (internal/identify/synth): it
// makes the queries, scores the answers by kind of query, and prints the table. The package's
// test and bench/cmd/identifybench share it.
package eval

import (
	"fmt"
	"io"
	"math/rand/v2"
	"strings"

	"github.com/chancery/chancery/internal/identify"
	"github.com/chancery/chancery/internal/identify/synth"
)

// ID is the id under which letter i of a corpus is indexed.
func ID(i int) uint64 { return uint64(i) + 1 }

// A Query is a text presented to the index and the letter it derives from.
type Query struct {
	Kind string
	Text string
	// Want is the id of the letter the text derives from, or 0 for a text that must match
	// nothing.
	Want uint64
}

// Kinds of query, in table order. Edits are word edits (substitutions, insertions,
// deletions) at the given rate; OCR is character noise at 2%; excerpts are runs of 50 to 80
// words of one paragraph; the unrelated kinds must match nothing.
var Kinds = []string{
	"retyped (0% edits)", "edits 5%", "edits 10%", "edits 15%", "edits 20%", "edits 30%",
	"OCR noise 2%", "excerpt 50+ words", "excerpt 50+ words, 5% edits",
	"unrelated: other subject", "unrelated: letter of a new family", "unrelated: unindexed sibling",
	"unrelated: excerpt of an unindexed sibling",
}

// Targeted reports whether the evaluation's targets (recall and precision at least 0.99, or
// no false match) apply to a kind; the others are reported only.
func Targeted(kind string) bool {
	switch kind {
	case "edits 20%", "edits 30%", "excerpt 50+ words, 5% edits", "unrelated: excerpt of an unindexed sibling":
		return false
	}
	return true
}

// Queries returns perKind queries of every kind against the letters 0..letters-1 of c.
// letters must be a multiple of c.FamilySize, so that every family is whole.
//
// An excerpt that is also, word for word, in a sibling of its letter cannot say which letter
// it is from; such excerpts are drawn again, and Queries returns how many were.
func Queries(c synth.Corpus, letters, perKind int, seed uint64) (qs []Query, redrawn int) {
	rng := rand.New(rand.NewPCG(seed, 0x71756572))
	families := letters / c.FamilySize
	excerpt := func(i int, l synth.Letter) string {
		for {
			e := synth.Excerpt(rng, l, 50)
			if !inSibling(c, i, e) {
				return e
			}
			redrawn++
		}
	}
	for _, kind := range Kinds {
		for range perKind {
			i := rng.IntN(letters)
			l := c.Letter(i)
			q := Query{Kind: kind, Want: ID(i)}
			switch kind {
			case "retyped (0% edits)":
				q.Text = synth.Retype(rng, l.Text())
			case "edits 5%", "edits 10%", "edits 15%", "edits 20%", "edits 30%":
				var pct int
				fmt.Sscanf(kind, "edits %d%%", &pct)
				q.Text = synth.Edit(rng, l.Text(), float64(pct)/100)
			case "OCR noise 2%":
				q.Text = synth.OCR(rng, l.Text(), 0.02)
			case "excerpt 50+ words":
				q.Text = excerpt(i, l)
			case "excerpt 50+ words, 5% edits":
				q.Text = synth.Edit(rng, excerpt(i, l), 0.05)
			case "unrelated: other subject":
				q.Text, q.Want = synth.Unrelated(rng), 0
			case "unrelated: letter of a new family":
				q.Text, q.Want = c.Member(families+rng.IntN(1<<20), rng.IntN(c.FamilySize)).Text(), 0
			case "unrelated: unindexed sibling":
				q.Text, q.Want = c.Member(rng.IntN(families), c.FamilySize+rng.IntN(4)).Text(), 0
			case "unrelated: excerpt of an unindexed sibling":
				q.Text, q.Want = synth.Excerpt(rng, c.Member(rng.IntN(families), c.FamilySize+rng.IntN(4)), 50), 0
			}
			qs = append(qs, q)
		}
	}
	return qs, redrawn
}

// inSibling reports whether the normalized text is in the normalized text of another
// member of letter i's family.
func inSibling(c synth.Corpus, i int, text string) bool {
	n := identify.Normalize(text)
	first := i - i%c.FamilySize
	for j := first; j < first+c.FamilySize; j++ {
		if j != i && strings.Contains(identify.Normalize(c.Letter(j).Text()), n) {
			return true
		}
	}
	return false
}

// A Row is the outcome of the queries of one kind.
type Row struct {
	Kind    string
	Queries int
	// Matched counts the queries that Classify matched to a letter, and Correct those
	// matched to the letter they derive from.
	Matched, Correct int
}

// Recall is the part of the queries matched to their letter (0 for unrelated kinds).
func (r Row) Recall() float64 { return ratio(r.Correct, r.Queries) }

// Precision is the part of the matches that are right (1 when nothing matched).
func (r Row) Precision() float64 {
	if r.Matched == 0 {
		return 1
	}
	return ratio(r.Correct, r.Matched)
}

// Related reports whether the row's queries derive from indexed letters.
func (r Row) Related() bool { return !strings.HasPrefix(r.Kind, "unrelated") }

// Met reports whether the row meets its target.
func (r Row) Met() bool {
	if !Targeted(r.Kind) {
		return true
	}
	if !r.Related() {
		return r.Matched == 0
	}
	return r.Recall() >= 0.99 && r.Precision() >= 0.99
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Tally accumulates rows.
type Tally struct {
	rows  map[string]*Row
	order []string
}

// Add records the answer to q.
func (t *Tally) Add(q Query, class identify.Class, m identify.Match) {
	if t.rows == nil {
		t.rows = make(map[string]*Row)
	}
	r := t.rows[q.Kind]
	if r == nil {
		r = &Row{Kind: q.Kind}
		t.rows[q.Kind] = r
		t.order = append(t.order, q.Kind)
	}
	r.Queries++
	if class != identify.None {
		r.Matched++
		if m.ID == q.Want {
			r.Correct++
		}
	}
}

// Rows returns the rows in the order of their first query.
func (t *Tally) Rows() []Row {
	out := make([]Row, len(t.order))
	for i, k := range t.order {
		out[i] = *t.rows[k]
	}
	return out
}

// WriteTable writes rows as a markdown table.
func WriteTable(w io.Writer, rows []Row) {
	fmt.Fprintln(w, "| queries | n | recall | precision | false matches | target |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---|")
	for _, r := range rows {
		target := "reported"
		if Targeted(r.Kind) {
			target = "≥ 0.99"
			if !r.Related() {
				target = "0 false"
			}
			if r.Met() {
				target += " met"
			} else {
				target += " MISSED"
			}
		}
		if r.Related() {
			fmt.Fprintf(w, "| %s | %d | %.4f | %.4f | %d | %s |\n", r.Kind, r.Queries, r.Recall(), r.Precision(), r.Matched-r.Correct, target)
		} else {
			fmt.Fprintf(w, "| %s | %d | – | – | %d | %s |\n", r.Kind, r.Queries, r.Matched, target)
		}
	}
}

package identify

// A Class is what a query text is to the letters of the index.
type Class int

const (
	// None: the text is none of the indexed letters, nor part of one.
	None Class = iota
	// Exact: the text is a letter's text, up to normalization.
	Exact
	// Near: the text is a letter's text altered (edited, retyped with errors, OCR'd).
	Near
	// Excerpt: the text is part of a letter's text (a quoted paragraph), perhaps altered.
	Excerpt
)

func (c Class) String() string {
	switch c {
	case Exact:
		return "exact"
	case Near:
		return "near"
	case Excerpt:
		return "excerpt"
	default:
		return "none"
	}
}

// Thresholds of Classify, set on the synthetic evaluation (see docs/design/identify.md and
// the tables in docs/benchmarks.md).
const (
	// NearSimilarity is the least Similarity of an altered copy. A copy with a fraction e of
	// its words edited keeps about (1-e)^3 of its shingles, so its Similarity is about
	// (1-e)^3/(2-(1-e)^3): 0.76 at 5%, 0.44 at 15%, 0.34 at 20%, 0.21 at 30% (insertions and
	// deletions do a little less harm than that). Letters that share only formulas and
	// vocabulary stay below 0.1.
	NearSimilarity = 0.2

	// MinSpecificity is the least Specificity of an altered copy. Another member of a family
	// (the report of another month) shares the template with every member, so almost none of
	// what it shares with one member is specific to it (a few hundredths at most in the
	// evaluation, from dates or places that happen to agree); an altered copy keeps most of
	// the member's own dates, names and figures (above 0.08 at 30% edits).
	MinSpecificity = 0.05

	// ExcerptContainment is the least Containment of an excerpt: at least this part of the
	// query's shingles must be the letter's. A clean quotation has 1; one with 5% of its
	// words edited about 0.85.
	ExcerptContainment = 0.6

	// ExcerptRatio is how many times longer than the query, at least, a letter must be for
	// the query to be an excerpt of it: a text as long as the letter that the letter contains
	// is a copy (near) or another member of its family, not a quotation.
	ExcerptRatio = 2

	// MinShingles is the shortest query, in shingles (about as many words), that Classify
	// matches other than exactly: shorter texts share formulas with too many letters.
	MinShingles = 30
)

// Classify says what the query of r is, from its best match, and returns that match (the
// zero Match for None):
//
//   - exact if the normalized texts are equal;
//   - otherwise none if the query has fewer than MinShingles shingles;
//   - near if Similarity ≥ NearSimilarity and Specificity ≥ MinSpecificity;
//   - excerpt if Containment ≥ ExcerptContainment, the letter has at least ExcerptRatio
//     times as many shingles as the query, and Specificity > 0: the query holds something of
//     this letter that no other candidate has (a quotation of boilerplate that every member
//     of a family shares cannot say which member it is from);
//   - none otherwise.
func Classify(r Result) (Class, Match) {
	m, ok := r.Best()
	switch {
	case !ok:
		return None, Match{}
	case m.Exact:
		return Exact, m
	case r.QueryShingles < MinShingles:
		return None, Match{}
	case m.Similarity >= NearSimilarity && m.Specificity >= MinSpecificity:
		return Near, m
	case m.Containment >= ExcerptContainment && m.Specificity > 0 && lengthRatio(m) >= ExcerptRatio:
		return Excerpt, m
	}
	return None, Match{}
}

// lengthRatio returns |D|/|Q|, the letter's shingle count over the query's: from
// |Q∪D| = |Q∩D|/Similarity and |Q∩D| = Containment·|Q|, |D| = |Q∪D| - |Q| + |Q∩D|.
func lengthRatio(m Match) float64 {
	return m.Containment/m.Similarity - 1 + m.Containment
}

package identify

import "testing"

func TestClassify(t *testing.T) {
	long := 200
	m := func(j, c, s float64) Match { return Match{ID: 7, Similarity: j, Containment: c, Specificity: s} }
	for _, tc := range []struct {
		name string
		r    Result
		want Class
	}{
		{"no match", Result{QueryShingles: long}, None},
		{"exact", Result{QueryShingles: 3, Matches: []Match{{ID: 7, Exact: true, Similarity: 1, Containment: 1}}}, Exact},
		{"short query", Result{QueryShingles: MinShingles - 1, Matches: []Match{m(0.9, 0.95, 0.5)}}, None},
		{"near", Result{QueryShingles: long, Matches: []Match{m(0.44, 0.61, 0.2)}}, Near},
		{"near at the thresholds", Result{QueryShingles: long, Matches: []Match{m(NearSimilarity, 0.3, MinSpecificity)}}, Near},
		{"family member", Result{QueryShingles: long, Matches: []Match{m(0.7, 0.82, 0.01)}}, None},
		{"excerpt", Result{QueryShingles: 50, Matches: []Match{m(0.08, 1, 0.04)}}, Excerpt},
		{"excerpt of a short letter", Result{QueryShingles: 50, Matches: []Match{m(0.3, 1, 0.03)}}, Excerpt},
		{"excerpt of boilerplate", Result{QueryShingles: 50, Matches: []Match{m(0.08, 1, 0)}}, None},
		{"too little inside", Result{QueryShingles: 50, Matches: []Match{m(0.05, ExcerptContainment-0.01, 0.2)}}, None},
		// Contained, but as long as the letter: Similarity 0.8 and Containment 0.9 give
		// |D|/|Q| = 0.9/0.8 - 1 + 0.9 ≈ 1.03.
		{"contained but not shorter", Result{QueryShingles: long, Matches: []Match{m(0.8, 0.9, 0.02)}}, None},
		{"unrelated", Result{QueryShingles: long, Matches: []Match{m(0.08, 0.2, 0.1)}}, None},
	} {
		got, gm := Classify(tc.r)
		if got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
		if (got == None) != (gm == Match{}) {
			t.Errorf("%s: class %v with match %+v", tc.name, got, gm)
		}
	}
	for c, s := range map[Class]string{None: "none", Exact: "exact", Near: "near", Excerpt: "excerpt"} {
		if c.String() != s {
			t.Errorf("%d.String() = %q, want %q", c, c.String(), s)
		}
	}
}

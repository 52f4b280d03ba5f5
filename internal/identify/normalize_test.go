package identify

import (
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

func TestNormalize(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"  \n\t ", ""},
		{"Hello,   World!", "hello world"},
		{"the with-\ndrawal of", "the withdrawal of"},
		{"the with- \r\n   drawal", "the withdrawal"},
		{"a well-known fact", "a well known fact"},
		{"page 12-\n13", "page 12 13"},              // a hyphen after a digit is not hyphenation
		{"end of line -\nnext", "end of line next"}, // nor a dash after a space
		{"officer\u2019s and officer's", "officers and officers"},
		{"\u201cQuoted\u201d \u2014 dash\u2013here", "quoted dash here"},
		{"STRASSE Straße", "strasse strasse"},
		{"\ufb01nance \uff21\uff22\uff23", "finance abc"}, // ligature, full-width
		{"1,500 francs; 12.5%", "1 500 francs 12 5"},
		{"co\u00adoperation", "cooperation"}, // soft hyphen
		{"Ref.: AB/123/45", "ref ab 123 45"},
		{"'quoted' words", "quoted words"},
		{"Émile Dvořák", "émile dvořák"},
	} {
		if got := Normalize(tc.in); got != tc.want {
			t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestNormalizeIdempotent(t *testing.T) {
	for _, s := range []string{
		"The Ministry's re-\nport, dated 3 March — “final”.",
		"ＦＵＬＬ width and ﬁ ligatures, STRASSE and Straße",
		"a - b -- c\n-\nd",
	} {
		n := Normalize(s)
		if Normalize(n) != n {
			t.Errorf("Normalize(Normalize(%q)) = %q, want %q", s, Normalize(n), n)
		}
	}
}

func TestSkeleton(t *testing.T) {
	for _, tc := range []struct{ a, b string }{
		{"modern", "rnodem"}, {"loo", "100"}, {"émile", "emile"}, {"signal", "signa1"},
	} {
		if skeleton(tc.a) != skeleton(tc.b) {
			t.Errorf("skeleton(%q) = %q, skeleton(%q) = %q: want equal", tc.a, skeleton(tc.a), tc.b, skeleton(tc.b))
		}
	}
	if skeleton("1500") == skeleton("1800") {
		t.Error("skeleton merges different figures")
	}
}

// TestNormalizedSize: the length of the NFKC form, counted only up to the limit.
func TestNormalizedSize(t *testing.T) {
	for _, c := range []struct {
		text  string
		limit int
		want  int
	}{
		{"Dear Minister", 100, 13},
		{"\uFDFA", 100, len(norm.NFKC.String("\uFDFA"))},
		{"\uFB03", 100, 3},
	} {
		if got := NormalizedSize(c.text, c.limit); got != c.want {
			t.Errorf("NormalizedSize(%q, %d) = %d, want %d", c.text, c.limit, got, c.want)
		}
	}
	long := strings.Repeat("\uFDFA", 1<<18)
	if got := NormalizedSize(long, 1000); got <= 1000 || got > 1000+64 {
		t.Errorf("NormalizedSize of %d bytes expanding 11 times, limit 1000: %d", len(long), got)
	}
}

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
		// Characters drawn as nothing are not part of the text, save a non-joiner that keeps
		// two Arabic letters apart, which a reader sees as a break between words.
		{"with\u200bdraw\u200dal of f\u2060or\ufeffces\u200c", "withdrawal of forces"},
		{"\u0645\u06cc\u200c\u0631\u0633\u0627\u0646\u062f", "\u0645\u06cc \u0631\u0633\u0627\u0646\u062f"}, // می‌رساند
		{"\u0627\u200c\u062f", "\u0627\u062f"},                                                              // after alef it keeps nothing apart
		{"\u0915\u094d\u200c\u0937", "\u0915\u094d\u0937"},                                                  // a half form, in one word
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
		// A character dropped between a letter and a mark, or two jamo, leaves them to
		// compose, as they do without it.
		"cafe\u200b\u0301 \u0627\u200c\u0654 \u0627\u0640\u0654 a\u200d\u0308 \u1100\u2060\u1161",
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
		{"\uFDFA", 100, len(norm.NFKC.String("\uFDFA")) + 1}, // a presentation form
		{"\uFB03", 100, 3},
	} {
		if got := NormalizedSize(c.text, c.limit); got != c.want {
			t.Errorf("NormalizedSize(%q, %d) = %d, want %d", c.text, c.limit, got, c.want)
		}
	}
	// Isolated forms read as one-letter words: the spaces between them count.
	for _, text := range []string{strings.Repeat("\ufe8f", 1000), strings.Repeat("\ufe8f\ufeeb", 1000), strings.Repeat("\ufe91\ufe92\ufe90", 1000)} {
		if got, n := NormalizedSize(text, 1<<20), len(Normalize(text)); got < n {
			t.Errorf("NormalizedSize(%+q…) = %d, below its normalized length %d", text[:6], got, n)
		}
	}
	long := strings.Repeat("\uFDFA", 1<<18)
	if got := NormalizedSize(long, 1000); got <= 1000 || got > 1000+64 {
		t.Errorf("NormalizedSize of %d bytes expanding 11 times, limit 1000: %d", len(long), got)
	}
}

// TestSameTextZeroWidth: a copy with characters drawn as nothing between letters, as pages
// that trace their readers put them, or with a space where a Persian letter keeps two
// letters apart with a non-joiner, is the same text; a format character that Normalize keeps
// as a break between letters that a reader sees joined is not.
func TestSameTextZeroWidth(t *testing.T) {
	const persian = "به استحضار می\u200cرساند که گزارش\u200cها ارسال می\u200cشوند"
	for _, tc := range []struct {
		letter, query string
		same          bool
	}{
		{"The withdrawal of forces", "The with\u200bdraw\u200cal of\u2060 for\ufeffces", true},
		{persian, strings.ReplaceAll(persian, "\u200c", " "), true},
		{persian, persian, true},
		{"re-sign", "re\u2063sign", false},
		{"re-sign", "re\u200bsign", false},
		{"resign", "re\u200bsign", true},
		// A non-joiner keeps the letters apart with another character drawn as nothing
		// beside it, or after a tatweel, and in the other joining scripts: a text whose
		// letters a reader sees joined is not the same.
		{"\u0628\u0628", "\u0628\u200b\u200c\u0628", false},
		{"\u0628\u0628", "\u0628\u200c\u200c\u0628", false},
		{"\u0628\u0628", "\u0628\u200c\u2060\u0628", false},
		{"\u0628\u0628", "\u0628\u0640\u200c\u0628", false},
		{"\u0628 \u0628", "\u0628\u200b\u200c\u0628", true},
		{"\u0712\u0712", "\u0712\u200c\u0712", false}, // Syriac
		{"\u07ca\u07ca", "\u07ca\u200c\u07ca", false}, // N'Ko
		{"\u1820\u1820", "\u1820\u200c\u1820", false}, // Mongolian
		{"\u0628\u0875", "\u0628\u200c\u0875", false}, // a letter newer than the tables
		{"\u0627\u062f", "\u0627\u200b\u200c\u062f", true},
		{"\u0628\u0621", "\u0628\u200c\u0621", true}, // hamza joins nothing
		{"caf\u00e9", "cafe\u200b\u0301", true},
		{"\u0623", "\u0627\u0640\u0654", true},
	} {
		if got := SameText(tc.letter, tc.query); got != tc.same {
			t.Errorf("SameText(%q, %q) = %v, want %v", tc.letter, tc.query, got, tc.same)
		}
	}
}

// TestNormalizeIdempotentAcrossJoins: a letter and its mark, or two jamo, that an apostrophe
// inside a word or a hyphen at a line's end kept apart compose once they are dropped, so that
// Normalize of its own result changes nothing.
func TestNormalizeIdempotentAcrossJoins(t *testing.T) {
	for _, s := range []string{"e'\u0301", "x\u0301'\u0316", "\u1100'\u1161", "\u1100-\n\u1161", "\u200d\u200d\u062f-\ufeff\u0316'\ufe71\u200c\u0654\u200c"} {
		if n := Normalize(s); Normalize(n) != n {
			t.Errorf("Normalize(%+q) = %+q, and Normalize of that %+q", s, n, Normalize(n))
		}
	}
}

// arabicAlphabet is what FuzzNormalizeIdempotent writes its texts with: Arabic letters that
// join on both sides, on one and on none, presentation forms of every shape (ligatures, the
// isolated and medial forms of marks), marks, the characters drawn as nothing, and what
// joins words across a line's end; then what Normalize once left for a second pass to
// change: Cherokee capitals and small letters, U+0149 (ŉ), and a byte that is not UTF-8
// before a mark that NFKC changes; Arabic mathematical letters, which join nothing; and
// letters whose folding NFKC changes with a mark after them (ß, Ϊ, İ, Ĥ, ᾀ).
var arabicAlphabet = append(strings.Split("\u0628\u0627\u062f\u0621\u0639\u0647\u0644\u06cc\u0712a \n'-"+
	"\ufe8f\ufe90\ufe91\ufe92\ufe8d\ufe8e\ufe80\ufec9\ufeca\ufecb\ufecc\ufefb\ufefc\ufdf2\ufdfa\ufe70\ufe71\ufe77\ufc5e"+
	"\u064e\u0654\u0301\u0640\u200b\u200c\u200d\u2060\ufeff\u2063", ""),
	"\u13a0", "\uab70", "\u13f0", "\u13f8", "\u0149", "\xf0", "\u0344",
	"\U0001ee01", "\U0001ee21", "\U0001ee00",
	"\u00df", "\u03aa", "\u0130", "\u0651", "\u0331", "\u0124", "\u1f80", "\u0308")

// FuzzNormalizeIdempotent: Normalize of its own result changes nothing, and a text is its own
// text, for texts of Arabic letters, presentation forms, marks and the characters drawn as
// nothing (arabicAlphabet, one character for each byte).
func FuzzNormalizeIdempotent(f *testing.F) {
	f.Add([]byte{11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29})
	f.Add([]byte{0, 34, 0, 1, 38, 2, 39, 12, 11, 33, 5, 30, 1, 0, 35, 14, 9, 19})
	f.Add([]byte{15, 36, 24, 10, 17, 31, 3, 7, 18, 32, 26, 35, 13, 8, 27, 37, 28})
	f.Add([]byte{43, 44, 10, 45, 46, 10, 43, 38, 44})
	f.Add([]byte{47, 10, 9, 47, 47, 11, 47})
	f.Add([]byte{9, 48, 49, 10, 48, 49, 35, 48, 49})
	f.Add([]byte{50, 51, 0, 50, 38, 51, 52, 50, 14, 39, 50})
	f.Add([]byte{53, 35, 10, 54, 35, 10, 55, 56, 10, 58, 57, 10, 59, 60})
	f.Fuzz(func(t *testing.T, data []byte) {
		var b strings.Builder
		for _, c := range data {
			b.WriteString(arabicAlphabet[int(c)%len(arabicAlphabet)])
		}
		s := b.String()
		n := Normalize(s)
		if Normalize(n) != n {
			t.Fatalf("Normalize(Normalize(%+q)) = %+q, want %+q", s, Normalize(n), n)
		}
		if !SameText(s, s) {
			t.Fatalf("%+q is not its own text", s)
		}
	})
}

// TestNormalizeCherokee: Cherokee's capitals and small letters fold to one form, the
// capitals (Unicode's CaseFolding.txt), so that a copy in the other case is the same text
// and Normalize of its own result changes nothing.
func TestNormalizeCherokee(t *testing.T) {
	const (
		capitals = "\u13e3\u13b3\u13a9 \u13a6\u13ec\u13c2\u13af\u13cd\u13d7 \u13f0\u13f5" // ᏣᎳᎩ ᎦᏬᏂᎯᏍᏗ ᏰᏵ
		small    = "\uabb3\uab83\uab79 \uab76\uabbc\uab92\uab7f\uab9d\uaba7 \u13f8\u13fd"
	)
	for _, s := range []string{capitals, small, "\u13a0\uab70"} {
		if n := Normalize(s); Normalize(n) != n {
			t.Errorf("Normalize(Normalize(%+q)) = %+q, want %+q", s, Normalize(n), n)
		}
	}
	if a, b := Normalize(capitals), Normalize(small); a != b || a != capitals {
		t.Errorf("Normalize(capitals) = %+q, Normalize(small letters) = %+q, want both %+q", a, b, capitals)
	}
	if !SameText(capitals, small) {
		t.Errorf("SameText(%+q, %+q) = false, want true", capitals, small)
	}
}

// TestNormalizeFoldThatComposes: case folding can give letters and marks that NFKC composes
// or puts in another order ("\u00df\u0301" folds to "ss\u0301", whose "s\u0301" is "\u015b";
// U+03AA, a capital with no form of its own with U+0301 after it, folds to U+03CA, which
// composes with it to U+0390), so that the folding is taken again until it changes nothing:
// Normalize of its own result changes nothing, and a copy in the other case is the same text.
func TestNormalizeFoldThatComposes(t *testing.T) {
	for _, s := range []string{"stra\u00df\u0301e", "\u1e9e\u0301", "\u03aa\u0301", "\u03ab\u0301", "\u0130\u0651",
		"\u0124\u0331", "\u1f80\u0308", "\u1f82\u0301", "\u1c82\u0308"} {
		if n := Normalize(s); Normalize(n) != n {
			t.Errorf("Normalize(Normalize(%+q)) = %+q, want %+q", s, Normalize(n), n)
		}
	}
	for _, p := range [][2]string{
		{"\u03aa\u0301", "\u0390"},                 // capital and small iota with dialytika and tonos
		{"\u03ab\u0301", "\u03b0"},                 // upsilon's
		{"STRA\u1e9e\u0301E", "stra\u00df\u0301e"}, // capital and small sharp s
	} {
		if !SameText(p[0], p[1]) {
			t.Errorf("SameText(%+q, %+q) = false (%+q, %+q), want true", p[0], p[1], Normalize(p[0]), Normalize(p[1]))
		}
	}
	// A text folding gives as NFKC leaves it is read as before.
	for s, want := range map[string]string{"\u0390": "\u03b9\u0308\u0301", "\u1fb6": "\u03b1\u0342", "Stra\u00dfe": "strasse", "\u00c9t\u00e9": "\u00e9t\u00e9"} {
		if got := Normalize(s); got != want {
			t.Errorf("Normalize(%+q) = %+q, want %+q", s, got, want)
		}
	}
}

// TestNormalizeNPrecededByApostrophe: U+0149 (ŉ, Afrikaans' article typed as one character)
// is the apostrophe and n it is typed as otherwise, in one pass.
func TestNormalizeNPrecededByApostrophe(t *testing.T) {
	for _, s := range []string{"\u0149", "Dit is \u0149 brief", "\u0149n", "a\u0149"} {
		if n := Normalize(s); Normalize(n) != n {
			t.Errorf("Normalize(Normalize(%+q)) = %+q, want %+q", s, Normalize(n), n)
		}
	}
	for _, q := range []string{"Dit is 'n brief", "Dit is \u2019n brief", "Dit is \u02bcn brief"} {
		if !SameText("Dit is \u0149 brief", q) {
			t.Errorf("SameText(%+q, %+q) = false, want true", "Dit is \u0149 brief", q)
		}
	}
}

// TestNormalizeAfterInvalidUTF8: a byte that is not UTF-8 is a break between words, and
// what follows it is normalized as after any other: x/text's NFKC took a 4-byte sequence's
// first byte within 3 bytes of the text's end for the start of a rune cut short, and left
// what followed it, a mark among them, as it was.
func TestNormalizeAfterInvalidUTF8(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"\xf0\u0344", "\u0308\u0301"},
		{"caf\xf0\u0344", "caf \u0308\u0301"},
		{"e\xf4\u0340", "e \u0300"},
		{"a\xffb \xf0\xff\u0301", "a b \u0301"},
	} {
		n := Normalize(tc.text)
		if n != tc.want || Normalize(n) != n {
			t.Errorf("Normalize(%+q) = %+q, and Normalize of that %+q, want %+q", tc.text, n, Normalize(n), tc.want)
		}
	}
}

// TestNormalizeInvalidUTF8Anywhere: a byte that is not UTF-8, anywhere in a text, is a break
// between words as U+FFFD is, whatever follows it.
func TestNormalizeInvalidUTF8Anywhere(t *testing.T) {
	var bad []string
	for c := 0x80; c <= 0xff; c++ {
		bad = append(bad, string([]byte{byte(c)}), string([]byte{byte(c), 0x80}), string([]byte{byte(c), 0x9f, 0x98}))
	}
	for _, b := range bad {
		for _, tail := range []string{"\u0344", "\u0340x", "e\u0301", "\u0301\u0316 y", "\u1161"} {
			s := "e" + b + tail
			want := Normalize(strings.ToValidUTF8(s, "\ufffd"))
			if n := Normalize(s); n != want || Normalize(n) != n {
				t.Errorf("Normalize(%+q) = %+q, and Normalize of that %+q, want %+q", s, n, Normalize(n), want)
			}
		}
	}
}

// TestHasRefolded: the texts whose fingerprints the builds before this one computed from
// another reading hold Cherokee, U+0149 or Arabic mathematical letters.
func TestHasRefolded(t *testing.T) {
	for s, want := range map[string]bool{
		"\u13a0": true, "\uab70": true, "Dit is \u0149 brief": true, "\U0001ee01": true,
		"Dit is 'n brief": false, "\u0628\u0628": false, "\ufe8f": false, "": false,
		"\u0395\u03aa\u0301\u039d\u0397": true, "stra\u00df\u00ad\u0301e": true, "\u0130\u0651": true,
		"\u03b5\u0390\u03bd\u03b7": false, "\u1f00\u1fb6": false, "Stra\u00dfe": false, "\u00e9t\u00e9": false,
	} {
		if got := HasRefolded(s); got != want {
			t.Errorf("HasRefolded(%+q) = %v, want %v", s, got, want)
		}
	}
}

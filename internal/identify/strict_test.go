package identify

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestSameText: what a copy may change and still be the letter's text, and the signs whose
// change makes it another text although Normalize's words are the same.
func TestSameText(t *testing.T) {
	const letter = "The budget changes by -15% this year; the ministry pays $1,500,000 to the contractor before 10:30 on 12/11, for 10-20 trucks at < 50 km/h and 2.5 tonnes."
	for _, c := range []struct {
		name, query string
		same        bool
	}{
		{"the letter itself", letter, true},
		{"retyped in capitals", strings.ToUpper(letter), true},
		{"other line breaks and spaces", strings.ReplaceAll(letter, " the ", "\n  the\t"), true},
		{"typographic minus, dash and quotes", strings.NewReplacer("-15", "\u221215", "10-20", "10\u201320").Replace(letter), true},
		{"full-width figures and signs", strings.NewReplacer("15%", "\uff11\uff15\uff05", "$", "\uff04").Replace(letter), true},
		{"other sentence punctuation", strings.NewReplacer(";", ",", " this year", ", this year").Replace(letter), true},
		{"a plus for the minus", strings.Replace(letter, "-15%", "+15%", 1), false},
		{"the minus dropped", strings.Replace(letter, "-15%", "15%", 1), false},
		{"the percent sign dropped", strings.Replace(letter, "15%", "15", 1), false},
		{"per mille for percent", strings.Replace(letter, "15%", "15‰", 1), false},
		{"euros for dollars", strings.Replace(letter, "$", "€", 1), false},
		{"a decimal comma for the thousands", strings.Replace(letter, "1,500,000", "1.500.000", 1), false},
		{"a space for the thousands", strings.Replace(letter, "1,500,000", "1 500 000", 1), false},
		{"10.30 for 10:30", strings.Replace(letter, "10:30", "10.30", 1), false},
		{"12.11 for 12/11", strings.Replace(letter, "12/11", "12.11", 1), false},
		{"a range made two figures", strings.Replace(letter, "10-20", "10 20", 1), false},
		{"more than for less than", strings.Replace(letter, "< 50", "> 50", 1), false},
		{"25 for 2.5", strings.Replace(letter, "2.5", "25", 1), false},
		{"a heavy plus sign before a figure", strings.Replace(letter, "2.5", "\u27952.5", 1), false},
		{"a box-drawing line before a figure", strings.Replace(letter, "2.5", "\u25002.5", 1), false},
		{"a modifier letter plus sign before a figure", strings.Replace(letter, "2.5", "\u02d62.5", 1), false},
		{"a modifier arrowhead after a figure", strings.Replace(letter, "2.5 tonnes", "2.5\u02c3 tonnes", 1), false},
		{"an angle quotation mark before a figure", strings.Replace(letter, "2.5", "\u20392.5", 1), false},
		{"an angle bracket before a figure", strings.Replace(letter, "2.5", "\u276e2.5", 1), false},
		{"a minus sign apart from a figure", strings.Replace(letter, "and 2.5", "and \u2212 2.5", 1), false},
		{"a heavy plus sign apart from a figure", strings.Replace(letter, "and 2.5", "and \u2795 2.5", 1), false},
		{"a minus apart from its figure for one beside it", strings.Replace(letter, "-15%", "- 15%", 1), true},
		{"a minus at a line's end before a figure", strings.Replace(letter, "and 2.5", "and \u2212\n2.5", 1), false},
		{"a heavy plus sign at a line's end before a figure", strings.Replace(letter, "and 2.5", "and \u2795\r\n 2.5", 1), false},
		{"a minus wrapped apart from its figure", strings.Replace(letter, "-15%", "-\n15%", 1), true},
		{"a word changed", strings.Replace(letter, "ministry", "embassy", 1), false},
	} {
		if got := SameText(letter, c.query); got != c.same {
			t.Errorf("%s: SameText = %v, want %v (%q against %q)", c.name, got, c.same, Strict(c.query), Strict(letter))
		}
		if c.same && Normalize(c.query) != Normalize(letter) {
			t.Errorf("%s: not even the same words: %q", c.name, Normalize(c.query))
		}
	}
}

// TestStrictWordsAreNormalize: Strict adds symbols to Normalize's words and changes none of
// them, so that the exact hash and SameText judge the same words.
func TestStrictWordsAreNormalize(t *testing.T) {
	for _, s := range []string{
		"The budget changes by -15% this year: $1,500,000 (10:30, 12/11).",
		"Straße ＄５０ «quoted» with-\ndrawal officer's 1'000 −5 ½",
		"北京 2026年 ±3 × 4 ÷ 2 = 6 | a ~ b",
	} {
		var words []string
		for _, tok := range Strict(s) {
			if !isSymbol(tok) {
				words = append(words, tok)
			}
		}
		if got := strings.Join(words, " "); got != Normalize(s) {
			t.Errorf("Strict's words of %q: %q, Normalize: %q", s, got, Normalize(s))
		}
	}
}

// TestQuotes: a run of the letter's words and signs is a quotation of it; the same run with
// a figure or a sign changed, or with words left out, is not; nor is a run that begins or
// ends inside a figure, leaving out its sign or a part of its digits.
func TestQuotes(t *testing.T) {
	const letter = "First paragraph. The budget changes by -15% this year; the ministry pays $1,500,000 before 10:30. Last paragraph."
	for _, c := range []struct {
		query  string
		quotes bool
	}{
		{"the budget changes by -15% this year", true},
		{"THE MINISTRY PAYS $1,500,000 BEFORE 10:30.", true},
		{"First paragraph. The budget", true},
		{"the budget changes by +15% this year", false},
		{"the budget changes by 15% this year", false},
		{"the ministry pays €1,500,000 before 10:30", false},
		{"the ministry pays $1,500,000 before 10.30", false},
		{"the budget changes [...] this year", false},
		{"the budget this year", false},
		{"", false},
		{"...", false},
		{"this year; the ministry pays", true},
		{"the ministry pays $1", false},
		{"15% this year; the ministry pays", false},
		{"500,000 before 10:30. Last paragraph.", false},
		{"the ministry pays $1,500,000 before 10", false},
		{"the budget changes by -15", false},
	} {
		if got := Quotes(letter, c.query); got != c.quotes {
			t.Errorf("Quotes(%q) = %v, want %v", c.query, got, c.quotes)
		}
	}
	// A figure whose groups are separated by spaces, as French writes them, is one figure;
	// a run found where it cuts one is still a quotation where it is found whole.
	const french = "Le ministère verse 1 500 000 euros avant le 12 mars. Le ministère verse 1 euro."
	for _, c := range []struct {
		query  string
		quotes bool
	}{
		{"le ministère verse 1 500 000 euros", true},
		{"le ministère verse 1 500", false},
		{"le ministère verse 1", true},
		{"500 000 euros avant le 12 mars", false},
		{"le ministère verse 1 euro", true},
	} {
		if got := Quotes(french, c.query); got != c.quotes {
			t.Errorf("Quotes(%q) = %v, want %v", c.query, got, c.quotes)
		}
	}
}

// TestQuotesEndingOnAFigure: a quotation that honestly begins or ends on one of the letter's
// figures, where the letter sets the next figure apart by a full stop, a comma or a blank
// line (a sentence or a numbered paragraph beginning with a figure), is a quotation of it; a
// run that cuts a figure whose groups are set apart by spaces, on one line or across a line
// break where it wraps, is still none.
func TestQuotesEndingOnAFigure(t *testing.T) {
	const letter = "The works end by 31 December 2026.\n\n2. The contractor shall pay 1 500\n000 euros.\n\n" +
		"The budget grows in 2026. 15 ships will be built, 3 of them in 2027, 12 in 2028 by -15%. 20 will follow.\n\n" +
		"Reference TFN-2026-000001\n\n4 copies are attached.\n\nLe ministère verse ١٢ ٥٠٠، ٣ حاويات."
	for _, c := range []struct {
		query  string
		quotes bool
	}{
		{"The works end by 31 December 2026.", true},
		{"2. The contractor shall pay 1 500 000 euros.", true},
		{"The budget grows in 2026.", true},
		{"15 ships will be built, 3 of them in 2027", true},
		{"12 in 2028 by -15%.", true},
		{"20 will follow.", true},
		{"Reference TFN-2026-000001", true},
		{"4 copies are attached.", true},
		{"The contractor shall pay 1 500", false},
		{"000 euros.", false},
		{"12 in 2028 by -15", false},
		{"15%. 20 will follow.", false},
		{"Reference TFN-2026", false},
		{"000001", false},
		{"Le ministère verse ١٢", false},
	} {
		if got := Quotes(letter, c.query); got != c.quotes {
			t.Errorf("Quotes(%q) = %v, want %v", c.query, got, c.quotes)
		}
	}
}

// TestSameTextPunctuationInFigures: a punctuation mark put between two digits that a letter
// separates with a space, or between two it does not separate, shows another figure: a
// middle dot is a decimal point ("2·500 tonnes" reads 2.5 in Britain), an ideographic comma,
// an Urdu full stop or a turned comma a separator, and the text is not the letter; the same
// mark where the letter has it is.
func TestSameTextPunctuationInFigures(t *testing.T) {
	const letter = "Le convoi transporte 2 500 tonnes de vivres et 35 camions pour 2·5 millions."
	for _, c := range []struct {
		name, query string
		same        bool
	}{
		{"the letter itself", letter, true},
		{"the middle dot where the letter has it", strings.ReplaceAll(letter, " ", "\n"), true},
		{"a middle dot for the space", strings.Replace(letter, "2 500", "2\u00b7500", 1), false},
		{"a Greek ano teleia for the space", strings.Replace(letter, "2 500", "2\u0387500", 1), false},
		{"an ideographic comma for the space", strings.Replace(letter, "2 500", "2\u3001500", 1), false},
		{"an Urdu full stop for the space", strings.Replace(letter, "2 500", "2\u06d4500", 1), false},
		{"a turned comma for the space", strings.Replace(letter, "2 500", "2\u2e32500", 1), false},
		{"a semicolon for the space", strings.Replace(letter, "2 500", "2;500", 1), false},
		{"a middle dot inside a figure", strings.Replace(letter, "35", "3\u00b75", 1), false},
		{"a space for the middle dot", strings.Replace(letter, "2·5", "2 5", 1), false},
		{"a full stop for the middle dot", strings.Replace(letter, "2·5", "2.5", 1), false},
	} {
		if got := SameText(letter, c.query); got != c.same {
			t.Errorf("%s: SameText = %v, want %v (%q)", c.name, got, c.same, Strict(c.query))
		}
	}
}

// TestSameTextSignsBeginningAFigure: a decimal point or comma put before a figure (".15%"
// and ",15%" read 0.15%, ".500 euros" half a euro), or a punctuation mark drawn as a plus or a
// minus ("†15%", "᛭15%", "⁃15%"), shows another figure; a full stop that ends a sentence or
// an abbreviation before one does not.
func TestSameTextSignsBeginningAFigure(t *testing.T) {
	const letter = "The budget grows by 15% this year, and the ministry pays 500 euros a day (art. 12). The works end in 2026.15 ships sail."
	for _, c := range []struct {
		name, query string
		same        bool
	}{
		{"the letter itself", letter, true},
		{"other spaces and line breaks", strings.ReplaceAll(letter, " ", "\n "), true},
		{"a decimal point before the figure", strings.Replace(letter, "by 15%", "by .15%", 1), false},
		{"a decimal comma before the figure", strings.Replace(letter, "by 15%", "by ,15%", 1), false},
		{"a middle dot before the figure", strings.Replace(letter, "by 15%", "by \u00b715%", 1), false},
		{"an Arabic decimal separator before the figure", strings.Replace(letter, "by 15%", "by \u066b15%", 1), false},
		{"a decimal point before the amount", strings.Replace(letter, "pays 500", "pays .500", 1), false},
		{"a dagger drawn as a plus", strings.Replace(letter, "by 15%", "by \u202015%", 1), false},
		{"a runic cross drawn as a plus", strings.Replace(letter, "by 15%", "by \u16ed 15%", 1), false},
		{"a hyphen bullet drawn as a minus", strings.Replace(letter, "by 15%", "by \u204315%", 1), false},
	} {
		if got := SameText(letter, c.query); got != c.same {
			t.Errorf("%s: SameText = %v, want %v (%q)", c.name, got, c.same, Strict(c.query))
		}
	}
}

// TestQuotesAfterALineEndingOnAFigure: a line break before a word that is not a group of
// three digits sets two figures apart: a quotation of a released letter's page from its date
// line on, below the line of its reference, is a quotation of it; one that cuts a figure
// whose groups a line wraps ("1 500\n000") is still none.
func TestQuotesAfterALineEndingOnAFigure(t *testing.T) {
	const letter = "Task Force North\nReference: TFN-2026-000001\n7 December 2026\n\nTo: Ministry of Defence\n" +
		"The ministry will pay 1 500\n000 euros to the carrier, call 01 23 45 67 89."
	for _, c := range []struct {
		query  string
		quotes bool
	}{
		{"7 December 2026\n\nTo: Ministry of Defence", true},
		{"Task Force North\nReference: TFN-2026-000001", true},
		{"The ministry will pay 1 500", false},
		{"000 euros to the carrier", false},
		{"The ministry will pay 1 500 000 euros", true},
		{"call 01 23", false},
		{"000001\n7 December 2026", false},
	} {
		if got := Quotes(letter, c.query); got != c.quotes {
			t.Errorf("Quotes(%q) = %v, want %v", c.query, got, c.quotes)
		}
	}
}

// TestIndexRun checks the linear search against the obvious one on random runs over a small
// alphabet, where partial matches overlap.
func TestIndexRun(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	naive := func(s, sub []string) int {
		if len(sub) == 0 {
			return -1
		}
		for i := 0; i+len(sub) <= len(s); i++ {
			if slices.Equal(s[i:i+len(sub)], sub) {
				return i
			}
		}
		return -1
	}
	draw := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = string(rune('a' + rng.IntN(2)))
		}
		return out
	}
	for range 20000 {
		s, sub := draw(rng.IntN(12)), draw(rng.IntN(5))
		if got, want := indexRun(s, sub), naive(s, sub); got != want {
			t.Fatalf("indexRun(%v, %v) = %d, want %d", s, sub, got, want)
		}
	}
}

// FuzzStrict: any text is its own text and quotes itself, its words are Normalize's, and a
// text quotes each of its own runs of tokens.
func FuzzStrict(f *testing.F) {
	f.Add("The budget changes by -15% this year: $1,500,000 (10:30, 12/11).", 2, 5)
	f.Add("Straße ＄５０ «quoted» with-\ndrawal officer's 1'000 −5 ½ 北京", 0, 3)
	f.Add("> with-\n> drawal at > 5\n>\n>> 10%", 1, 4)
	f.Fuzz(func(t *testing.T, s string, from, n int) {
		if !SameText(s, s) {
			t.Fatalf("%q is not its own text", s)
		}
		toks := Strict(s)
		var words []string
		for _, tok := range toks {
			if tok == "" {
				t.Fatalf("an empty token in %q", toks)
			}
			if !isSymbol(tok) {
				words = append(words, tok)
			}
		}
		if got := strings.Join(words, " "); got != Normalize(s) {
			t.Fatalf("Strict's words %q, Normalize %q", got, Normalize(s))
		}
		if len(toks) == 0 {
			return
		}
		from = int(uint(from) % uint(len(toks)))
		n = 1 + int(uint(n)%uint(len(toks)-from))
		if indexRun(toks, toks[from:from+n]) < 0 {
			t.Fatalf("%q does not hold its own run %q", toks, toks[from:from+n])
		}
	})
}

// isSymbol reports whether a token of Strict is a symbol rather than a word: it holds a
// character that is neither a word's nor an ideograph (a word of its own), as a sign does,
// and a figure shown with its apostrophes ("1'500", see eachToken).
func isSymbol(tok string) bool {
	for _, r := range tok {
		if !isWordRune(r) && !isIdeograph(r) {
			return true
		}
	}
	return false
}

// TestSameTextApostrophesInFigures: an apostrophe between two digits is dropped from the word
// as it is from any word ("1'500" is the word "1500"), but a figure shown with it is not the
// figure without it, nor with it elsewhere ("15'00"); and the single low quotation mark
// U+201A, an apostrophe to Normalize, draws as a comma: "2\u201a5 tonnes" reads "2,5
// tonnes", which was the same text as "25 tonnes".
func TestSameTextApostrophesInFigures(t *testing.T) {
	const letter = "The convoy carries 25 tonnes and 1'500 litres to the officer's post."
	for _, c := range []struct {
		name, query string
		same        bool
	}{
		{"the letter itself", letter, true},
		{"typographic apostrophes", strings.ReplaceAll(letter, "'", "\u2019"), true},
		{"a low quotation mark in a word", strings.Replace(letter, "officer's", "officer\u201as", 1), true},
		{"a low quotation mark for a decimal comma", strings.Replace(letter, "25 tonnes", "2\u201a5 tonnes", 1), false},
		{"an apostrophe inside a figure", strings.Replace(letter, "25 tonnes", "2'5 tonnes", 1), false},
		{"the thousands separator moved", strings.Replace(letter, "1'500", "15'00", 1), false},
		{"the thousands separator dropped", strings.Replace(letter, "1'500", "1500", 1), false},
		{"a low quotation mark for the thousands separator", strings.Replace(letter, "1'500", "1\u201a500", 1), false},
	} {
		if got := SameText(letter, c.query); got != c.same {
			t.Errorf("%s: SameText = %v, want %v (%q against %q)", c.name, got, c.same, Strict(c.query), Strict(letter))
		}
		if Normalize(c.query) != Normalize(letter) {
			t.Errorf("%s: not the same words: %q", c.name, Normalize(c.query))
		}
		var words []string
		for _, tok := range Strict(c.query) {
			if !isSymbol(tok) {
				words = append(words, tok)
			}
		}
		if got := strings.Join(words, " "); got != Normalize(c.query) {
			t.Errorf("%s: Strict's words %q, Normalize %q", c.name, got, Normalize(c.query))
		}
	}
}

// TestSameTextOfAMailQuotedCopy: a letter pasted from an e-mail reply, every line behind the
// mail's quotation marks ("> ", ">> ", "> > ", ">" without a space, quoted blank lines,
// Windows line ends), is the letter's text; a ">" that is not the mark of every line (a
// line quoted once more than the others, a ">" before one line of an unquoted text, a text of
// one line) still counts as a sign.
func TestSameTextOfAMailQuotedCopy(t *testing.T) {
	const letter = "Subject: \"Eagle\" base\n\nThe cost, €1,200,000, is borne by -15% this year.\n50 trucks leave at < 50 km/h.\n\nCommander"
	quote := func(text, mark, eol string) string {
		lines := strings.Split(text, "\n")
		for i, l := range lines {
			lines[i] = mark + l
		}
		return strings.Join(lines, eol) + eol
	}
	for _, c := range []struct {
		name, query string
		same        bool
	}{
		{"quoted with \"> \"", quote(letter, "> ", "\n"), true},
		{"quoted twice with \">> \"", quote(letter, ">> ", "\n"), true},
		{"quoted twice with \"> > \"", quote(letter, "> > ", "\n"), true},
		{"quoted with \">\" alone", quote(letter, ">", "\n"), true},
		{"quoted, Windows line ends", quote(letter, "> ", "\r\n"), true},
		{"quoted, indented marks", quote(letter, "  > ", "\n"), true},
		{"quoted, blank lines unmarked", strings.ReplaceAll(quote(letter, "> ", "\n"), "\n> \n", "\n\n"), true},
		{"a line quoted once more", strings.Replace(quote(letter, "> ", "\n"), "> 50 trucks", "> > 50 trucks", 1), false},
		{"one line of an unquoted text", strings.Replace(letter, "50 trucks", "> 50 trucks", 1), false},
		{"a text of one line", "> 50 trucks leave", false},
		{"quoted, a sign changed", strings.Replace(quote(letter, "> ", "\n"), "-15%", "+15%", 1), false},
	} {
		want := letter
		if c.name == "a text of one line" {
			want = "50 trucks leave"
		}
		if got := SameText(want, c.query); got != c.same {
			t.Errorf("%s: SameText = %v, want %v (%q against %q)", c.name, got, c.same, Strict(c.query), Strict(want))
		}
	}
}

// TestSameTextOfALetterOfQuotedLines: a letter whose every line begins with ">" (thresholds,
// "> 500 trucks") says "more than" on each line: the same text without those signs is neither
// its text nor a part of it, as it is and a run of it are, and a scan without them differs.
func TestSameTextOfALetterOfQuotedLines(t *testing.T) {
	const letter = "> 500 trucks a day cross the northern bridge\n> 20 tanks a day cross the southern bridge\n"
	unmarked := strings.ReplaceAll(letter, "> ", "")
	if SameText(letter, unmarked) || Quotes(letter, unmarked) {
		t.Errorf("the letter without its signs: SameText %v, Quotes %v; want false", SameText(letter, unmarked), Quotes(letter, unmarked))
	}
	if !SameText(letter, letter) || !Quotes(letter, strings.SplitN(letter, "\n", 2)[1]) {
		t.Errorf("the letter as it is: SameText %v, Quotes of its last line %v; want true", SameText(letter, letter), Quotes(letter, strings.SplitN(letter, "\n", 2)[1]))
	}
	if c := CompareScan(letter, unmarked, ""); c.Same() {
		t.Errorf("a scan without the letter's signs: %+v; want a difference", c)
	}
	if c := CompareScan(letter, letter, ""); !c.Same() {
		t.Errorf("a scan of the letter: %+v; want the same", c)
	}
}

package identify

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/chancery/chancery/internal/script"
	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// confusables maps characters that retyping, word processors and OCR swap freely to one
// form, before NFKC: typographic quotes and apostrophes to "'", dashes and minus signs to
// "-", the not sign some OCR engines emit for a line-end hyphen to "-", and the soft hyphen
// to nothing; and U+0149 (ŉ) to the apostrophe and n it is typed as otherwise, which NFKC
// would make U+02BC (a modifier letter, among the apostrophes here) and n.
var confusables = strings.NewReplacer(append([]string{lowQuote, "'"}, confusablePairs...)...)

// strictConfusables are the confusables but the single low quotation mark U+201A, which
// strictTokens keeps to tell it from an apostrophe between two digits: it draws as a comma.
var strictConfusables = strings.NewReplacer(confusablePairs...)

// lowQuote is U+201A SINGLE LOW-9 QUOTATION MARK, an apostrophe to Normalize, which a reader
// takes for a comma: "2\u201a5" reads "2,5".
const lowQuote = "\u201a"

var confusablePairs = []string{
	"\u2018", "'", "\u2019", "'", "\u201b", "'", "\u2032", "'", "\u02bc", "'", "`", "'", "\u00b4", "'",
	"\u201c", `"`, "\u201d", `"`, "\u201e", `"`, "\u201f", `"`, "\u2033", `"`, "\u00ab", `"`, "\u00bb", `"`,
	"\u2010", "-", "\u2011", "-", "\u2012", "-", "\u2013", "-", "\u2014", "-", "\u2015", "-", "\u2212", "-", "\u00ac", "-",
	"\u00ad", "", "\u0149", "'n",
}

// Normalize returns the canonical form of text that identification compares. In order:
//
//  1. the quotation marks an e-mail reply puts before every line are removed (see
//     mailUnquoted), typographic quotes, apostrophes and dashes are folded to ASCII ' " and
//     -, and soft hyphens are removed; a zero-width non-joiner is put where Arabic
//     presentation forms (U+FB50–FDFF, U+FE70–FEFC) draw two letters apart that step 2
//     would join (script.FormsApart: neither draws a stroke toward the other, as an
//     isolated form and an initial one; an Arabic mathematical letter, U+1EE00–1EEFF,
//     joins nothing), so that such a text reads as the same letters typed with a
//     non-joiner there (step 6);
//  2. Unicode NFKC (ligatures, full-width forms, superscripts become plain letters and digits;
//     bytes that are not UTF-8 are a break between words, as U+FFFD is);
//  3. Unicode full case folding ("Straße" and "STRASSE" both become "strasse"; Cherokee's
//     small letters become its capitals, see fold);
//  4. a hyphen that ends a line after a letter, followed by a letter on the next line, joins
//     the two halves ("with-\ndrawal" becomes "withdrawal"); the whitespace around the line
//     break may include spaces and tabs;
//  5. apostrophes inside words are removed ("officer's" becomes "officers"), so that straight
//     and curly apostrophes, and their loss in OCR, agree; a word joined by step 4 or 5 is
//     made again by steps 2 and 3 where what they kept apart composes ("e'\u0301" is "é");
//  6. the Arabic tatweel (kashida, U+0640), which only stretches a word as it is drawn, is
//     removed ("بـسم" is "بسم"), and so are the zero-width characters that a reader does
//     not see (zeroWidth: the zero-width space, joiner and non-joiner, the word joiner, the
//     zero-width no-break space), which only tell where a line may break or how letters
//     join, or were put in a copy to trace it: "with\u200bdrawal" is "withdrawal". A
//     non-joiner that keeps apart two letters a reader would see joined (script.JoiningBreaks:
//     Arabic letters, with a mark or another such character beside it or not, and the
//     letters of the other joining scripts) is seen, as a break between words: it separates
//     two words, as a space does, and is not a sign. They are dropped after step 3, and
//     steps 2 and 3 made again on what is left when a letter and its mark, or two jamo, that
//     such a character kept apart compose without it ("e\u200b\u0301" is "é", and
//     Normalize stays idempotent);
//  7. a word is a maximal run of letters, digits and combining marks; every other character is
//     a separator, so punctuation never matters and "1,500" is the two words "1" "500"; a Han
//     ideograph or a kana is a word by itself (Chinese and Japanese have no spaces);
//  8. words are joined by single spaces, with no leading or trailing space.
//
// The result is deterministic and idempotent: Normalize(Normalize(s)) == Normalize(s).
// Fingerprints hash these words after a further OCR folding (see [Fingerprint]); the exact
// hash covers this string.
func Normalize(text string) string {
	var b strings.Builder
	eachWord(text, func(w string) {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w)
	})
	return b.String()
}

// eachWord calls f with every word of the normalized text, in order, the quotation marks an
// e-mail reply puts before every line of it removed (see mailUnquoted).
func eachWord(text string, f func(string)) { eachToken(mailUnquoted(text), f, nil) }

// eachToken calls f with every word of the normalized text, in order, as eachWord does,
// and, when sym is not nil, sym with each symbol that tells what a figure says (significant),
// in its place among the words. It takes text as it is: a caller that reads a reply's
// quotation marks as such removes them first (mailUnquoted).
func eachToken(text string, f, sym func(string)) { eachTokenApart(text, f, sym, nil) }

// eachTokenApart is eachToken that also calls apart, when not nil, where what stands
// between two tokens sets them apart as parts of one figure could not be: a mark that is not
// significant (a full stop, a comma or a bracket not between two digits) or a blank line.
// "in 2026. 15 ships" and "by 31 December 2026.\n\n2. The contractor" have two figures,
// where "1 500 000", or "1 500\n000" wrapped, has one. So does a line break before a word
// that is not a group of three digits: "Reference: TFN-2026-000001\n7 December 2026", a
// reference above a date, are two figures, "1 500\n000" one.
func eachTokenApart(text string, f, sym func(string), apart func()) {
	if sym == nil {
		text = script.FormsApart(confusables.Replace(text))
	} else {
		// U+201A is kept, and read below as the apostrophe it is to Normalize.
		text = script.FormsApart(strictConfusables.Replace(text))
	}
	if isASCII(text) {
		// NFKC leaves ASCII as it is, and folds it as ToLower does.
		text = strings.ToLower(text)
	} else {
		if cutShort(text) {
			// x/text's NFKC leaves a rune cut short by the text's end, and what follows its
			// first byte (a mark among them), as they are: the bytes that are not UTF-8 are
			// U+FFFD, as []rune below reads them.
			text = strings.ToValidUTF8(text, "\ufffd")
		}
		text = fold(norm.NFKC.String(text))
	}
	rs := []rune(text)
	if kept, compose := dropInvisible(rs); compose {
		// What was dropped kept a letter from its mark, or two jamo apart, which compose
		// without it.
		rs = []rune(fold(norm.NFKC.String(string(kept))))
	} else {
		rs = kept
	}
	var word []rune
	joined := false // an apostrophe or a line break was dropped inside word
	// shown is word with the apostrophes dropped between two of its digits in their places,
	// a low quotation mark as the comma it draws as; digitMarks says there was one.
	var shown []rune
	digitMarks := false
	breaks := 0         // the line breaks since the last token, for apart
	lineBefore := false // one line break stands before word, for apart
	flush := func() {
		if len(word) > 0 {
			w := string(word)
			if joined && !norm.NFKC.IsNormalString(w) {
				// A letter and its mark, or two jamo, that it kept apart compose as they do
				// without it ("e'\u0301" is "é"), so that Normalize stays idempotent.
				w = fold(norm.NFKC.String(w))
			}
			if lineBefore && apart != nil && !digitGroup(w) {
				apart()
			}
			f(w)
			if digitMarks {
				// "1'500" is not "15'00", and "2\u201a5" reads "2,5", not "25": the figure
				// as it is shown follows the word, as a sign does.
				sym(string(shown))
			}
			word = word[:0]
		}
		joined, shown, digitMarks, lineBefore = false, shown[:0], false, false
	}
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case isIdeograph(r):
			// Chinese and Japanese put no spaces between words, and a reader's copy breaks
			// lines anywhere: each ideograph or kana is a word of its own.
			flush()
			breaks = 0
			f(string(r))
		case isWordRune(r):
			if len(word) == 0 {
				lineBefore = breaks == 1
			}
			word = append(word, r)
			breaks = 0
			if sym != nil {
				shown = append(shown, r)
			}
		case (r == '\'' || r == '\u201a') && len(word) > 0 && i+1 < len(rs) && isWordRune(rs[i+1]):
			// An apostrophe inside a word is dropped (U+201A is one: only strictTokens
			// keeps it, see strictConfusables).
			joined = true
			if sym != nil && unicode.IsDigit(word[len(word)-1]) && unicode.IsDigit(rs[i+1]) {
				mark := '\''
				if r == '\u201a' {
					mark = ','
				}
				shown, digitMarks = append(shown, mark), true
			}
		case r == '-' && len(word) > 0 && unicode.IsLetter(word[len(word)-1]):
			if j, ok := lineBreakHyphen(rs, i+1); ok {
				i, joined = j-1, true // the word continues at rs[j]
				continue
			}
			flush()
		default:
			flush()
			switch {
			case sym != nil && significant(rs, i):
				sym(string(r))
				breaks = 0
			case apart == nil:
			case r == '\n':
				if breaks++; breaks == 2 {
					apart()
				}
			case !unicode.IsSpace(r):
				apart()
			}
		}
	}
	flush()
}

// digitGroup reports whether w is three digits, a group of a figure whose groups are set
// apart by spaces ("1 500 000"), which a line may wrap before.
func digitGroup(w string) bool {
	n := 0
	for _, r := range w {
		if !unicode.IsDigit(r) {
			return false
		}
		n++
	}
	return n == 3
}

// cutShort reports whether one of the last three bytes of text begins a UTF-8 sequence
// longer than what is left of text (a 4-byte sequence's first byte before a 2-byte mark),
// which x/text's NFKC reads as a rune cut short by the end of its input. Elsewhere it reads a
// byte that is not UTF-8 as a character of its own, that no mark after it joins, as []rune
// reads U+FFFD; so only these bytes are looked at, not the whole text.
func cutShort(text string) bool {
	for i := max(0, len(text)-3); i < len(text); i++ {
		c, left := text[i], len(text)-i
		if c >= 0xc2 && c < 0xe0 && left < 2 || c >= 0xe0 && c < 0xf0 && left < 3 || c >= 0xf0 && c < 0xf8 && left < 4 {
			return true
		}
	}
	return false
}

// fold returns s, a text in NFKC, case folded as Unicode's CaseFolding.txt folds it, and
// folded again after NFKC until that changes nothing (refolded). Folding can give a letter
// and a mark that NFKC composes, or marks it puts in another order: "\u00df\u0301" folds to
// "ss\u0301", whose "s\u0301" is "\u015b"; U+03AA, a capital with no form of its own with
// U+0301 after it, folds to U+03CA, which composes with it to U+0390, whose folding is
// U+03B9 U+0308 U+0301, that of its small letter. Folded once, such a text was not the text
// of its own normalization, nor of a copy in the other case. A text folding leaves as it is
// (one without capitals: Arabic, Persian, most of any text's words) stays in NFKC, and is
// returned without looking for parts NFKC changes, a scan of the whole text.
func fold(s string) string {
	f := foldOnce(s)
	if f == s {
		return s
	}
	return refolded(f)
}

// refolded returns s, a folded text, with each part of it that NFKC changes (between two of
// its boundaries) put in NFKC and folded again until that changes nothing. Folding maps each
// character on its own, and NFKC changes nothing across a boundary: the parts are the whole
// text's. A text NFKC leaves as it is, nearly every one, is returned as it is.
func refolded(s string) string {
	n := norm.NFKC.QuickSpanString(s)
	if n == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	var done map[string]string // the parts refolded, which a text repeats
	for {
		b.WriteString(s[:n])
		if s = s[n:]; s == "" {
			return b.String()
		}
		_, size := utf8.DecodeRuneInString(s)
		end := len(s)
		if i := norm.NFKC.FirstBoundaryInString(s[size:]); i >= 0 {
			end = size + i
		}
		part, ok := done[s[:end]]
		if !ok {
			part = refoldPart(s[:end])
			if done == nil {
				done = map[string]string{}
			}
			done[s[:end]] = part
		}
		b.WriteString(part)
		s = s[end:]
		n = norm.NFKC.QuickSpanString(s)
	}
}

// refoldPart returns part in NFKC folded again until that changes nothing.
func refoldPart(part string) string {
	for i := 0; i < maxRefolds; i++ {
		again := foldOnce(norm.NFKC.String(part))
		if again == part {
			break
		}
		part = again
	}
	return part
}

// maxRefolds bounds how many times refoldPart folds a part again: once reaches what folding
// and NFKC leave as they are for every letter followed by marks (a second is for safety's
// sake).
const maxRefolds = 2

// foldOnce returns s case folded as Unicode's CaseFolding.txt folds it. x/text's cases.Fold
// maps Cherokee's capitals to its small letters, and its small letters to its capitals
// (golang/go#46101), where Unicode folds the small letters to the capitals, in which Cherokee
// was first encoded: a copy in the other case was another text, and a second fold changed
// the first. The small letters are mapped to the capitals after it.
func foldOnce(s string) string {
	s = cases.Fold().String(s)
	// The small letters are U+13F8–13FD (E1 8F B8–BD) and U+AB70–ABBF (EA AD B0 to EA AE BF).
	if !strings.Contains(s, "\xe1\x8f") && !strings.Contains(s, "\xea\xad") && !strings.Contains(s, "\xea\xae") {
		return s
	}
	return strings.Map(cherokeeCapital, s)
}

// cherokeeCapital returns the capital of Cherokee small letter r, or r itself.
func cherokeeCapital(r rune) rune {
	switch {
	case r >= 0x13f8 && r <= 0x13fd:
		return r - 8
	case r >= 0xab70 && r <= 0xabbf:
		return r - 0xab70 + 0x13a0
	}
	return r
}

// significant reports whether rs[i], which is not part of a word, tells what a figure says,
// so that a text without it, or with another in its place, is not the same text: a currency
// sign, a mathematical sign (+ < = > ± × ÷ …, not the | and ~ of Markdown's tables and
// strikethrough), a percent, per-mille or degree sign (Arabic's too), a minus before a digit
// ("-15", or "- 15" with spaces, or a line break, between), and a separator between two digits
// ("1,500" and "1.500", "10:30", "12/11", "10-20", Arabic's decimal and thousands
// separators, any other punctuation mark: "2·5"), and a decimal point or comma that begins
// a figure (".15%"). Normalize drops them all with the rest of the punctuation: that is right for
// finding a letter, but "+15%" is not "-15%", and "$1,500,000" is not "€1.500.000". A bidirectional control counts too, wherever it stands:
// it changes the order in which a reader sees the characters ("12" shown as "21", two
// figures swapped) without changing the characters; and so does an invisible format
// character other than those Normalize drops (zeroWidth) between two letters or digits,
// which shows the words it separates as one ("re\u2063sign" reads "resign", not
// "re-sign"); and, beside a digit, a symbol of another class or a quotation mark drawn as a
// sign ("➕15%", "‹5,000").
func significant(rs []rune, i int) bool {
	r := rs[i]
	digitAt := func(j int) bool { return j >= 0 && j < len(rs) && unicode.IsDigit(rs[j]) }
	// digitAfter reports whether a digit follows rs[i], with nothing or spaces between, a
	// line break among them but not a blank line: "− 15%", a minus typeset apart from its
	// figure, reads "-15%", and so does "−" at the end of a line before "15%" at the start
	// of the next (a copy may wrap its lines there, another not).
	digitAfter := func() bool {
		j, breaks := i+1, 0
		for ; j < len(rs) && unicode.IsSpace(rs[j]); j++ {
			if rs[j] == '\n' {
				if breaks++; breaks > 1 {
					return false
				}
			}
		}
		return digitAt(j)
	}
	switch {
	case r == '|' || r == '~':
		return false
	case unicode.In(r, unicode.Sc, unicode.Sm, unicode.Bidi_Control):
		return true
	case unicode.Is(unicode.Cf, r) && i > 0 && i+1 < len(rs) && isWordRune(rs[i-1]) && isWordRune(rs[i+1]):
		return true
	case strings.ContainsRune("%‰‱°٪؉؊", r):
		return true
	case (strings.ContainsRune(".,:/٫٬،", r) || minusLike(r) || unicode.Is(unicode.Po, r)) && digitAt(i-1) && digitAt(i+1):
		// Any other punctuation mark between two digits too: a middle dot ("2·5", a
		// decimal point in Britain), an ideographic comma, an Urdu full stop, a semicolon,
		// a raised or turned comma shows one figure as a reader reads it, not as "2 5".
		return true
	case minusLike(r) && digitAfter() && (i == 0 || !isWordRune(rs[i-1])):
		return true
	case (unicode.In(r, unicode.Sk, unicode.So) || strings.ContainsRune(angleSigns, r) || strings.ContainsRune(crossSigns, r)) && (digitAt(i-1) || digitAfter()):
		// A symbol that is not a mathematical sign but draws as one ("➕", "─", "˖", "˃")
		// or as a currency sign, or a quotation mark or bracket drawn as "<" or ">"
		// ("‹", "›", "❮", "〈"), or a punctuation mark drawn as "+" or "-" ("†", "⁃"),
		// tells the reader what the figure beside it says as the sign it looks like does:
		// "➕15%" reads "+15%", "‹5,000" reads "<5,000".
		return true
	case strings.ContainsRune(".,·٫٬", r) && digitAt(i+1) && (i == 0 || !isWordRune(rs[i-1])):
		// A decimal point or comma that begins a figure: ".15%" and ",15%" read 0.15%.
		return true
	}
	return false
}

// crossSigns are punctuation marks that a reader takes for "+" (a dagger, a runic cross, a
// dotted cross) or "-" (a hyphen bullet) beside a figure.
const crossSigns = "†᛭⁜⁃"

// angleSigns are the quotation marks and brackets (not symbols in Unicode's classes) that a
// reader takes for "<" or ">" beside a figure.
const angleSigns = "‹›❮❯❬❭❰❱〈〉⟨⟩〈〉⦑⦒⧼⧽"

// minusLike reports whether r reads as a minus before a figure: a hyphen or a dash (Unicode's
// Dash property; the confusables fold most to "-" before NFKC, but NFKC makes some, such as
// U+FE58 SMALL EM DASH, after), or the modifier letter and heavy minus signs.
func minusLike(r rune) bool {
	return unicode.Is(unicode.Dash, r) || r == '\u02d7' || r == '\u2796'
}

// Strict returns the words of text as Normalize finds them, with the significant symbols
// Normalize drops in their places: what SameText and Quotes compare. The quotation marks an
// e-mail reply puts before every line of text are not among them (see mailUnquoted).
func Strict(text string) []string { return strictTokens(mailUnquoted(text)) }

// strictTokens returns the words of text and its significant symbols, as Strict does, with
// every ">" of text, the ones before each of its lines included.
func strictTokens(text string) []string {
	var out []string
	add := func(t string) { out = append(out, t) }
	eachToken(text, add, add)
	return out
}

// readings returns the tokens of query that SameText and Quotes look for among a letter's
// (strictTokens, which keep every ">"): those of Strict, without the quotation marks an
// e-mail reply puts before every line of it, and, when it has such marks, those of query as
// it is, whose ">" may be the signs of a letter whose lines begin with it.
func readings(query string) [][]string {
	unquoted := mailUnquoted(query)
	if unquoted == query {
		return [][]string{strictTokens(query)}
	}
	return [][]string{strictTokens(unquoted), strictTokens(query)}
}

// mailUnquoted returns text without the quotation marks an e-mail reply puts before each of
// its lines ("> ", ">> ", "> > "): when every line that is not blank begins, after spaces,
// with at least d such marks, and two lines or more do, the first d marks of each line and
// the spaces after them are removed. A ">" that is not the mark of every line stays, as a
// sign that may say "more than": the extra mark of a line quoted once more than the others,
// a ">" before one line of a text whose other lines have none, and one before a text of a
// single line.
func mailUnquoted(text string) string {
	if !strings.Contains(text, ">") {
		return text
	}
	lines := strings.Split(text, "\n")
	depth, marked := 0, 0
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		d, _ := quoteMarks(l, -1)
		if d == 0 {
			return text
		}
		if marked == 0 || d < depth {
			depth = d
		}
		marked++
	}
	if marked < 2 {
		return text
	}
	for i, l := range lines {
		_, rest := quoteMarks(l, depth)
		lines[i] = l[rest:]
	}
	return strings.Join(lines, "\n")
}

// quoteMarks counts the e-mail quotation marks that begin line (each ">" with the spaces and
// tabs before and after it), at most limit of them when limit is not negative, and returns
// their number and the index in line just after them.
func quoteMarks(line string, limit int) (n, end int) {
	i := 0
	for limit < 0 || n < limit {
		j := i
		for j < len(line) && (line[j] == ' ' || line[j] == '\t') {
			j++
		}
		if j == len(line) || line[j] != '>' {
			break
		}
		j++
		for j < len(line) && (line[j] == ' ' || line[j] == '\t') {
			j++
		}
		n, i = n+1, j
	}
	return n, i
}

// SameText reports whether query is the text of letter, word for word and sign for sign:
// their Normalize forms are equal, and so are the significant symbols between their words
// (see Strict). A copy retyped in capitals, with typographic quotes or dashes, other line
// breaks or other sentence punctuation is the same text; one with "+15%" for "-15%", "€"
// for "$" or "1.500" for "1,500" is not. The quotation marks an e-mail reply puts before
// every line of query are not signs of it; but a letter whose every line begins with ">"
// shows them as signs ("> 500 trucks" says "more than"), which query must have too.
func SameText(letter, query string) bool {
	if !slices.Equal(Strict(letter), Strict(query)) {
		return false
	}
	if mailUnquoted(letter) == letter {
		return true
	}
	want := strictTokens(letter)
	return slices.ContainsFunc(readings(query), func(q []string) bool { return slices.Equal(want, q) })
}

// Quotes reports whether query is a part of letter, word for word and sign for sign, in the
// sense of SameText: its Strict tokens, or its tokens as it is when it has a reply's
// quotation marks (see readings), are a run of the letter's, every ">" of the letter kept
// (strictTokens). An empty query quotes nothing.
//
// A run that begins or ends inside one of the letter's figures, its sign or a part of its
// digits left out ("1" of "$1,500,000 to the contractor", "15%" of "-15%", "1" of the French
// "1 500 000"), is no quotation of it: what it shows is another figure (cutsFigure).
func Quotes(letter, query string) bool {
	var in []string
	var apart []bool // apart[i]: toks[i-1] and toks[i] are set apart (eachTokenApart)
	gap := false
	add := func(t string) { in, apart, gap = append(in, t), append(apart, gap), false }
	eachTokenApart(letter, add, add, func() { gap = true })
	cut := func(i int) bool { return cutsFigure(in, i) && !apart[i] }
	whole := func(i, n int) bool { return !cut(i) && (i+n >= len(in) || !cut(i+n)) }
	return slices.ContainsFunc(readings(query), func(q []string) bool {
		return indexRunWhere(in, q, func(i int) bool { return whole(i, len(q)) }) >= 0
	})
}

// cutsFigure reports whether a cut of the tokens toks (Strict's) before toks[i] splits a
// figure: a significant sign and a word with a digit meet there, or two words with digits
// (a figure whose groups are separated by spaces, "1 500 000"). Quotes does not ask it
// where the letter sets the two apart ("in 2026. 15 ships", eachTokenApart).
func cutsFigure(toks []string, i int) bool {
	if i <= 0 || i >= len(toks) {
		return false
	}
	a, b := toks[i-1], toks[i]
	da, db := hasDigit([]string{a}), hasDigit([]string{b})
	return isSign(a) && db || da && (isSign(b) || db)
}

// isSign reports whether tok, one of Strict's tokens, is a sign rather than a word.
func isSign(tok string) bool {
	return strings.ContainsFunc(tok, func(r rune) bool { return !isWordRune(r) && !isIdeograph(r) })
}

// indexRun returns the index of the first run of s equal to sub, or -1, in time linear in
// their lengths (Knuth–Morris–Pratt): both come from the network, and a text of repeated
// words would make the naive search quadratic.
func indexRun(s, sub []string) int { return indexRunWhere(s, sub, nil) }

// indexRunWhere returns the index of the first run of s equal to sub for which ok, when not
// nil, reports true, or -1, as indexRun does.
func indexRunWhere(s, sub []string, ok func(int) bool) int {
	if len(sub) == 0 {
		return -1
	}
	// fail[i] is the length of the longest proper prefix of sub[:i+1] that is also its suffix.
	fail := make([]int, len(sub))
	for i, k := 1, 0; i < len(sub); i++ {
		for k > 0 && sub[i] != sub[k] {
			k = fail[k-1]
		}
		if sub[i] == sub[k] {
			k++
		}
		fail[i] = k
	}
	for i, k := 0, 0; i < len(s); i++ {
		for k > 0 && s[i] != sub[k] {
			k = fail[k-1]
		}
		if s[i] == sub[k] {
			k++
		}
		if k == len(sub) {
			if at := i - len(sub) + 1; ok == nil || ok(at) {
				return at
			}
			k = fail[k-1]
		}
	}
	return -1
}

// lineBreakHyphen reports whether rs[i:] is horizontal space, one line break, any space, and
// then a letter, and returns the index of that letter.
func lineBreakHyphen(rs []rune, i int) (int, bool) {
	for i < len(rs) && (rs[i] == ' ' || rs[i] == '\t') {
		i++
	}
	if i == len(rs) || (rs[i] != '\n' && rs[i] != '\r') {
		return 0, false
	}
	if rs[i] == '\r' && i+1 < len(rs) && rs[i+1] == '\n' {
		i++
	}
	i++
	for i < len(rs) && (rs[i] == ' ' || rs[i] == '\t') {
		i++
	}
	if i < len(rs) && unicode.IsLetter(rs[i]) {
		return i, true
	}
	return 0, false
}

// tatweel is the Arabic tatweel or kashida, a stroke that lengthens a word drawn justified or
// for emphasis: a copy may have it or not.
const tatweel = '\u0640'

// zeroWidth reports whether r is a character drawn as nothing that a copy may have or lack
// anywhere: the zero-width space (a line may break there; Thai and Khmer mark words so), the
// zero-width non-joiner and joiner (the letters beside it are drawn apart or joined), the
// word joiner and the zero-width no-break space (no line break there). Text copied from a
// page that traces its readers holds them between letters. The bidirectional controls, which
// change what a reader sees, are not among them (significant).
func zeroWidth(r rune) bool {
	switch r {
	case '\u200b', script.NonJoiner, '\u200d', '\u2060', '\ufeff':
		return true
	}
	return false
}

// dropInvisible returns rs, in place, without its tatweels and the characters drawn as
// nothing (zeroWidth), which are not part of it, save each non-joiner that keeps two letters
// apart (script.JoiningBreaks), which becomes a space; and whether a character left right
// after a dropped one may compose with the one before it (a mark after a letter, a vowel
// jamo), so that NFKC and case folding must be made again. rs itself is returned when it
// holds none: a Persian text holds non-joiners in most of its lines, and seldom one between
// a letter and its mark, so that its text is read once.
func dropInvisible(rs []rune) (kept []rune, compose bool) {
	invisible := func(r rune) bool { return r == tatweel || zeroWidth(r) }
	if !slices.ContainsFunc(rs, invisible) {
		return rs, false
	}
	// Where a non-joiner keeps letters apart is read before rs is changed.
	breaks := script.JoiningBreaks(rs)
	kept = rs[:0]
	dropped := false
	var buf [utf8.UTFMax]byte
	for i, r := range rs {
		switch {
		case len(breaks) > 0 && breaks[0] == i:
			breaks = breaks[1:]
			kept, dropped = append(kept, ' '), false
		case invisible(r):
			// Drawn only to stretch a word, or not drawn, it is not part of it.
			dropped = true
		default:
			if dropped && !compose {
				compose = !norm.NFKC.Properties(buf[:utf8.EncodeRune(buf[:], r)]).BoundaryBefore()
			}
			kept, dropped = append(kept, r), false
		}
	}
	return kept, compose
}

// HasZeroWidth reports whether text holds a character that Normalize drops as drawn as
// nothing, or reads as a break between words where it keeps Arabic letters apart.
func HasZeroWidth(text string) bool {
	return strings.ContainsFunc(text, zeroWidth)
}

// HasRefolded reports whether text holds a letter that Normalize reads otherwise than the
// builds before the fifty-fourth session's did: a Cherokee letter (they folded its capitals to
// its small letters), U+0149 (a modifier letter and n), an Arabic mathematical letter (the
// letters joined), or letters and marks whose folding NFKC changes (they folded once, see
// fold).
func HasRefolded(text string) bool {
	return strings.ContainsFunc(text, func(r rune) bool {
		return r >= 0x13a0 && r <= 0x13ff || r >= 0xab70 && r <= 0xabbf || r == 0x0149 ||
			r >= 0x1ee00 && r <= 0x1eeff
	}) || refolds(confusables.Replace(text))
}

// refolds reports whether fold folds text in NFKC more than once (refolded changes its
// folding).
func refolds(text string) bool {
	if isASCII(text) {
		return false
	}
	s := foldOnce(norm.NFKC.String(text))
	return refolded(s) != s
}

func isIdeograph(r rune) bool {
	return r >= 0x2E80 && unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana)
}

func isWordRune(r rune) bool {
	if r < 0x80 {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsNumber(r)
}

// skeleton folds a normalized word further for hashing, where OCR confusions are cheap to
// undo: combining marks are dropped (OCR loses accents: "é" and "e" agree), "0" reads as "o",
// "1" as "l", and "rn" as "m". The folding can merge distinct words ("10" and "lo"); it only
// makes shingles more tolerant, never the exact hash.
func skeleton(w string) string {
	if isPlainLower(w) && !strings.Contains(w, "rn") {
		return w
	}
	var b strings.Builder
	for _, r := range norm.NFD.String(w) {
		switch {
		case unicode.IsMark(r):
		case r == '0':
			b.WriteByte('o')
		case r == '1':
			b.WriteByte('l')
		default:
			b.WriteRune(r)
		}
	}
	return strings.ReplaceAll(b.String(), "rn", "m")
}

// isPlainLower reports whether w is only ASCII lower-case letters and digits 2-9.
func isPlainLower(w string) bool {
	for i := 0; i < len(w); i++ {
		c := w[i]
		if (c < 'a' || c > 'z') && (c < '2' || c > '9') {
			return false
		}
	}
	return true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// NormalizedSize returns the length in bytes of text in NFKC, the form Normalize and Compute
// work on, counted no further than limit: past it, the number returned is above limit. It
// keeps nothing of that form, so a text short enough to be sent but many times longer in
// NFKC (U+FDFA, three bytes, is 33 in NFKC, four words) is measured before any work is
// spent on it. Each Arabic presentation form, and each Arabic mathematical letter, counts one
// byte more, for the break between words that may be read after it where it draws letters
// apart (script.FormsApart): a text of isolated forms is as many one-letter words.
func NormalizedSize(text string, limit int) int {
	var it norm.Iter
	it.InitString(norm.NFKC, text)
	n := script.CountForms(text, limit)
	for !it.Done() && n <= limit {
		n += len(it.Next())
	}
	return n
}

// MinTextLayerWords is the fewest words a PDF's text layer must have to be identified by
// its words (see ReadsAsText): a scanner's PDF has none, or only a line of its own.
const MinTextLayerWords = 20

// ReadsAsText reports whether text, a PDF's text layer, can be identified by its words: it
// has at least MinTextLayerWords words, and letters, digits and marks make at least half of
// its characters that are not spaces. A layer that fails either is not what the pages say,
// and the pages are read as a scan instead: a scanner's PDF has no layer, and a PDF printed
// again by a program that drops its fonts' maps to Unicode (Ghostscript's pdfwrite, behind
// many "print to PDF" commands, with the Type 3 fonts of the office's letters) has a layer of
// the glyphs' codes, mostly punctuation, that no letter's text matches.
func ReadsAsText(text string) bool {
	var chars, word int
	for _, r := range text {
		switch {
		case unicode.IsSpace(r):
		case isWordRune(r) || isIdeograph(r):
			chars++
			word++
		default:
			chars++
		}
	}
	return 2*word >= chars && Compute(text).Words >= MinTextLayerWords
}

package identify

import (
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/chancery/chancery/internal/textdiff"
	"golang.org/x/text/unicode/norm"
)

// A ScanDiff is a run of words of a comparison between a letter's text and the text read
// from a scan of it (see [CompareScan]). Words are normalized (see [Normalize]).
type ScanDiff struct {
	// Letter and Scan are the run's words in the letter and in the scan, with their signs
	// (see scanWords: "$1", "15%"): the same words when the run is kept, one of them empty
	// for a pure deletion or insertion.
	Letter, Scan []string
	// Material says the run changes the letter: a figure differs, a word was added or
	// removed, or a word differs by more than OCR misreads it. Runs that are only OCR noise
	// are not material, and neither are kept ones.
	Material bool
}

// A ScanComparison is the outcome of CompareScan.
type ScanComparison struct {
	// Runs, in order, kept and changed: Letter words of all runs give the letter's words,
	// Scan words the scan's.
	Runs []ScanDiff
	// Kept is the share of the letter's words that the scan reads the same, up to OCR
	// confusions; Noise is the number of changed runs judged to be OCR noise.
	Kept  float64
	Noise int
	// Whole is the share of the whole letter's words that the scan reads the same: Kept,
	// unless the scan was compared with some of the letter's pages only (CompareScanPages),
	// whose words are then a part of the letter's.
	Whole float64
	// Partial says the scan lacks the letter's beginning or end (pages not scanned): the
	// runs missing there are not material.
	Partial bool
}

// Same reports whether the scan reads as the letter, OCR noise aside: no run is material.
func (c ScanComparison) Same() bool {
	for _, r := range c.Runs {
		if r.Material {
			return false
		}
	}
	return true
}

// Changed returns the number of words in material runs, the letter's and the scan's: the
// smaller, the closer the scan is to this text of the letter.
func (c ScanComparison) Changed() int {
	n := 0
	for _, r := range c.Runs {
		if r.Material {
			n += len(r.Letter) + len(r.Scan)
		}
	}
	return n
}

// CompareScan compares a letter's text with the text OCR read from a scan of it, word by
// word, and judges each difference. OCR misreads characters (0 and O, 1, l and I, 5 and S, rn
// and m, accents, quotes, dashes, ligatures, hyphens at line ends, words split or joined), so
// words are folded into their shapes (see ocrFold) before they are compared. A changed run
// that remains is noise when, in a run with a figure, the characters that are or look like
// digits agree, and the run is one misread character (one more for every sixteen; in a word of
// four letters or fewer, only look-alike letters in place; in one of two letters without a
// figure, any one letter; a word of one letter lost; never an ideograph or a kana, each a
// word of Chinese or Japanese); a long code of random letters and
// digits (an account number, say) is held to its digits and to look-alike letters in place,
// except the letter's check code (see below); a run of at most three stray one- or
// two-letter marks without a digit (specks, a seal's or a QR code's pattern) is noise too,
// unless one is a negation ("no", see isNegation). French "n'" before a verb, added or
// dropped, is material however short the word it joins ("n'a pu", see elidedNegation).
// Any other difference is material: a figure changed, added or removed, a word changed beyond
// a misreading, words added or removed; except that words missing at the very beginning or
// end are pages not scanned (Partial). A run whose figures' signs differ, or stand at other
// places among its digits (a currency sign, % ‰ + < = >, which OCR reads as well as digits;
// see scanWords and signPlaces), is material too, the check code's own reading aside. The
// letter's text should be what its printed pages show (see package ocr's VisibleText), so
// that the letterhead and footer are not differences. A ">" before every line of letter is
// one of its signs; before every line of scan, it may be an e-mail reply's quotation marks
// (see mailUnquoted), and scan is compared both as it is and without them, the comparison
// with fewer changes kept.
//
// checkCode is the letter's check code as printed in its footer ("" when unknown): a
// capability, not the letter's content, whose random characters OCR misreads beyond
// look-alikes (7 read as z, 4 as a). Its reading is noise when it is within a third of its
// length of the code; a code replaced is still material. Any other code is judged strictly.
func CompareScan(letter, scan, checkCode string) ScanComparison {
	c := compareScan(letter, scan, scanJudge{checkCode: strings.ToLower(checkCode)})
	if unquoted := mailUnquoted(scan); unquoted != scan && !c.Same() {
		if u := compareScan(letter, unquoted, scanJudge{checkCode: strings.ToLower(checkCode)}); u.Changed() < c.Changed() {
			return u
		}
	}
	return c
}

// ComparePages compares a PDF's text with the text OCR read from its pages rendered (see
// ocr.Reader.ReadPages), as CompareScan does a scan, but strictly: pages rendered from the
// file are read far better than paper through a scanner (pagesbench, docs/benchmarks.md
// "Session 54": 0 and 2 false warnings on 60 ordinary PDFs of each of two corpora, where the
// rules for scans warned on 18 and 20 and let through nearly every letter changed in a word
// of five or more). Words must agree once folded (ocrFold: case, accents, 0 and o, 1 and l, rn
// and m; a bar read for an l, barsAsL), so "million" and "billion", "hired" and "fired"
// differ; a run with a figure keeps its figures' words as they are ("10.5" and "105"
// differ); words the pages add are noise only when they are at most three marks of one
// character each ("if so" is material); a letter of the text that OCR's languages lack (ø,
// ř, ł) may be read as the letter it is written on, or as one OCR was seen to read for it
// (readsAs). A run of minMoved words or more found unchanged elsewhere, at an edge of the
// same page, is not a difference (see moved).
func ComparePages(text, pages string) ScanComparison {
	return compareScan(text, barsAsL(pages), scanJudge{strict: true})
}

// barsAsL returns pages read with each bar ("|") that touches a letter, or stands before an
// apostrophe, as the "l" Tesseract read it for: the "l" of a French elided article before a
// capital ("l’Ambassadeur") is read "|’Ambassadeur", a word the text does not have. A bar
// apart from words stays a mark.
func barsAsL(pages string) string {
	if !strings.Contains(pages, "|") {
		return pages
	}
	rs := []rune(pages)
	for i, r := range rs {
		if r != '|' {
			continue
		}
		before := i > 0 && unicode.IsLetter(rs[i-1])
		after := i+1 < len(rs) && (unicode.IsLetter(rs[i+1]) || rs[i+1] == '\'' || rs[i+1] == '’')
		if before || after {
			rs[i] = 'l'
		}
	}
	return string(rs)
}

// compareScan is CompareScan of scan as it is, judged by j.
func compareScan(letter, scan string, j scanJudge) ScanComparison {
	lw, lsg, lapart := scanWordsApart(letter)
	sw, ssg := scanWords(scan)
	lf, sf := make([]string, len(lw)), make([]string, len(sw))
	for i, w := range lw {
		if j.strict {
			w = unreadLetters(w)
		}
		lf[i] = ocrFold(w)
	}
	for i, w := range sw {
		sf[i] = ocrFold(w)
	}
	var c ScanComparison
	var spans [][4]int // each run's words: letter from, to; scan from, to
	li, si, kept := 0, 0, 0
	var pending ScanDiff
	flush := func() {
		if len(pending.Letter)+len(pending.Scan) == 0 {
			return
		}
		pending.Material = j.material(foldedRun(lf, li-len(pending.Letter), li), foldedRun(sf, si-len(pending.Scan), si), pending.Letter, pending.Scan)
		if !pending.Material {
			c.Noise++
		}
		c.Runs = append(c.Runs, pending)
		spans = append(spans, [4]int{li - len(pending.Letter), li, si - len(pending.Scan), si})
		pending = ScanDiff{}
	}
	for _, op := range textdiff.Words(diffText(lw, lf, lsg), diffText(sw, sf, ssg)) {
		n := len(strings.Fields(op.Text))
		switch op.Kind {
		case textdiff.Equal:
			if n == 0 {
				continue
			}
			flush()
			c.Runs = append(c.Runs, ScanDiff{Letter: lw[li : li+n], Scan: sw[si : si+n]})
			spans = append(spans, [4]int{li, li + n, si, si + n})
			li, si, kept = li+n, si+n, kept+n
		case textdiff.Delete:
			pending.Letter = append(pending.Letter, lw[li:li+n]...)
			li += n
		case textdiff.Insert:
			pending.Scan = append(pending.Scan, sw[si:si+n]...)
			si += n
		}
	}
	flush()
	if j.strict {
		c.Noise += moved(c.Runs, spans, lf, sf, pageStarts(letter, len(lw)), pageStarts(scan, len(sw)))
	}
	// A scan of some of the pages misses the letter's beginning or its end: that is part of
	// the letter, as an excerpt is, not a change.
	// Not when the scan stops, or starts, inside a figure whose groups of digits the letter
	// separates with spaces: "will pay 1" of "will pay 1 500 000 euros", cropped after its
	// first group, shows another figure.
	for _, i := range []int{0, len(c.Runs) - 1} {
		if len(c.Runs) > 1 && c.Runs[i].Material && len(c.Runs[i].Scan) == 0 && !cutFigure(lw, lapart, spans[i], i == 0) {
			c.Runs[i].Material, c.Partial = false, true
		}
	}
	// After the letter's last word, at the foot of its last page, stand the QR code and the
	// seal's marks, whose patterns OCR reads as a few short groups of letters ("dea"). When
	// OCR also misread the letter's last words, the diff joins both in one run ("log." read
	// as "tog", then "es"): the run is noise if its scan words end in such groups and the
	// rest is noise by the rules for any run, as the two runs would each be apart. Not for
	// pages rendered from a file (strict): a draft's have neither, and short words the pages
	// add at the end ("if so") are material there.
	if last := len(c.Runs) - 1; last > 0 && !j.strict && c.Runs[last].Material && j.tailNoise(c.Runs[last], lf[li-len(c.Runs[last].Letter):li]) {
		c.Runs[last].Material = false
		c.Noise++
	}
	// Signs are not words, and OCR reads the ones that tell what a figure says ($ € £ % + <
	// = >) as well as it reads digits: a run whose figures' signs differ is material,
	// whatever its words, except pages not scanned. Each run then shows its figures with
	// their signs.
	for i, sp := range spans {
		r := &c.Runs[i]
		unscanned := c.Partial && len(r.Scan) == 0 && (i == 0 || i == len(c.Runs)-1)
		if !r.Material && !unscanned {
			lf, lsg, sf, ssg := lf[sp[0]:sp[1]], lsg[sp[0]:sp[1]], sf[sp[2]:sp[3]], ssg[sp[2]:sp[3]]
			same, judged := true, true
			if j.checkCode != "" && slices.Contains(r.Letter, j.checkCode) {
				// The check code's reading is judged by its characters alone: OCR reads its
				// "c" as "¢" as readily as its "5" as "s". The words beside it are judged.
				same, judged = j.signsBesideCode(r.Letter, lf, lsg, sf, ssg)
			} else {
				same = signPlaces(lf, lsg) == signPlaces(sf, ssg)
			}
			if judged && !same {
				r.Material = true
				c.Noise--
			}
		}
		r.Letter, r.Scan = withSigns(lw[sp[0]:sp[1]], lsg[sp[0]:sp[1]]), withSigns(sw[sp[2]:sp[3]], ssg[sp[2]:sp[3]])
	}
	if len(lw) > 0 {
		c.Kept = float64(kept) / float64(len(lw))
	}
	c.Whole = c.Kept
	return c
}

// CompareScanPages is CompareScan for a scan of some of the letter's pages: when the scan
// has fewer pages (separated by form feeds) than the letter, it is compared with each run of
// as many consecutive pages of the letter, and the closest comparison is returned, Partial.
// So a photo of page 2 of a letter is compared with page 2, not with the whole letter, where
// the footers of other pages would align with stray words; its Whole is still a share of the
// whole letter's words.
func CompareScanPages(letter, scan, checkCode string) ScanComparison {
	best := CompareScan(letter, scan, checkCode)
	lp := strings.Split(letter, "\f")
	n := strings.Count(scan, "\f") + 1
	if n >= len(lp) || best.Same() {
		return best
	}
	words, _ := scanWords(letter)
	for i := 0; i+n <= len(lp); i++ {
		part := strings.Join(lp[i:i+n], "\f")
		if strings.TrimSpace(part) == "" {
			// pdftotext ends every page with a form feed, the last one too: the empty
			// "page" after it is no page of the letter, and everything would differ
			// from it by the scan's words alone, fewer than from a real page with many.
			continue
		}
		c := CompareScan(part, scan, checkCode)
		if c.Changed() < best.Changed() {
			c.Partial = true
			if len(words) > 0 {
				partWords, _ := scanWords(part)
				c.Whole = c.Kept * float64(len(partWords)) / float64(len(words))
			}
			best = c
		}
	}
	return best
}

// scanWords returns the normalized words of text and, for each, the signs a scan is judged
// by that stand with it, if it is a figure (digits only): those just before it (currency
// signs, + < = >) and those just after it (% ‰, and Arabic's; and currency signs and + < = >
// not followed by a figure: "1 500 000 €", "18+"), set apart by a zero byte. Signs beside
// other words, which a misread stamp, QR code or check code may also produce, are left out.
// ± is read as + by OCR, and is +.
func scanWords(text string) (ws, signs []string) {
	ws, signs, _ = scanWordsApart(text)
	return ws, signs
}

// scanWordsApart is scanWords, with, for each word, whether the text sets it apart from the
// word before it as parts of one figure could not be (eachTokenApart).
func scanWordsApart(text string) (ws, signs []string, apart []bool) {
	gap := false
	var pre []string
	after := func() {
		if n := len(ws); n > 0 && len(pre) > 0 && isFigure(ws[n-1]) {
			signs[n-1] += "\x00" + strings.Join(pre, "")
		}
	}
	eachTokenApart(text, func(w string) {
		if !isFigure(w) {
			after()
		}
		ws = append(ws, w)
		apart, gap = append(apart, gap), false
		signs = append(signs, "")
		if isFigure(w) {
			signs[len(ws)-1] = strings.Join(pre, "")
		}
		pre = pre[:0]
	}, func(sym string) {
		r := []rune(sym)[0]
		switch {
		case r == '%' || r == '‰' || r == '٪' || r == '؉':
			if n := len(ws); n > 0 && len(pre) == 0 && isFigure(ws[n-1]) {
				signs[n-1] += "\x00" + sym
			}
		case r == '±':
			pre = append(pre, "+")
		case r == '+' || r == '<' || r == '=' || r == '>' || unicode.Is(unicode.Sc, r):
			pre = append(pre, sym)
		}
	}, func() { gap = true })
	after()
	return joinElided(ws, signs, apart)
}

// joinElided joins French "n'" read apart from its verb ("n' a pu", a PDF's text that puts
// the apostrophe's word apart) to it, as Normalize writes "n'a pu": "na". So the same
// negation written either way is the same word, and elidedNegation finds it.
func joinElided(ws, signs []string, apart []bool) ([]string, []string, []bool) {
	for i := 0; i+1 < len(ws); i++ {
		if ws[i] == "n" && elidable(ws[i+1]) {
			ws = slices.Replace(ws, i, i+2, "n"+ws[i+1])
			signs = slices.Delete(signs, i, i+1)
			apart = slices.Delete(apart, i+1, i+2)
		}
	}
	return ws, signs, apart
}

// elidable reports whether w begins with a vowel or an h, its accents aside: a French word
// before which "ne" is written "n'".
func elidable(w string) bool {
	r, _ := utf8.DecodeRuneInString(norm.NFD.String(w))
	return strings.ContainsRune("aeiouyh", r)
}

// elidedNegation reports whether a word of ws is French "n'" joined to a word that others
// hold without it, OCR's misreadings aside ("na" where others read "a", "navait" where they
// read "avait"): "Votre demande n'a pu être satisfaite" (could not be) and "a pu être
// satisfaite" (could be) differ by a letter, and by their meaning.
func elidedNegation(ws, others []string) bool {
	for _, w := range ws {
		rest, ok := strings.CutPrefix(w, "n")
		if !ok || !elidable(rest) {
			continue
		}
		for _, o := range others {
			if ocrFold(o) == ocrFold(rest) {
				return true
			}
		}
	}
	return false
}

// signPlaces returns the signs of a run's words (see scanWords) with their places among the
// run's figures: each sign after the number of characters of the run's folded words, before
// it, that are or may be digits (figures). OCR splits and joins words, but leaves a sign
// between the same digits, so a sign moved to another figure ("3 $250" read "$3 250") is
// told from one misread in its place.
func signPlaces(folded, signs []string) string {
	var b strings.Builder
	at := 0
	for i, f := range folded {
		before, after, _ := strings.Cut(signs[i], "\x00")
		if before != "" {
			fmt.Fprintf(&b, "%d%s\x00", at, before)
		}
		at += utf8.RuneCountInString(figures(f))
		if after = strings.ReplaceAll(after, "\x00", ""); after != "" {
			fmt.Fprintf(&b, "%d%s\x00", at, after)
		}
	}
	return b.String()
}

// cutFigure reports whether the letter's words lw[sp[0]:sp[1]], a run the scan lacks at its
// start (first) or its end, and the word beside them that it has are groups of digits of one
// figure: the run's word next to the scan's and that word are figures, and the letter does
// not set them apart (apart, of scanWordsApart: "in 2026.", then a paragraph "2." on the
// page the scan begins with, are two figures).
func cutFigure(lw []string, apart []bool, sp [4]int, first bool) bool {
	if sp[0] >= sp[1] {
		return false
	}
	if first {
		return sp[1] < len(lw) && isFigure(lw[sp[1]-1]) && isFigure(lw[sp[1]]) && !apart[sp[1]]
	}
	return sp[0] > 0 && isFigure(lw[sp[0]-1]) && isFigure(lw[sp[0]]) && !apart[sp[0]]
}

// isFigure reports whether a normalized word is a figure: digits only.
func isFigure(w string) bool {
	return w != "" && !strings.ContainsFunc(w, func(r rune) bool { return !unicode.IsDigit(r) })
}

// withSigns returns words ws shown with their signs (see scanWords): "$1", "15%".
func withSigns(ws, signs []string) []string {
	if !slices.ContainsFunc(signs, func(s string) bool { return s != "" }) {
		return ws
	}
	out := make([]string, len(ws))
	for i, w := range ws {
		before, after, _ := strings.Cut(signs[i], "\x00")
		out[i] = before + w + strings.ReplaceAll(after, "\x00", "")
	}
	return out
}

func foldedRun(folded []string, from, to int) string { return strings.Join(folded[from:to], "") }

// diffText is the text CompareScan diffs for words ws, whose folds are folded: the folds,
// separated by spaces, each one token of the diff, so that the diff's words are ws one for
// one. A fold that is not one token of the diff (textdiff.Tokens) is replaced by "Q" and
// the word's bytes in upper-case hex: an empty one (a word of combining marks alone, such as
// the accent NFKC separates from a spacing "˘" or "¨"), or one the diff would cut (a number
// that is neither a digit nor a letter). That is a single token, the same for the same word
// and never a fold (folds are in lower case). Without it, the word would vanish from the text or count as several, and
// every word after it would be paired with another one.
func diffText(ws, folded, signs []string) string {
	var b strings.Builder
	for i, f := range folded {
		if i > 0 {
			b.WriteByte(' ')
		}
		if len(textdiff.Tokens(f)) == 1 {
			b.WriteString(f)
		} else {
			b.WriteByte('Q')
			b.WriteString(strings.ToUpper(hex.EncodeToString([]byte(ws[i]))))
		}
		if signs[i] != "" {
			// "Z" and the signs in hex: the token stays one, and differs from the same
			// word's with other signs.
			b.WriteByte('Z')
			b.WriteString(strings.ToUpper(hex.EncodeToString([]byte(signs[i]))))
		}
	}
	return b.String()
}

// A scanJudge judges the changed runs of one comparison: it knows the letter's check code
// (see CompareScan).
type scanJudge struct {
	checkCode string
	// strict judges pages rendered from a file (ComparePages) rather than a scan.
	strict bool
	// after holds, during one search of codeCut and the searches it leads to, whether the
	// words after a code are material against the scan's characters after a cut, by how
	// many of each are left: the part after a code may hold another code, whose own search
	// cuts the scan again, so that without it a run of k codes was searched in time
	// exponential in k.
	after map[[2]int]bool
}

// material judges a changed run from its folded letter and scan words, joined without spaces
// (so that a word OCR split in two, or two it joined, compare equal), and its words as read.
func (j scanJudge) material(letter, scan string, letterWords, scanWords []string) bool {
	if slices.ContainsFunc(letterWords, hasIdeograph) || slices.ContainsFunc(scanWords, hasIdeograph) {
		// Chinese and Japanese are words of one ideograph or kana each (Normalize), which
		// the rules for short words and specks would forgive: "不" (not) dropped or added,
		// "三" (three) read as "五" (five). No look-alikes are known here: any change is
		// material.
		return true
	}
	if elidedNegation(letterWords, scanWords) || elidedNegation(scanWords, letterWords) {
		return true
	}
	if len(letterWords) > 1 {
		if i := slices.IndexFunc(letterWords, isCode); i >= 0 && len(scan) <= maxCodeRun {
			return j.codeRunMaterial(letterWords, i, []rune(scan))
		}
	}
	if len(letterWords) == 1 && isCode(letterWords[0]) {
		return j.codeMaterial(letterWords[0], []rune(letter), []rune(scan))
	}
	withFigure := hasDigit(letterWords) || hasDigit(scanWords)
	if withFigure && figures(letter) != figures(scan) {
		return true
	}
	if j.strict && letter != "" && scan != "" {
		return withFigure && len(letterWords) != len(scanWords) || !sameOrUnread([]rune(letter), []rune(scan))
	}
	if letter == "" {
		if j.strict {
			// Pages rendered from a file have no specks, but a logo or a drawing may be
			// read as a letter or two: words of one character each are noise.
			return withFigure || len(scanWords) > 3 || slices.ContainsFunc(scanWords, func(w string) bool { return utf8.RuneCountInString(w) > 1 || isNegation(w) })
		}
		return withFigure || !stray(scanWords)
	}
	if scan == "" {
		// A lone letter lost ("I" at a line's start, read as a rule or a speck) is the
		// counterpart of a stray mark read: noise. A figure, a longer word or a negation
		// lost is not.
		return withFigure || len(letterWords) != 1 || utf8.RuneCountInString(letter) != 1 || isNegation(letterWords[0])
	}
	l, s := []rune(letter), []rune(scan)
	if !withFigure && len(l) <= 2 && len(s) <= 2 {
		// One or two letters, such as a reference's prefix ("IR", "QO"), are where OCR
		// fails most on a poor scan, and one letter more or less there changes no meaning,
		// unless it makes or unmakes a negation.
		return editDistance(l, s) > 1 || slices.ContainsFunc(letterWords, isNegation) || slices.ContainsFunc(scanWords, isNegation)
	}
	if len(l) <= shortRun || len(s) <= shortRun {
		// A short word is changed by one letter ("not", "now"): only letters that look
		// alike may differ, in place.
		return !lookAlikeInPlace(l, s)
	}
	if len(l)*len(s) > maxEditWork {
		return true // a run this long is no misreading
	}
	return editDistance(l, s) > 1+max(len(l), len(s))/16
}

// sameOrUnread reports whether folded runs l and s are the same, but where l has a letter
// OCR does not read (unreadLetters), which s may have as a letter OCR reads for it
// (readsAs).
func sameOrUnread(l, s []rune) bool {
	if len(l) != len(s) {
		return false
	}
	for i := range l {
		if l[i] == s[i] {
			continue
		}
		if l[i] < unreadBase || !strings.ContainsRune(readsAs(l[i]-unreadBase), s[i]) {
			return false
		}
	}
	return true
}

// minMoved is the fewest words of a run that moved (see moved).
const minMoved = 4

// moved finds the material runs of words the pages do not show that the pages show
// elsewhere on the same page, as a run of their own, and the other way round, and makes both
// not material, returning how many it changed. Pages are read in the order a reader's eye
// takes, top to bottom; a text layer holds text in the order its file draws it, where a
// running header may come after the page's body, a footer or a box before it. A run moved
// must be of minMoved words or more, so that words swapped within a sentence ("1,000 to X
// and 5,000 to Y") stay differences; the runs' folded words must be the same (sameOrUnread);
// and each run must begin or end its page, in the text (lp, the first word of each of its
// pages: pageStarts) as on the pages read (sp), so that a line of a list or a table moved
// elsewhere in the body ("Beta" from the offers accepted to those rejected) stays a
// difference. Without pages to tell (nil), no run moved.
func moved(runs []ScanDiff, spans [][4]int, lf, sf []string, lp, sp []int) int {
	if lp == nil || sp == nil {
		return 0
	}
	n := 0
	for i := range runs {
		a := &runs[i]
		if !a.Material || len(a.Scan) > 0 || len(a.Letter) < minMoved {
			continue
		}
		page, ok := pageEdge(lp, len(lf), spans[i][0], spans[i][1])
		if !ok {
			continue
		}
		text := []rune(foldedRun(lf, spans[i][0], spans[i][1]))
		for k := range runs {
			b := &runs[k]
			if !b.Material || len(b.Letter) > 0 || len(b.Scan) < minMoved {
				continue
			}
			if p, ok := pageEdge(sp, len(sf), spans[k][2], spans[k][3]); !ok || p != page {
				continue
			}
			if sameOrUnread(text, []rune(foldedRun(sf, spans[k][2], spans[k][3]))) {
				a.Material, b.Material = false, false
				n += 2
				break
			}
		}
	}
	return n
}

// pageStarts returns the index, among text's n words (scanWords), of the first word of each
// of its pages (separated by form feeds), and nil when the pages' words, counted apart, are
// not those n (a French "n'" at a page's foot joined to the next page's first word).
func pageStarts(text string, n int) []int {
	var starts []int
	at := 0
	for _, page := range strings.Split(text, "\f") {
		starts = append(starts, at)
		ws, _ := scanWords(page)
		at += len(ws)
	}
	if at != n {
		return nil
	}
	return starts
}

// pageEdge returns the page (an index of starts: pageStarts) of the words from to to of n,
// and whether they are all on that page and begin or end it.
func pageEdge(starts []int, n, from, to int) (int, bool) {
	for p, s := range starts {
		end := n
		if p+1 < len(starts) {
			end = starts[p+1]
		}
		if s <= from && to <= end && from < end {
			return p, from == s || to == end
		}
	}
	return 0, false
}

// unreadLetters returns normalized word w with each Latin letter that OCR's languages for
// pages (English and French) lack moved to the private use plane (unreadBase), where folding
// leaves it as it is: sameOrUnread then takes it for a letter OCR reads for it (readsAs), and
// a word's other letters are still compared.
func unreadLetters(w string) string {
	if isASCII(w) {
		return w
	}
	return strings.Map(func(r rune) rune {
		if r > unicode.MaxASCII && unicode.Is(unicode.Latin, r) && !strings.ContainsRune(frenchLetters, r) {
			return unreadBase + r
		}
		return r
	}, w)
}

// frenchLetters are the letters beyond ASCII of French that OCR for pages reads, in the
// folded case of normalized words: not ü, rare in French, which Tesseract read as "i" in
// "Müller" (pagesbench), nor ä, ö, ÿ.
const frenchLetters = "àâçéèêëîïôùûœæ"

// unreadBase is added to a letter OCR does not read to mark it in folded words
// (unreadLetters): no word's character is in the private use plane, and no letter of the
// Basic Multilingual Plane leaves it.
const unreadBase = 0xF0000

// readsAs returns the folded letters OCR reads for letter r, one its languages lack: the
// letter it is written on, its accents or stroke dropped ("ř" as "r", "ø" as "o"), and those
// Tesseract was seen to read for it on a clean page (misread: "ř" as "f"), and itself.
// A letter on no letter of ASCII (þ, ŋ, ß) is read as itself only.
func readsAs(r rune) string {
	self := ocrFold(string(r))
	return self + struck[r] + misread[r]
}

// struck maps the letters with a stroke or a bar, which have no decomposition, to the letter
// they are written on, folded.
var struck = map[rune]string{'ø': "o", 'ł': "l", 'đ': "d", 'ħ': "h", 'ŧ': "t", 'ƀ': "b", 'ı': "l", 'ɨ': "l", 'ƶ': "z"}

// misread holds, for letters OCR's languages lack, the other letters Tesseract read for them
// on pages rendered from a file (pagesbench: "Sgrensen", "Dvofák", "Ødegaard" as
// "sdegaard", "Łukasiewicz" as "tukasiewicz", "Zsófia Szőke" as "Zséfia Széke", "Müller" as
// "Miller", "Kovač" as "Kovaë", "Sørensen" as "Serensen"), folded. Letters of the same
// shape class are not taken (lookAlike: "cøst" would hide "cast"): a name misread otherwise
// is a warning a reviewer reads as such.
var misread = map[rune]string{'ø': "gse", 'ř': "f", 'ł': "t", 'ó': "e", 'ő': "e", 'ü': "l", 'č': "e"}

// lookAlikeInPlace reports whether folded runs l and s differ only by letters that look
// alike (lookAlike), in place.
func lookAlikeInPlace(l, s []rune) bool {
	if len(l) != len(s) {
		return false
	}
	for i := range l {
		if l[i] != s[i] && (lookAlike[l[i]] == 0 || lookAlike[l[i]] != lookAlike[s[i]]) {
			return false
		}
	}
	return true
}

// maxCodeRun bounds, in bytes, the scan's side of a run that codeRunMaterial cuts every way.
const maxCodeRun = 96

// codeRunMaterial judges a changed run whose letter words include a code (letterWords[i]),
// such as a footer's reference and check code, "000001 a5asuk52…": OCR splits and joins the
// code and its neighbours, and misreads the code's random characters beyond look-alikes. The
// scan's side is cut, every way, into what was read for the words before the code, for the
// code and for the words after it; the run is noise if one cut makes each part noise. So
// the reference's digits are still held to the figure rule, and the code to its own.
func (j scanJudge) codeRunMaterial(letterWords []string, i int, scan []rune) bool {
	_, _, ok := j.codeCut(letterWords, i, scan)
	return !ok
}

// codeCut returns the first cut of scan, [a, b), that codeRunMaterial finds for the code
// letterWords[i]: what was read for the words before the code, for the code, and for the
// words after it are each noise. ok is false when there is none.
func (j scanJudge) codeCut(letterWords []string, i int, scan []rune) (a, b int, ok bool) {
	fold := func(ws []string) string {
		var b strings.Builder
		for _, w := range ws {
			b.WriteString(ocrFold(w))
		}
		return b.String()
	}
	pre, code, post := fold(letterWords[:i]), ocrFold(letterWords[i]), fold(letterWords[i+1:])
	if j.after == nil {
		j.after = map[[2]int]bool{}
	}
	part := func(letter string, words []string, scan []rune) bool {
		return j.material(letter, string(scan), words, []string{string(scan)})
	}
	// The words after the code are a suffix of the run's, and the scan's part after the cut
	// a suffix of its scan, in every search this one leads to: how many of each are left
	// tells them apart.
	after := func(b int) bool {
		k := [2]int{len(letterWords) - i - 1, len(scan) - b}
		m, ok := j.after[k]
		if !ok {
			m = part(post, letterWords[i+1:], scan[b:])
			j.after[k] = m
		}
		return m
	}
	for a := 0; a <= len(scan); a++ {
		if part(pre, letterWords[:i], scan[:a]) {
			continue
		}
		for b := a; b <= len(scan); b++ {
			if !part(code, letterWords[i:i+1], scan[a:b]) && !after(b) {
				return a, b, true
			}
		}
	}
	return 0, 0, false
}

// signsBesideCode reports whether the signs of a run that holds the letter's check code are
// the same beside the code, whose reading is judged by its characters alone. A run of the
// code alone has none. A longer one is cut as codeRunMaterial cuts it: the signs of the
// words before the code are compared with those of the scan's words before the code's
// part, counting places from the run's start, and the signs after it with those after
// that part, counting from the run's end, so that a scan's word across the cut (OCR joins
// and splits the code with its neighbours) moves no sign's place. judged is false when no
// cut is known (the run was found noise otherwise): its signs are not judged.
func (j scanJudge) signsBesideCode(letterWords, lf, lsg, sf, ssg []string) (same, judged bool) {
	if len(letterWords) == 1 {
		return true, true
	}
	i := slices.IndexFunc(letterWords, isCode)
	scan := []rune(strings.Join(sf, ""))
	if letterWords[i] != j.checkCode || len(string(scan)) > maxCodeRun {
		return false, false
	}
	a, b, ok := j.codeCut(letterWords, i, scan)
	if !ok {
		return false, false
	}
	var preF, preS, postF, postS []string
	at := 0
	for k, f := range sf {
		from := at
		at += utf8.RuneCountInString(f)
		if from < a {
			preF, preS = append(preF, f), append(preS, ssg[k])
		} else if at > b || from >= b {
			postF, postS = append(postF, f), append(postS, ssg[k])
		}
	}
	return signPlaces(lf[:i], lsg[:i]) == signPlaces(preF, preS) &&
		signPlaces(reversed(lf[i+1:]), reversed(lsg[i+1:])) == signPlaces(reversed(postF), reversed(postS)), true
}

// reversed returns a copy of s in reverse order.
func reversed(s []string) []string {
	r := slices.Clone(s)
	slices.Reverse(r)
	return r
}

// codeMaterial judges a changed code, word, from its folded letter and scan forms l and s.
// The letter's check code is a capability printed on it, not what it says: its random
// characters are misread beyond look-alikes, and a reading within a third of its length of
// it is noise. Any other code (an account number, a contract's) is what the letter says:
// its digits must agree, as a figure's do, and its letters may differ only by look-alikes in
// place, so that "FR76…0189" read as "FR76…0789" or "DE76…0189" is material.
func (j scanJudge) codeMaterial(word string, l, s []rune) bool {
	if j.checkCode != "" && word == j.checkCode {
		return len(l)*len(s) > maxEditWork || editDistance(l, s) > len(l)/3
	}
	if len(l) != len(s) || figures(string(l)) != figures(string(s)) {
		return true
	}
	for i := range l {
		if l[i] != s[i] && (lookAlike[l[i]] == 0 || lookAlike[l[i]] != lookAlike[s[i]]) {
			return true
		}
	}
	return false
}

// isCode reports whether w is a code such as a check code or an account number: 16
// characters or more, letters and digits mixed. OCR splits and joins it with its
// neighbours; see codeRunMaterial and codeMaterial.
func isCode(w string) bool {
	return len(w) >= 16 && hasDigit([]string{w}) && strings.ContainsFunc(w, unicode.IsLetter)
}

// hasDigit reports whether a word of ws holds a decimal digit, of any script: an Arabic
// letter's figures are Arabic-Indic digits.
func hasDigit(ws []string) bool {
	for _, w := range ws {
		if strings.ContainsFunc(w, unicode.IsDigit) {
			return true
		}
	}
	return false
}

// hasIdeograph reports whether w holds a Han ideograph or a kana, each a word of Chinese or
// Japanese (see Normalize).
func hasIdeograph(w string) bool { return strings.ContainsFunc(w, isIdeograph) }

// shortRun is the longest run, in letters, judged by lookAlike rather than edit distance.
const shortRun = 4

// lookAlike gives the letters OCR confuses one class each, after ocrFold (lower case, "i" is
// "l", accents dropped, digits folded into letters); a letter without a class looks like no
// other.
var lookAlike = func() map[rune]int {
	m := map[rune]int{}
	for class, letters := range []string{"ltfj", "ceoa", "nhmru", "vuy", "gq", "kx"} {
		for _, r := range letters {
			m[r] = class + 1
		}
	}
	return m
}()

// maxEditWork bounds the cells of editDistance's table for one run: runs of a few hundred
// characters, far more than OCR ever garbles at once.
const maxEditWork = 1 << 18

// stray reports whether inserted words are marks OCR reads from specks, stamps and codes:
// words of one or two letters, no more than three of them, none a negation.
func stray(ws []string) bool {
	if len(ws) > 3 {
		return false
	}
	for _, w := range ws {
		if len([]rune(w)) > 2 || isNegation(w) {
			return false
		}
	}
	return true
}

// isNegation reports whether a normalized word is one of the short words that negate what
// follows ("no", French "ne" and "ni", Arabic "لا", "لم", "لن", "ما", and those of other
// languages of a letter or two: Russian "не", "ни", Hebrew "לא", "אל", Persian "نه",
// Korean "안", "못", Greek "μη", "δε", Hindi "न", "ना"), its accents and vowel marks aside
// ("né", "لَا"): a speck or a code's pattern is not read as one, and one added, dropped or put
// for another short word turns the sentence around.
func isNegation(w string) bool {
	if !isASCII(w) {
		w = norm.NFC.String(strings.Map(func(r rune) rune {
			if unicode.Is(unicode.Mn, r) {
				return -1
			}
			return r
		}, norm.NFD.String(w)))
	}
	switch w {
	case "no", "ne", "ni", "لا", "لم", "لن", "ما",
		"не", "ни", "לא", "אל", "نه", "안", "못", "μη", "δε", "न", "ना":
		return true
	}
	return false
}

// strayTail reports whether words read after the letter's end are marks OCR reads from a QR
// code or a seal: no more than three words of at most three letters, without a digit or a
// negation. A word added after a letter's end that says anything is longer, or more than
// three, or a negation ("Or not.", "No.", "Ou pas.").
func strayTail(ws []string) bool {
	if len(ws) > 3 || hasDigit(ws) || slices.ContainsFunc(ws, hasIdeograph) {
		return false
	}
	for _, w := range ws {
		if len([]rune(w)) > 3 || isNegation(w) || tailNegations[w] {
			return false
		}
	}
	return true
}

// tailNegations are the negations of three letters, which strayTail would take for a code's
// marks and other runs judge by their length: English "not" and "nor", French "pas" and
// "non", Arabic "ليس", "لست" and "غير", Russian "нет", Polish "nie".
var tailNegations = map[string]bool{"not": true, "nor": true, "pas": true, "non": true,
	"ليس": true, "لست": true, "غير": true, "нет": true, "nie": true}

// tailNoise reports whether the last changed run of a comparison, whose folded letter words
// are letterFolded, is words read after the letter's end (see strayTail), alone or after a
// misreading of the letter's last words.
func (j scanJudge) tailNoise(r ScanDiff, letterFolded []string) bool {
	if len(r.Letter) == 0 {
		return strayTail(r.Scan)
	}
	for k := 1; k <= 3 && k < len(r.Scan); k++ {
		head, tail := r.Scan[:len(r.Scan)-k], r.Scan[len(r.Scan)-k:]
		if !strayTail(tail) {
			return false
		}
		var scan strings.Builder
		for _, w := range head {
			scan.WriteString(ocrFold(w))
		}
		if !j.material(strings.Join(letterFolded, ""), scan.String(), r.Letter, head) {
			return true
		}
	}
	return false
}

// ocrFold folds a normalized word into what OCR cannot tell apart: accents dropped, the
// letters and digits OCR swaps made one character each (o and 0; l, i and 1; s and 5; z and
// 2; b and 8; g and 6), "rn" read as "m", "ri" as "n" ("refererice") and "vv" as "w".
// "1O5" and "105", "IO" and "10", "Ietter" and "letter" agree, while two different digits
// never do: each shape class holds one digit.
func ocrFold(w string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(w) {
		if unicode.IsMark(r) {
			continue
		}
		if f, ok := shapes[r]; ok {
			r = f
		}
		b.WriteRune(r)
	}
	return ocrPairs.Replace(b.String())
}

// ocrPairs folds the pairs of letters OCR reads for one ("ri" is "rl" once i is folded).
var ocrPairs = strings.NewReplacer("rn", "m", "rl", "n", "vv", "w")

// shapes maps each letter or digit OCR swaps to the one character of its shape class.
var shapes = map[rune]rune{'0': 'o', '1': 'l', 'i': 'l', '5': 's', '2': 'z', '8': 'b', '6': 'g'}

// figureShapes are the characters of folded text that are, or may be read for, digits.
const figureShapes = "olszbg3479"

// figures returns the characters of folded text s that are or may be digits, in order: in a
// run with a figure, they must agree, so that a changed digit is material however short the
// run, while a digit misread as its look-alike letter is not. A digit of another script than
// ASCII's is not folded, and is a figure.
func figures(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(figureShapes, r) || r > unicode.MaxASCII && unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b []rune) int {
	prev, cur := make([]int, len(b)+1), make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

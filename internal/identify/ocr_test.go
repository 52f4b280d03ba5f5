package identify

import (
	"math"
	"slices"
	"strings"
	"testing"
)

const scanLetter = `Reference: TFN-2026-000001
I should be grateful if you would informally confirm the convention of 277,200 francs for the
14th Battalion. The Chargé d'affaires of the Inspectorate has increased the communiqué, which is
modern and official. We will not approve the withdrawal of 105 officers before 1 March 2011.
Under references IO/4512/33 and IG/7067/55. Verify at https://tfn.example/v/4koxopx4eljphfzvffwdrlt57u
Please accept the assurances of my highest consideration.`

// scanCode is scanLetter's check code.
const scanCode = "4koxopx4eljphfzvffwdrlt57u"

// TestCompareScanForgivesOCRNoise: what OCR does to a clean print (look-alike letters and
// digits, a lone "I" read as "1", words split and joined, accents, ligatures, quotes,
// hyphenation at line ends, stray marks) leaves the scan the letter's.
func TestCompareScanForgivesOCRNoise(t *testing.T) {
	for name, scan := range map[string]string{
		"identical":    scanLetter,
		"look-alikes":  strings.NewReplacer("letter", "Ietter", "105", "1O5", "modern", "rnodern", "2011", "2O11", "official", "officiaI").Replace(scanLetter),
		"lone I":       strings.Replace(scanLetter, "I should", "1 should", 1),
		"lone I lost":  strings.Replace(scanLetter, "I should", "should", 1),
		"split":        strings.Replace(scanLetter, "convention", "conven tion", 1),
		"joined":       strings.Replace(scanLetter, "We will", "Wewill", 1),
		"accents":      strings.NewReplacer("Chargé", "Charge", "communiqué", "communique").Replace(scanLetter),
		"typography":   strings.NewReplacer("d'affaires", "d’affaires", "official", "oﬃcial", "withdrawal", "with-\ndrawal").Replace(scanLetter),
		"misread":      strings.Replace(scanLetter, "consideration", "consideratiom", 1),
		"ri for n":     strings.NewReplacer("convention", "converition", "assurances", "assurarices").Replace(scanLetter),
		"stray marks":  strings.Replace(scanLetter, "Please", "ii . Please", 1) + "\n|| :",
		"reference":    strings.Replace(scanLetter, "TFN-2026-000001", "TFN-2O26-00000l", 1),
		"I for 1":      strings.NewReplacer("IO/4512/33", "10/4512/33", "IG/7067/55", "1G/7067/55").Replace(scanLetter),
		"prefix":       strings.NewReplacer("IO/4512/33", "I/4512/33", "IG/7067/55", "IE/7067/55").Replace(scanLetter),
		"code":         strings.Replace(scanLetter, "4koxopx4eljphfzvffwdrlt57u", "4koxopx4eljphfzvffwdrlts zu", 1),
		"QR code read": scanLetter + "\ndea",
	} {
		c := CompareScan(scanLetter, scan, scanCode)
		if !c.Same() || c.Partial {
			t.Errorf("%s: material runs %v", name, materialRuns(c))
		}
	}
}

// TestCompareScanFindsChanges: a figure or a word changed, added or removed is material,
// even by a single look-alike letter in a short word.
func TestCompareScanFindsChanges(t *testing.T) {
	for name, change := range map[string][2]string{
		"figure":          {"277,200", "877,200"},
		"reference":       {"IO/4512/33", "IO/4812/33"},
		"figure as digit": {"105", "106"},
		"one digit":       {"1 March", "7 March"},
		"zero for one":    {"1 March", "0 March"},
		"figure added":    {"277,200", "1,277,200"},
		"not to now":      {"will not approve", "will now approve"},
		"word":            {"increased", "decreased"},
		"word added":      {"We will", "We will never"},
		"negation added":  {"confirm the", "not confirm the"},
		"word removed":    {"informally confirm", "confirm"},
		"words removed":   {"has increased the communiqué, which is", "has"},
		"one digit lost":  {"before 1 March", "before March"},
		"short word lost": {"will not approve", "will approve"},
	} {
		scan := strings.Replace(scanLetter, change[0], change[1], 1)
		if scan == scanLetter {
			t.Fatalf("%s: %q is not in the letter", name, change[0])
		}
		if c := CompareScan(scanLetter, scan, ""); c.Same() {
			t.Errorf("%s: %q for %q is not material", name, change[1], change[0])
		}
	}
}

// TestCompareScanCodeBesideReference: a footer's verify address ends with the reference and
// the check code; OCR splitting the reference and misreading a digit of the code as a letter
// (as Tesseract read "6" as "é") is noise, while a changed digit of the reference is not,
// whatever OCR does to the code beside it.
func TestCompareScanCodeBesideReference(t *testing.T) {
	const letter = "Official letter, released 30 November 2026. Verify at https://tfn.example/v/TFN-2026-000001/a5asuk52nm7heyooavjpd6nzgi\nScan the code."
	for name, c := range map[string]struct {
		scan string
		same bool
	}{
		"read as printed":       {letter, true},
		"reference split, é":    {strings.Replace(letter, "000001/a5asuk52nm7heyooavjpd6nzgi", "00000 1 a5asuk52nm7heyooavjpdénzgi", 1), true},
		"joined to the code":    {strings.Replace(letter, "000001/a5asuk52nm7heyooavjpd6nzgi", "000001a5asuk52nm7heyooavjpd6nzgi", 1), true},
		"reference changed":     {strings.Replace(letter, "000001/", "000007/", 1), false},
		"changed and split, é":  {strings.Replace(letter, "000001/a5asuk52nm7heyooavjpd6nzgi", "00000 7 a5asuk52nm7heyooavjpdénzgi", 1), false},
		"code half replaced":    {strings.Replace(letter, "a5asuk52nm7heyooavjpd6nzgi", "a5asuk52nm7hzzzzzzzzzzzzzz", 1), false},
		"word added after code": {strings.Replace(letter, "6nzgi\n", "6nzgi forged\n", 1), false},
	} {
		if got := CompareScan(letter, c.scan, "a5asuk52nm7heyooavjpd6nzgi"); got.Same() != c.same {
			t.Errorf("%s: same %v, want %v: material runs %v", name, got.Same(), c.same, materialRuns(got))
		}
	}
}

// TestCompareScanAccountNumber: a code that is not the letter's check code is what the letter
// says (an account a sum is paid into): a digit or a letter of it changed is material, however
// OCR splits it, and so are the misreadings forgiven in a check code, since they could be a
// forger's; look-alike letters in place and a digit read as its look-alike letter are noise.
// Until the twentieth session, every code was judged as a check code, by edit distance alone,
// and a forged scan paying into another account read as the letter.
func TestCompareScanAccountNumber(t *testing.T) {
	const letter = "Please pay the sum into account FR7630006000011234567890189 before the end of the month, as agreed."
	const account = "FR7630006000011234567890189"
	for _, c := range []struct {
		name, account string
		same          bool
	}{
		{"read as printed", account, true},
		{"split in groups of four", "FR76 3000 6000 0112 3456 7890 189", true},
		{"0 read as O, 1 as l", "FR763OOO6OOOOl1234567890189", true},
		{"a digit changed", "FR7630006000011234567890789", false},
		{"the last digit changed", "FR7630006000011234567890180", false},
		{"a digit changed, split", "FR76 3000 6000 0112 3456 7890 789", false},
		{"another country", "DE7630006000011234567890189", false},
		{"a digit read as a letter beyond look-alikes", "FR7630006000011234567890l8a", false},
		{"two digits swapped", "FR7630006000011234567890198", false},
	} {
		scan := strings.Replace(letter, account, c.account, 1)
		if got := CompareScan(letter, scan, ""); got.Same() != c.same {
			t.Errorf("%s: same %v, want %v: material runs %v", c.name, got.Same(), c.same, materialRuns(got))
		}
		// Naming another code as the check code changes nothing for this one.
		if got := CompareScan(letter, scan, scanCode); got.Same() != c.same {
			t.Errorf("%s, with a check code elsewhere: same %v, want %v", c.name, got.Same(), c.same)
		}
	}
	// The misreadings a check code is forgiven are material in the account number.
	const misread = "FR7630006000011234567890l8a"
	withCode := strings.Replace(scanLetter, scanCode, "4koxopx4eljphfzvffwdrlts zu", 1)
	if got := CompareScan(scanLetter, withCode, scanCode); !got.Same() {
		t.Errorf("the check code misread: material runs %v", materialRuns(got))
	}
	if got := CompareScan(scanLetter, withCode, ""); got.Same() {
		t.Errorf("a code misread as the check code is, not named as the check code: same")
	}
	if got := CompareScan(letter, strings.Replace(letter, account, misread, 1), account); !got.Same() {
		t.Errorf("the account number named as the check code: material runs %v", materialRuns(got))
	}
}

// TestCompareScanPartial: a scan of the first page of a letter is part of it, not a change.
func TestCompareScanPartial(t *testing.T) {
	two := scanLetter + "\f" + "Annex: the list of the 105 officers follows on this page."
	c := CompareScan(two, scanLetter, "")
	if !c.Same() || !c.Partial || c.Kept >= 1 {
		t.Errorf("the first page of two: same %v, partial %v, kept %.2f", c.Same(), c.Partial, c.Kept)
	}
	if c := CompareScan(scanLetter, scanLetter, ""); !c.Same() || c.Partial || c.Kept != 1 {
		t.Errorf("the whole letter: same %v, partial %v, kept %.2f", c.Same(), c.Partial, c.Kept)
	}
}

// TestCompareScanPages: a scan of the second page of a two-page letter, footers included,
// is that page of the letter; the same page with a changed figure is not.
func TestCompareScanPages(t *testing.T) {
	footer := "\nTask Force North - TFN-2026-000001 page %d of 2\nScan the code or open the address to check this letter against the office's public log."
	page2 := "Annex: the list of the 105 officers follows; they leave on 3 May, the others stay until further notice."
	two := scanLetter + strings.Replace(footer, "%d", "1", 1) + "\f" + page2 + strings.Replace(footer, "%d", "2", 1)
	scan := page2 + strings.Replace(footer, "%d", "2", 1)
	c := CompareScanPages(two, scan, "")
	if !c.Same() || !c.Partial {
		t.Errorf("page 2 alone: same %v, partial %v: %v", c.Same(), c.Partial, materialRuns(c))
	}
	// Page 2, read whole, is a part of the letter's words.
	all, _ := scanWords(two)
	part, _ := scanWords(scan)
	if want := float64(len(part)) / float64(len(all)); math.Abs(c.Whole-want) > 1e-9 {
		t.Errorf("page 2 alone: whole %.3f, want %.3f", c.Whole, want)
	}
	if c := CompareScanPages(two, strings.Replace(two, "\f", "\n", 1), ""); c.Whole != 1 || c.Partial {
		t.Errorf("both pages: whole %.3f, partial %v", c.Whole, c.Partial)
	}
	if c := CompareScanPages(two, strings.Replace(scan, "105", "150", 1), ""); c.Same() {
		t.Error("page 2 with a changed figure is the letter's")
	}
	// Page 1 with a changed figure is compared with page 1 alone (the whole letter's page 2
	// would count as removed): the share it reads the same is still of the whole letter.
	page1 := strings.Replace(scanLetter, "277", "377", 1) + strings.Replace(footer, "%d", "1", 1)
	one, _ := scanWords(page1)
	if c := CompareScanPages(two, page1, ""); c.Same() || !c.Partial || c.Kept < 0.9 || c.Whole > float64(len(one))/float64(len(all)) {
		t.Errorf("page 1 with a changed figure: same %v, partial %v, kept %.3f, whole %.3f", c.Same(), c.Partial, c.Kept, c.Whole)
	}
}

func materialRuns(c ScanComparison) [][2][]string {
	var out [][2][]string
	for _, r := range c.Runs {
		if r.Material {
			out = append(out, [2][]string{r.Letter, r.Scan})
		}
	}
	return out
}

// FuzzCompareScan: any two texts compare without failing; the runs give back both texts'
// words; a text compared with itself is the same.
func FuzzCompareScan(f *testing.F) {
	f.Add(scanLetter, strings.Replace(scanLetter, "277", "877", 1))
	f.Add("I 1 l | 0 O o", "1 I | l O 0")
	f.Add("é\u0301 ﬁ rn m vv w", "e fi m rn w vv")
	f.Add(strings.Repeat("a1 ", 200), strings.Repeat("b2 ", 200))
	f.Add(scanLetter, strings.Replace(scanLetter, scanCode, "4koxopx4eljphfzvffwdrlts zu", 1))
	f.Add("pay into FR7630006000011234567890189 now", "pay into FR76 3000 6000 0112 3456 7890 789 now")
	f.Add("我国政府不同意，金额为三百万元。", "我国政府同意，金额为五百万元。")
	f.Add("versera 1 500 000 € et 18+ ans, article 3 $250", "versera 1 500 000 $ et 18 ans, article $3 250")
	f.Add("at /v/tfn-2026-000001/4koxopx4eljphfzvffwdrlt57u\f$1,500,000 is paid", "at /v/tfn-2026-000001/4koxopx4eljphfzvffwdrlts zu\f€1,500,000 is paid")
	f.Fuzz(func(t *testing.T, letter, scan string) {
		if len(letter) > 1<<10 || len(scan) > 1<<10 { // textdiff bounds its own work; keep the fuzzer fast
			return
		}
		// The letter's first code, if it has one, is named as its check code.
		var code string
		if ws, _ := scanWords(letter); slices.ContainsFunc(ws, isCode) {
			code = ws[slices.IndexFunc(ws, isCode)]
		}
		c := CompareScan(letter, scan, code)
		var lw, sw []string
		for _, r := range c.Runs {
			lw, sw = append(lw, r.Letter...), append(sw, r.Scan...)
		}
		if !slices.Equal(lw, shownWords(letter)) || !slices.Equal(sw, shownWords(scan)) {
			t.Fatalf("the runs do not give back the texts' words")
		}
		if c.Kept < 0 || c.Kept > 1 {
			t.Fatalf("kept %v", c.Kept)
		}
		if self := CompareScan(letter, letter, code); !self.Same() || self.Noise != 0 {
			t.Fatalf("a text against itself: %v", materialRuns(self))
		}
	})
}

// TestCompareScanWordsWithoutFold: a word that folds to nothing (an accent alone, which NFKC
// separates from a spacing "˘" or "¨") or that holds a number the diff cuts words at keeps
// its place, so that every run pairs the words it says it pairs: the changed figure is "100"
// against "900" (with the accent when it stands next to it), an accent apart is noise, and
// the words after it are still there.
func TestCompareScanWordsWithoutFold(t *testing.T) {
	for _, tc := range []struct {
		scan  string
		read  []string // the scan's side of the one material run
		noise int
	}{
		{"pay 900 \u02d8 now, then sign", []string{"900", "\u0306"}, 0},
		{"pay \u02d8 900 now, then sign", []string{"\u0306", "900"}, 0},
		{"\u02d8 pay 900 now, then sign", []string{"900"}, 1},
		{"pay 900 now, \u00a8 then sign", []string{"900"}, 1},
	} {
		c := CompareScan("pay 100 now, then sign", tc.scan, "")
		var sw []string
		for _, r := range c.Runs {
			sw = append(sw, r.Scan...)
		}
		if !slices.Equal(sw, shownWords(tc.scan)) {
			t.Errorf("%q: the runs give back %q", tc.scan, sw)
		}
		if m := materialRuns(c); len(m) != 1 || !slices.Equal(m[0][0], []string{"100"}) || !slices.Equal(m[0][1], tc.read) {
			t.Errorf("%q: material runs %q, want 100 against %q", tc.scan, m, tc.read)
		}
		if c.Noise != tc.noise {
			t.Errorf("%q: %d runs of noise, want %d", tc.scan, c.Noise, tc.noise)
		}
	}
	// Before, a changed figure after k such words was judged against the scan's word k places
	// before it, and a tampered scan read as the letter when that word was the same figure: a
	// forger's accents, as many as the words between the two, hid the change.
	for _, p := range [][2]string{
		{"Units: 100 100 200 leave on 3 May.", "\u02d8 Units: 100 900 200 leave on 3 May."},
		{"The list: 105 105 officers leave.", "The list: \u00a8 105 150 officers leave."},
		{"We move 277 trucks now and the other 277 trucks later this month.",
			"We " + strings.Repeat("\u02d8 ", 6) + "move 277 trucks now and the other 877 trucks later this month."},
	} {
		if c := CompareScanPages(p[0], p[1], ""); c.Same() {
			t.Errorf("%q is the letter's text %q: %v", p[1], p[0], c.Runs)
		}
	}
	// U+0BF0 TAMIL NUMBER TEN is a number but not a digit: a word holding it is one word.
	c := CompareScan("x a\u0bf0b y z", "x a\u0bf0c y z", "")
	if m := materialRuns(c); len(m) != 1 || !slices.Equal(m[0][0], []string{"a\u0bf0b"}) || !slices.Equal(m[0][1], []string{"a\u0bf0c"}) {
		t.Errorf("material runs %q, want the one changed word", m)
	}
}

// TestCompareScanTail: a few short groups of letters read after the letter's end (a QR code's
// pattern) are noise; words, a figure or more groups there, and a short word inside the
// letter, are not.
func TestCompareScanTail(t *testing.T) {
	for name, c := range map[string]struct {
		scan string
		same bool
	}{
		"QR code read as letters": {scanLetter + "\ndea", true},
		"three groups":            {scanLetter + "\ndea ii uo", true},
		"a word added":            {scanLetter + "\nforged", false},
		"a figure added":          {scanLetter + "\n12", false},
		"four groups":             {scanLetter + "\ndea ii uo ax", false},
		"a short word inside":     {strings.Replace(scanLetter, "We will", "We not will", 1), false},
	} {
		if got := CompareScan(scanLetter, c.scan, ""); got.Same() != c.same {
			t.Errorf("%s: same %v, want %v: material runs %v", name, got.Same(), c.same, materialRuns(got))
		}
	}
	// The letter's last word misread and then the QR code's groups make one run in the diff
	// ("log." read as "tog", then "es"): noise, as the two apart would be; anything the rules
	// for a run or for the tail find material stays so.
	letter := scanLetter + "\nCheck it against the public log."
	for name, c := range map[string]struct {
		scan string
		same bool
	}{
		"short word misread, then a group":    {scanLetter + "\nCheck it against the public tog.\nes", true},
		"short word misread, then 3 groups":   {scanLetter + "\nCheck it against the public tog.\nes ii uo", true},
		"short word changed, then a group":    {scanLetter + "\nCheck it against the public law.\nes", false},
		"short word misread, then a word":     {scanLetter + "\nCheck it against the public tog.\nforged", false},
		"short word misread, then 4 groups":   {scanLetter + "\nCheck it against the public tog.\nes ii uo ax", false},
		"short word misread, then a figure":   {scanLetter + "\nCheck it against the public tog.\nes 12", false},
		"last word dropped, then a group":     {scanLetter + "\nCheck it against the public\nes", false},
		"last word changed to a group":        {scanLetter + "\nCheck it against the public es", false},
		"short word misread, then long group": {scanLetter + "\nCheck it against the public tog.\nesse", false},
	} {
		if got := CompareScan(letter, c.scan, ""); got.Same() != c.same {
			t.Errorf("%s: same %v, want %v: material runs %v", name, got.Same(), c.same, materialRuns(got))
		}
	}
}

// shownWords returns the words of text as the runs of CompareScan show them: with their signs.
func shownWords(text string) []string {
	ws, signs := scanWords(text)
	return withSigns(ws, signs)
}

// TestCompareScanSigns: OCR reads currency, percent and comparison signs as well as digits,
// so a scan with another sign by a figure is not the letter; ± read as +, the minus and
// separators OCR confuses with dashes and points, and signs beside words that are not
// figures (a stamp or a QR code misread) are not judged.
func TestCompareScanSigns(t *testing.T) {
	const letter = "The budget changes by -15% this year, rates stay < 5% ± 0.5%, and the ministry pays $1,500,000 to the agent."
	for _, tc := range []struct {
		name, scan string
		same       bool
		changed    string // the scan's side of the material run
	}{
		{"the letter", letter, true, ""},
		{"± read as +", strings.Replace(letter, "±", "+", 1), true, ""},
		{"a minus read as a dash", strings.Replace(letter, "-15%", "—15%", 1), true, ""},
		{"a plus for the minus", strings.Replace(letter, "-15%", "+15%", 1), false, "+15%"},
		{"euros for dollars", strings.Replace(letter, "$", "€", 1), false, "€1"},
		{"the percent sign dropped", strings.Replace(letter, "-15%", "-15", 1), false, "15"},
		{"more than for less than", strings.Replace(letter, "< 5%", "> 5%", 1), false, ">5%"},
		{"a sign added", strings.Replace(letter, "pays $1", "pays +$1", 1), false, "+$1"},
		{"a sign beside a word, not a figure", strings.Replace(letter, "to the agent", "to the $ agent", 1), true, ""},
	} {
		c := CompareScan(letter, tc.scan, "")
		if c.Same() != tc.same {
			t.Errorf("%s: Same = %v, want %v: %q", tc.name, c.Same(), tc.same, materialRuns(c))
			continue
		}
		if m := materialRuns(c); !tc.same && (len(m) != 1 || !slices.Contains(m[0][1], tc.changed)) {
			t.Errorf("%s: material runs %q, want one that reads %q", tc.name, m, tc.changed)
		}
	}
	// A run with a check code is judged by its characters: Tesseract read this one's "c" as
	// "¢", which put a cent sign before the figure "24" (registry.TestIdentifyScan, once in
	// fifteen runs, before the rule).
	footer := "Verify at https://tfn.example/v/TFN-2026-000001/tx5iivby7i7uc24flkvshzdw7e. Scan the code."
	read := "Verify at https tfn example v tfn 2026 00000 1 txsiivby7i7u ¢24 flkvshzdw7e Scan the code"
	if c := CompareScan(letter+" "+footer, letter+" "+read, "tx5iivby7i7uc24flkvshzdw7e"); !c.Same() {
		t.Errorf("a check code misread with a cent sign: %q", materialRuns(c))
	}
}

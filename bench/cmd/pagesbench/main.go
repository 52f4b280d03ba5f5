// Command pagesbench measures how the letter page judges what the pages of a PDF version show
// against its text layer (internal/web's page reading, identify.ComparePages), beside the
// rules for scans (identify.CompareScan): on ordinary PDFs, whose pages show their text, how
// many letters get a false warning, and on the same pages against a text layer changed in
// one place (a letter of a word, a digit, a decimal point, a short word added), how many
// changes each rule tells.
//
// Letters are the synthetic corpus of internal/identify/synth, laid out as PDFs by Chancery's
// own renderer (internal/pdf) and, with -soffice, by LibreOffice from plain text; -pdfs adds
// the PDFs of a folder. Their pages are read by the OCR the server uses (internal/ocr:
// pdftoppm and Tesseract). Results are markdown tables on stdout; with -v every difference
// either rule finds in an unchanged text is printed to stderr.
package main

import (
	"context"
	"flag"
	"fmt"
	"html"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/chancery/chancery/internal/identify"
	"github.com/chancery/chancery/internal/identify/synth"
	"github.com/chancery/chancery/internal/ocr"
	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/textract"
)

func main() {
	n := flag.Int("n", 20, "synthetic letters for each renderer")
	seed := flag.Uint64("seed", 1, "corpus and mutation seed")
	soffice := flag.String("soffice", "", "LibreOffice's soffice, to lay out the letters a second way too (none: Chancery's renderer only)")
	logo := flag.String("logo", "", "with -soffice, a picture (PNG) that LibreOffice also puts above the text of as many letters laid out from HTML")
	dir := flag.String("pdfs", "", "a folder whose PDFs are measured too")
	verbose := flag.Bool("v", false, "print every difference found in an unchanged text to stderr")
	flag.Parse()

	reader, err := ocr.Find("")
	if err != nil {
		fail(err)
	}
	docs, err := documents(*n, *seed, *soffice, *logo, *dir)
	if err != nil {
		fail(err)
	}
	fmt.Printf("# pagesbench -n %d -seed %d (%s, OCR languages %s)\n\n", *n, *seed, time.Now().UTC().Format(time.DateOnly), reader.Languages())
	rng := rand.New(rand.NewPCG(*seed, 0x7061676573))
	results := map[string]*tally{}
	var sources []string
	for i, d := range docs {
		logf("%d/%d: %s", i+1, len(docs), d.name)
		text, _, err := textract.PDFTextContext(context.Background(), d.pdf)
		if err != nil {
			logf("%s: %v (skipped)", d.name, err)
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		start := time.Now()
		read, err := reader.ReadPages(ctx, d.pdf)
		cancel()
		if err != nil {
			logf("%s: %v (skipped)", d.name, err)
			continue
		}
		t := results[d.source]
		if t == nil {
			t = &tally{}
			results[d.source] = t
			sources = append(sources, d.source)
		}
		t.docs++
		t.pages += strings.Count(strings.TrimRight(read.Text, "\f"), "\f") + 1
		t.words += len(strings.Fields(text))
		t.read += time.Since(start)
		var listed [2]string
		for r, compare := range rules {
			m := material(compare(text, read.Text))
			listed[r] = fmt.Sprint(m)
			if len(m) > 0 {
				t.false[r]++
				if *verbose {
					for _, run := range m {
						logf("  %s, %s: text %q, pages %q", d.name, ruleNames[r], strings.Join(run.Letter, " "), strings.Join(run.Scan, " "))
					}
				}
			}
		}
		for k, change := range changes {
			changedText, changedPages, ok := change(rng, text, read.Text)
			if !ok {
				continue
			}
			t.changed[k]++
			for r, compare := range rules {
				// Told: the page lists what it did not list for the unchanged text.
				if fmt.Sprint(material(compare(changedText, changedPages))) != listed[r] {
					t.told[k][r]++
				}
			}
		}
	}
	report(sources, results)
}

// rules are the two comparisons measured, by name in ruleNames.
var (
	rules = []func(text, pages string) identify.ScanComparison{
		func(text, pages string) identify.ScanComparison { return identify.CompareScan(text, pages, "") },
		identify.ComparePages,
	}
	ruleNames = []string{"scan rules (CompareScan)", "page rules (ComparePages)"}
)

// material returns the runs of c that the letter page lists: material ones, and words of the
// text missing at its beginning or end (every page is read).
func material(c identify.ScanComparison) []identify.ScanDiff {
	var out []identify.ScanDiff
	for i, r := range c.Runs {
		atEnd := (i == 0 || i == len(c.Runs)-1) && c.Partial && len(r.Scan) == 0
		if r.Material || atEnd {
			out = append(out, r)
		}
	}
	return out
}

// changes are the ways a text layer is made to differ from its pages in one place, by name in
// changeNames, in the text or in what OCR read on the pages; each reports false when the text
// has no place for it.
var (
	changes = []func(rng *rand.Rand, text, pages string) (string, string, bool){
		inText(changeLetter), inText(changeDigit), inText(addPoint), inText(addShortWord),
		func(rng *rand.Rand, text, pages string) (string, string, bool) {
			pages, ok := addShortWord(rng, pages)
			return text, pages, ok
		},
	}
	changeNames = []string{
		"text: a letter of a word of 5 letters or more replaced by another",
		"text: a digit of a figure replaced by another",
		"text: a decimal point put inside a figure of 3 digits or more",
		"text: one or two short words added before a sentence's full stop",
		"pages: one or two short words added before a sentence's full stop",
	}
)

// inText makes change one of the text layer, the pages unchanged.
func inText(change func(rng *rand.Rand, text string) (string, bool)) func(rng *rand.Rand, text, pages string) (string, string, bool) {
	return func(rng *rand.Rand, text, pages string) (string, string, bool) {
		text, ok := change(rng, text)
		return text, pages, ok
	}
}

// tally is what was measured on one source's documents.
type tally struct {
	docs, pages, words int
	read               time.Duration
	false              [2]int
	changed            [5]int
	told               [5][2]int
}

// changeLetter replaces one letter of a random word of five letters or more by another
// lower-case letter.
func changeLetter(rng *rand.Rand, text string) (string, bool) {
	rs := []rune(text)
	var starts []int
	for i := 0; i+5 <= len(rs); i++ {
		if (i == 0 || !unicode.IsLetter(rs[i-1])) && allLetters(rs[i:i+5]) {
			starts = append(starts, i)
		}
	}
	if len(starts) == 0 {
		return "", false
	}
	i := starts[rng.IntN(len(starts))] + rng.IntN(5)
	was := unicode.ToLower(rs[i])
	for {
		r := rune('a' + rng.IntN(26))
		if r != was {
			rs[i] = r
			return string(rs), true
		}
	}
}

func allLetters(rs []rune) bool {
	return !slices.ContainsFunc(rs, func(r rune) bool { return !unicode.IsLetter(r) })
}

// changeDigit replaces one digit by another.
func changeDigit(rng *rand.Rand, text string) (string, bool) {
	rs := []rune(text)
	var at []int
	for i, r := range rs {
		if r >= '0' && r <= '9' {
			at = append(at, i)
		}
	}
	if len(at) == 0 {
		return "", false
	}
	i := at[rng.IntN(len(at))]
	rs[i] = '0' + (rs[i]-'0'+1+rune(rng.IntN(9)))%10
	return string(rs), true
}

// addPoint puts a decimal point between two digits of a figure of three digits or more.
func addPoint(rng *rand.Rand, text string) (string, bool) {
	rs := []rune(text)
	var at []int
	for i := 1; i+1 < len(rs); i++ {
		if isDigit(rs[i-1]) && isDigit(rs[i]) && isDigit(rs[i+1]) {
			at = append(at, i)
		}
	}
	if len(at) == 0 {
		return "", false
	}
	i := at[rng.IntN(len(at))]
	return string(rs[:i]) + "." + string(rs[i:]), true
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// shortWords are words of two letters that change what a sentence says when added after it.
var shortWords = []string{"if so", "or", "as", "by", "to us", "on it"}

// addShortWord adds a short word before the full stop of a random sentence.
func addShortWord(rng *rand.Rand, text string) (string, bool) {
	var at []int
	for i := 1; i < len(text); i++ {
		if text[i] == '.' && unicode.IsLetter(rune(text[i-1])) && (i+1 == len(text) || text[i+1] == ' ' || text[i+1] == '\n') {
			at = append(at, i)
		}
	}
	if len(at) == 0 {
		return "", false
	}
	i := at[rng.IntN(len(at))]
	return text[:i] + " " + shortWords[rng.IntN(len(shortWords))] + text[i:], true
}

func report(sources []string, results map[string]*tally) {
	fmt.Println("## Unchanged text layers: letters with a false warning")
	fmt.Println()
	fmt.Println("| source | PDFs | pages | words | OCR time a PDF | " + ruleNames[0] + " | " + ruleNames[1] + " |")
	fmt.Println("|---|---:|---:|---:|---:|---:|---:|")
	for _, s := range sources {
		t := results[s]
		fmt.Printf("| %s | %d | %d | %d | %.1f s | %d | %d |\n", s, t.docs, t.pages, t.words,
			t.read.Seconds()/float64(max(t.docs, 1)), t.false[0], t.false[1])
	}
	fmt.Println()
	fmt.Println("## Text layers changed in one place: changes told")
	fmt.Println()
	fmt.Println("| source | change | PDFs | " + ruleNames[0] + " | " + ruleNames[1] + " |")
	fmt.Println("|---|---|---:|---:|---:|")
	for _, s := range sources {
		t := results[s]
		for k, name := range changeNames {
			if t.changed[k] > 0 {
				fmt.Printf("| %s | %s | %d | %d | %d |\n", s, name, t.changed[k], t.told[k][0], t.told[k][1])
			}
		}
	}
}

// document is a PDF to measure and where it came from.
type document struct {
	source, name string
	pdf          []byte
}

// documents lays out n synthetic letters with Chancery's renderer and, when soffice is set,
// with LibreOffice, and reads the PDFs of dir.
func documents(n int, seed uint64, soffice, logo, dir string) ([]document, error) {
	corpus := synth.Corpus{Seed: seed, FamilySize: 3}
	var docs []document
	for i := range n {
		l := corpus.Letter(i * 3)
		out, err := pdf.Render("text/plain", []byte(l.Text()), pdf.Letterhead{
			Office:    "Ministry of Foreign Affairs",
			Reference: fmt.Sprintf("MFA-2026-%04d", i+1),
			Subject:   "Synthetic letter",
			Date:      time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC),
		})
		if err != nil {
			return nil, fmt.Errorf("render letter %d: %w", i, err)
		}
		docs = append(docs, document{source: "Chancery's renderer", name: fmt.Sprintf("letter %d", i), pdf: out})
	}
	if soffice != "" {
		tmp, err := os.MkdirTemp("", "pagesbench")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(tmp)
		var txts []string
		for i := range n {
			p := filepath.Join(tmp, fmt.Sprintf("letter%03d.txt", i))
			if err := os.WriteFile(p, []byte(corpus.Letter(i*3+1).Text()), 0o600); err != nil {
				return nil, err
			}
			txts = append(txts, p)
		}
		if logo != "" {
			for i := range n {
				var b strings.Builder
				fmt.Fprintf(&b, "<html><body><p><img src=%q width=\"96\"></p>", logo)
				for _, para := range corpus.Member(i, 4).Paragraphs {
					fmt.Fprintf(&b, "<p>%s</p>", html.EscapeString(para))
				}
				b.WriteString("</body></html>")
				p := filepath.Join(tmp, fmt.Sprintf("logo%03d.html", i))
				if err := os.WriteFile(p, []byte(b.String()), 0o600); err != nil {
					return nil, err
				}
				txts = append(txts, p)
			}
		}
		logf("laying out %d letters with LibreOffice", n)
		args := append([]string{"--headless", "-env:UserInstallation=file://" + filepath.Join(tmp, "profile"), "--convert-to", "pdf", "--outdir", tmp}, txts...)
		if out, err := exec.Command(soffice, args...).CombinedOutput(); err != nil {
			return nil, fmt.Errorf("soffice: %w: %s", err, out)
		}
		for _, p := range txts {
			data, err := os.ReadFile(strings.TrimSuffix(p, filepath.Ext(p)) + ".pdf")
			if err != nil {
				return nil, err
			}
			source := "LibreOffice"
			if filepath.Ext(p) == ".html" {
				source = "LibreOffice, a logo above the text"
			}
			docs = append(docs, document{source: source, name: filepath.Base(p), pdf: data})
		}
	}
	if dir != "" {
		paths, err := filepath.Glob(filepath.Join(dir, "*.pdf"))
		if err != nil {
			return nil, err
		}
		for _, p := range paths {
			data, err := os.ReadFile(p)
			if err != nil {
				return nil, err
			}
			docs = append(docs, document{source: dir, name: filepath.Base(p), pdf: data})
		}
	}
	return docs, nil
}

func logf(format string, args ...any) { fmt.Fprintf(os.Stderr, "pagesbench: "+format+"\n", args...) }

func fail(err error) {
	fmt.Fprintln(os.Stderr, "pagesbench: error:", err)
	os.Exit(1)
}

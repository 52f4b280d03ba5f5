package pdf

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/pdf/pdftest"
	lpdf "github.com/ledongthuc/pdf"
)

// oldPageText is a page's text as the extractor's own Page.GetPlainText reads it, its lines
// trimmed: what pageLayer must read.
func oldPageText(p lpdf.Page) (s string, err error) {
	defer func() {
		if r := recover(); r != nil {
			s, err = "", fmt.Errorf("%w: %v", ErrInvalid, r)
		}
	}()
	raw, err := p.GetPlainText(nil)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return trimLines(raw), nil
}

// layerPage is a one-page PDF of the given content, with a Helvetica font F1.
func layerPage(content string) []byte {
	return pdftest.Build("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		pdftest.Stream(fmt.Sprintf("<< /Length %d >>", len(content)), []byte(content)),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
}

// TestPageLayerReadsAsTheExtractor: the text that one interpretation of a page's content
// reads with its rendering modes (pageLayer, TextLayer) is, with its errors, the text the
// extractor's GetPlainText reads, and its counts of visible and invisible text those of
// textShows, on letters in each script, the fuzz corpora and pages of odd operators.
func TestPageLayerReadsAsTheExtractor(t *testing.T) {
	docs := map[string][]byte{
		"rendering modes":    layerPage("BT /F1 12 Tf 3 Tr (hidden) Tj q 0 Tr (shown) Tj Q (hidden again) Tj ET q 7 Tr BT [(a) 10 (b)] TJ ET Q BT (c) ' ET"),
		"quote operators":    layerPage("BT /F1 12 Tf 14 TL (one) ' T* (two) ' ET"),
		"a double quote":     layerPage("BT /F1 12 Tf 1 2 (three) \" ET"),
		"bad Tj":             layerPage("BT /F1 12 Tf (a) (b) Tj ET"),
		"bad quote":          layerPage("BT /F1 12 Tf (a) (b) ' ET"),
		"bad double":         layerPage("BT /F1 12 Tf (a) \" ET"),
		"bad Tf":             layerPage("BT /F1 Tf (a) Tj ET"),
		"TJ alone":           layerPage("BT /F1 12 Tf TJ ET"),
		"unknown font":       layerPage("BT /F9 12 Tf (\xe9t\xe9) Tj 3 Tr ET"),
		"Tr without operand": layerPage("BT /F1 12 Tf 3 Tr Tr (x) Tj ET"),
		"unbalanced Q":       layerPage("Q Q BT /F1 12 Tf 3 Tr (x) Tj ET Q (y) Tj"),
		"white space":        layerPage("BT /F1 12 Tf 14 TL (  one \240 two  ) Tj T* (   ) Tj ( three\t\r\205four\n) Tj ET BT ( ) Tj ET BT (\f five) ' ET"),
		"no content":         pdftest.Build("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>", "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"),
	}
	for i, text := range []string{
		"The ministry pays 1,500,000 dollars to the contractor.\n\nSecond paragraph, **bold** and *italic*.\n",
		"تدفع الوزارة مليون دينار للمقاول.\n",
		"המשרד משלם למקבלן.\n",
		"मंत्रालय ठेकेदार को भुगतान करता है।\n",
		"部委向承包商支付款项。\n",
		strings.Repeat("A long letter of many pages, line after line of plain words. ", 600),
	} {
		letter, err := Render("text/markdown", []byte(text), Letterhead{Office: "Task Force North", Reference: "TFN-2026-000042"})
		if err != nil {
			t.Fatal(err)
		}
		docs[fmt.Sprint("letter ", i)] = letter
	}
	corpora, _ := filepath.Glob("testdata/fuzz/*/*")
	for _, f := range corpora {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			if q, ok := strings.CutPrefix(line, "[]byte("); ok {
				if s, err := strconv.Unquote(strings.TrimSuffix(q, ")")); err == nil {
					docs[f] = []byte(s)
				}
			}
		}
	}
	if len(corpora) < 20 {
		t.Fatalf("%d fuzz corpus files", len(corpora))
	}
	read := 0
	for name, data := range docs {
		l, err := extractorPages(context.Background(), data)
		if err != nil {
			continue
		}
		for i, p := range l.pages {
			read++
			text, shows, err := pageLayer(p, l.visible[i], math.MaxInt, nil)
			want, wantErr := oldPageText(p)
			if text != want || fmt.Sprint(err) != fmt.Sprint(wantErr) {
				t.Errorf("%s: page %d: %q, %v; the extractor reads %q, %v", name, i+1, text, err, want, wantErr)
			}
			wantShows, wantErr := textShows(p, l.visible[i])
			if err == nil && (wantErr != nil || shows != wantShows) {
				t.Errorf("%s: page %d: %+v; textShows %+v, %v", name, i+1, shows, wantShows, wantErr)
			}
			// Of a page's text, only the first bytes wanted are decoded: the text read is a
			// prefix of the page's, at least that long, with the page's counts and errors.
			limits := []int{0, 1, 2, len(text) / 2, len(text) - 1, len(text)}
			if len(text) <= 256 {
				limits = limits[:0]
				for limit := range len(text) + 1 {
					limits = append(limits, limit)
				}
			}
			for _, limit := range limits {
				cut, cutShows, cutErr := pageLayer(p, l.visible[i], limit, nil)
				if !strings.HasPrefix(text, cut) || len(cut) < min(limit, len(text)) || fmt.Sprint(cutErr) != fmt.Sprint(err) ||
					cutShows != shows {
					t.Errorf("%s: page %d: at most %d bytes: %q, %+v, %v; the page: %q, %+v, %v",
						name, i+1, limit, cut, cutShows, cutErr, text, shows, err)
				}
			}
		}
	}
	if read < 30 {
		t.Errorf("only %d pages read", read)
	}
}

// TestPageLayerDecodesWhatItKeeps: of a page's strings, only those shown before its text is
// full are decoded: a string past the limit that the extractor's encoding fails on (here a
// /ToUnicode range mapped to an empty string, which it indexes) fails the page's reading
// only when its text is wanted.
func TestPageLayerDecodesWhatItKeeps(t *testing.T) {
	cmap := "/CIDInit /ProcSet findresource begin 12 dict begin begincmap 1 begincodespacerange <00> <FF> endcodespacerange " +
		"1 beginbfrange <01> <05> <> endbfrange endcmap CMapName currentdict /CMap defineresource pop end end"
	content := "BT /F1 12 Tf (hello) Tj <03> Tj ET"
	data := pdftest.Build("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		pdftest.Stream(fmt.Sprintf("<< /Length %d >>", len(content)), []byte(content)),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
		pdftest.Stream(fmt.Sprintf("<< /Length %d >>", len(cmap)), []byte(cmap)))
	l, err := extractorPages(context.Background(), data)
	if err != nil {
		t.Fatal(err)
	}
	pages := l.pages
	if _, wantErr := oldPageText(pages[0]); wantErr == nil {
		t.Fatal("the extractor reads the page")
	}
	if s, _, err := pageLayer(pages[0], everywhere, math.MaxInt, nil); err == nil {
		t.Errorf("the whole page: %q, no error", s)
	}
	// "hello" decodes to U+FFFD five times (no code of it is mapped).
	if s, shows, err := pageLayer(pages[0], everywhere, 15, nil); s != strings.Repeat("\ufffd", 5) || shows.shown != 2 || err != nil {
		t.Errorf("15 bytes of the page: %q, %d shown, %v", s, shows.shown, err)
	}
}

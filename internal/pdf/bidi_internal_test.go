package pdf

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/go-text/typesetting/di"
)

// TestBidiLevelsAsUAX9: a line is drawn in the order the bidirectional algorithm (UAX #9)
// gives its characters, which is the order a browser shows its text in. go-text ran the
// algorithm on each span of a paragraph alone, so an override or embedding across
// Markdown's emphasis ended at the span, and it ordered runs by direction only, so text two
// levels deep kept its logical order: "pay RLE 100 - 200 PDF now" showed "100 - 200" where
// the text, read by the algorithm, shows "200 - 100"; an amount range in Arabic in a
// left-to-right paragraph showed its figures and words in the wrong order; RLO across
// emphasis reversed "12", not "12345". Here each line's drawn words and figures, in the
// order drawn, are those UAX #9 gives.
func TestBidiLevelsAsUAX9(t *testing.T) {
	h := Letterhead{Office: "Task Force North", Reference: "TFN-2026-0042"}
	tokens := regexp.MustCompile(`[A-Za-z]+|[0-9]+`)
	for _, c := range []struct {
		mediaType, body string
		want            []string
	}{
		{"text/plain", "pay \u202b100 - 200\u202c now", []string{"pay", "200", "100", "now"}},
		{"text/plain", "Total: مبلغ 100 - 200 دينار end", []string{"Total", "200", "100", "end"}},
		{"text/plain", "pay \u202e100\u202c now", []string{"pay", "001", "now"}},
		{"text/markdown", "we pay \u202e12*3*45\u202c euros", []string{"we", "pay", "54321", "euros"}},
		{"text/markdown", "pay \u202e12 *euros* 45\u202c now", []string{"pay", "54", "sorue", "21", "now"}},
		{"text/markdown", "\u202eabc **def** ghi\u202c jkl", []string{"ihg", "fed", "cba", "jkl"}},
		{"text/markdown", "x \u2067abc **def**\u2069 ghi", []string{"x", "abc", "def", "ghi"}},
		// Plain left-to-right and right-to-left text, and Arabic words without figures in
		// a left-to-right line, are drawn as before.
		{"text/plain", "We pay 12 euros on 3 May.", []string{"We", "pay", "12", "euros", "on", "3", "May"}},
		{"text/plain", "Ref مبلغ دينار 12 end", []string{"Ref", "12", "end"}},
	} {
		r, err := layOut(c.mediaType, []byte(c.body), h, true)
		if err != nil {
			t.Fatal(err)
		}
		// The characters in the order the page draws them (d.text reads right-to-left
		// lines back in logical order).
		var drawn []string
		for _, page := range r.d.texts {
			drawn = append(drawn, trimLines(string(page)))
		}
		text := strings.Join(drawn, "\n")
		r.output()
		lines := strings.Split(text, "\n")
		var got []string
		for _, l := range lines {
			if strings.Contains(l, c.want[len(c.want)-1]) {
				got = tokens.FindAllString(l, -1)
			}
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%q: drawn %q, want %q", c.body, got, c.want)
		}
	}
}

// TestLevelsReadFromGoText: the levels go-text computes are read from its Runs (levels): a
// version of go-text that keeps them otherwise fails here, not silently.
func TestLevelsReadFromGoText(t *testing.T) {
	s, err := getShaper()
	if err != nil {
		t.Fatal(err)
	}
	defer putShaper(s)
	// pay RLE 1 - 2 PDF x: the embedding at level 1, its figures at 2, what follows at the
	// paragraph's 0; RLE and PDF at the level of the character before them.
	got := s.levels([]rune("pay \u202b1 - 2\u202c x"), di.DirectionLTR)
	want := []uint8{0, 0, 0, 0, 0, 2, 1, 1, 1, 2, 2, 0, 0}
	if !slices.Equal(got, want) {
		t.Errorf("levels %v, want %v", got, want)
	}
}

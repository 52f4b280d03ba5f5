package pdf_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/pdf"
)

// TestLongWordsLaidOutInLinearTime: a letter whose text has a long stretch without a place
// to break a line (a word of letters, a run of spaces) is
// laid out in time that grows with its length. go-text's line wrapper measured, for every
// line, the stretch from the line's start to its end: a 640,000-letter word took 8 s, eight
// times the text took 60 times as long. The letters all reach the page.
func TestLongWordsLaidOutInLinearTime(t *testing.T) {
	for name, stretch := range map[string]func(n int) string{
		"letters": func(n int) string { return strings.Repeat("x", n) },
		"spaces":  func(n int) string { return "a" + strings.Repeat(" ", n) + "b" },
		"Arabic":  func(n int) string { return strings.Repeat("ب", n) },
	} {
		// The least CPU time of two renderings of a stretch of n characters.
		took := func(n int) time.Duration {
			least := time.Duration(1 << 62)
			for range 2 {
				start := cpuTime(t)
				if _, err := pdf.Render("text/plain", []byte(stretch(n)), head); err != nil {
					t.Fatalf("%s of %d: %v", name, n, err)
				}
				least = min(least, cpuTime(t)-start)
			}
			return least
		}
		small, large := took(40_000), took(320_000)
		if ratio := float64(large) / float64(small); ratio > 24 {
			t.Errorf("%s: 40,000 characters in %v, 320,000 in %v: %.0f times as long for 8 times the text", name, small, large, ratio)
		}
	}
	doc, err := pdf.Render("text/plain", []byte("Pay "+strings.Repeat("x", 5000)+" now."), head)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(run(t, "pdftotext", writeTemp(t, "word.pdf", doc), "-")), "")
	if n := strings.Count(text, "x"); n != 5000 || !strings.Contains(text, "Payxxx") || !strings.Contains(text, "xxxnow.") {
		t.Errorf("pdftotext reads %d letters x of 5000 in the long word:\n%.300s", n, text)
	}
}

package registry

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"
)

// manyPagesPDFLetter drafts a letter whose file is a PDF of many pages, the word
// "zanzibarian" on its last, and returns its reference.
func manyPagesPDFLetter(t *testing.T, o *office) string {
	t.Helper()
	var b strings.Builder
	for i := range 1500 { // some 38 pages
		b.WriteString("Line " + strconv.Itoa(i+1) + " of the annex on the movements of the convoy, and more words.\n")
	}
	b.WriteString("The zanzibarian convoy leaves on Monday.")
	doc := renderedPDF(t, b.String())
	ref, err := o.r.CreateLetter(context.Background(), o.drafter, NewLetter{Subject: "Coordination", Class: "foreign-government",
		Addressees: []string{"Ministry of Foreign Affairs"}, File: Upload{Name: "letter.pdf", MediaType: "application/pdf", Data: doc}})
	if err != nil {
		t.Fatal(err)
	}
	return ref
}

// cachedTexts returns the texts the search cache holds.
func cachedTexts(o *office) map[string]string {
	o.r.texts.mu.Lock()
	defer o.r.texts.mu.Unlock()
	m := make(map[string]string, len(o.r.texts.m))
	for k, v := range o.r.texts.m {
		m[k] = v
	}
	return m
}

// TestSearchBudgetStopsAnExtraction: the search's budget is looked at while a letter's text
// is extracted (between the pages of a PDF), not only between letters: a PDF of many pages
// whose extraction outlasts the budget ends the answer, partial, with next_before the letter
// before it, so that the next part starts with it; its text, cut short, is not cached as a
// letter without text, and the next part reads it in full and finds the word. A clock that
// moves a second at each reading spends the budget within the PDF. (Fifty-eighth session's
// not-fixed list, the lead's decision: the budget was checked between letters only, and an
// answer took the budget and one whole extraction more.)
func TestSearchBudgetStopsAnExtraction(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	pdfRef := manyPagesPDFLetter(t, o)
	newer := o.letter(t, "Dear Minister, the convoy leaves on Monday.")

	now := time.Now()
	o.r.cfg.Now = func() time.Time { now = now.Add(time.Second); return now }
	q := LetterQuery{Text: "zanzibarian", Partial: true}
	l, err := o.r.ListLetters(ctx, o.reviewer, q)
	if err != nil {
		t.Fatal(err)
	}
	if !l.Partial || !l.Truncated || l.NextBefore != newer || len(l.Letters) != 0 {
		t.Fatalf("the first part: %+v, want partial, without letters, going on after %s (the PDF's extraction stopped by the budget)", l, newer)
	}
	for d, s := range cachedTexts(o) {
		if s == "" {
			t.Errorf("the cache holds an empty text for %s: an extraction cut short was kept as a letter without text", d)
		}
	}

	q.Before = l.NextBefore
	l, err = o.r.ListLetters(ctx, o.reviewer, q)
	if err != nil {
		t.Fatal(err)
	}
	if l.Partial || l.Truncated || len(l.Letters) != 1 || l.Letters[0].Reference != pdfRef || l.Letters[0].Match != "text" {
		t.Fatalf("the next part: %+v, want %s found in its text", l, pdfRef)
	}
	found := false
	for _, s := range cachedTexts(o) {
		found = found || strings.Contains(s, "zanzibarian")
	}
	if !found {
		t.Errorf("the PDF's text, read in full, is not cached")
	}
}

// TestSearchCancelledStopsAnExtraction: a request cancelled while a letter's text is
// extracted stops the extraction: the search answers the context's error, and nothing cut
// short is cached. The clock cancels the request at its fourth reading, within the PDF,
// before the budget is spent.
func TestSearchCancelledStopsAnExtraction(t *testing.T) {
	o := newOffice(t)
	manyPagesPDFLetter(t, o)
	o.letter(t, "Dear Minister, the convoy leaves on Monday.")

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	now, reads := time.Now(), 0
	o.r.cfg.Now = func() time.Time {
		if reads++; reads == 4 {
			cancel()
		}
		now = now.Add(time.Second)
		return now
	}
	l, err := o.r.ListLetters(ctx, o.reviewer, LetterQuery{Text: "zanzibarian", Partial: true})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("a search cancelled within an extraction: %+v, %v, want the context's error", l, err)
	}
	for d, s := range cachedTexts(o) {
		if s == "" {
			t.Errorf("the cache holds an empty text for %s: an extraction cut short was kept", d)
		}
	}
}

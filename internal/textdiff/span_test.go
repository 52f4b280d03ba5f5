package textdiff

import (
	"strings"
	"testing"
	"unicode"
)

// TestSpan: a quotation is placed in the letter it quotes, altered or not, in capitals or
// not, even where its words also stand elsewhere in the letter; a text that keeps none of
// the letter's words has no place in it.
func TestSpan(t *testing.T) {
	const letter = "The ministry of the interior writes to the embassy. The ministry will move 277 trucks on Monday and the other 300 trucks later. The embassy is asked to confirm by the end of the week. The ministry thanks the embassy."
	const quoted = "The ministry will move 277 trucks on Monday and the other 300 trucks later"
	for _, c := range []struct {
		name, b, want string
	}{
		{"the quotation itself", quoted + ".", quoted},
		{"in capitals", strings.ToUpper(quoted), quoted},
		{"a figure changed", "The ministry will move 877 trucks on Monday and the other 300 trucks later.", quoted},
		{"words added inside", "The ministry will not move 277 trucks on Monday and the other 300 trucks later.", quoted},
		{"its first and last words changed", "A ministry will move 277 trucks on Monday and the other 300 trucks sooner.", "ministry will move 277 trucks on Monday and the other 300 trucks"},
		{"the whole letter", letter, strings.TrimSuffix(letter, ".")},
		{"nothing of the letter", "Quite unrelated words here.", ""},
		{"no words", " ... ", ""},
	} {
		if got := Span(letter, c.b); got != c.want {
			t.Errorf("%s: Span = %q, want %q", c.name, got, c.want)
		}
	}
	if got := Span("", quoted); got != "" {
		t.Errorf("Span of an empty text = %q", got)
	}
}

// FuzzSpan: whatever the texts, Span returns a piece of a that starts and ends with a word.
func FuzzSpan(f *testing.F) {
	f.Add("The ministry will move 277 trucks on Monday.", "ministry will move 877 trucks")
	f.Add("a a a b a a", "a b a")
	f.Fuzz(func(t *testing.T, a, b string) {
		s := Span(a, b)
		if s == "" {
			return
		}
		if !strings.Contains(a, s) {
			t.Fatalf("Span(%q, %q) = %q, not a piece of a", a, b, s)
		}
		toks := Tokens(s)
		n := len(toks)
		// A span starts with a word or a sign before digits, and ends with a word or a
		// sign after digits (wholeFigures).
		figure := func(sign, digits string) bool {
			return classOf(firstRune(sign)) == 2 && strings.ContainsFunc(digits, unicode.IsDigit)
		}
		if w, _ := lowerWords(toks[:1]); len(w) == 0 && !(n > 1 && figure(toks[0], toks[1])) {
			t.Fatalf("Span(%q, %q) = %q starts with %q", a, b, s, toks[0])
		}
		if w, _ := lowerWords(toks[n-1:]); len(w) == 0 && !(n > 1 && figure(toks[n-1], toks[n-2])) {
			t.Fatalf("Span(%q, %q) = %q ends with %q", a, b, s, toks[n-1])
		}
	})
}

// TestSpanWholeFigures: a quotation that begins or ends inside a figure is placed against
// the whole figure, so that its difference shows the sign or the digits it left out.
func TestSpanWholeFigures(t *testing.T) {
	const letter = "The ministry pays $7,300,000 to the contractor, 4 600 000 euros to the port of 9\n12 trucks, and grows by -15% this year, at 10:30 on 12/11."
	for _, c := range []struct{ name, b, want string }{
		{"the digits after a separator", "The ministry pays $7", "The ministry pays $7,300,000"},
		{"the sign and digits before", "300,000 to the contractor", "$7,300,000 to the contractor"},
		{"groups before a space", "600 000 euros to the port", "4 600 000 euros to the port"},
		{"groups after a space", "to the contractor, 4", "to the contractor, 4 600 000"},
		{"not across a line break", "euros to the port of 9", "euros to the port of 9"},
		{"the percent sign", "and grows by -15", "and grows by -15%"},
		{"the minus", "15% this year", "-15% this year"},
		{"the minutes", "this year, at 10", "this year, at 10:30"},
		{"a whole figure", "12 trucks, and grows", "12 trucks, and grows"},
		{"a date", "at 10:30 on 12", "at 10:30 on 12/11"},
	} {
		if got := Span(letter, c.b); got != c.want {
			t.Errorf("%s: Span = %q, want %q", c.name, got, c.want)
		}
	}
}

// TestSpanBoundsItsVotes: the votes Span counts grow with the texts' length, not with the
// product of a word's places in each: a text of a million copies of a word that stands 64
// times in the letter cast 64 million votes (7.2 s). The votes are counted, not the time.
func TestSpanBoundsItsVotes(t *testing.T) {
	letter := strings.Repeat("The ministry writes to the embassy. ", 64)
	for _, b := range []string{
		strings.Repeat("ministry ", 100000),
		strings.Repeat("the ", 100000),
		strings.Repeat("the ministry writes to ", 25000),
	} {
		words := len(strings.Fields(letter)) + len(strings.Fields(b))
		if _, votes := span(letter, b); votes > spanVotes*words {
			t.Errorf("Span of %.20q… counted %d votes for %d words, want at most %d", b, votes, words, spanVotes*words)
		}
	}
}

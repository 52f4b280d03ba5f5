package registry

import (
	"fmt"
	"strings"

	"github.com/chancery/chancery/internal/textdiff"
)

// The public's difference between a letter and a text shows where the text departs from the
// part of the letter it quotes, and nothing of the rest of the letter. A word-level
// difference aligns every word of the text with the letter wherever it stands in it, so
// whoever holds a paragraph of a letter could add a guess ("ambassador of Freedonia") and
// see it kept, after a count of the letter's words between, when the letter holds it, and
// added when not: they would learn, guess by guess, what the rest of the letter says and
// where. So the public's difference is cut to its quoted part: outside it, the text's words
// are shown as the text's (added), whether or not the letter holds them, and the letter's
// words, when they are shown at all, as one count before and one after.
//
// The quoted part is found from anchors: runs of at least anchorWords words that the text
// keeps in the letter's order. Anchors less than gapWords of the letter's words apart belong
// to the same part, the words between them being edits of the quotation (a word changed, a
// line dropped); anchors farther apart are different parts. Of these, the part with the most
// words kept is the quoted part (the first of equals). Runs shorter than an anchor never
// bound a part, and count as skipped words between anchors: they are what a guessed name
// aligns with, and what common words ("the", "of") would align with to bridge a gap step by
// step. A guess is still confirmed when it is an anchor itself and stands within gapWords of
// the quotation (it then reads as a quotation with a passage dropped), or when it keeps more
// words than the quotation (it is then the quoted part: a quotation that the registry would
// confirm if it were sent alone).
const (
	// anchorWords is the fewest words kept in a row that can bound a quoted part: longer
	// than most guessed names, places and figures, shorter than the runs an honest copy with
	// one word in five edited keeps between its edits.
	anchorWords = 4
	// gapWords is the fewest of the letter's words between two anchors that separate two
	// quoted parts: a line of the letter dropped from a copy is fewer.
	gapWords = 12
)

// publicTextDiff cuts ops, the difference from a letter's text to an asker's text, to the
// part of the letter the text quotes (see above), for the public. wholeLetter says that ops
// compare the text with the whole letter: the letter's words before and after the part are
// then shown as deletions (which redactDeletions turns into counts), as they depend only on
// where the part stands in the letter. When ops compare it with a span of the letter
// (textdiff.Span), which extends as far as a guess the letter holds, they are left out.
//
// The part is compared anew, alone: how the shortest edit script pairs the words at its edges
// (a "The" with the part's first word or with a guess's) depends on the words outside it. So
// the part runs from its first anchor back, and from its last anchor on, as far as the letter
// and the text agree sign for sign (any space matching any), which depends on the part alone.
func publicTextDiff(ops []DiffOp, wholeLetter bool) []DiffOp {
	from, to := quotedSpan(ops, false)
	letter, text := sides(ops)
	lFrom, tFrom := sides(ops[:from])
	lTo, tTo := sides(ops[:to])
	ls, ts, le, te := len(lFrom), len(tFrom), len(lTo), len(tTo)
	if from < to {
		ls, ts = agreeBack(letter[:ls], text[:ts])
		n, m := agreeOn(letter[le:], text[te:])
		le, te = le+n, te+m
	}
	var out []DiffOp
	add := func(op, s string) {
		if n := len(out); n > 0 && out[n-1].Op == op {
			out[n-1].Text += s
		} else if s != "" {
			out = append(out, DiffOp{Op: op, Text: s})
		}
	}
	outside := func(op, s string) {
		if strings.TrimSpace(s) != "" {
			add(op, s)
		}
	}
	if wholeLetter {
		outside("delete", letter[:ls])
	}
	outside("insert", text[:ts])
	for _, op := range textdiff.Words(letter[ls:le], text[ts:te]) {
		add(op.Kind.String(), op.Text)
	}
	outside("insert", text[te:])
	if wholeLetter {
		outside("delete", letter[le:])
	}
	return out
}

// publicScanDiff cuts ops, the public difference from a letter's text to the text read from a
// scan (scanDiff), to the part of the letter the scan quotes (see above). Its runs kept are
// counts ("[N words as in the letter]"): outside the part, the scan's words, kept or added,
// are shown as one count ("[N words of this text]"), whatever the letter holds, and the
// letter's words are left out (a comparison with a span of the letter extends as far as a
// guess the letter holds).
func publicScanDiff(ops []DiffOp) []DiffOp {
	from, to := quotedSpan(ops, true)
	var out []DiffOp
	outside := func(ops []DiffOp) {
		n := 0
		for _, op := range ops {
			switch op.Op {
			case "equal":
				n += keptWords(op, true)
			case "insert":
				n += len(strings.Fields(op.Text))
			}
		}
		if n > 0 {
			out = append(out, DiffOp{Op: "insert", Text: fmt.Sprintf("[%d word%s of this text] ", n, map[bool]string{true: "", false: "s"}[n == 1])})
		}
	}
	outside(ops[:from])
	out = append(out, ops[from:to]...)
	outside(ops[to:])
	return out
}

// sides returns the letter's text of ops (its equal and deleted runs) and the asker's (its
// equal and inserted runs).
func sides(ops []DiffOp) (letter, text string) {
	var l, t strings.Builder
	for _, op := range ops {
		if op.Op != "insert" {
			l.WriteString(op.Text)
		}
		if op.Op != "delete" {
			t.WriteString(op.Text)
		}
	}
	return l.String(), t.String()
}

// agreeBack returns where the signs that letter and text end with, the same in both, start in
// each (textdiff.Tokens; any run of spaces matches any other).
func agreeBack(letter, text string) (int, int) {
	lt, tt := textdiff.Tokens(letter), textdiff.Tokens(text)
	l, t := len(letter), len(text)
	for i, j := len(lt)-1, len(tt)-1; i >= 0 && j >= 0 && sameSign(lt[i], tt[j]); i, j = i-1, j-1 {
		l, t = l-len(lt[i]), t-len(tt[j])
	}
	return l, t
}

// agreeOn returns how long, in each, the signs that letter and text start with, the same in
// both, are (see agreeBack).
func agreeOn(letter, text string) (int, int) {
	lt, tt := textdiff.Tokens(letter), textdiff.Tokens(text)
	l, t := 0, 0
	for i := 0; i < len(lt) && i < len(tt) && sameSign(lt[i], tt[i]); i++ {
		l, t = l+len(lt[i]), t+len(tt[i])
	}
	return l, t
}

// sameSign reports whether two tokens are the same, or both spaces.
func sameSign(a, b string) bool {
	return a == b || strings.TrimSpace(a) == "" && strings.TrimSpace(b) == ""
}

// quotedSpan returns the ops from and to (exclusive) of the quoted part of ops, from its
// first anchor to its last; from == to when ops keep no anchor. counted says equal ops are
// counts of words kept (a public scan's).
func quotedSpan(ops []DiffOp, counted bool) (from, to int) {
	bestKept, kept, skipped := 0, 0, 0
	start, last := -1, -1 // the current part's first and last anchors
	for i, op := range ops {
		if op.Op == "delete" {
			skipped += len(strings.Fields(op.Text))
		}
		if op.Op != "equal" {
			continue
		}
		n := keptWords(op, counted)
		if n < anchorWords {
			skipped += n
			continue
		}
		if start < 0 || skipped >= gapWords {
			start, kept = i, 0
		} else {
			// The runs kept between the part's last anchor and this one are the part's.
			for _, between := range ops[last+1 : i] {
				if between.Op == "equal" {
					kept += keptWords(between, counted)
				}
			}
		}
		kept += n
		last, skipped = i, 0
		if kept > bestKept {
			bestKept, from, to = kept, start, i+1
		}
	}
	return from, to
}

// keptWords returns the number of words an equal op keeps: its words, or if counted the count
// it shows ("[N words as in the letter]", scanDiff).
func keptWords(op DiffOp, counted bool) int {
	if counted {
		var n int
		if _, err := fmt.Sscanf(op.Text, "[%d words as in the letter]", &n); err == nil {
			return n
		}
	}
	return len(strings.Fields(op.Text))
}

package policy

import (
	"strings"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// A letter's class and tags are typed by its drafter, and a rule matches them by exact
// comparison: a tag that reads as one a rule names without being it ("force-posture " with a
// space after it, "force‐posture" with a Unicode hyphen, a Cyrillic "о") matches none of the
// rules that name it, and the letter leaves under the default rule while everyone who reads
// it sees the tag the office wrote a stricter rule for. The policy refuses such labels
// (CheckLabels): a label equal to one the policy names is that label; one that only reads
// as it is refused.

// confusables maps letters and digits that read as a Latin letter (after case folding) to
// that letter: Cyrillic, Greek and Armenian look-alikes, dotless i, and the digits and signs
// read as o and l. i and l are one letter here: "I" folds to "i", and reads as "l".
var confusables = map[rune]rune{
	'0': 'o', '1': 'l', '|': 'l', 'i': 'l', 'ı': 'l',
	'а': 'a', 'с': 'c', 'ԁ': 'd', 'е': 'e', 'ɡ': 'g', 'һ': 'h', 'і': 'l', 'ӏ': 'l', 'ј': 'j',
	'о': 'o', 'р': 'p', 'ԛ': 'q', 'ѕ': 's', 'у': 'y', 'х': 'x', 'ԝ': 'w',
	'α': 'a', 'ϲ': 'c', 'ι': 'l', 'κ': 'k', 'ν': 'v', 'ο': 'o', 'ρ': 'p', 'υ': 'u',
	'ո': 'n', 'ս': 'u', 'օ': 'o',
}

// skeleton maps s to a form in which strings that read alike are equal: compatibility
// characters (full-width letters, no-break spaces) replaced by what they stand for, case
// folded, look-alike letters and dashes replaced by one of each, spaces of any kind at the
// ends dropped and runs of them made one, and "rn" read as "m", "vv" as "w". It is never
// compared for equality of labels, only to find a label that reads as another.
func skeleton(s string) string {
	var b strings.Builder
	space := false
	for _, r := range cases.Fold().String(norm.NFKC.String(s)) {
		switch {
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		case unicode.Is(unicode.Pd, r), r == '\u2212', r == '\u02d7', r == '\u2796', r == '\u2043':
			r = '-'
		default:
			if l, ok := confusables[r]; ok {
				r = l
			}
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return strings.NewReplacer("rn", "m", "vv", "w").Replace(b.String())
}

// addNamed records label as one the policy names, under its skeleton (the first one named
// with a skeleton stands for the others in messages).
func (p *Policy) addNamed(label string) {
	if label == "" {
		return
	}
	if p.named == nil {
		p.named = map[string]bool{}
		p.skeletons = map[string]string{}
	}
	p.named[label] = true
	if sk := skeleton(label); p.skeletons[sk] == "" {
		p.skeletons[sk] = label
	}
}

// readsAs returns the label the policy names that s reads as without being it, or "".
func (p *Policy) readsAs(s string) string {
	if p.named[s] {
		return ""
	}
	return p.skeletons[skeleton(s)]
}

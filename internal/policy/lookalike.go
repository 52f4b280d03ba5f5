package policy

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/chancery/chancery/internal/lookalike"
	"golang.org/x/text/unicode/norm"
)

// A letter's class and tags are typed by its drafter, and a rule matches them by exact
// comparison: a tag that reads as one a rule names without being it ("force-posture " with a
// space after it, "force‐posture" with a Unicode hyphen, a Cyrillic "о") matches none of the
// rules that name it, and the letter leaves under the default rule while everyone who reads
// it sees the tag the office wrote a stricter rule for. The policy refuses such labels
// (CheckLabels): a label equal to one the policy names is that label; one that only reads
// as it (lookalike.Skeleton) is refused.

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
	if sk := lookalike.Skeleton(label); p.skeletons[sk] == "" {
		p.skeletons[sk] = label
	}
}

// readsAs returns the label the policy names that s, of skeleton sk, reads as without being
// it, or "".
func (p *Policy) readsAs(s, sk string) string {
	if p.named[s] {
		return ""
	}
	return p.skeletons[sk]
}

// Where a part is looked for in a label.
const (
	atStart = iota // startsWith
	atEnd          // endsWith
	inside         // contains, or a regular expression's literal text
	whole          // a regular expression (matches), against the whole label
)

// part is text a condition looks for in part of a class or a tag: `t.startsWith("secret-")`
// misses "Secret-ops" and "s\u0435cret-ops" (a Cyrillic е) as `==` misses "Force-Posture",
// and the letter leaves under the default rule while every reader sees the label the rule was
// written for. A label that holds the part as it reads (its skeleton holds the part's) but
// not as it is written is refused, as a whole label that reads as a named one is.
type part struct {
	text     string
	at       int
	fold     bool   // compared as (?i) compares: capitals are not a difference
	skeleton string // of text
	// re is the regular expression of a part at whole: its literal text alone misses a
	// label that differs inside a character class ("embargo-l2" or "embargo-１２" beside
	// "^embargo-[0-9]+$", "secret‐ops" beside "^secret[-_]ops$"), so the label's readings
	// are matched against it too (readings).
	re *regexp.Regexp
}

// addPart records q as a part the policy's conditions look for; one drawn as nothing is
// not, since every label would hold it as it reads.
func (p *Policy) addPart(q part) {
	q.skeleton = lookalike.Skeleton(q.text)
	if q.skeleton == "" {
		return
	}
	for _, o := range p.parts {
		if o == q {
			return
		}
	}
	p.parts = append(p.parts, q)
}

// holdsAsRead returns the text of a part that s, of skeleton sk, holds as it reads but not as
// it is written, or "", and whether that part is a regular expression the label's readings
// match (whole).
func (p *Policy) holdsAsRead(s, sk string) (string, bool) {
	for _, q := range p.parts {
		text, label := q.text, s
		if q.fold {
			text, label = strings.ToLower(text), strings.ToLower(label)
		}
		var reads, is bool
		switch q.at {
		case whole:
			if is = q.re.MatchString(s); !is {
				for _, r := range readings(s) {
					if reads = q.re.MatchString(r); reads {
						break
					}
				}
			}
		case atStart:
			reads, is = strings.HasPrefix(sk, q.skeleton), strings.HasPrefix(label, text)
		case atEnd:
			reads, is = strings.HasSuffix(sk, q.skeleton), strings.HasSuffix(label, text)
		default:
			reads, is = strings.Contains(sk, q.skeleton), strings.Contains(label, text)
		}
		if reads && !is {
			return q.text, q.at == whole
		}
	}
	return "", false
}

// readings returns texts that s reads as, other than itself: its compatibility form (NFKC:
// full-width digits and letters, ligatures); that form with each sign outside ASCII that reads
// as one of ASCII's written as that one (a Cyrillic е, a Unicode hyphen), capitals kept; and
// each of those two with each word whose every sign is a digit or reads as one ("l2", "I0",
// "Ol") written in digits ("l", "I", "|" as 1; "O", "o" as 0), words of other letters kept
// ("embargo" stays). The readings build on one another, so that a label needing two at once
// ("secret‐ops-l2", a Unicode hyphen and an l) reads as what it looks like.
func readings(s string) []string {
	nfkc := norm.NFKC.String(s)
	ascii := asciiReading(nfkc)
	return []string{nfkc, ascii, digitsReading(nfkc), digitsReading(ascii)}
}

// asciiReading returns s with each sign outside ASCII whose skeleton is one ASCII sign
// written as that sign, capitals kept.
func asciiReading(s string) string {
	var b strings.Builder
	for _, r := range s {
		sk := lookalike.Skeleton(string(r))
		switch {
		case r < utf8.RuneSelf || len(sk) != 1 || sk[0] >= utf8.RuneSelf:
			b.WriteRune(r)
		case unicode.IsUpper(r):
			b.WriteString(strings.ToUpper(sk))
		default:
			b.WriteString(sk)
		}
	}
	return b.String()
}

// digitsReading returns s with each word whose every sign is a digit or reads as one written
// in digits (asDigits).
func digitsReading(s string) string {
	var b strings.Builder
	rest := s
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		i := strings.Index(rest, w)
		b.WriteString(rest[:i])
		rest = rest[i+len(w):]
		if mapped, ok := asDigits(w); ok {
			w = mapped
		}
		b.WriteString(w)
	}
	b.WriteString(rest)
	return b.String()
}

// asDigits returns the word w written in digits, when each of its signs is a digit or reads
// as one.
func asDigits(w string) (string, bool) {
	var b strings.Builder
	for _, r := range w {
		switch sk := lookalike.Skeleton(string(r)); {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case sk == "l" || r == 'I':
			b.WriteByte('1')
		case sk == "o":
			b.WriteByte('0')
		default:
			return "", false
		}
	}
	return b.String(), true
}

package accesslog

import (
	"net/http"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The errors the registry returns say what they were about ("verify sha256:…: answer …",
// "status of REF: …", "inbox of NAME: …"), which is what an operator reading them needs and
// what a server's log must not keep: a released file's digest opens the letter to whoever
// presents it, and references and members' names are the office's, not its log shipper's.
// An error logged for a request is logged with them REDACTED; its request_id ties the line to
// the request, which the office can look up in its own records.

// digests matches a SHA-256 digest in hex, with or without its "sha256:".
var digests = regexp.MustCompile(`(?i)\b(?:sha256:)?[0-9a-f]{64}\b`)

// wildcards matches the wildcards of a route pattern, {name} and {name...}.
var wildcards = regexp.MustCompile(`\{([^}.$]+)(?:\.\.\.)?\}`)

// TextRedactor redacts the texts (errors, panics) a server logs for a request.
type TextRedactor struct {
	refs *regexp.Regexp // the office's references; nil when it has none
}

// NewTextRedactor returns the redactor of an office whose references begin with prefix
// (PREFIX-YEAR-N, the registry's letters.go); "" redacts no references but by the request's
// own words.
func NewTextRedactor(prefix string) *TextRedactor {
	t := &TextRedactor{}
	if prefix != "" {
		t.refs = regexp.MustCompile(`\b` + regexp.QuoteMeta(prefix) + `-[0-9]{4}-[0-9]+\b`)
	}
	return t
}

// Redact returns text as a log takes it for r: the request's path values (references, names,
// codes), its ?code= and ?digest=, the words given (the name of the member who sent it),
// digests and the office's references replaced by REDACTED.
func (t *TextRedactor) Redact(r *http.Request, text string, words ...string) string {
	for _, m := range wildcards.FindAllStringSubmatch(r.Pattern, -1) {
		words = append(words, r.PathValue(m[1]))
	}
	q := r.URL.Query()
	words = append(words, q.Get("code"), q.Get("digest"))
	for _, w := range words {
		text = redactWord(text, w)
	}
	text = digests.ReplaceAllString(text, Redacted)
	if t.refs != nil {
		text = t.refs.ReplaceAllString(text, Redacted)
	}
	return text
}

// redactWord replaces in s each w that stands as a word of its own (no letter or digit just
// before or after it) by REDACTED.
func redactWord(s, w string) string {
	if w == "" {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, w)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		before, _ := utf8.DecodeLastRuneInString(s[:i])
		after, _ := utf8.DecodeRuneInString(s[i+len(w):])
		if i > 0 && wordRune(before) || i+len(w) < len(s) && wordRune(after) {
			b.WriteString(s[:i+len(w)])
		} else {
			b.WriteString(s[:i])
			b.WriteString(Redacted)
		}
		s = s[i+len(w):]
	}
}

func wordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

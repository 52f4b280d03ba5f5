package verify

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/chancery/chancery/internal/i18n"
)

// Verify says why it could not verify in the reader's language, as it says its results: the
// "chancery: error:" and "chancery: hint:" lines of verify are printed in the language of
// --lang, CHANCERY_LANG or the locale. --json keeps its English error object, and the other
// commands print English.

// Exit statuses of verify, the same as the rest of the command line's.
const (
	ExitOK     = 0
	ExitFailed = 1
	ExitError  = 2
)

// Hinted is an error with advice for the user, printed as a "chancery: hint:" line; the
// advice is a message, said in the reader's language.
type Hinted struct {
	Err  error
	Hint i18n.Message
	// english is a hint not in the catalogue, printed as it is.
	english bool
}

func (h *Hinted) Error() string { return h.Err.Error() }
func (h *Hinted) Unwrap() error { return h.Err }

// withHintMsg is err with the advice hint.
func withHintMsg(err error, hint i18n.Message) error {
	return &Hinted{Err: err, Hint: hint}
}

// withHint is err with advice that stays in English.
func withHint(err error, hint string) error {
	return &Hinted{Err: err, Hint: i18n.Message{Key: hint}, english: true}
}

// localized marks an error to be printed in p's language.
type localized struct {
	err error
	p   *i18n.Printer
}

func (l *localized) Error() string { return l.err.Error() }
func (l *localized) Unwrap() error { return l.err }

// inLanguage marks err, if any, to be printed in p's language.
func inLanguage(p *i18n.Printer, err error) error {
	if err == nil || p == nil || p.Lang() == "en" {
		return err
	}
	return &localized{err: err, p: p}
}

// ErrorLines writes the error line of err and its hint: in English, or in the language err
// was marked with by verify. Errors quote what a registry (or whoever answers in its place)
// answered, and file names: both are escaped as verify's result lines are (Printable), line
// by line, so that an escape sequence cannot erase the error and print a success instead.
func ErrorLines(w io.Writer, err error, msg, hint string) {
	var l *localized
	if !errors.As(err, &l) {
		fmt.Fprintf(w, "chancery: error: %s\n", PrintableLines(msg))
		if hint != "" {
			fmt.Fprintf(w, "chancery: hint: %s\n", PrintableLines(hint))
		}
		return
	}
	p := l.p
	fmt.Fprintln(w, p.T("chancery: error: %s", PrintableLines(localError(p, l.err))))
	if hint == "" {
		return
	}
	var h *Hinted
	if errors.As(err, &h) && !h.english {
		hint = h.Hint.Translate(p)
	} else {
		hint = p.Text(hint)
	}
	fmt.Fprintln(w, p.T("chancery: hint: %s", PrintableLines(hint)))
}

// PrintableLines is Printable for each line of s: the line breaks of a message of several
// lines (errors.Join's) stay.
func PrintableLines(s string) string {
	if printableASCII(s) {
		return s
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = Printable(l)
	}
	return strings.Join(lines, "\n")
}

// localError says err in p's language: a message of the catalogue, or a file that could not
// be read (the system's reason in the catalogue's words when it has them), or else err's text.
func localError(p *i18n.Printer, err error) string {
	var t i18n.Translator
	var pe *fs.PathError
	switch {
	case errors.As(err, &t):
		return t.Translate(p)
	case errors.As(err, &pe) && pe.Op == "open":
		return i18n.Msg("cannot open %s: %v", pe.Path, pe.Err).Translate(p)
	case errors.As(err, &pe):
		return i18n.Msg("cannot read %s: %v", pe.Path, pe.Err).Translate(p)
	}
	return p.Error(err)
}

// systemReason is the system's reason a file could not be opened or read ("no such file or
// directory"), without the operation and path of err, which the message that names the file
// for what it was says in the reader's words.
func systemReason(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// notTrustRoot is the refusal of name, read as the trust root, with the reason err: the trust
// root's parser says "trust root: …", which the message says once, and the hint says what the
// file should have been (a letter or a seal passed as --trust is the likely mistake).
func notTrustRoot(name string, err error) error {
	reason := strings.TrimPrefix(err.Error(), "trust root: ")
	return withHintMsg(i18n.Errorf(nil, "%s is not a valid trust root: %s", Printable(name), reason),
		i18n.Msg("--trust takes the trust root the office publishes, the JSON file that 'chancery trust export' writes, not a letter or its seal"))
}

// HintText is the hint in English.
func (h *Hinted) HintText() string {
	if h.english {
		return h.Hint.Key
	}
	return h.Hint.String()
}

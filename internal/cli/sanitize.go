package cli

import (
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/chancery/chancery/internal/verify"
)

// printable returns s with what a terminal would act on escaped (see verify.Printable): text
// from a registry or a seal, printed raw, could otherwise erase the line before it and print
// a fake one, or reorder what is shown.
func printable(s string) string { return verify.Printable(s) }

// printableLines is printable for text of several lines: its line breaks and tabs are kept.
func printableLines(s string) string {
	var b strings.Builder
	for {
		i := strings.IndexAny(s, "\n\t")
		if i < 0 {
			b.WriteString(printable(s))
			return b.String()
		}
		b.WriteString(printable(s[:i]))
		b.WriteByte(s[i])
		s = s[i+1:]
	}
}

// escaper is the standard output and error of the commands that speak to a registry: what
// they print passes through printableLines, so that no text from an answer (a subject, a
// comment, a reason, an audit detail), wherever a command prints it, reaches the terminal
// raw. A character split between two writes is held until the next.
type escaper struct {
	w       io.Writer
	pending []byte
}

func (e *escaper) Write(p []byte) (int, error) {
	b := append(e.pending, p...)
	cut := len(b)
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				cut = i
			}
			break
		}
	}
	e.pending = append([]byte(nil), b[cut:]...)
	if _, err := io.WriteString(e.w, printableLines(string(b[:cut]))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// flush writes what a last write left pending (the start of a character never completed).
func (e *escaper) flush() {
	if len(e.pending) > 0 {
		io.WriteString(e.w, printableLines(string(e.pending)))
		e.pending = nil
	}
}

// terminal returns the terminal w writes to, through an escaper, if it is one.
func terminal(w io.Writer) (*os.File, bool) {
	if e, ok := w.(*escaper); ok {
		w = e.w
	}
	f, ok := w.(*os.File)
	return f, ok
}

package verify

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/chancery/chancery/internal/script"
	"golang.org/x/term"
)

// isTerminal reports whether w is a terminal (and not a pipe, a file or a test's buffer).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// useColor reports whether to colour what goes to w: only on a terminal, and never when
// NO_COLOR is set (https://no-color.org) or the terminal is dumb.
func useColor(w io.Writer) bool {
	return os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb" && isTerminal(w)
}

// ANSI colours of verify's outcomes.
const (
	green = "\x1b[32m"
	red   = "\x1b[31m"
	amber = "\x1b[33m"
	reset = "\x1b[0m"
)

// outcomeColor is the colour of an outcome: green for a valid letter, amber for a letter
// withdrawn by its office, red for anything that is not a letter to rely on.
func outcomeColor(outcome string) string {
	switch outcome {
	case Valid:
		return green
	case Retracted, Superseded:
		return amber
	default:
		return red
	}
}

// colorOutcome colours the outcome word that starts msg ("valid: …"), or all of msg when it
// does not start with it.
func colorOutcome(outcome, msg string) string {
	col := outcomeColor(outcome)
	if rest, ok := strings.CutPrefix(msg, outcome); ok {
		return col + outcome + reset + rest
	}
	return col + msg + reset
}

// progress shows "verified N of M files" on a terminal, rewritten in place, once a run has
// taken a second: a long run shows it is moving, a short one prints nothing. A nil progress
// shows nothing.
type progress struct {
	w     io.Writer
	total int
	start time.Time

	mu    sync.Mutex
	done  int
	last  time.Time // when the line was last written
	shown bool
}

// newProgress returns a progress line on w for total files, or nil when w is not a terminal.
func newProgress(w io.Writer, total int) *progress {
	if !isTerminal(w) {
		return nil
	}
	return &progress{w: w, total: total, start: time.Now()}
}

// step counts one more file done.
func (p *progress) step() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done++
	now := time.Now()
	if now.Sub(p.start) < time.Second || now.Sub(p.last) < 100*time.Millisecond {
		return
	}
	p.last, p.shown = now, true
	fmt.Fprintf(p.w, "\rverified %d of %d files", p.done, p.total)
}

// finish clears the progress line, if it was shown.
func (p *progress) finish() {
	if p == nil || !p.shown {
		return
	}
	fmt.Fprint(p.w, "\r\x1b[K")
}

// Printable returns s with what a terminal would act on rather than show escaped as Go
// quotes it (ESC as \x1b, U+202E as \u202e, a byte of invalid UTF-8 as \xff): control and
// format characters and line separators. Text from a registry or a seal, printed raw, could
// otherwise erase the line before it and print a fake one, or reorder what is shown. A
// zero-width non-joiner where Persian or an Indic script puts it (script.NonJoinerInPlace) is
// part of the word, as the registry stores it, and is left as it is.
func Printable(s string) string {
	if printableASCII(s) || utf8.ValidString(s) && !strings.ContainsFunc(s, unprintable) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		c, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case c == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case script.NonJoinerInPlace(s, i):
			b.WriteString(s[i : i+n])
		case unprintable(c):
			q := strconv.QuoteRuneToASCII(c)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// printableASCII reports whether s is made only of the ASCII characters from space to tilde,
// which unprintable accepts: a folder's lines nearly always are, and this loop over bytes
// costs a fraction of decoding runes and looking each up in the Unicode tables, which took
// about 1.5% of the processor time of a 1,000-letter folder (issue 19 item 2).
func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e {
			return false
		}
	}
	return true
}

func unprintable(c rune) bool {
	return unicode.IsControl(c) || unicode.In(c, unicode.Cf, unicode.Zl, unicode.Zp)
}

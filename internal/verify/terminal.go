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

	"github.com/chancery/chancery/internal/i18n"
	"github.com/chancery/chancery/internal/script"
	"golang.org/x/term"
)

// isTerminal reports whether w is a terminal (and not a pipe, a file or a test's buffer).
func isTerminal(w io.Writer) bool {
	if pw, ok := w.(*progressLines); ok {
		w = pw.w
	}
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
	// lang says the line in the reader's language (--lang): it was English in a French or
	// Arabic run.
	lang *i18n.Printer

	mu    sync.Mutex
	done  int
	last  time.Time // when the line was last written
	shown bool
}

// newProgress returns a progress line on w for total files in lang's language, or nil when w
// is not a terminal.
func newProgress(w io.Writer, total int, lang *i18n.Printer) *progress {
	if !isTerminal(w) {
		return nil
	}
	return &progress{w: w, total: total, start: time.Now(), lang: lang}
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
	fmt.Fprint(p.w, "\r"+p.lang.T("verified %d of %d files", p.done, p.total))
}

// finish clears the progress line, if it was shown.
func (p *progress) finish() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clear()
}

// clear erases the progress line if it is shown, so that the next line takes its place. The
// caller holds p.mu.
func (p *progress) clear() {
	if p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.shown = false
	}
}

// lines returns w to print verify's lines to: w itself, or, when w is a terminal and p shows
// a progress line, w behind a writer that clears that line before each write. Each line
// is then printed as soon as it is known, as it is elsewhere: the lines of a folder of
// many files were held until the last was known, and a folder of a million empty files
// (a small archive) held over a gigabyte.
func (p *progress) lines(w io.Writer) io.Writer {
	if p == nil || !isTerminal(w) {
		return w
	}
	return &progressLines{w: w, p: p}
}

// progressLines is a terminal that shows a progress line: each write (Report writes whole
// lines to a terminal) first clears the progress line, which the next step shows again.
type progressLines struct {
	w io.Writer
	p *progress
}

func (pl *progressLines) Write(b []byte) (int, error) {
	pl.p.mu.Lock()
	defer pl.p.mu.Unlock()
	pl.p.clear()
	return pl.w.Write(b)
}

// Printable returns s with what a terminal would act on rather than show escaped as Go
// quotes it (ESC as \x1b, U+202E as \u202e, a byte of invalid UTF-8 as \xff): control and
// format characters and line separators; and what it would draw as nothing, the characters
// the registry refuses in stored text as invisible (see invisible). Text from a registry or a
// seal, printed raw, could otherwise erase the line before it and print a fake one, or
// reorder what is shown, and a file named with an invisible character read as another
// file's name. A zero-width non-joiner where Persian or an Indic script puts it
// (script.NonJoinerInPlace) is part of the word, as the registry stores it, and a variation
// selector after a symbol (an emoji's) is part of it: both are left as they are.
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
		case script.NonJoinerInPlace(s, i), emojiSelector(s, i, c):
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
	return unicode.IsControl(c) || unicode.In(c, unicode.Cf, unicode.Zl, unicode.Zp) || invisible(c)
}

// invisible reports whether c is drawn as nothing, or as an empty cell, though it is no
// space: the other default-ignorable code points (the combining grapheme joiner, the Hangul
// fillers, Khmer's inherent vowels, the tags' unassigned neighbours), variation selectors,
// U+2800 BRAILLE PATTERN BLANK, U+FFFC OBJECT REPLACEMENT CHARACTER and U+1D159 MUSICAL
// SYMBOL NULL NOTEHEAD. The registry refuses them all in stored text (registry.forbidden),
// so a letter's own text never has them; a leaked file's name may, to read as another's.
func invisible(c rune) bool {
	switch c {
	case '\u2800', '\ufffc', '\U0001d159':
		return true
	}
	return unicode.In(c, unicode.Other_Default_Ignorable_Code_Point, unicode.Variation_Selector)
}

// emojiSelector reports whether c, at byte i of s, is a variation selector after a symbol
// Printable keeps, as phones type an emoji ("\u26a0\ufe0f"): the registry keeps one in a
// withdrawal's reason or a comment, and it changes only how the symbol is drawn. After a
// byte of invalid UTF-8 (which decodes as U+FFFD, a symbol) or a symbol that is escaped, it
// would follow the escape's last digit.
func emojiSelector(s string, i int, c rune) bool {
	if !unicode.Is(unicode.Variation_Selector, c) {
		return false
	}
	prev, n := utf8.DecodeLastRuneInString(s[:i])
	return !(prev == utf8.RuneError && n <= 1) && unicode.Is(unicode.So, prev) && !unprintable(prev)
}

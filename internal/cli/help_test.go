package cli

import (
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// Every command that runs has examples in its help.
func TestEveryCommandHasExamples(t *testing.T) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			walk(sub)
		}
		if c.Runnable() && c.Example == "" && c.Name() != "help" && c.Name() != "chancery" {
			t.Errorf("%q has no Example", c.CommandPath())
		}
	}
	walk(newRoot())
}

// Every example in the commands' help is a command line they accept: its command exists, its
// flags do and have their values, and it has as many arguments as the command takes.
// (identify's first example passed --text without its file.)
func TestEveryExampleParses(t *testing.T) {
	n := 0
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			walk(sub)
		}
		for _, line := range exampleLines(c.Example) {
			n++
			args := line[1:]
			root := newRoot() // flags parsed once: a fresh tree for each line
			cmd, rest, err := root.Find(args)
			if err == nil {
				cmd.InitDefaultHelpFlag()
				cmd.InitDefaultVersionFlag() // as cobra does when it runs cmd
				err = cmd.ParseFlags(rest)
			}
			if err == nil {
				err = cmd.ValidateArgs(cmd.Flags().Args())
			}
			if err != nil {
				t.Errorf("%s: example %q: %v", c.CommandPath(), strings.Join(line, " "), err)
			}
			// A reference is written as the registry makes them (PREFIX-YEAR-NNNNNN): one
			// shortened, as 'chancery audit TFN-2026-0007' was, is no letter's, and the
			// example copied with a real number fails "not found".
			for _, w := range line {
				if looksLikeRef.MatchString(w) && !isRef.MatchString(w) {
					t.Errorf("%s: example %q: %s is not a reference as the registry writes them (six digits)", c.CommandPath(), strings.Join(line, " "), w)
				}
			}
		}
	}
	walk(newRoot())
	if n < 100 {
		t.Errorf("checked %d examples; want the examples of every command", n)
	}
}

var (
	looksLikeRef = regexp.MustCompile(`^[A-Z][A-Z0-9]*-[0-9]{4}-[0-9]+$`)
	isRef        = regexp.MustCompile(`^[A-Z][A-Z0-9]*-[0-9]{4}-[0-9]{6,}$`)
)

// exampleLines returns the chancery command lines of an Example, as words: lines continued
// with a backslash joined, environment assignments before the command and what follows a
// pipe left out, quotes removed; lines that are not chancery's are skipped.
func exampleLines(example string) [][]string {
	var lines [][]string
	text := strings.ReplaceAll(example, "\\\n", " ")
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimSpace(l)
		if i := strings.Index(l, " | "); i >= 0 {
			l = l[:i]
		}
		if i := strings.Index(l, " > "); i >= 0 {
			l = l[:i]
		}
		words := shellWords(l)
		for len(words) > 0 && strings.Contains(words[0], "=") && !strings.HasPrefix(words[0], "-") {
			words = words[1:]
		}
		if len(words) > 0 && words[0] == "chancery" {
			lines = append(lines, words)
		}
	}
	return lines
}

// shellWords splits a line as a shell would for the examples' needs: single and double
// quotes group words, $(...) is one word.
func shellWords(l string) []string {
	var words []string
	var w strings.Builder
	in, depth, started := byte(0), 0, false
	for i := 0; i < len(l); i++ {
		ch := l[i]
		switch {
		case in != 0 && ch == in:
			in = 0
		case in != 0:
			w.WriteByte(ch)
		case ch == '\'' || ch == '"':
			in, started = ch, true
		case ch == '$' && i+1 < len(l) && l[i+1] == '(':
			depth++
			w.WriteByte(ch)
			started = true
		case ch == ')' && depth > 0:
			depth--
			w.WriteByte(ch)
		case ch == ' ' && depth == 0:
			if started {
				words = append(words, w.String())
				w.Reset()
				started = false
			}
		default:
			w.WriteByte(ch)
			started = true
		}
	}
	if started {
		words = append(words, w.String())
	}
	return words
}

package i18n

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/language"
)

// tagRE finds the markup of a message (the th template function's messages): every tag
// with its attributes, and every character entity.
var tagRE = regexp.MustCompile(`</?[a-zA-Z][^>]*>|&[a-z]+;`)

// TestMarkupKept fails when a translation drops, adds or changes a tag or a link of its
// English message: th writes the catalogue's texts as HTML, so a translation that lost a
// closing tag would break the page, and one with another href would send readers elsewhere.
func TestMarkupKept(t *testing.T) {
	tags := func(s string) []string {
		out := tagRE.FindAllString(s, -1)
		slices.Sort(out)
		return out
	}
	for _, en := range Messages() {
		fr, ar, _ := Lookup(en)
		want := tags(en)
		if got := tags(fr); !slices.Equal(got, want) {
			t.Errorf("French of %q has the markup %q, want %q", en, got, want)
		}
		if got := tags(ar); !slices.Equal(got, want) {
			t.Errorf("Arabic of %q has the markup %q, want %q", en, got, want)
		}
	}
}

// argsOf makes an argument for each formatting verb of an English message, following fmt's
// numbering (an explicit [n] moves the count): a distinct text for %s, a number for %d and %f,
// a character for %U.
func argsOf(en string) []any {
	var args []any
	n := 0
	for _, m := range verbRE.FindAllStringSubmatch(en, -1) {
		v := m[0]
		if v == "%%" {
			continue
		}
		if m[1] != "" {
			n, _ = strconv.Atoi(strings.Trim(m[1], "[]"))
			n--
		}
		for len(args) <= n {
			args = append(args, nil)
		}
		switch v[len(v)-1] {
		case 'd':
			args[n] = 7000 + n
		case 'f', 'g', 'e':
			args[n] = 0.25
		case 'U':
			args[n] = '\u202e'
		default:
			args[n] = fmt.Sprintf("«arg%d»", n)
		}
		n++
	}
	return args
}

// TestTranslationsFormat formats every message in each language with one argument per verb:
// no translation may misuse an argument (a "%!" in the output, as when it reorders verbs
// without numbering all of them) or drop a text argument.
func TestTranslationsFormat(t *testing.T) {
	for _, en := range Messages() {
		args := argsOf(en)
		for _, l := range Languages {
			out := For(l).T(en, args...)
			if strings.Contains(out, "%!") {
				t.Errorf("%s of %q formats as %q", l, en, out)
			}
			for _, a := range args {
				if s, ok := a.(string); ok && !strings.Contains(out, s) {
					t.Errorf("%s of %q drops the argument %s: %q", l, en, s, out)
				}
			}
		}
	}
}

// TestNumbersInWesternDigits: counts are written 0 to 9 in every language, as the pages'
// dates, log indexes, references and check codes are, which the reader compares them with, so
// the Arabic pages say 50 where they said ٥٠; similarities keep the language's decimal
// separator.
func TestNumbersInWesternDigits(t *testing.T) {
	for _, c := range []struct {
		lang       language.Tag
		key        string
		arg        any
		want, lack string
	}{
		{language.English, "%d letters and digits", 26, "26 letters", ""},
		{language.French, "%d letters and digits", 26, "26 lettres", ""},
		{language.Arabic, "%d letters and digits", 26, "26 حرفًا", "٢٦"},
		{language.Arabic, "version %d", 1, "النسخة 1", "١"},
		{language.Arabic, "%d", 1234, "1", "١"},
		{language.French, "%.2f", 0.85, "0,85", ""},
		{language.Arabic, "%.2f", 0.85, "0.85", "٠٫٨٥"},
	} {
		got := For(c.lang).T(c.key, c.arg)
		if !strings.Contains(got, c.want) || (c.lack != "" && strings.Contains(got, c.lack)) {
			t.Errorf("%s: %q with %v = %q, want it to contain %q", c.lang, c.key, c.arg, got, c.want)
		}
	}
}

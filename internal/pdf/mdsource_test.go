package pdf_test

import (
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/pdf"
)

// TestRenderShowsEveryLineOfMarkdown checks that text a Markdown letter's source holds, which
// reviewers read in the letter's text, is drawn on its pages: the line that closes an HTML
// block, a link reference definition, a code fence's info string, an image's description and
// a link's or an image's title.
func TestRenderShowsEveryLineOfMarkdown(t *testing.T) {
	for _, c := range []struct {
		name, md string
		want     []string
	}{
		{"html block closed", "Dear Minister,\n\n<pre>\nWe will pay the sum.\n</pre> This offer lapses unless Parliament ratifies it.\n\nYours.\n",
			[]string{"We will pay the sum.", "This offer lapses unless Parliament ratifies it.", "Yours."}},
		{"comment closed", "Dear Minister,\n\n<!-- a drafting note\n--> We will NOT pay the sum.\n\nYours.\n",
			[]string{"a drafting note", "We will NOT pay the sum.", "Yours."}},
		{"link reference definition", "Dear Minister,\n\n[1]: <https://x.example> \"We will NOT pay the sum\"\n\nWe will pay.\n",
			[]string{"We will NOT pay the sum", "We will pay."}},
		{"fence info", "Dear Minister,\n\n```We will NOT pay\nthe table\n```\n\nYours.\n",
			[]string{"We will NOT pay", "the table", "Yours."}},
		{"image", "Dear Minister,\n\n![The Ministry will NOT pay](chart.png \"a chart of refusals\")\n\nYours.\n",
			[]string{"The Ministry will NOT pay", "chart.png", "a chart of refusals"}},
		{"link title", "See [the annex](https://x.example \"which we will NOT honour\").\n",
			[]string{"the annex", "https://x.example", "which we will NOT honour"}},
	} {
		out, err := pdf.Render("text/markdown", []byte(c.md), head)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		txt := pageText(t, writeTemp(t, "l.pdf", out), 1)
		for _, w := range c.want {
			if !strings.Contains(txt, w) {
				t.Errorf("%s: the letter lacks %q:\n%s", c.name, w, txt)
			}
		}
	}
}

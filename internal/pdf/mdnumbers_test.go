package pdf_test

import (
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/pdf"
)

// TestRenderKeepsListNumbers checks that an ordered list's items are drawn with the numbers
// their source gives them, which reviewers read, not numbered on from the first.
func TestRenderKeepsListNumbers(t *testing.T) {
	for _, c := range []struct {
		name, md string
		want     []string
	}{
		{"skipped", "Clauses:\n\n1. The Ministry pays.\n3. The Ministry may withdraw.\n7. Final.\n\nClause 3 applies.\n",
			[]string{"1. The Ministry pays.", "3. The Ministry may withdraw.", "7. Final."}},
		{"repeated", "Clauses:\n\n2) first\n2) second\n",
			[]string{"2) first", "2) second"}},
		{"nested and quoted", "> 4. outer\n>    9. inner\n>    10. inner again\n> 5. outer again\n",
			[]string{"4. outer", "9. inner", "10. inner again", "5. outer again"}},
		{"in order", "1. one\n2. two\n",
			[]string{"1. one", "2. two"}},
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

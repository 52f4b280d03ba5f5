package registry

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestMarkdownReleaseShowsItsSource checks, end to end, that a Markdown letter's released PDF
// shows the sentences its source holds, which the letter page shows its reviewers: the line
// closing an HTML block, a link reference definition's title and the numbers of an ordered
// list's items.
func TestMarkdownReleaseShowsItsSource(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	src := "Dear Minister,\n\n<pre>\nWe will pay the sum.\n</pre> This offer lapses unless Parliament ratifies it.\n\n" +
		"[terms]: <https://x.example> \"The transfer is suspended until further notice.\"\n\n" +
		"1. The Ministry pays.\n3. The Ministry may withdraw.\n\nClause 3 applies.\n"
	ref, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: "Payment", Class: "foreign-government",
		Addressees: []string{"Ministry of Finance"}, File: Upload{Name: "letter.md", MediaType: "text/markdown", Data: []byte(src)}})
	if err != nil {
		t.Fatal(err)
	}
	rel := o.approvedAndReleased(t, ref)
	p := filepath.Join(t.TempDir(), "released.pdf")
	if err := os.WriteFile(p, rel.File, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", p, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	txt := strings.Join(strings.Fields(string(out)), " ")
	for _, want := range []string{"This offer lapses unless Parliament ratifies it.", "The transfer is suspended until further notice.", "3. The Ministry may withdraw."} {
		if !strings.Contains(txt, want) {
			t.Errorf("the released letter lacks %q, which its source says:\n%s", want, txt)
		}
	}
}

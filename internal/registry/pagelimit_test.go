package registry

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/pdf"
)

// TestTextLetterOverMaxPagesRefusedAtUpload: a Markdown or plain text letter that lays out on
// more than pdf.MaxPages pages is refused when it is uploaded, as a new letter or as a
// revision, and nothing is stored. Until the thirty-ninth session it was stored, approved and
// signed, and refused only at its preview, copy or release.
func TestTextLetterOverMaxPagesRefusedAtUpload(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	long := []byte(strings.Repeat("One short paragraph of the annex.\n\n", 16000))
	if _, err := pdf.Render("text/plain", long, pdf.Letterhead{Office: "Task Force North"}); !errors.Is(err, pdf.ErrTooLarge) {
		t.Fatalf("the text is not over the page limit: %v", err)
	}
	ref := o.letter(t, "Dear Minister,\n\nA letter of one page.\n")
	for _, mt := range []string{"text/plain", "text/markdown"} {
		name, data := "annex.txt", long
		if mt == "text/markdown" {
			name, data = "annex.md", append([]byte("# Annex\n\n"), long...)
		}
		_, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: "A long annex", Class: "foreign-government",
			Addressees: []string{"Ministry of Defence of Freedonia"}, File: Upload{Name: name, MediaType: mt, Data: data}})
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "pages") {
			t.Errorf("a new %s letter over the page limit: %v", mt, err)
		}
		if _, err := o.r.Revise(ctx, o.drafter, ref, Upload{Name: name, MediaType: mt, Data: data}); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "pages") {
			t.Errorf("a %s revision over the page limit: %v", mt, err)
		}
	}
	list, err := o.r.ListLetters(ctx, o.drafter, LetterQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Letters) != 1 {
		t.Errorf("%d letters stored, want 1", len(list.Letters))
	}
	v, err := o.r.Letter(ctx, o.drafter, ref)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Versions) != 1 {
		t.Errorf("%s has %d versions, want 1", ref, len(v.Versions))
	}
	// A letter within the limit is still taken.
	if _, err := o.r.Revise(ctx, o.drafter, ref, Upload{Name: "letter.txt", Data: long[:len(long)/40]}); err != nil {
		t.Errorf("a revision within the page limit: %v", err)
	}
}

// TestShortTextsStayFarBelowThePageLimit: checkPages does not lay out a text of at most
// shortText bytes. The densest texts known (one construct a line, each moving the page down
// as far as its bytes can) stay below a quarter of pdf.MaxPages at that size, so none can
// reach the limit.
func TestShortTextsStayFarBelowThePageLimit(t *testing.T) {
	dense := map[string]string{
		"text/plain empty lines":     "\n",
		"text/plain one-letter":      "a\n",
		"text/markdown headings":     "#\n",
		"text/markdown setext":       "a\n=\n",
		"text/markdown list items":   "-\n",
		"text/markdown numbered":     "1.\n",
		"text/markdown rules":        "---\n\n",
		"text/markdown quotes":       ">\n\n",
		"text/markdown code":         "```\n```\n",
		"text/markdown nested items": "- - -\n",
		"text/markdown html":         "<p>\n\n",
		"text/markdown hard breaks":  "a\\\n",
	}
	for name, unit := range dense {
		mt, _, _ := strings.Cut(name, " ")
		body := []byte(strings.Repeat(unit, shortText/len(unit)))
		out, err := pdf.Render(mt, body, pdf.Letterhead{Office: "Task Force North", Reference: "TFN-2026-000001"})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		info, err := pdf.Check(out)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if info.Pages > pdf.MaxPages/4 {
			t.Errorf("%s: %d bytes lay out on %d pages, more than a quarter of the limit (%d)", name, len(body), info.Pages, pdf.MaxPages)
		}
		t.Logf("%s: %d bytes, %d pages", name, len(body), info.Pages)
	}
}

package web_test

import (
	"context"
	"html"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/server"
)

// TestLetterPageSaysAPDFConcealsText: a drafter's revision that draws "NOT" in "The
// Ministry will NOT pay" visibly by its rendering mode, but white on the paper, half a
// point high, off the page or clipped away, gives reviewers the text "will NOT pay" while
// its pages, its preview and the letter released say "will pay". The letter page says, above
// the changes and the text, that the PDF draws part of its text where it cannot be seen, in
// each case; the version that shows all its text says nothing of the kind.
func TestLetterPageSaysAPDFConcealsText(t *testing.T) {
	o := newOffice(t, server.Config{})
	ctx := context.Background()
	const text, changes = "This PDF draws part of its text where it cannot be seen", "A PDF of these versions draws part of its text where it cannot be seen"
	c := o.client()
	c.signIn("rita")
	const (
		before = "BT /F1 14 Tf 72 700 Td (The Ministry will ) Tj ET\n"
		after  = "BT /F1 14 Tf 221 700 Td (pay the sum of 1,000,000 euros.) Tj ET\n"
	)
	ref, err := o.reg.CreateLetter(ctx, o.actors["dana"], registry.NewLetter{Subject: "Payment", Class: "foreign-government",
		Addressees: []string{"Treasury"}, File: registry.Upload{Name: "decision.pdf", MediaType: "application/pdf", Data: pdfShowing(before+after, "")}})
	if err != nil {
		t.Fatal(err)
	}
	_, page := c.get("/letters/" + ref)
	if page = html.UnescapeString(page); strings.Contains(page, text) || strings.Contains(page, changes) {
		t.Errorf("a PDF that shows all its text: the letter page says it conceals some")
	}
	for _, k := range []struct{ name, not string }{
		{"white", "q 1 1 1 rg BT /F1 14 Tf 186 700 Td (NOT) Tj ET Q\n"},
		{"half a point high", "BT /F1 0.5 Tf 186 700 Td (NOT) Tj ET\n"},
		{"off the page", "BT /F1 14 Tf 186 -100 Td (NOT) Tj ET\n"},
		{"clipped away", "q 0 0 10 10 re W n BT /F1 14 Tf 186 700 Td (NOT) Tj ET Q\n"},
	} {
		if _, err := o.reg.Revise(ctx, o.actors["dana"], ref, registry.Upload{Name: "decision.pdf", MediaType: "application/pdf", Data: pdfShowing(before+k.not+after, "")}); err != nil {
			t.Fatal(err)
		}
		_, page := c.get("/letters/" + ref)
		page = html.UnescapeString(page)
		if !strings.Contains(page, "NOT") {
			t.Fatalf("%s: the letter page does not show the text layer:\n%s", k.name, page)
		}
		for _, want := range []string{text, changes} {
			if !strings.Contains(page, want) {
				t.Errorf("%s: the letter page does not say %q", k.name, want)
			}
		}
		if strings.Contains(page, "draws part of its text invisibly") {
			t.Errorf("%s: the letter page says the text is drawn invisibly", k.name)
		}
	}
}

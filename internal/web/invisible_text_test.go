package web_test

import (
	"context"
	"fmt"
	"html"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/pdf/pdftest"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/server"
)

// pdfShowing is a one-page PDF whose page content is content, with the font F1 and, when
// form is not empty, the form XObject Fm1 whose content it is.
func pdfShowing(content, form string) []byte {
	return pdftest.Build("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> /XObject << /Fm1 6 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
		pdftest.Stream(fmt.Sprintf("<< /Length %d >>", len(content)), []byte(content)),
		pdftest.Stream(fmt.Sprintf("<< /Type /XObject /Subtype /Form /BBox [0 0 100 20] /Resources << /Font << /F1 4 0 R >> >> /Length %d >>", len(form)), []byte(form)))
}

// TestLetterPageSaysAPDFHidesText: the letter page shows reviewers a PDF version's text and
// the words each revision changed, read from the PDF's text layer: the text-showing operators
// of its pages' own content, those drawn in rendering mode 3 (neither filled nor stroked)
// included, those of the forms and annotations the pages draw left out. A drafter's revision
// that made "NOT" invisible in "The Ministry will NOT pay" showed "no change" and the text
// "will NOT pay", while its pages, its preview and the letter released said "will pay"; one
// that added "NOT" to "The Ministry will pay" in a form XObject showed "no change" and "will
// pay", while the letter said "will NOT pay". The page now says, above the changes and the
// text, that the PDF draws part of its text invisibly, or part of its pages in forms or
// annotations, and sends the reviewer to the previews; a PDF that draws all its text in its
// own content says nothing of the kind.
func TestLetterPageSaysAPDFHidesText(t *testing.T) {
	o := newOffice(t, server.Config{})
	ctx := context.Background()
	const textInvisible, changesInvisible = "This PDF draws part of its text invisibly", "A PDF of these versions draws part of its text invisibly"
	const textForms, changesForms = "This PDF draws part of its pages in forms or annotations", "A PDF of these versions draws part of its pages in forms or annotations"
	c := o.client()
	c.signIn("rita")
	// revised shows the letter page of a letter whose first version is v1, then of its
	// revision v2, and returns both.
	revised := func(v1, v2 []byte) (string, string) {
		t.Helper()
		ref, err := o.reg.CreateLetter(ctx, o.actors["dana"], registry.NewLetter{Subject: "Payment", Class: "foreign-government",
			Addressees: []string{"Treasury"}, File: registry.Upload{Name: "decision.pdf", MediaType: "application/pdf", Data: v1}})
		if err != nil {
			t.Fatal(err)
		}
		_, first := c.get("/letters/" + ref)
		if _, err := o.reg.Revise(ctx, o.actors["dana"], ref, registry.Upload{Name: "decision.pdf", MediaType: "application/pdf", Data: v2}); err != nil {
			t.Fatal(err)
		}
		_, second := c.get("/letters/" + ref)
		return html.UnescapeString(first), html.UnescapeString(second)
	}
	says := func(what, page string, want []string, not ...string) {
		t.Helper()
		for _, w := range want {
			if !strings.Contains(page, w) {
				t.Errorf("%s: the letter page does not say %q", what, w)
			}
		}
		for _, w := range not {
			if strings.Contains(page, w) {
				t.Errorf("%s: the letter page says %q", what, w)
			}
		}
	}
	all := []string{textInvisible, changesInvisible, textForms, changesForms}

	shown := pdfShowing("BT /F1 14 Tf 72 700 Td (The Ministry will ) Tj (NOT ) Tj (pay the sum of 1,000,000 euros.) Tj ET\n", "")
	hidden := pdfShowing("BT /F1 14 Tf 72 700 Td (The Ministry will ) Tj 3 Tr /F1 0.01 Tf (NOT ) Tj 0 Tr /F1 14 Tf (pay the sum of 1,000,000 euros.) Tj ET\n", "")
	first, second := revised(shown, hidden)
	says("a PDF that draws all its text", first, nil, all...)
	if !strings.Contains(second, "will NOT pay") {
		t.Fatalf("the letter page does not show the text layer:\n%s", second)
	}
	says("a revision that hides \"NOT\" from its page", second, []string{textInvisible, changesInvisible}, textForms, changesForms)

	pay := pdfShowing("BT /F1 14 Tf 72 700 Td (The Ministry will ) Tj ET BT /F1 14 Tf 221 700 Td (pay the sum of 1,000,000 euros.) Tj ET\n", "")
	inForm := pdfShowing("BT /F1 14 Tf 72 700 Td (The Ministry will ) Tj ET q 1 0 0 1 186 700 cm /Fm1 Do Q BT /F1 14 Tf 221 700 Td (pay the sum of 1,000,000 euros.) Tj ET\n",
		"BT /F1 14 Tf 0 0 Td (NOT) Tj ET\n")
	first, second = revised(pay, inForm)
	says("a PDF that draws all its text", first, nil, all...)
	says("a revision that adds \"NOT\" in a form", second, []string{textForms, changesForms}, textInvisible, changesInvisible)

	// Optional content: viewers show it as the document's layers say, printers as their print
	// settings say.
	inLayer := pdfShowing("BT /F1 14 Tf 72 700 Td (The Ministry will ) Tj ET /OC /oc1 BDC BT /F1 14 Tf 186 700 Td (NOT) Tj ET EMC BT /F1 14 Tf 221 700 Td (pay the sum of 1,000,000 euros.) Tj ET\n", "")
	first, second = revised(pay, inLayer)
	says("a PDF that draws all its text", first, nil, all...)
	says("a revision that adds \"NOT\" in optional content", second, []string{textInvisible, changesInvisible}, textForms, changesForms)
}

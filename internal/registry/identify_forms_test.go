package registry

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/pdf/pdftest"
)

// formsLetter is the text of formsPDF.
const formsLetter = `Dear Minister, the Task Force informs the Ministry of Defence that the
second brigade will leave the northern district within the coming weeks, in
coordination with the national authorities. The movement of troops, vehicles and
supplies will take place by road and by air, in stages, and each stage will be
announced in advance to the liaison officers of the Ministry. The camps will be
handed over in good order, and the Task Force remains at the disposal of the
Ministry for any question about the schedule or the routes.`

// formsPDF is a one-page PDF whose page draws its text, formsLetter, in a form XObject, as
// a handout of several pages to a sheet, or a document printed to PDF again, does: the
// page's own content stream shows no text.
func formsPDF() []byte {
	var form strings.Builder
	form.WriteString("BT /F1 11 Tf 60 780 Td 14 TL\n")
	for _, l := range strings.Split(formsLetter, "\n") {
		fmt.Fprintf(&form, "(%s) Tj T*\n", l)
	}
	form.WriteString("ET\n")
	page := "q /Fm0 Do Q\n"
	f := form.String()
	return pdftest.Build(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Fm0 5 0 R >> >> /Contents 4 0 R >>",
		pdftest.Stream(fmt.Sprintf("<< /Length %d >>", len(page)), []byte(page)),
		pdftest.Stream(fmt.Sprintf("<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 6 0 R >> >> /Length %d >>", len(f)), []byte(f)),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
	)
}

// TestDraftWithTextInFormsIdentified: a PDF version whose text is drawn in form XObjects had
// no fingerprint (pdf.Text reads the pages' own content streams), so its text, pasted by a
// member, identified as unknown rather than as the draft (audit, forty-seventh session). Its
// fingerprint is now taken from what its pages show (pdftotext).
func TestDraftWithTextInFormsIdentified(t *testing.T) {
	pdftotext(t, formsPDF()) // skips without pdftotext, as the fingerprint falls back then
	ctx := context.Background()
	o := newOffice(t)
	ref, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: "Repositioning of forces", Class: "foreign-government",
		Addressees: []string{"Ministry of Defence"}, File: Upload{Name: "letter.pdf", Data: formsPDF()}})
	if err != nil {
		t.Fatal(err)
	}
	// What a reader copies out of a coordination copy: the letter, the DRAFT banner and the
	// line naming the copy.
	cp, err := o.r.ExportDraft(ctx, o.drafter, ref, "Embassy liaison")
	if err != nil {
		t.Fatal(err)
	}
	copied := pdftotext(t, cp.Data)
	for _, c := range []struct {
		name, text string
		who        Actor
		outcome    string
		ref        string
	}{
		{"a member", formsLetter, o.reviewer, Draft, ref},
		{"the public", formsLetter, Actor{}, Unknown, ""},
		{"a member, from a copy", copied, o.reviewer, Draft, ref},
	} {
		got, err := o.r.Identify(ctx, c.who, c.text)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got.Outcome != c.outcome || got.Reference != c.ref {
			t.Errorf("%s: %s %q (similarity %.2f), want %s %q", c.name, got.Outcome, got.Reference, got.Similarity, c.outcome, c.ref)
		}
	}
}

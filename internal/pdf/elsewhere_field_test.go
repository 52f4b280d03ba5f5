package pdf_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/pdf/pdftest"
)

// annotatedPage is a one-page PDF with the font F1, whose only annotation is annot (object
// 6), with object 7 for a parent field; the form, whose fields are fields, asks viewers to
// draw what lacks an appearance (NeedAppearances).
func annotatedPage(content, annot, parent, fields string) []byte {
	return pdftest.Build("<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields ["+fields+"] /NeedAppearances true /DA (/Helv 24 Tf 0 g) /DR << /Font << /Helv 4 0 R >> >> >> >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R /Annots [6 0 R] >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		pdftest.Stream(fmt.Sprintf("<< /Length %d >>", len(content)), []byte(content)),
		annot, parent)
}

// TestElsewhereFieldWithoutAppearance: a text field without an appearance of its own is
// drawn by the viewer from its value (poppler's pdftoppm draws "NOT" in "will pay the sum
// NOT"), as a free text annotation's contents are; the text layer holds neither, so
// Elsewhere says so. A signature field, or a link, without an appearance draws no text.
func TestElsewhereFieldWithoutAppearance(t *testing.T) {
	const text = "BT /F1 12 Tf 72 700 Td (The Ministry will pay the sum) Tj ET\n"
	const rect = "/Rect [260 690 400 730] /P 3 0 R /F 4"
	for _, tc := range []struct {
		name                  string
		annot, parent, fields string
		want                  bool
	}{
		{"a text field", "<< /Type /Annot /Subtype /Widget /FT /Tx /T (f1) /V (NOT) /DA (/Helv 24 Tf 0 g) " + rect + " >>", "<< >>", "6 0 R", true},
		{"a text field's widget, its type on the parent", "<< /Type /Annot /Subtype /Widget /Parent 7 0 R " + rect + " >>", "<< /FT /Tx /T (f1) /V (NOT) /DA (/Helv 24 Tf 0 g) /Kids [6 0 R] >>", "7 0 R", true},
		{"a choice field", "<< /Type /Annot /Subtype /Widget /FT /Ch /T (f1) /Opt [(NOT)] /V (NOT) /DA (/Helv 24 Tf 0 g) " + rect + " >>", "<< >>", "6 0 R", true},
		{"a free text annotation", "<< /Type /Annot /Subtype /FreeText /Contents (NOT) /DA (/Helv 24 Tf 0 g) " + rect + " >>", "<< >>", "", true},
		{"a signature field", "<< /Type /Annot /Subtype /Widget /FT /Sig /T (s1) /Rect [0 0 0 0] /P 3 0 R /F 132 >>", "<< >>", "6 0 R", false},
		{"a link", "<< /Type /Annot /Subtype /Link /Rect [72 690 200 710] /A << /S /URI /URI (https://example.org) >> >>", "<< >>", "", false},
	} {
		l, err := pdf.ReadTextLayer(context.Background(), annotatedPage(text, tc.annot, tc.parent, tc.fields))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		s, err := l.Text()
		if err != nil || strings.Contains(s, "NOT") {
			t.Fatalf("%s: text %q, %v; want it without the annotation's", tc.name, s, err)
		}
		got, err := l.Elsewhere()
		if err != nil || got != tc.want {
			t.Errorf("%s: Elsewhere %v, %v; want %v", tc.name, got, err, tc.want)
		}
	}
}

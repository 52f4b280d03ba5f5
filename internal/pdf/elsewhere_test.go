package pdf_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/pdf/pdftest"
)

// pageWith is a one-page PDF whose content is content, with the font F1, the form XObject
// Fm1 (dict and data its stream's, its /Length added) and the page's annotations annots.
func pageWith(content, formDict string, form []byte, annots string) []byte {
	return pdftest.Build("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> /XObject << /Fm1 6 0 R >> >> /Contents 5 0 R"+annots+" >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		pdftest.Stream(fmt.Sprintf("<< /Length %d >>", len(content)), []byte(content)),
		pdftest.Stream(fmt.Sprintf("<< /Type /XObject /Subtype /Form /BBox [0 0 100 20] /Resources << /Font << /F1 4 0 R >> >> %s /Length %d >>", formDict, len(form)), form))
}

// TestElsewhere: the text of a PDF's text layer is read from its pages' own content, so
// Elsewhere says whether the pages draw text it does not hold: in a form XObject their
// content paints, or in an annotation's appearance. A form or appearance that draws no text
// is not counted. Forms are not measured before the text is read, so a form whose content
// inflates past the bound, or whose decoding parameters the reader would allocate as given,
// is taken to show text, quickly and without decoding it.
func TestElsewhere(t *testing.T) {
	const text = "BT /F1 12 Tf 72 700 Td (The letter) Tj ET\n"
	draw := text + "q /Fm1 Do Q\n"
	for _, tc := range []struct {
		name string
		pdf  []byte
		want bool
	}{
		{"no form painted", pageWith(text, "", []byte("BT (NOT) Tj ET"), ""), false},
		{"a form of lines", pageWith(draw, "", []byte("0 0 m 10 10 l S"), ""), false},
		{"a form with text", pageWith(draw, "", []byte("BT /F1 12 Tf (NOT) Tj ET"), ""), true},
		{"an appearance with text", pageWith(text, "", []byte("BT /F1 12 Tf (NOT) Tj ET"), " /Annots [<< /Type /Annot /Subtype /FreeText /Rect [0 0 100 20] /AP << /N 6 0 R >> >>]"), true},
		{"an appearance of lines", pageWith(text, "", []byte("0 0 m 10 10 l S"), " /Annots [<< /Type /Annot /Subtype /Square /Rect [0 0 100 20] /AP << /N 6 0 R >> >>]"), false},
		{"a form that inflates past the bound", pageWith(draw, "/Filter /FlateDecode", pdftest.Deflate(bytes.Repeat([]byte("0 0 m 10 10 l S\n"), 8<<20)), ""), true},
		{"a form with a predictor of huge columns", pageWith(draw, "/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 4000000000 >>", pdftest.Deflate([]byte("0 0 m S")), ""), true},
	} {
		start := time.Now()
		l, err := pdf.ReadTextLayer(context.Background(), tc.pdf)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if _, err := l.Text(); err != nil {
			t.Fatalf("%s: text: %v", tc.name, err)
		}
		got, err := l.Elsewhere()
		if err != nil || got != tc.want {
			t.Errorf("%s: Elsewhere %v, %v; want %v", tc.name, got, err, tc.want)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s: took %s", tc.name, d)
		}
	}
}

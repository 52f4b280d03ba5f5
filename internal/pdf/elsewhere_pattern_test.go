package pdf_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/pdf/pdftest"
)

// patternPage is a one-page PDF whose content is content, with the font F1 and the tiling
// pattern P1, whose cell's content is cell, placed where the content fills with it.
func patternPage(content string, cell []byte) []byte {
	return pdftest.Build("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> /Pattern << /P1 6 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		pdftest.Stream(fmt.Sprintf("<< /Length %d >>", len(content)), []byte(content)),
		pdftest.Stream(fmt.Sprintf("<< /Type /Pattern /PatternType 1 /PaintType 1 /TilingType 1 /BBox [0 0 200 40] /XStep 1000 /YStep 1000 /Matrix [1 0 0 1 200 690] /Resources << /Font << /F1 4 0 R >> >> /Length %d >>", len(cell)), cell))
}

// TestElsewherePattern: the cell of a tiling pattern is content of its own, which the text
// layer does not read, as a form's is. A page that fills a rectangle with a pattern whose
// cell shows "NOT" shows "will pay the sum NOT" (pdftoppm), while its text layer (and
// pdftotext) reads "will pay the sum": Elsewhere says so. A pattern of lines, or one the
// content never paints with, is not counted.
func TestElsewherePattern(t *testing.T) {
	const text = "BT /F1 12 Tf 72 700 Td (The Ministry will pay the sum) Tj ET\n"
	fill := text + "q /Pattern cs /P1 scn 200 690 200 40 re f Q\n"
	notText := []byte("BT /F1 24 Tf 2 10 Td (NOT) Tj ET")
	for _, tc := range []struct {
		name string
		pdf  []byte
		want bool
	}{
		{"a pattern of lines", patternPage(fill, []byte("0 0 m 10 10 l S")), false},
		{"a pattern with text not painted", patternPage(text, notText), false},
		{"a pattern with text", patternPage(fill, notText), true},
		{"a pattern with text, stroked", patternPage(text+"q /Pattern CS /P1 SCN 200 690 200 40 re S Q\n", notText), true},
	} {
		l, err := pdf.ReadTextLayer(context.Background(), tc.pdf)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		s, err := l.Text()
		if err != nil {
			t.Fatalf("%s: text: %v", tc.name, err)
		}
		if strings.Contains(s, "NOT") {
			t.Fatalf("%s: the text layer holds the pattern's text: %q", tc.name, s)
		}
		got, err := l.Elsewhere()
		if err != nil || got != tc.want {
			t.Errorf("%s: Elsewhere %v, %v; want %v", tc.name, got, err, tc.want)
		}
	}
}

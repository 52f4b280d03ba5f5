package pdf_test

import (
	"os"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/pdf"
)

// TestTextSeparatesWordsDrawnApart: a word's space drawn as a gap in a TJ array rather than
// as a space character is a space in the text. testdata/libreoffice-arabic.pdf is an Arabic
// letter converted by LibreOffice 7.4 (soffice --headless --convert-to pdf of a flat ODT):
// it draws a right-to-left line's spaces apart, in another font, and its Arabic glyphs with
// a gap of a quarter of the font size between words; each line was read as one word, and the
// letter as 11 words, too few to be identified by its text (it was taken for a scan).
func TestTextSeparatesWordsDrawnApart(t *testing.T) {
	data, err := os.ReadFile("testdata/libreoffice-arabic.pdf")
	if err != nil {
		t.Fatal(err)
	}
	text, err := pdf.Text(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"معالي وزير الخارجية المحترم",
		"تحية طيبة وبعد، فقد تلقينا رسالتكم المؤرخة في الثامن والعشرين من نوفمبر بشأن تنسيق تحركات",
		"وتفضلوا بقبول فائق",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the LibreOffice letter's text lacks %q:\n%s", want, text)
		}
	}
	// As pdfTeX draws a line: kerning is not a space, a word's gap is.
	page := contentPage([]byte("BT /F1 12 Tf 72 720 Td [(W) 80 (e will pay) -333 (the) -333 (su) -12 (m)] TJ ET"),
		"<< /Font << /F1 5 0 R >> >>", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
	if text, err := pdf.Text(page); err != nil || text != "We will pay the sum" {
		t.Errorf("a line of TJ gaps: %q, %v; want %q", text, err, "We will pay the sum")
	}
}

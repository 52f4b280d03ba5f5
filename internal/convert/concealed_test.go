package convert_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/pdf"
)

// TestConvertedLettersConcealNoText: the PDF LibreOffice makes of an ordinary Word letter
// (a header picture, a table whose header row is white on dark blue, highlighted, light
// grey, small, raised and lowered text, a paragraph white on a dark shading, colours,
// borders) conceals no text (pdf.TextLayer.Concealed): the letter page does not warn of
// it. The same letter with a word white on the paper conceals it.
func TestConvertedLettersConcealNoText(t *testing.T) {
	c := converter(t)
	run := func(props, text string) string {
		return `<w:r><w:rPr>` + props + `</w:rPr><w:t xml:space="preserve">` + text + `</w:t></w:r>`
	}
	cell := func(shade, props, text string) string {
		return `<w:tc><w:tcPr><w:tcW w:w="4000" w:type="dxa"/>` + shade + `</w:tcPr><w:p>` + run(props, text) + `</w:p></w:tc>`
	}
	dark := `<w:shd w:val="clear" w:color="auto" w:fill="1F3864"/>`
	white := `<w:b/><w:color w:val="FFFFFF"/>`
	body := `<w:tbl><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4"/><w:bottom w:val="single" w:sz="4"/><w:insideH w:val="single" w:sz="4"/></w:tblBorders></w:tblPr>` +
		`<w:tr>` + cell(dark, white, "Unit") + cell(dark, white, "Movement date") + `</w:tr>` +
		`<w:tr>` + cell(`<w:shd w:val="clear" w:color="auto" w:fill="D9E2F3"/>`, "", "Alpha Company") + cell("", "", "12 December") + `</w:tr></w:tbl>` +
		`<w:p>` + run(`<w:highlight w:val="yellow"/>`, "The sum is due on 1 March. ") + run(`<w:color w:val="A6A6A6"/>`, "A grey remark. ") +
		run(`<w:sz w:val="12"/>`, "Small print. ") + run(`<w:vertAlign w:val="superscript"/>`, "1") + run(`<w:vertAlign w:val="subscript"/>`, "2") +
		run(`<w:color w:val="C00000"/><w:u w:val="single"/>`, " Red and underlined.") + `</w:p>` +
		`<w:p><w:pPr><w:shd w:val="clear" w:color="auto" w:fill="000000"/></w:pPr>` + run(`<w:color w:val="FFFFFF"/>`, "White on a black paragraph.") + `</w:p>` +
		`<w:p>` + run("", "Yours faithfully,") + `</w:p>`
	for _, k := range []struct {
		name string
		data []byte
		want bool
	}{
		{"the test letter", docx(t, 2), false},
		{"a letter of colours", docxWith(t, body, ""), false},
		{"a word white on the paper", docxWith(t, body+`<w:p>`+run("", "The Ministry will ")+run(`<w:color w:val="FFFFFF"/>`, "NOT ")+run("", "pay.")+`</w:p>`, ""), true},
	} {
		doc, err := c.ToPDF(context.Background(), docxType, k.data)
		if err != nil {
			t.Fatal(err)
		}
		l, err := pdf.ReadTextLayer(context.Background(), doc)
		if err != nil {
			t.Fatal(err)
		}
		text, err := l.Text()
		if err != nil {
			t.Fatal(err)
		}
		n, err := l.Concealed()
		if err != nil || (n > 0) != k.want {
			t.Errorf("%s: %d concealed, %v; want some: %v\n%s", k.name, n, err, k.want, text)
		}
		if k.name == "a letter of colours" && (!strings.Contains(text, "White on a black paragraph") || !strings.Contains(text, "Movement date")) {
			t.Errorf("%s: the white text is not in the text layer:\n%s", k.name, text)
		}
	}
}

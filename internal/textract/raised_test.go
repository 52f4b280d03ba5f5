package textract

import (
	"bytes"
	"strings"
	"testing"
)

// TestDOCXRaisedTextMarked checks that text LibreOffice draws as a superscript or a
// subscript (w:vertAlign, directly or by style) is marked in the text reviewers read: "EUR
// 10" with a raised "6" is a million, which "EUR 106" does not say.
func TestDOCXRaisedTextMarked(t *testing.T) {
	styles := `<w:style w:type="character" w:styleId="Power"><w:name w:val="Power"/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>` +
		`<w:style w:type="character" w:styleId="Gone"><w:name w:val="Gone"/><w:basedOn w:val="Power"/><w:rPr><w:strike/></w:rPr></w:style>`
	run := func(props, text string) string {
		return `<w:r><w:rPr>` + props + `</w:rPr><w:t xml:space="preserve">` + text + `</w:t></w:r>`
	}
	for _, c := range []struct{ name, body, want string }{
		{"superscript", `<w:p>` + run("", "EUR 10") + run(`<w:vertAlign w:val="superscript"/>`, "6") + run("", ".") + `</w:p>`,
			"EUR 10[superscript: 6].\n"},
		{"subscript", `<w:p>` + run("", "H") + run(`<w:vertAlign w:val="subscript"/>`, "2") + run("", "O") + `</w:p>`,
			"H[subscript: 2]O\n"},
		{"baseline", `<w:p>` + run(`<w:rStyle w:val="Power"/><w:vertAlign w:val="baseline"/>`, "106") + `</w:p>`,
			"106\n"},
		{"styles", `<w:p>` + run("", "EUR 10") + run(`<w:rStyle w:val="Power"/>`, "6") + run(`<w:rStyle w:val="Gone"/>`, "9") + `</w:p>`,
			"EUR 10[superscript: 6][struck: [superscript: 9]]\n"},
	} {
		got, err := Text(DOCXType, numberedDOCX(t, c.body, "", styles))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

// TestODTRaisedTextMarked is TestDOCXRaisedTextMarked for OpenDocument
// (style:text-position).
func TestODTRaisedTextMarked(t *testing.T) {
	const styles = `<office:automatic-styles xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0">` +
		`<style:style style:name="T1" style:family="text"><style:text-properties style:text-position="super 58%"/></style:style>` +
		`<style:style style:name="T2" style:family="text"><style:text-properties style:text-position="-33% 58%"/></style:style>` +
		`<style:style style:name="T3" style:family="text" style:parent-style-name="T1"><style:text-properties style:text-position="0% 100%"/></style:style>` +
		`<style:style style:name="T4" style:family="text" style:parent-style-name="T1"><style:text-properties style:text-line-through-style="solid"/></style:style>` +
		`</office:automatic-styles>`
	for _, c := range []struct{ name, body, want string }{
		{"superscript", `<text:p>EUR 10<text:span text:style-name="T1">6</text:span>.</text:p>`,
			"EUR 10[superscript: 6].\n"},
		{"subscript", `<text:p>H<text:span text:style-name="T2">2</text:span>O</text:p>`,
			"H[subscript: 2]O\n"},
		{"baseline", `<text:p><text:span text:style-name="T3">106</text:span></text:p>`,
			"106\n"},
		{"inherited with a strike", `<text:p>EUR 10<text:span text:style-name="T4">9</text:span></text:p>`,
			"EUR 10[struck: [superscript: 9]]\n"},
	} {
		data := odtPackage(t, ODTType, func(w *bytes.Buffer) {
			w.WriteString(strings.Replace(odtHead, "<office:body>", styles+"<office:body>", 1) + c.body + odtTail)
		})
		got, err := Text(ODTType, data)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}
